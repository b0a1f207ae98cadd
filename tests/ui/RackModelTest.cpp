// The rack model's live readouts: a dynamics slot's card shows the gain reduction its effect
// reports (the value the effect measured on its own signal), an effect that reports none shows
// nothing, and a refresh repaints only the cards whose shown value changed. An echo canceller's
// card says "no reference" exactly while its effect processes without one.
#include <QSignalSpy>
#include <QTest>

#include <cmath>

#include "core/dsp/AudioBuffer.h"
#include "core/dsp/effects/CompressorEffect.h"
#include "ui/RackController.h"
#include "ui/RackModel.h"

using namespace liverack;

class RackModelTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void aCompressorCardShowsTheReductionItAppliesAndRefreshRepaintsOnlyWhatChanged() {
        ui::RackController rack([](std::unique_ptr<core::EffectChain>) { return core::Status{}; });
        QVERIFY(rack.addEffect("gain"));
        QVERIFY(rack.addEffect("compressor"));
        ui::RackModel model(rack);
        QVERIFY(!model.data(model.index(0), ui::RackModel::GainReductionRole).isValid());

        core::Effect& compressor = rack.slotAt(1)->effect();
        compressor.parameters().set(core::CompressorEffect::kThresholdDb, -30.0f);
        compressor.parameters().set(core::CompressorEffect::kRatio, 4.0f);
        compressor.parameters().set(core::CompressorEffect::kKneeDb, 0.0f);
        compressor.prepare({48000.0, 480, 2});
        compressor.reset();
        // A square wave at -10 dBFS: 20 dB over, so 15 dB of reduction at 4:1.
        core::AudioBuffer buffer(2, 480);
        const float amplitude = std::pow(10.0f, -10.0f / 20.0f);
        for (int block = 0; block < 50; ++block) {
            for (uint32_t i = 0; i < 480; ++i) {
                const float x = (i / 24) % 2 == 0 ? amplitude : -amplitude;
                buffer.channel(0)[i] = x;
                buffer.channel(1)[i] = x;
            }
            compressor.process(buffer.block());
        }
        const double applied = -20.0 * std::log10(std::abs(buffer.channel(0)[479]) / amplitude);
        const QVariant shown = model.data(model.index(1), ui::RackModel::GainReductionRole);
        QVERIFY(shown.isValid());
        QVERIFY2(std::abs(shown.toFloat() - applied) < 0.1, qPrintable(QString::number(applied)));
        QVERIFY(std::abs(applied - 15.0) < 0.1);

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.refreshReadouts();
        QCOMPARE(changed.count(), 1);  // the compressor's card; the gain slot has nothing
        QCOMPARE(changed[0][0].value<QModelIndex>().row(), 1);
        model.refreshReadouts();
        QCOMPARE(changed.count(), 1);  // nothing changed, nothing repainted
    }
    void anEchoCancellerCardSaysNoReferenceOnlyWhileNoneArrives() {
        ui::RackController rack([](std::unique_ptr<core::EffectChain>) { return core::Status{}; });
        QVERIFY(rack.addEffect("gain"));
        QVERIFY(rack.addEffect("echo_cancel"));
        ui::RackModel model(rack);
        QVERIFY(!model.data(model.index(0), ui::RackModel::NoReferenceRole).isValid());
        core::Effect& canceller = rack.slotAt(1)->effect();
        canceller.prepare({48000.0, 480, 2});
        canceller.reset();
        core::AudioBuffer buffer(2, 480);
        core::AudioBuffer far(2, 480);
        const auto run = [&](bool withReference) {
            for (int block = 0; block < 20; ++block) {
                for (uint32_t i = 0; i < 480; ++i) {
                    far.channel(0)[i] = far.channel(1)[i] = 0.1f * std::sin(0.05f * i);
                }
                canceller.setReference(withReference ? far.block() : core::AudioBlock());
                canceller.process(buffer.block());
            }
        };
        run(false);
        QCOMPARE(model.data(model.index(1), ui::RackModel::NoReferenceRole).toBool(), true);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.refreshReadouts();
        run(true);
        QCOMPARE(model.data(model.index(1), ui::RackModel::NoReferenceRole).toBool(), false);
        const int before = changed.count();
        model.refreshReadouts();
        QCOMPARE(changed.count(), before + 1);
        QCOMPARE(changed.back()[0].value<QModelIndex>().row(), 1);
    }
};

QTEST_MAIN(RackModelTest)
#include "RackModelTest.moc"
