// A window nobody can see does no work: minimised while streaming pink noise, its GUI thread
// uses under 0.5 % of a core over 10 s (as the kernel counts it, /proc/self/task/<tid>/stat),
// its views stay as they were, the stream goes on, and restored they move again at once.
#include <QEventLoop>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "core/analysis/AnalysisEngine.h"
#include "ui/LivePlot.h"
#include "ui/MainWindow.h"
#include "ui/SpectrogramView.h"
#include "ui/SpectrumView.h"
#include "ui/StreamController.h"

using namespace liverack;

namespace {

// User plus system time of the calling thread (or the whole process), in clock ticks.
long threadTicks(bool wholeProcess = false) {
    std::ifstream stat(wholeProcess ? std::string("/proc/self/stat")
                                    : "/proc/self/task/" + std::to_string(gettid()) + "/stat");
    std::string line;
    std::getline(stat, line);
    // Fields after the command name (which may hold spaces) start at state, the third.
    std::istringstream rest(line.substr(line.rfind(')') + 2));
    std::string field;
    long utime = 0;
    long stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
        if (i == 14) {
            utime = std::stol(field);
        } else if (i == 15) {
            stime = std::stol(field);
        }
    }
    return utime + stime;
}

// The live trace as drawn, to tell whether the view moved.
QVector<double> liveTrace(ui::SpectrumView& view) {
    QVector<double> values;
    for (const QCPGraphData& d : *view.liveGraph().data()) {
        values.append(d.value);
    }
    return values;
}

}  // namespace

class MainWindowHiddenTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("LiveRackTest");
        QCoreApplication::setApplicationName("liverack-ui-hidden-test");
    }

    void aMinimisedWindowLeavesItsGuiThreadIdle() {
        ui::MainWindow window;
        ui::LaunchOptions options;
        options.streamOptionsGiven = true;
        options.restoreSession = false;
        options.config.api = "null";
        options.config.source = "pink";
        window.launch(options);
        QVERIFY(window.stream().isRunning());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // Shown, the spectrum moves with the noise.
        QTRY_VERIFY(!liveTrace(window.spectrumView()).isEmpty());
        const QVector<double> first = liveTrace(window.spectrumView());
        QTRY_VERIFY(liveTrace(window.spectrumView()) != first);
        // ...and the spectrogram scrolls: its newest column is noise, not the empty floor.
        auto* spectrogram = window.findChild<ui::SpectrogramView*>();
        QVERIFY(spectrogram != nullptr);
        const QRgb floor =
            spectrogram->image().colourAt(ui::SpectrogramView::kHistoryColumns - 1, 100);
        QTRY_VERIFY(spectrogram->image().colourAt(0, 100) != floor);
        const int painted = spectrogram->livePlot().dataFrames();
        QTRY_VERIFY(spectrogram->livePlot().dataFrames() > painted + 3);

        window.showMinimized();
        QTRY_VERIFY(window.isMinimized());
        QTest::qWait(200);  // one hidden tick: the timer is at its slow rate from here on
        const QVector<double> shownLast = liveTrace(window.spectrumView());
        const uint64_t analysedBefore = window.stream().analysis()->framesAnalysed(core::Tap::Post);
        const long ticksBefore = threadTicks();
        const long processTicksBefore = threadTicks(true);
        QElapsedTimer clock;
        clock.start();
        // A measuring window, not a wait for something: the application's own event loop runs
        // all along (QTest::qWait would add wake-ups of its own to the count).
        QEventLoop loop;
        QTimer::singleShot(10000, &loop, &QEventLoop::quit);
        loop.exec();
        const double seconds = clock.elapsed() / 1000.0;
        const double tick = double(sysconf(_SC_CLK_TCK));
        const double share = double(threadTicks() - ticksBefore) / tick / seconds;
        const double whole = double(threadTicks(true) - processTicksBefore) / tick / seconds;
        // measure_window.sh prints this line.
        qInfo("minimised, over %.1f s: GUI thread %.2f %% of one core, whole process %.2f %%",
              seconds, 100.0 * share, 100.0 * whole);
        QVERIFY2(share < 0.005, qPrintable(QString::number(100.0 * share) + " %"));
        QCOMPARE(liveTrace(window.spectrumView()), shownLast);  // nothing was redrawn
        // The stream and its measurement went on (about 10 s of it at 48 kHz).
        QVERIFY(window.stream().isRunning());
        QVERIFY(window.stream().analysis()->framesAnalysed(core::Tap::Post) >
                analysedBefore + 48000 * 5);

        window.showNormal();
        QTRY_VERIFY(!window.isMinimized());
        QTRY_VERIFY(liveTrace(window.spectrumView()) != shownLast);
    }
};

QTEST_MAIN(MainWindowHiddenTest)
#include "MainWindowHiddenTest.moc"
