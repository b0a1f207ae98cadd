// The spectrum view shows the analysis faithfully: frequencies on a log axis from 20 Hz to
// Nyquist, a narrow peak keeps its level and frequency through the per-pixel decimation, and
// hovering reads out frequency, level and the nearest note.
#include <QMouseEvent>
#include <QTest>

#include <cmath>
#include <memory>

#include "ui/LivePlot.h"
#include "ui/SpectrumView.h"

using namespace liverack;

namespace {

std::unique_ptr<core::SpectrumSnapshot> flatSpectrum(double rate, uint32_t fftSize, float db) {
    auto s = std::make_unique<core::SpectrumSnapshot>();
    s->sampleRate = rate;
    s->fftSize = fftSize;
    s->binCount = fftSize / 2 + 1;
    s->magnitudeDb.fill(db);
    s->peakHoldDb.fill(db);
    return s;
}

double maxValue(const QCPGraph& graph, double* atKey) {
    double best = -1e9;
    for (auto it = graph.data()->constBegin(); it != graph.data()->constEnd(); ++it) {
        if (it->value > best) {
            best = it->value;
            *atKey = it->key;
        }
    }
    return best;
}

}  // namespace

class SpectrumViewTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void frequencyAxisIsLogarithmicFrom20HzToNyquist() {
        ui::SpectrumView view;
        view.resize(800, 400);
        view.setSpectrum(*flatSpectrum(96000.0, 8192, -100.0f));
        QCOMPARE(view.plot().xAxis->scaleType(), QCPAxis::stLogarithmic);
        QCOMPARE(view.plot().xAxis->range().lower, 20.0);
        QCOMPARE(view.plot().xAxis->range().upper, 48000.0);
    }

    void narrowPeakKeepsItsLevelAndFrequencyThroughDecimation() {
        ui::SpectrumView view;
        view.resize(800, 400);
        view.plot().replot();  // lay out the axis rect the decimation works on
        auto s = flatSpectrum(48000.0, 8192, -110.0f);
        const uint32_t bin = 1707;  // 1707 * 48000 / 8192 = 10001.95 Hz, where bins crowd pixels
        s->magnitudeDb[bin] = -6.0f;
        s->peakHoldDb[bin] = -3.0f;
        view.setSpectrum(*s);
        // Fewer points than bins: it did decimate.
        QVERIFY(view.liveGraph().data()->size() < static_cast<int>(s->binCount) / 2);
        double key = 0.0;
        QCOMPARE(maxValue(view.liveGraph(), &key), -6.0);
        QCOMPARE(key, bin * 48000.0 / 8192.0);
        QCOMPARE(maxValue(view.peakHoldGraph(), &key), -3.0);
    }

    void aSpectrumThatDrawsTheSameIsNotPaintedAgain() {
        ui::SpectrumView view;
        view.resize(800, 400);
        view.plot().replot();
        auto s = flatSpectrum(48000.0, 8192, -60.0f);
        s->magnitudeDb[5] = -150.0f;  // already below the -120 dB floor
        view.setSpectrum(*s);
        const int asked = view.livePlot().dataRepaints();
        QCOMPARE(asked, 1);
        // A hundredth of a dB is far below a pixel, and below the floor lower is no different.
        for (uint32_t k = 0; k < s->binCount; ++k) {
            s->magnitudeDb[k] += 0.01f;
        }
        s->magnitudeDb[5] = -300.0f;
        view.setSpectrum(*s);
        QCOMPARE(view.livePlot().dataRepaints(), asked);
        // Six dB is tens of pixels: painted.
        s->magnitudeDb[100] += 6.0f;
        view.setSpectrum(*s);
        QCOMPARE(view.livePlot().dataRepaints(), asked + 1);
        // So is a held peak that rises.
        s->peakHoldDb[3000] = -10.0f;
        view.setSpectrum(*s);
        QCOMPARE(view.livePlot().dataRepaints(), asked + 2);
    }

    void afterClearThePlotShowsOnlyItsAxesAndGrid() {
        ui::SpectrumView view;
        view.resize(800, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.plot().replot();
        view.setSpectrum(*flatSpectrum(48000.0, 8192, -20.0f));
        const QRect area = view.plot().axisRect()->rect();
        const auto differingPixels = [&] {
            const QImage shown = view.plot().grab().toImage().convertToFormat(QImage::Format_RGB32);
            const QImage& bare = view.livePlot().staticImage();
            int differing = 0;
            for (int y = area.top(); y <= area.bottom(); ++y) {
                for (int x = area.left(); x <= area.right(); ++x) {
                    differing += shown.pixel(x, y) != bare.pixel(x, y);
                }
            }
            return differing;
        };
        QVERIFY(differingPixels() > area.width() * area.height() / 2);  // trace and fill drawn
        view.clear();
        QCOMPARE(differingPixels(), 0);
    }

    void hoverReadsFrequencyLevelAndNearestNote() {
        ui::SpectrumView view;
        view.resize(800, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.plot().replot();
        auto s = flatSpectrum(48000.0, 8192, -110.0f);
        const uint32_t bin = 75;  // 439.45 Hz: low bins are drawn one point each
        s->magnitudeDb[bin] = -10.0f;
        view.setSpectrum(*s);
        view.plot().replot();
        const double x = view.plot().xAxis->coordToPixel(bin * 48000.0 / 8192.0);
        QMouseEvent move(QEvent::MouseMove, QPointF(x, 100),
                         view.plot().mapToGlobal(QPointF(x, 100)), Qt::NoButton, Qt::NoButton,
                         Qt::NoModifier);
        QCoreApplication::sendEvent(&view.plot(), &move);
        const QString text = view.hoverText();
        QVERIFY2(text.contains("A4"), qPrintable(text));
        QVERIFY2(text.contains(QString("%1").arg(QChar(0x2212)) + "10.0 dBFS"), qPrintable(text));
        // The readout names the frequency under the pointer, to within the pixel's width.
        const double shownHz = text.section(' ', 0, 0).toDouble();
        const double pixelRatio =
            view.plot().xAxis->pixelToCoord(x + 1) / view.plot().xAxis->pixelToCoord(x);
        QVERIFY2(std::abs(std::log(shownHz / (bin * 48000.0 / 8192.0))) <= std::log(pixelRatio),
                 qPrintable(text));
        QVERIFY(text.contains(" Hz"));
    }
};

QTEST_MAIN(SpectrumViewTest)
#include "SpectrumViewTest.moc"
