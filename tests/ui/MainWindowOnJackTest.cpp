// The window on a real JACK dummy server: when an output device with an autoload rule appears
// (a JACK client with playback ports, as RtAudio lists them), the stream moves to it and the
// rule's preset is loaded; a device without a rule of its own does not take the stream, and a
// stream the person stopped is not started by one. And the device panel shows JACK's own latency
// figures before Start, the same as while running.
#include <QDir>
#include <QPushButton>
#include <QStandardPaths>
#include <QTest>

#include <memory>

#include "core/engine/AudioEngine.h"
#include "core/preset/AutoloadRules.h"
#include "tests/support/JackServer.h"
#include "tests/support/JackTestClient.h"
#include "ui/DevicePanel.h"
#include "ui/MainWindow.h"
#include "ui/PresetBrowser.h"
#include "ui/RackController.h"
#include "ui/StreamController.h"

using namespace liverack;

class MainWindowOnJackTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("LiveRackTest");
        QCoreApplication::setApplicationName("liverack-ui-jack-test");
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).removeRecursively();
    }

    void outputDeviceWithARuleAppearingTakesTheStreamAndLoadsItsPreset() {
        const auto server = test::JackServer::startWithRetries();
        QVERIFY2(server->isRunning(), server->error().c_str());

        ui::MainWindow window;
        ui::LaunchOptions options;
        options.streamOptionsGiven = true;
        options.explicitDevice = true;
        options.config.api = "jack";
        options.config.source = "sine:440";
        options.config.inputDevice = core::StreamConfig::kNone;
        options.config.outputDevice = "system";
        options.config.autoConnect = false;
        options.config.sampleRate = 0;
        options.restoreSession = false;
        window.launch(options);
        QVERIFY2(window.stream().isRunning(), qPrintable(window.bannerText()));
        QVERIFY(window.rack().addEffect("tremolo"));

        core::AutoloadRules rules;
        rules.rules.push_back(
            {"LiveRack Headphones", core::AutoloadRule::Match::Exact, "Guitar crunch"});
        rules.fallback = "Room echo";  // "system" has no rule: the fallback is loaded for it
        window.setAutoloadRules(rules);
        QCOMPARE(window.presetBrowser().currentName(), QString("Room echo"));

        // A device without a rule appears: the stream stays where it is.
        test::JackTestClient other("Some Interface", 2);
        QVERIFY2(other.isOpen(), other.error().c_str());
        QVERIFY(other.activate());
        window.devicePanel().refreshDevices();  // what the hot-plug notification triggers
        QCOMPARE(window.engine().streamInfo().outputDevice, std::string("system"));
        QCOMPARE(window.presetBrowser().currentName(), QString("Room echo"));

        test::JackTestClient headphones("LiveRack Headphones", 2);
        QVERIFY2(headphones.isOpen(), headphones.error().c_str());
        QVERIFY(headphones.activate());
        window.devicePanel().refreshDevices();
        QVERIFY2(window.stream().isRunning(), qPrintable(window.bannerText()));
        QCOMPARE(window.engine().streamInfo().outputDevice, std::string("LiveRack Headphones"));
        QCOMPARE(window.presetBrowser().currentName(), QString("Guitar crunch"));
        QVERIFY2(window.bannerText().contains("LiveRack Headphones"),
                 qPrintable(window.bannerText()));
        // Its preset is the chain the engine runs: the rack shows the factory preset's effects.
        QCOMPARE(window.rack().slotAt(1)->effect().info().typeId, std::string("distortion"));

        // Stopped by the person: a device with a rule appearing is selected, not started.
        window.stream().stop();
        rules.rules.push_back({"USB Speakers", core::AutoloadRule::Match::Exact, "Room echo"});
        window.setAutoloadRules(rules);
        test::JackTestClient speakers("USB Speakers", 2);
        QVERIFY2(speakers.isOpen(), speakers.error().c_str());
        QVERIFY(speakers.activate());
        window.devicePanel().refreshDevices();
        QVERIFY(!window.stream().isRunning());
        QCOMPARE(window.devicePanel().config().outputDevice, std::string("USB Speakers"));
        QVERIFY2(window.bannerText().contains("press Start"), qPrintable(window.bannerText()));
        QCOMPARE(window.presetBrowser().currentName(), QString("Guitar crunch"));
    }

    void latencyShownOnJackIsTheSameBeforeAndAfterStart() {
        const auto server = test::JackServer::startWithRetries();
        QVERIFY2(server->isRunning(), server->error().c_str());
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::DevicePanel panel(stream);
        core::StreamConfig config;
        config.api = "jack";
        config.source = "sine:440";
        config.inputDevice = core::StreamConfig::kNone;
        config.sampleRate = 48000;
        config.blockFrames = 256;
        panel.setConfig(config);
        const auto latencyOf = [](const QString& text) {
            const int at = text.indexOf("latency ");
            return at < 0 ? QString() : text.mid(at);
        };
        const QString before = latencyOf(panel.latencyText());
        // The dummy server's system:playback ports report 512 frames of playback latency (two
        // periods); with no input that is the whole round trip: 10.7 ms at 48 kHz.
        QCOMPARE(before, QString("latency 10.7 ms"));
        QTest::mouseClick(&panel.startButton(), Qt::LeftButton);
        QVERIFY2(stream.isRunning(), qPrintable(panel.message()));
        QCOMPARE(latencyOf(panel.latencyText()), before);
        QVERIFY2(panel.latencyText().startsWith("Running"), qPrintable(panel.latencyText()));
        stream.stop();
    }
};

QTEST_MAIN(MainWindowOnJackTest)
#include "MainWindowOnJackTest.moc"
