// LivePlot: a data frame repaints the data over the cached static image without drawing the
// axes again, what the data painter draws is what the widget shows, and a change to anything
// static (a range) does draw it again. A frame painter's pixels reach the window's backing store
// both ways: written there directly, and through a copy where part of the plot is covered.
#include <QApplication>
#include <QBackingStore>
#include <QTest>

#include "ui/LivePlot.h"
#include "ui/PlotStyle.h"

using namespace liverack;

class LivePlotTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void aDataFrameLeavesTheStaticPartAlone() {
        ui::LivePlot plot;
        ui::stylePlot(plot);
        plot.resize(400, 300);
        int frames = 0;
        QColor colour = Qt::red;
        plot.setDataPainter([&](QPainter& p) {
            ++frames;
            p.fillRect(QRect(plot.axisRect()->rect().center(), QSize(10, 10)), colour);
        });
        int replots = 0;
        connect(&plot, &QCustomPlot::afterReplot, this, [&] { ++replots; });
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.replot();
        QTRY_VERIFY(frames > 0);
        const int staticBefore = plot.staticRedraws();
        const int replotsBefore = replots;
        QVERIFY(staticBefore >= 1);
        for (int i = 0; i < 5; ++i) {
            const int before = frames;
            colour = i % 2 == 0 ? Qt::green : Qt::blue;
            plot.repaintData();
            QTRY_VERIFY(frames > before);
            const QImage shown = plot.grab().toImage();
            QCOMPARE(shown.pixelColor(plot.axisRect()->rect().center() + QPoint(5, 5)), colour);
        }
        // Five data frames; the static part is drawn again only after a full replot (one may
        // still be queued from showing the widget), never for a frame.
        // (A replot counted before the loop may be painted in it: one more at most.)
        QVERIFY(plot.staticRedraws() - staticBefore <= replots - replotsBefore + 1);
        QVERIFY(replots - replotsBefore <= 1);
        const int staticAfterFrames = plot.staticRedraws();
        // Outside the data the axis rect shows its own background, from the static image.
        const QPoint corner = plot.axisRect()->rect().topLeft() + QPoint(3, 3);
        QCOMPARE(plot.grab().toImage().pixelColor(corner),
                 plot.axisRect()->backgroundBrush().color());

        plot.xAxis->setRange(0, 1234);
        plot.replot();
        QTRY_VERIFY(plot.staticRedraws() > staticAfterFrames);
    }

    void theLiveLayerIsDrawnOnlyWhileSomethingOnItShows() {
        ui::LivePlot plot;
        ui::stylePlot(plot);
        plot.setLiveLayer(ui::makeLiveLayer(plot));
        plot.resize(400, 300);
        auto* marker = new QCPItemRect(&plot);  // on the live layer
        marker->topLeft->setType(QCPItemPosition::ptAbsolute);
        marker->bottomRight->setType(QCPItemPosition::ptAbsolute);
        const QPoint centre = plot.rect().center();
        marker->topLeft->setCoords(centre - QPoint(20, 20));
        marker->bottomRight->setCoords(centre + QPoint(20, 20));
        marker->setBrush(QColor(Qt::magenta));
        marker->setPen(Qt::NoPen);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.replot();
        QTRY_COMPARE(plot.grab().toImage().pixelColor(centre), QColor(Qt::magenta));
        marker->setVisible(false);
        plot.layer(QStringLiteral("live"))->replot();
        QTRY_COMPARE(plot.grab().toImage().pixelColor(centre),
                     plot.axisRect()->backgroundBrush().color());
    }
    void aFramePainterReachesTheWindowDirectlyAndThroughACopyWhenCovered() {
        QWidget window;
        window.resize(420, 320);
        auto* plot = new ui::LivePlot(&window);
        ui::stylePlot(*plot);
        plot->setGeometry(10, 10, 400, 300);
        // A pattern that depends on the pixel's place in the frame: a shifted or clipped frame
        // shows.
        const auto pattern = [](int x, int y) { return qRgb(x % 256, y % 256, (x + y) % 7 * 30); };
        plot->setFramePainter([&](QImage& frame, QPoint) {
            for (int y = 0; y < frame.height(); ++y) {
                auto* row = reinterpret_cast<QRgb*>(frame.scanLine(y));
                for (int x = 0; x < frame.width(); ++x) {
                    row[x] = pattern(x, y);
                }
            }
        });
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        plot->replot();
        const auto shownMatches = [&] {
            auto* store = static_cast<QImage*>(window.backingStore()->paintDevice());
            const QRect area = plot->axisRect()->rect().translated(plot->pos());
            for (int y = 0; y < area.height(); y += 7) {
                for (int x = 0; x < area.width(); x += 5) {
                    if (store->pixel(area.left() + x, area.top() + y) != pattern(x, y)) {
                        return false;
                    }
                }
            }
            return true;
        };
        QTRY_VERIFY(plot->dataFrames() > 0);
        int direct = plot->directFrames();
        int frames = plot->dataFrames();
        plot->repaintData();
        QTRY_VERIFY(plot->dataFrames() > frames);
        QVERIFY(plot->directFrames() > direct);
        QVERIFY(shownMatches());

        // Opaque widgets over two corners of the data: a sibling above the plot, and a child
        // of the plot. What is covered shows the cover (whichever way the frame was written,
        // Qt paints what lies above it afterwards, or keeps it out of the plot's clip), and
        // the rest still shows the pattern. The child keeps its rectangle out of the plot's
        // clip, so that frame goes through the copy.
        const QRect area = plot->axisRect()->rect().translated(plot->pos());
        auto* sibling = new QWidget(&window);
        sibling->setAutoFillBackground(true);
        sibling->setPalette(QPalette(QColor(Qt::yellow)));
        sibling->setGeometry(QRect(area.topLeft(), QSize(30, 30)));
        sibling->show();
        auto* child = new QWidget(plot);
        child->setAutoFillBackground(true);
        child->setPalette(QPalette(QColor(Qt::magenta)));
        child->setGeometry(
            QRect(plot->axisRect()->rect().bottomRight() - QPoint(29, 29), QSize(30, 30)));
        child->show();
        frames = plot->dataFrames();
        direct = plot->directFrames();
        plot->repaintData();
        QTRY_VERIFY(plot->dataFrames() > frames);
        QCOMPARE(plot->directFrames(), direct);
        QApplication::processEvents();
        auto* store = static_cast<QImage*>(window.backingStore()->paintDevice());
        QCOMPARE(store->pixel(area.left() + 40, area.top() + 40), pattern(40, 40));
        QCOMPARE(store->pixel(area.right() - 40, area.bottom() - 40),
                 pattern(area.width() - 41, area.height() - 41));
        QCOMPARE(store->pixelColor(area.left() + 5, area.top() + 5), QColor(Qt::yellow));
        QCOMPARE(store->pixelColor(area.right() - 5, area.bottom() - 5), QColor(Qt::magenta));
    }
};

QTEST_MAIN(LivePlotTest)
#include "LivePlotTest.moc"
