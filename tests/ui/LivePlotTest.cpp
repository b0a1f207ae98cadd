// LivePlot: a data frame repaints the data over the cached static image without drawing the
// axes again, what the data painter draws is what the widget shows, and a change to anything
// static (a range) does draw it again.
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
};

QTEST_MAIN(LivePlotTest)
#include "LivePlotTest.moc"
