// The rack's structural edits reach the audio path: after each add, remove, duplicate, move and
// bypass, the engine's processor runs exactly the chain the rack shows (checked on its output).
#include <QSignalSpy>
#include <QTest>

#include <cmath>
#include <vector>

#include "core/dsp/EffectFactory.h"
#include "core/dsp/effects/GainEffect.h"
#include "core/dsp/lv2/Lv2Catalogue.h"
#include "core/engine/AudioEngine.h"
#include "ui/RackController.h"
#include "ui/RackModel.h"

using namespace liverack;

namespace {

constexpr double kRate = 48000.0;
constexpr uint32_t kBlock = 256;
constexpr float kInput = 0.25f;
// Enough blocks for every fade (start 30 ms, chain swap 20 + 30 ms, bypass 20 ms) to finish.
constexpr int kSettleBlocks = 40;
constexpr const char* kAutotune = "http://gareus.org/oss/lv2/fat1";

// Adds a constant: with a gain it makes the order of the chain audible.
class OffsetEffect final : public core::Effect {
public:
    static const core::EffectInfo& staticInfo() {
        static const core::EffectInfo info{"test_offset", "Offset", {}};
        return info;
    }
    OffsetEffect() : core::Effect(staticInfo()) {}
    const core::EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const core::ProcessSpec&) override {}
    void process(core::AudioBlock block) noexcept override {
        for (uint32_t c = 0; c < block.channelCount(); ++c) {
            for (uint32_t i = 0; i < block.frameCount(); ++i) {
                block.channel(c)[i] += 0.1f;
            }
        }
    }
    void reset() noexcept override {}
};

// Runs the processor on a constant input and returns the last output sample of channel 0.
float settledOutput(core::EngineProcessor& processor) {
    std::vector<float> in(kBlock, kInput);
    std::vector<float> outL(kBlock), outR(kBlock);
    const float* inputs[2] = {in.data(), in.data()};
    float* outputs[2] = {outL.data(), outR.data()};
    for (int b = 0; b < kSettleBlocks; ++b) {
        processor.process(inputs, 2, outputs, 2, kBlock, false);
    }
    processor.collectGarbage();
    return outL.back();
}

}  // namespace

class RackControllerTest : public QObject {
    Q_OBJECT

private:
    core::AudioEngine* engine_ = nullptr;
    ui::RackController* rack_ = nullptr;

    core::EngineProcessor& processor() { return engine_->processor(); }

private Q_SLOTS:
    void init() {
        engine_ = new core::AudioEngine;
        processor().prepare({kRate, kBlock, 2}, nullptr);
        processor().requestFadeIn();
        rack_ = new ui::RackController([this](std::unique_ptr<core::EffectChain> chain) {
            return engine_->setChain(std::move(chain));
        });
        QCOMPARE(settledOutput(processor()), kInput);  // empty rack: straight through
    }
    void cleanup() {
        delete rack_;
        delete engine_;
    }

    void addingGainSlotMakesProcessorApplyItsGain() {
        QVERIFY(rack_->addEffect("gain"));
        QCOMPARE(rack_->size(), 1);
        rack_->slotAt(0)->effect().parameters().set(core::GainEffect::kGainDb, -6.0206f);
        QVERIFY(std::abs(settledOutput(processor()) - kInput / 2) < 1e-4f);
    }

    void bypassingSlotPassesInputUnchangedAndUnbypassingRestoresEffect() {
        QVERIFY(rack_->addEffect("gain"));
        rack_->slotAt(0)->effect().parameters().set(core::GainEffect::kGainDb, -6.0206f);
        rack_->setBypassed(0, true);
        QVERIFY(rack_->slotAt(0)->isBypassed());
        QCOMPARE(settledOutput(processor()), kInput);
        rack_->setBypassed(0, false);
        QVERIFY(std::abs(settledOutput(processor()) - kInput / 2) < 1e-4f);
    }

