// The readout bar of a reported value: the bar's end sits at the value's place in its declared
// range (following the skew), grows from zero for a bipolar range, and pins at the ends for
// values out of range or not finite.
#include <QTest>

#include <cmath>
#include <limits>

#include "ui/OutputMeter.h"

using namespace liverack;

class OutputMeterTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void barEndIsTheValuesPlaceInALinearRange() {
        ui::OutputMeter meter(
            core::ParameterInfo::continuous("gr", "Gain reduction", "dB", -20.0f, 0.0f, 0.0f));
        meter.setValue(-6.0f);
        QVERIFY(std::abs(meter.fraction() - 0.7) < 1e-6);
        meter.setValue(-20.0f);
        QVERIFY(std::abs(meter.fraction()) < 1e-6);
    }

    void barEndFollowsALogarithmicSkew() {
        ui::OutputMeter meter(core::ParameterInfo::continuous(
            "f", "Frequency", "Hz", 20.0f, 20000.0f, 1000.0f, core::ParameterSkew::Logarithmic));
        meter.setValue(std::sqrt(20.0f * 20000.0f));  // the geometric mean is halfway
        QVERIFY(std::abs(meter.fraction() - 0.5) < 1e-4);
    }

    void valuesOutsideTheRangePinTheBarAtItsEnds() {
        ui::OutputMeter meter(
            core::ParameterInfo::continuous("err", "Pitch error", "", -1.0f, 1.0f, 0.0f));
        meter.setValue(0.5f);
        QVERIFY(std::abs(meter.fraction() - 0.75) < 1e-6);
        meter.setValue(7.0f);
        QCOMPARE(meter.fraction(), 1.0);
        QCOMPARE(meter.value(), 7.0f);  // the value itself is kept as reported
        meter.setValue(-7.0f);
        QCOMPARE(meter.fraction(), 0.0);
    }

    void aValueThatIsNotFiniteShowsAnEmptyBar() {
        ui::OutputMeter bipolar(
            core::ParameterInfo::continuous("err", "Pitch error", "", -1.0f, 1.0f, 0.0f));
        bipolar.setValue(std::numeric_limits<float>::quiet_NaN());
        QVERIFY(std::abs(bipolar.fraction() - 0.5) < 1e-6);  // at zero: no bar
        ui::OutputMeter level(
            core::ParameterInfo::continuous("lvl", "Level", "dB", -60.0f, 0.0f, -60.0f));
        level.setValue(std::numeric_limits<float>::infinity());
        QCOMPARE(level.fraction(), 0.0);
    }
};

QTEST_MAIN(OutputMeterTest)
#include "OutputMeterTest.moc"
