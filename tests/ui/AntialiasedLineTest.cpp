// strokeAntialiasedTrace against geometry: a trace is one pixel thick around the ideal line, so
// each pixel column holds (vertical extent across the column + 1) pixels' worth of colour centred
// on the line there, joints neither gap nor double up, nothing farther than a pixel from the line
// is touched, and the colour's alpha scales the coverage.
#include <QTest>

#include <algorithm>
#include <cmath>

#include "ui/AntialiasedLine.h"

using namespace liverack;

namespace {

QImage black(int w, int h) {
    QImage image(w, h, QImage::Format_RGB32);
    image.fill(Qt::black);
    return image;
}

// Green channel as coverage, 0..1.
double coverageAt(const QImage& image, int x, int y) {
    return qGreen(image.pixel(x, y)) / 255.0;
}

// The polyline's y at x (x inside its span).
double traceY(const QPolygonF& trace, double x) {
    for (qsizetype i = 1; i < trace.size(); ++i) {
        if (x <= trace[i].x()) {
            const QPointF a = trace[i - 1], b = trace[i];
            return a.y() + (x - a.x()) / (b.x() - a.x()) * (b.y() - a.y());
        }
    }
    return trace.back().y();
}

// Checks every whole column between the trace's ends: its coverage sums to the trace's vertical
// extent across the column + 1, and is centred on the middle of that extent (to a tenth of a
// pixel).
void verifyColumns(const QImage& image, const QPolygonF& trace) {
    for (int x = static_cast<int>(std::ceil(trace.front().x()));
         x + 1 <= static_cast<int>(std::floor(trace.back().x())); ++x) {
        double low = std::min(traceY(trace, x), traceY(trace, x + 1));
        double high = std::max(traceY(trace, x), traceY(trace, x + 1));
        for (const QPointF& p : trace) {
            if (p.x() > x && p.x() < x + 1) {
                low = std::min(low, p.y());
                high = std::max(high, p.y());
            }
        }
        double sum = 0.0, weighted = 0.0;
        for (int y = 0; y < image.height(); ++y) {
            sum += coverageAt(image, x, y);
            weighted += coverageAt(image, x, y) * (y + 0.5);
        }
        QVERIFY2(std::abs(sum - (high - low + 1.0)) < 0.03,
                 qPrintable(QString("column %1: %2 for %3").arg(x).arg(sum).arg(high - low + 1)));
        // (Pixel centres sample the band: its centre and theirs differ by under a tenth of a
        // pixel.)
        QVERIFY2(std::abs(weighted / sum - (low + high) / 2) < 0.1,
                 qPrintable(QString("column %1 centred at %2, line at %3")
                                .arg(x)
                                .arg(weighted / sum)
                                .arg((low + high) / 2)));
        // Nothing beyond half a pixel (plus the pixel it falls in) of the extent.
        for (int y = 0; y < image.height(); ++y) {
            if (y + 1 < low - 0.5 || y > high + 0.5) {
                QCOMPARE(coverageAt(image, x, y), 0.0);
            }
        }
    }
}

}  // namespace

class AntialiasedLineTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void flatTraceThroughPixelCentresFillsOneRow() {
        QImage image = black(40, 20);
        ui::strokeAntialiasedTrace(image, QPolygonF({{2.0, 10.5}, {31.0, 10.5}}), Qt::white);
        for (int x = 0; x < 40; ++x) {
            for (int y = 0; y < 20; ++y) {
                const double expected = (y == 10 && x >= 2 && x <= 30) ? 1.0 : 0.0;
                QVERIFY2(std::abs(coverageAt(image, x, y) - expected) < 0.01,
                         qPrintable(QString("pixel %1,%2").arg(x).arg(y)));
            }
        }
    }

    void slopedTracesCoverTheirExtentCentredOnTheLine() {
        const QList<QPolygonF> traces = {QPolygonF({{3.2, 7.9}, {57.6, 21.3}}),
                                         QPolygonF({{5.1, 55.7}, {19.8, 4.4}}),
                                         QPolygonF({{8.9, 40.6}, {60.3, 12.2}})};
        for (const QPolygonF& trace : traces) {
            QImage image = black(64, 64);
            ui::strokeAntialiasedTrace(image, trace, Qt::white);
            verifyColumns(image, trace);
        }
    }

    void aSpectrumLikeTraceJoinsWithoutGapsOrDoubleDots() {
        // A point per column, jumping up and down as a noise spectrum does: the joints are
        // inside columns and must count once.
        QPolygonF trace;
        for (int i = 0; i <= 40; ++i) {
            trace << QPointF(4.5 + i, 30.5 + 9.0 * std::sin(i * 1.7) + ((i % 2) ? 0.4 : -0.4));
        }
        QImage image = black(50, 64);
        ui::strokeAntialiasedTrace(image, trace, Qt::white);
        verifyColumns(image, trace);
    }

    void alphaScalesTheCoverageAndBlendsOverWhatIsThere() {
        QImage image(20, 10, QImage::Format_RGB32);
        image.fill(QColor(100, 100, 100));
        ui::strokeAntialiasedTrace(image, QPolygonF({{1.0, 4.5}, {19.0, 4.5}}),
                                   QColor(200, 0, 100, 128));
        const QRgb p = image.pixel(10, 4);
        // 100 + (200 - 100) · 128/255, 100 + (0 - 100) · 128/255, unchanged.
        QVERIFY(std::abs(qRed(p) - 150) <= 1);
        QVERIFY(std::abs(qGreen(p) - 50) <= 1);
        QCOMPARE(qBlue(p), 100);
        QCOMPARE(image.pixel(10, 3), qRgb(100, 100, 100));
        QCOMPARE(image.pixel(10, 5), qRgb(100, 100, 100));
    }

    void pointsOutsideTheImageOrNotANumberAreSafe() {
        QImage image = black(16, 16);
        ui::strokeAntialiasedTrace(
            image, QPolygonF({{-50.0, -50.0}, {8.5, 8.5}, {NAN, 2.0}, {9.5, 8.5}, {1e12, 3.0}}),
            Qt::white);
        QVERIFY(coverageAt(image, 8, 8) > 0.3);  // the part inside is drawn
        QImage other = black(16, 16);
        ui::strokeAntialiasedTrace(other, QPolygonF({{3.0, 3.0}}), Qt::white);  // one point
        ui::strokeAntialiasedTrace(other, QPolygonF({{5.0, 1.0}, {5.0, 9.0}}), Qt::white);
        QImage argb(16, 16, QImage::Format_ARGB32);  // not RGB32: left alone
        argb.fill(Qt::black);
        ui::strokeAntialiasedTrace(argb, QPolygonF({{0.0, 8.5}, {16.0, 8.5}}), Qt::white);
        QCOMPARE(argb.pixel(8, 8), qRgb(0, 0, 0));
    }
};

QTEST_GUILESS_MAIN(AntialiasedLineTest)
#include "AntialiasedLineTest.moc"
