// The level meter draws what the snapshot says where the scale says: bar tops at the rows that
// -60..0 dBFS (linear in dB over the groove's height) puts them, checked on the rendered pixels.
#include <QImage>
#include <QPixmap>
#include <QScreen>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

#include "ui/LevelMeter.h"

using namespace liverack;

namespace {

// The groove is painted in this colour where no bar is (DarkTheme's groove()).
const QColor kGroove(0x14, 0x16, 0x19);

// The row at which a bar of `db` starts, by the documented scale: 0 dBFS at the top of the
// groove, -60 dBFS at its bottom, linear in dB.
int expectedTop(const QRect& groove, double db) {
    const double fraction = (db + 60.0) / 60.0;
    return groove.bottom() + 1 - static_cast<int>(std::lround(fraction * groove.height()));
}

bool isGroove(const QColor& c) {
    // Faint grid lines cross the groove; they stay within this distance of its colour.
    return std::abs(c.red() - kGroove.red()) <= 20 && std::abs(c.green() - kGroove.green()) <= 20 &&
           std::abs(c.blue() - kGroove.blue()) <= 20;
}

double brightness(const QColor& c) {
    return 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue();
}

core::LevelSnapshot snapshot(float peakDb, float rmsDb, float holdDb, uint64_t clips = 0) {
    core::LevelSnapshot s{};
    s.sequence = 1;
    s.channelCount = 2;
    for (uint32_t c = 0; c < 2; ++c) {
        s.channels[c] = {peakDb, rmsDb, holdDb, clips};
    }
    return s;
}

}  // namespace

class LevelMeterTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void barsStartAtTheRowsOfTheirLevels() {
        ui::LevelMeter meter;
        meter.resize(120, 330);
        // Levels away from zone edges and grid lines, so each edge is a single clean step.
        meter.setLevels(snapshot(-21.0f, -33.0f, -9.0f));
        const QImage image = meter.grab().toImage();
        for (int channel = 0; channel < 2; ++channel) {
            const QRect groove = meter.grooveRect(channel);
            const int x = groove.center().x();
            const auto pixel = [&](int y) { return QColor(image.pixel(x, y)); };

            // Peak bar: the first non-groove row scanning up from inside it.
            int peakTop = expectedTop(groove, -27.0);
            while (peakTop > groove.top() && !isGroove(pixel(peakTop - 1))) {
                --peakTop;
            }
            QVERIFY2(std::abs(peakTop - expectedTop(groove, -21.0)) <= 1,
                     qPrintable(QString("peak top %1, expected %2")
                                    .arg(peakTop)
                                    .arg(expectedTop(groove, -21.0))));

            // RMS bar: where the dim peak colour turns bright.
            const double dim = brightness(pixel(expectedTop(groove, -27.0)));
            int rmsTop = expectedTop(groove, -45.0);
            while (rmsTop > groove.top() && brightness(pixel(rmsTop - 1)) > 1.8 * dim) {
                --rmsTop;
            }
            QVERIFY2(std::abs(rmsTop - expectedTop(groove, -33.0)) <= 1,
                     qPrintable(QString("rms top %1, expected %2")
                                    .arg(rmsTop)
                                    .arg(expectedTop(groove, -33.0))));

            // Peak-hold tick: the only non-groove rows between the top and the peak bar.
            int tick = groove.top();
            while (tick < peakTop && isGroove(pixel(tick))) {
                ++tick;
            }
            QVERIFY2(
                std::abs(tick - expectedTop(groove, -9.0)) <= 1,
                qPrintable(
                    QString("hold tick %1, expected %2").arg(tick).arg(expectedTop(groove, -9.0))));
            QVERIFY(brightness(pixel(tick)) > 200.0);  // drawn in near-white
        }
    }

    void fullScaleFillsTheGrooveAndSilenceLeavesItEmpty() {
        ui::LevelMeter meter;
        meter.resize(120, 330);
        meter.setLevels(snapshot(0.0f, 0.0f, 0.0f));
        QImage image = meter.grab().toImage();
        QRect groove = meter.grooveRect(0);
        QVERIFY(!isGroove(QColor(image.pixel(groove.center().x(), groove.top() + 3))));
        QVERIFY(!isGroove(QColor(image.pixel(groove.center().x(), groove.bottom()))));

        meter.setLevels(snapshot(-INFINITY, -INFINITY, -INFINITY));
        image = meter.grab().toImage();
        groove = meter.grooveRect(0);
        for (int y = groove.top(); y <= groove.bottom(); ++y) {
            QVERIFY(isGroove(QColor(image.pixel(groove.center().x(), y))));
        }
    }

    void clipLightShowsClipsAndClickAsksForReset() {
        ui::LevelMeter meter;
        meter.resize(120, 330);
        meter.setLevels(snapshot(-1.0f, -6.0f, 0.0f, 0));
        QImage image = meter.grab().toImage();
        const QPoint light = meter.clipLightRect(0).center();
        const QColor off(image.pixel(light));
        meter.setLevels(snapshot(0.0f, -3.0f, 0.0f, 12));
        image = meter.grab().toImage();
        const QColor on(image.pixel(light));
        QVERIFY(on.red() > 200 && on.green() < 120);  // lit red
        QVERIFY(off.red() < 100);                     // dark while nothing clipped

        QSignalSpy reset(&meter, &ui::LevelMeter::clipResetRequested);
        QTest::mouseClick(&meter, Qt::LeftButton, {}, light);
        QCOMPARE(reset.count(), 1);
    }

    // The meter repaints only the rows that changed: what is on screen after a run of changing
    // levels (bars up and down, the hold moving and turning hot, clips, readouts) is, pixel for
    // pixel, what painting the whole meter afresh gives.
    void partialRepaintsLeaveTheSamePictureAsAFullOne() {
        ui::LevelMeter meter;
        meter.resize(120, 330);
        meter.show();
        QVERIFY(QTest::qWaitForWindowExposed(&meter));
        const float steps[][4] = {{-21, -33, -9, 0},  {-18, -30, -9, 0},     {-40, -50, -9, 0},
                                  {-3, -12, -3, 0},   {-3.5f, -13, 0.2f, 1}, {-60, -70, 0.2f, 1},
                                  {-25, -26, -25, 0}, {-24, -40, -24, 0}};
        for (const auto& step : steps) {
            meter.setLevels(snapshot(step[0], step[1], step[2], static_cast<uint64_t>(step[3])));
            QCoreApplication::sendPostedEvents(nullptr, QEvent::UpdateRequest);
            QCoreApplication::processEvents();
            const QImage shown = meter.screen()
                                     ->grabWindow(meter.winId())
                                     .toImage()
                                     .convertToFormat(QImage::Format_RGB32);
            const QImage full = meter.grab().toImage().convertToFormat(QImage::Format_RGB32);
            QCOMPARE(shown.size(), full.size());
            QVERIFY2(shown == full, qPrintable(QString("after peak %1 dB").arg(step[0])));
        }
    }
};

QTEST_MAIN(LevelMeterTest)
#include "LevelMeterTest.moc"