    void removingSlotTakesItsEffectOutOfThePath() {
        QVERIFY(rack_->addEffect("gain"));
        QVERIFY(rack_->addEffect("gain"));
        rack_->slotAt(0)->effect().parameters().set(core::GainEffect::kGainDb, -6.0206f);
        rack_->slotAt(1)->effect().parameters().set(core::GainEffect::kGainDb, -12.0412f);
        QVERIFY(std::abs(settledOutput(processor()) - kInput / 8) < 1e-4f);
        const core::EffectSlot* kept = rack_->slotAt(1);
        QVERIFY(rack_->removeSlot(0));
        QCOMPARE(rack_->size(), 1);
        QCOMPARE(rack_->slotAt(0), kept);  // the remaining slot is the same object
        QVERIFY(std::abs(settledOutput(processor()) - kInput / 4) < 1e-4f);
    }

    void movingSlotReordersTheProcessing() {
        auto gain = core::EffectFactory::create("gain");
        gain->parameters().set(core::GainEffect::kGainDb, -6.0206f);  // x 0.5
        ui::RackController::Slots slots = {
            std::make_shared<core::EffectSlot>(std::move(gain)),
            std::make_shared<core::EffectSlot>(std::make_unique<OffsetEffect>()),
        };
        const auto gainSlot = slots[0];
        const auto offsetSlot = slots[1];
        QVERIFY(rack_->replaceAll(slots));
        // gain then offset: 0.25 * 0.5 + 0.1
        QVERIFY(std::abs(settledOutput(processor()) - 0.225f) < 1e-4f);
        QVERIFY(rack_->moveSlot(1, 0));
        QCOMPARE(rack_->slots()[0], offsetSlot);
        QCOMPARE(rack_->slots()[1], gainSlot);
        // offset then gain: (0.25 + 0.1) * 0.5
        QVERIFY(std::abs(settledOutput(processor()) - 0.175f) < 1e-4f);
    }

    void modelMoveRowsReordersThroughTheController() {
        QVERIFY(rack_->addEffect("gain"));
        QVERIFY(rack_->addEffect("gain"));
        QVERIFY(rack_->addEffect("gain"));
        const std::vector<core::EffectSlot*> before = {rack_->slotAt(0), rack_->slotAt(1),
                                                       rack_->slotAt(2)};
        ui::RackModel model(*rack_);
        QSignalSpy changed(rack_, &ui::RackController::chainChanged);
        // Qt's convention: drop row 0 before row 3 (the end) -> it becomes the last.
        QVERIFY(model.moveRows({}, 0, 1, {}, 3));
        QCOMPARE(changed.count(), 1);  // one move, one new chain
        QCOMPARE(rack_->slotAt(0), before[1]);
        QCOMPARE(rack_->slotAt(1), before[2]);
        QCOMPARE(rack_->slotAt(2), before[0]);
    }

    void duplicateIsANewEffectWithTheSameSettings() {
        QVERIFY(rack_->addEffect("gain"));
        rack_->slotAt(0)->effect().parameters().set(core::GainEffect::kGainDb, -6.0206f);
        QVERIFY(rack_->duplicateSlot(0));
        QCOMPARE(rack_->size(), 2);
        QVERIFY(rack_->slotAt(0) != rack_->slotAt(1));
        QVERIFY(&rack_->slotAt(0)->effect() != &rack_->slotAt(1)->effect());
        QCOMPARE(rack_->slotAt(1)->effect().parameters().get(core::GainEffect::kGainDb), -6.0206f);
        QVERIFY(std::abs(settledOutput(processor()) - kInput / 4) < 1e-4f);
        // Independent: changing the copy leaves the original alone.
        rack_->slotAt(1)->effect().parameters().set(core::GainEffect::kGainDb, 0.0f);
        QCOMPARE(rack_->slotAt(0)->effect().parameters().get(core::GainEffect::kGainDb), -6.0206f);
        QVERIFY(std::abs(settledOutput(processor()) - kInput / 2) < 1e-4f);
    }

