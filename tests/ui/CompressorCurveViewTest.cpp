// The compressor panel's static curve: it is the textbook curve (Giannoulis et al., eq. 4,
// written out here independently) for the slot's live parameters; its dot sits at the level
// the effect's detector reads and the output the effect applies; it repaints only on change.
#include <QTest>

#include <cmath>

#include "core/dsp/AudioBuffer.h"
#include "core/dsp/EffectFactory.h"
#include "core/dsp/EffectSlot.h"
#include "core/dsp/effects/CompressorEffect.h"
#include "ui/CompressorCurveView.h"
#include "ui/ParameterPanel.h"

using namespace liverack;
using Compressor = core::CompressorEffect;

namespace {

double textbookOutputDb(double x, double t, double r, double w) {
    if (2.0 * (x - t) < -w) {
        return x;
    }
    if (w > 0.0 && 2.0 * std::abs(x - t) <= w) {
        return x + (1.0 / r - 1.0) * (x - t + w / 2.0) * (x - t + w / 2.0) / (2.0 * w);
    }
    return t + (x - t) / r;
}

std::shared_ptr<core::EffectSlot> compressorSlot(float threshold, float ratio, float knee,
                                                 float makeup) {
    auto slot = std::make_shared<core::EffectSlot>(std::make_unique<Compressor>());
    auto& p = slot->effect().parameters();
    p.set(Compressor::kThresholdDb, threshold);
    p.set(Compressor::kRatio, ratio);
    p.set(Compressor::kKneeDb, knee);
    p.set(Compressor::kMakeupDb, makeup);
    p.set(Compressor::kAttackMs, 1.0f);
    p.set(Compressor::kReleaseMs, 5.0f);
    return slot;
}

}  // namespace

class CompressorCurveViewTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void theCurveIsTheTextbookCurveForTheLiveParameters() {
        auto slot = compressorSlot(-24.0f, 3.0f, 8.0f, 4.0f);
        ui::CompressorCurveView view(slot);
        for (double in = -60.0; in <= 0.0; in += 0.5) {
            QVERIFY(std::abs(view.outputDbAt(in) - (textbookOutputDb(in, -24, 3, 8) + 4)) < 1e-4);
        }
        slot->effect().parameters().set(Compressor::kRatio, 10.0f);  // as a slider would
        QVERIFY(view.refresh());
        QVERIFY(std::abs(view.outputDbAt(-6.0) - (textbookOutputDb(-6, -24, 10, 8) + 4)) < 1e-4);
        QVERIFY(!view.refresh());  // nothing changed since: no repaint
    }

    void theDotIsWhereTheDetectorReadsAndWhatTheEffectApplies() {
        auto slot = compressorSlot(-30.0f, 4.0f, 0.0f, 0.0f);
        ui::CompressorCurveView view(slot);
        QVERIFY(!view.dot().has_value());  // nothing played yet
        slot->prepare({48000.0, 480, 2});
        core::AudioBuffer buffer(2, 480);
        const float amplitude = std::pow(10.0f, -10.0f / 20.0f);  // a -10 dBFS square
        for (int block = 0; block < 50; ++block) {
            for (uint32_t i = 0; i < 480; ++i) {
                buffer.channel(0)[i] = buffer.channel(1)[i] = (i / 24) % 2 ? -amplitude : amplitude;
            }
            slot->process(buffer.block());
        }
        const double applied = 20.0 * std::log10(std::abs(buffer.channel(0)[479]));
        QVERIFY(view.refresh());
        const auto dot = view.dot();
        QVERIFY(dot.has_value());
        QVERIFY2(std::abs(dot->x() - -10.0) < 0.1, qPrintable(QString::number(dot->x())));
        QVERIFY2(std::abs(dot->y() - applied) < 0.1, qPrintable(QString::number(dot->y())));
        QVERIFY(std::abs(dot->y() - view.outputDbAt(-10.0)) < 0.1);  // settled: on the curve
    }

    void theCompressorsPanelShowsTheCurveAndOtherPanelsDoNot() {
        ui::ParameterPanel panel;
        panel.setSlot(compressorSlot(-20.0f, 4.0f, 6.0f, 0.0f));
        QVERIFY(panel.compressorCurve() != nullptr);
        panel.setSlot(std::make_shared<core::EffectSlot>(core::EffectFactory::create("gain")));
        QVERIFY(panel.compressorCurve() == nullptr);
    }
};

QTEST_MAIN(CompressorCurveViewTest)
#include "CompressorCurveViewTest.moc"
