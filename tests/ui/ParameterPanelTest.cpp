// The generated parameter controls write the effect's atomics with the metadata's mapping: a
// slider's travel follows the skew (logarithmic for Hz), the spin box carries the unit, choices
// and toggles store their index and 0/1, double-click restores the default.
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QTest>

#include <cmath>
#include <memory>

#include "core/dsp/EffectFactory.h"
#include "core/dsp/EffectSlot.h"
#include "core/dsp/effects/GainEffect.h"
#include "ui/ParameterPanel.h"
#include "ui/ParameterSlider.h"

using namespace liverack;

namespace {

class FilterLikeEffect final : public core::Effect {
public:
    enum { kFreq, kMode, kEnabled };
    static const core::EffectInfo& staticInfo() {
        static const core::EffectInfo info{
            "test_filter",
            "Filter",
            {core::ParameterInfo::continuous("freq_hz", "Frequency", "Hz", 20.0f, 20000.0f, 1000.0f,
                                             core::ParameterSkew::Logarithmic),
             core::ParameterInfo::choice("mode", "Mode", {"low", "band", "high"}, 0),
             core::ParameterInfo::toggle("enabled", "Enabled", true)}};
        return info;
    }
    FilterLikeEffect() : core::Effect(staticInfo()) {}
    const core::EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const core::ProcessSpec&) override {}
    void process(core::AudioBlock) noexcept override {}
    void reset() noexcept override {}
};

// Two EQ-like bands: "bN.type" with an "off" choice, and a frequency.
class BandsEffect final : public core::Effect {
public:
    static const core::EffectInfo& staticInfo() {
        static const core::EffectInfo info{
            "test_bands",
            "Bands",
            {core::ParameterInfo::choice("b1.type", "Band 1 type", {"off", "peak"}, 0),
             core::ParameterInfo::continuous("b1.freq_hz", "Band 1 frequency", "Hz", 20.0f,
                                             20000.0f, 1000.0f, core::ParameterSkew::Logarithmic),
             core::ParameterInfo::choice("b2.type", "Band 2 type", {"off", "peak"}, 1),
             core::ParameterInfo::continuous("b2.freq_hz", "Band 2 frequency", "Hz", 20.0f,
                                             20000.0f, 1000.0f, core::ParameterSkew::Logarithmic)}};
        return info;
    }
    BandsEffect() : core::Effect(staticInfo()) {}
    const core::EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const core::ProcessSpec&) override {}
    void process(core::AudioBlock) noexcept override {}
    void reset() noexcept override {}
};

}  // namespace

class ParameterPanelTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sliderHalfwayOnLogParameterGivesGeometricMean() {
        auto slot = std::make_shared<core::EffectSlot>(std::make_unique<FilterLikeEffect>());
        ui::ParameterPanel panel;
        panel.setSlot(slot);
        panel.sliderFor(FilterLikeEffect::kFreq)->setValue(ui::ParameterSlider::kSteps / 2);
        // Halfway on a log scale from 20 Hz to 20 kHz is sqrt(20 * 20000) = 632.46 Hz.
        const float hz = slot->effect().parameters().get(FilterLikeEffect::kFreq);
        QVERIFY2(std::abs(hz - std::sqrt(20.0f * 20000.0f)) < 0.01f,
                 qPrintable(QString::number(hz)));
        // The spin box follows, in the parameter's unit.
        QVERIFY(std::abs(panel.spinBoxFor(FilterLikeEffect::kFreq)->value() - hz) < 0.1);
        QCOMPARE(panel.spinBoxFor(FilterLikeEffect::kFreq)->suffix(), QString(" Hz"));
    }

    void typedValueMovesSliderToItsLogPosition() {
        auto slot = std::make_shared<core::EffectSlot>(std::make_unique<FilterLikeEffect>());
        ui::ParameterPanel panel;
        panel.setSlot(slot);
        panel.spinBoxFor(FilterLikeEffect::kFreq)->setValue(200.0);
        QCOMPARE(slot->effect().parameters().get(FilterLikeEffect::kFreq), 200.0f);
        // 200 Hz is one decade of three above 20 Hz: a third of the travel.
        QCOMPARE(panel.sliderFor(FilterLikeEffect::kFreq)->value(),
                 static_cast<int>(std::lround(ui::ParameterSlider::kSteps / 3.0)));
    }

    void sliderOnLinearDbParameterMapsLinearly() {
        auto slot = std::make_shared<core::EffectSlot>(core::EffectFactory::create("gain"));
        ui::ParameterPanel panel;
        panel.setSlot(slot);
        // gain_db spans -60..+24 dB: a quarter of the travel is -60 + 84 / 4 = -39 dB.
        panel.sliderFor(core::GainEffect::kGainDb)->setValue(ui::ParameterSlider::kSteps / 4);
        QVERIFY(std::abs(slot->effect().parameters().get(core::GainEffect::kGainDb) + 39.0f) <
                1e-3f);
        QCOMPARE(panel.spinBoxFor(core::GainEffect::kGainDb)->suffix(), QString(" dB"));
    }

    void doubleClickOnSliderRestoresDefault() {
        auto slot = std::make_shared<core::EffectSlot>(std::make_unique<FilterLikeEffect>());
        ui::ParameterPanel panel;
        panel.resize(400, 200);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setSlot(slot);
        panel.sliderFor(FilterLikeEffect::kFreq)->setValue(10);
        QVERIFY(slot->effect().parameters().get(FilterLikeEffect::kFreq) < 30.0f);
        QTest::mouseDClick(panel.sliderFor(FilterLikeEffect::kFreq), Qt::LeftButton);
        QCOMPARE(slot->effect().parameters().get(FilterLikeEffect::kFreq), 1000.0f);
    }

    void arrowKeyFineTunesByOneStepOfTravel() {
        auto slot = std::make_shared<core::EffectSlot>(std::make_unique<FilterLikeEffect>());
        ui::ParameterPanel panel;
        panel.setSlot(slot);
        ui::ParameterSlider* slider = panel.sliderFor(FilterLikeEffect::kFreq);
        const int before = slider->value();
        QTest::keyClick(slider, Qt::Key_Right);
        QCOMPARE(slider->value(), before + 1);
        // One step of 1/1000 of three decades: a factor 1000^(1/1000).
        const float expected = 20.0f * std::pow(1000.0f, (before + 1) / 1000.0f);
        QVERIFY(std::abs(slot->effect().parameters().get(FilterLikeEffect::kFreq) - expected) <
                expected * 1e-4f);
    }

    void choiceAndToggleStoreIndexAndBoolean() {
        auto slot = std::make_shared<core::EffectSlot>(std::make_unique<FilterLikeEffect>());
        ui::ParameterPanel panel;
        panel.setSlot(slot);
        panel.comboBoxFor(FilterLikeEffect::kMode)->setCurrentIndex(2);
        QCOMPARE(slot->effect().parameters().getChoice(FilterLikeEffect::kMode), 2);
        panel.checkBoxFor(FilterLikeEffect::kEnabled)->setChecked(false);
        QCOMPARE(slot->effect().parameters().get(FilterLikeEffect::kEnabled), 0.0f);
    }

    void bandSwitchedOffGreysOutItsOtherControls() {
        auto slot = std::make_shared<core::EffectSlot>(std::make_unique<BandsEffect>());
        ui::ParameterPanel panel;
        panel.setSlot(slot);
        QVERIFY(!panel.sliderFor(1)->isEnabled());  // band 1 starts off
        QVERIFY(panel.sliderFor(3)->isEnabled());   // band 2 starts on
        panel.comboBoxFor(0)->setCurrentIndex(1);
        QVERIFY(panel.sliderFor(1)->isEnabled());
        QVERIFY(panel.spinBoxFor(1)->isEnabled());
        slot->effect().parameters().set(2, 0.0f);  // band 2 turned off elsewhere (a preset)
        panel.refresh();
        QVERIFY(!panel.sliderFor(3)->isEnabled());
        QVERIFY(panel.comboBoxFor(2)->isEnabled());  // the switch itself stays usable
    }

    void refreshFollowsValuesSetElsewhere() {
        auto slot = std::make_shared<core::EffectSlot>(std::make_unique<FilterLikeEffect>());
        ui::ParameterPanel panel;
        panel.setSlot(slot);
        slot->effect().parameters().set(FilterLikeEffect::kFreq, 20000.0f);
        slot->effect().parameters().set(FilterLikeEffect::kMode, 1.0f);
        panel.refresh();
        QCOMPARE(panel.sliderFor(FilterLikeEffect::kFreq)->value(), ui::ParameterSlider::kSteps);
        QCOMPARE(panel.comboBoxFor(FilterLikeEffect::kMode)->currentIndex(), 1);
    }
};

QTEST_MAIN(ParameterPanelTest)
#include "ParameterPanelTest.moc"