    void unknownEffectTypeIsRefusedWithASentence() {
        QSignalSpy errors(rack_, &ui::RackController::errorOccurred);
        QVERIFY(!rack_->addEffect("no_such_effect"));
        QCOMPARE(errors.count(), 1);
        QVERIFY(errors.at(0).at(0).toString().contains("no_such_effect"));
        QCOMPARE(rack_->size(), 0);
    }

    void addedPluginIsAnLv2SlotOfThatPluginInTheAudioPath() {
        if (!core::Lv2Catalogue::shared().find(kAutotune)) {
            QFAIL(
                "x42 Autotune is not installed; packaging/install-dependencies.sh test "
                "installs x42-plugins");
        }
        QVERIFY(rack_->addPlugin(kAutotune));
        QCOMPARE(rack_->size(), 1);
        const core::EffectInfo& info = rack_->slotAt(0)->effect().info();
        QCOMPARE(info.typeId, std::string(core::EffectFactory::kPluginType));
        QCOMPARE(info.pluginUri, std::string(kAutotune));
        QVERIFY(std::isfinite(settledOutput(processor())));
    }

    void pluginThatIsNotInstalledIsRefusedWithASentence() {
        QSignalSpy errors(rack_, &ui::RackController::errorOccurred);
        QVERIFY(!rack_->addPlugin("urn:liverack:test:not-installed"));
        QCOMPARE(errors.count(), 1);
        const QString message = errors.at(0).at(0).toString();
        // A whole sentence that names the plugin.
        QVERIFY2(message.at(0).isUpper() && message.endsWith('.'), qPrintable(message));
        QVERIFY2(message.contains("urn:liverack:test:not-installed"), qPrintable(message));
        QCOMPARE(rack_->size(), 0);
    }

    void duplicateOfAPluginSlotIsANewSlotOfTheSamePluginWithTheSameParameters() {
        if (!core::Lv2Catalogue::shared().find(kAutotune)) {
            QFAIL(
                "x42 Autotune is not installed; packaging/install-dependencies.sh test "
                "installs x42-plugins");
        }
        QVERIFY(rack_->addPlugin(kAutotune));
        core::ParameterSet& original = rack_->slotAt(0)->effect().parameters();
        const int tuning = rack_->slotAt(0)->effect().info().indexOf("tuning");
        const int correction = rack_->slotAt(0)->effect().info().indexOf("corr");
        QVERIFY(tuning >= 0 && correction >= 0);
        original.set(static_cast<size_t>(tuning), 432.0f);
        original.set(static_cast<size_t>(correction), 0.25f);
        QVERIFY(rack_->duplicateSlot(0));
        QCOMPARE(rack_->size(), 2);
        const core::Effect& copy = rack_->slotAt(1)->effect();
        QVERIFY(&copy != &rack_->slotAt(0)->effect());
        QCOMPARE(copy.info().typeId, std::string(core::EffectFactory::kPluginType));
        QCOMPARE(copy.info().pluginUri, std::string(kAutotune));
        QCOMPARE(copy.parameters().size(), original.size());
        for (size_t i = 0; i < original.size(); ++i) {
            QCOMPARE(copy.parameters().get(i), original.get(i));
        }
        // Independent: changing the copy leaves the original alone.
        rack_->slotAt(1)->effect().parameters().set(static_cast<size_t>(tuning), 440.0f);
        QCOMPARE(original.get(static_cast<size_t>(tuning)), 432.0f);
        QVERIFY(std::isfinite(settledOutput(processor())));
    }

    void everyFactoryTypeCanBeAdded() {
        for (const std::string& id : core::EffectFactory::typeIds()) {
            QVERIFY2(rack_->addEffect(id), id.c_str());
        }
        QCOMPARE(rack_->size(), static_cast<int>(core::EffectFactory::typeIds().size()));
        const float out = settledOutput(processor());
        QVERIFY(std::isfinite(out));
    }
};

QTEST_GUILESS_MAIN(RackControllerTest)
#include "RackControllerTest.moc"
