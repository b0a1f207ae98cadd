// The EQ overlay on the spectrum: shown while an eq slot is selected, with the effect's own
// response (checked against the rendered impulse response in EqEffectTest), one faint curve and
// one handle per active band; recomputed only when a parameter or the rate changed; gone when
// another effect is selected.
#include <QTest>

#include <cmath>

#include "core/dsp/EffectFactory.h"
#include "core/dsp/EffectSlot.h"
#include "core/dsp/effects/EqEffect.h"
#include "ui/EqOverlayFeed.h"
#include "ui/SpectrumView.h"

using namespace liverack;
using core::EqEffect;

namespace {

void setBand(core::Effect& eq, int band, EqEffect::BandType type, float hz, float db) {
    auto& p = eq.parameters();
    p.set(EqEffect::parameterIndex(band, EqEffect::kType), static_cast<float>(type));
    p.set(EqEffect::parameterIndex(band, EqEffect::kFrequencyHz), hz);
    p.set(EqEffect::parameterIndex(band, EqEffect::kGainDb), db);
}

}  // namespace

class EqOverlayFeedTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void anEqSlotShowsItsResponseWithAHandlePerActiveBand() {
        ui::SpectrumView spectrum;
        ui::EqOverlayFeed feed(spectrum);
        core::EffectSlot eq(core::EffectFactory::create("eq"));
        setBand(eq.effect(), 2, EqEffect::BandType::Peak, 1000.0f, 9.0f);
        setBand(eq.effect(), 5, EqEffect::BandType::HighPass, 80.0f, 0.0f);
        QVERIFY(feed.refresh(&eq, 44100.0));
        QVERIFY(spectrum.eqOverlayShown());
        const QCPGraph& curve = spectrum.eqCurveGraph();
        QCOMPARE(curve.data()->size(), ui::EqOverlayFeed::kPoints);
        for (auto it = curve.data()->constBegin(); it != curve.data()->constEnd(); ++it) {
            QVERIFY(std::abs(it->value - EqEffect::responseDb(eq.effect().parameters(), 44100.0,
                                                              it->key)) < 1e-9);
        }
        QCOMPARE(curve.valueAxis(),
                 spectrum.eqCurveGraph().keyAxis()->axisRect()->axis(QCPAxis::atRight));
        const QCPGraph& handles = spectrum.eqHandleGraph();
        QCOMPARE(handles.data()->size(), 2);  // the two active bands, in band order
        QCOMPARE(handles.data()->at(0)->key, 1000.0);
        QVERIFY(std::abs(handles.data()->at(0)->value - 9.0) < 0.05);  // the peak's gain
        QCOMPARE(handles.data()->at(1)->key, 80.0);
    }

    void itRecomputesOnlyWhenSomethingChangedAndLeavesWithTheEq() {
        ui::SpectrumView spectrum;
        ui::EqOverlayFeed feed(spectrum);
        core::EffectSlot eq(core::EffectFactory::create("eq"));
        setBand(eq.effect(), 0, EqEffect::BandType::LowShelf, 200.0f, -6.0f);
        QVERIFY(feed.refresh(&eq, 48000.0));
        QVERIFY(!feed.refresh(&eq, 48000.0));
        eq.effect().parameters().set(EqEffect::parameterIndex(0, EqEffect::kGainDb), 3.0f);
        QVERIFY(feed.refresh(&eq, 48000.0));
        QVERIFY(feed.refresh(&eq, 96000.0));  // the same settings at another rate differ
        core::EffectSlot gain(core::EffectFactory::create("gain"));
        QVERIFY(feed.refresh(&gain, 96000.0));
        QVERIFY(!spectrum.eqOverlayShown());
        QVERIFY(!feed.refresh(nullptr, 96000.0));
    }
};

QTEST_MAIN(EqOverlayFeedTest)
#include "EqOverlayFeedTest.moc"
