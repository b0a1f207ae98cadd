// The window as a whole: it comes up on the null device with a banner when nothing else opens,
// its shortcuts edit the rack the engine runs, and the rack and devices persist across sessions.
#include <QAction>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

#include "core/analysis/AnalysisEngine.h"
#include "ui/DevicePanel.h"
#include "ui/MainWindow.h"
#include "ui/RackController.h"
#include "ui/RackView.h"
#include "ui/StreamController.h"

using namespace liverack;

class MainWindowTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);  // settings go to a test location
        QCoreApplication::setOrganizationName("LiveRackTest");
        QCoreApplication::setApplicationName("liverack-ui-test");
    }
    void init() { QSettings().clear(); }

    void refusedDeviceFallsBackToTestSignalOnNullDeviceWithBanner() {
        ui::MainWindow window;
        ui::LaunchOptions options;
        options.streamOptionsGiven = true;
        options.config.api = "no-such-api";
        options.config.source = "device";
        window.launch(options);
        QVERIFY(window.stream().isRunning());
        QCOMPARE(window.engine().streamInfo().api, std::string("null"));
        QVERIFY2(window.bannerText().contains("no-such-api"), qPrintable(window.bannerText()));
        QVERIFY2(window.bannerText().contains("null device"), qPrintable(window.bannerText()));
    }

    void namedDeviceThatFailsIsAnErrorNotAFallback() {
        ui::MainWindow window;
        ui::LaunchOptions options;
        options.streamOptionsGiven = true;
        options.explicitDevice = true;
        options.config.api = "null";
        options.config.source = "sine:440";
        options.config.outputDevice = "Nope 3000";
        window.launch(options);
        QVERIFY(!window.stream().isRunning());
        QVERIFY2(window.bannerText().contains("Nope 3000"), qPrintable(window.bannerText()));
    }

    void shortcutsAddAndBypassTheSelectedSlot() {
        ui::MainWindow window;
        ui::LaunchOptions options;
        options.streamOptionsGiven = true;
        options.config.api = "null";
        options.config.source = "sine:440";
        window.launch(options);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(window.rack().addEffect("gain"));
        window.rackView().selectSlot(0);
        QVERIFY(!window.rack().slotAt(0)->isBypassed());
        QTest::keyClick(&window, Qt::Key_B);
        QVERIFY(window.rack().slotAt(0)->isBypassed());
        QTest::keyClick(&window, Qt::Key_B);
        QVERIFY(!window.rack().slotAt(0)->isBypassed());
        // Space stops and starts the stream.
        QTest::keyClick(&window, Qt::Key_Space);
        QVERIFY(!window.stream().isRunning());
        QTest::keyClick(&window, Qt::Key_Space);
        QVERIFY(window.stream().isRunning());
    }

    void gainOptionAppendsATrimSlotWithThatGain() {
        ui::MainWindow window;
        ui::LaunchOptions options;
        options.streamOptionsGiven = true;
        options.config.api = "null";
        options.config.source = "sine:440";
        options.outputTrimDb = -6.0f;
        options.restoreSession = false;
        window.launch(options);
        QCOMPARE(window.rack().size(), 1);
        const core::Effect& gain = window.rack().slotAt(0)->effect();
        QCOMPARE(gain.info().typeId, std::string("gain"));
        QCOMPARE(gain.parameters().get(static_cast<size_t>(gain.info().indexOf("gain_db"))), -6.0f);
    }

    void rackAndDevicesAreRestoredInTheNextSession() {
        {
            ui::MainWindow window;
            ui::LaunchOptions options;
            options.streamOptionsGiven = true;
            options.config.api = "null";
            options.config.source = "pink";
            options.config.blockFrames = 512;
            window.launch(options);
            QVERIFY(window.rack().addEffect("gain"));
            QVERIFY(window.rack().addEffect("delay"));
            window.rack().setBypassed(1, true);
            window.close();
        }
        ui::MainWindow window;
        window.launch({});
        QCOMPARE(window.rack().size(), 2);
        QCOMPARE(window.rack().slotAt(0)->effect().info().typeId, std::string("gain"));
        QCOMPARE(window.rack().slotAt(1)->effect().info().typeId, std::string("delay"));
        QVERIFY(window.rack().slotAt(1)->isBypassed());
        QCOMPARE(window.devicePanel().config().source, std::string("pink"));
        QCOMPARE(window.devicePanel().config().blockFrames, 512u);
    }
};

QTEST_MAIN(MainWindowTest)
#include "MainWindowTest.moc"
