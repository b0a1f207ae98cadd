// The device panel shows what the engine says: a refused device comes back as a sentence under
// the controls and nothing runs; a good configuration starts, and the latency a block implies is
// shown before Start; the virtual microphone's box follows what PipeWire allows.
#include <QCheckBox>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

#include "core/engine/AudioEngine.h"
#include "tests/support/PipeWireSession.h"
#include "ui/DevicePanel.h"
#include "ui/StreamController.h"

using namespace liverack;

class DevicePanelTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void unknownOutputDeviceShowsTheEnginesSentenceAndDoesNotStart() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::DevicePanel panel(stream);
        core::StreamConfig config;
        config.api = "null";
        config.source = "sine:440";
        config.outputDevice = "No Such Device 9000";
        panel.setConfig(config);
        QTest::mouseClick(&panel.startButton(), Qt::LeftButton);
        QVERIFY(!stream.isRunning());
        const QString message = panel.message();
        QVERIFY2(message.contains("No Such Device 9000"), qPrintable(message));
        QVERIFY2(message.at(0).isUpper() && message.endsWith('.'), qPrintable(message));
        QCOMPARE(panel.startButton().text(), QString("Start"));
    }

    void deviceInputOnTheNullDeviceIsRefusedWithASentence() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::DevicePanel panel(stream);
        core::StreamConfig config;
        config.api = "null";
        config.source = "device";
        panel.setConfig(config);
        panel.toggleStream();
        QVERIFY(!stream.isRunning());
        QVERIFY2(panel.message().contains("no input", Qt::CaseInsensitive),
                 qPrintable(panel.message()));
    }

    void goodConfigurationStartsAndStops() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::DevicePanel panel(stream);
        core::StreamConfig config;
        config.api = "null";
        config.source = "pink";
        panel.setConfig(config);
        QTest::mouseClick(&panel.startButton(), Qt::LeftButton);
        QVERIFY(stream.isRunning());
        QVERIFY(stream.analysis() != nullptr);
        QVERIFY(panel.message().isEmpty());
        QCOMPARE(panel.startButton().text(), QString("Stop"));
        QTest::mouseClick(&panel.startButton(), Qt::LeftButton);
        QVERIFY(!stream.isRunning());
        QVERIFY(stream.analysis() == nullptr);
    }

    void latencyOfTheChosenBlockIsShownBeforeStart() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::DevicePanel panel(stream);
        core::StreamConfig config;
        config.api = "null";
        config.source = "sine:440";
        config.sampleRate = 48000;
        config.blockFrames = 256;
        panel.setConfig(config);
        // 256 / 48000 s = 5.33 ms per block; input to output two blocks, 10.67 ms.
        QVERIFY2(panel.latencyText().contains("5.3 ms"), qPrintable(panel.latencyText()));
        QVERIFY2(panel.latencyText().contains("10.7 ms"), qPrintable(panel.latencyText()));
        config.blockFrames = 1024;
        config.sampleRate = 96000;
        panel.setConfig(config);
        QVERIFY2(panel.latencyText().contains("10.7 ms"), qPrintable(panel.latencyText()));
    }

    void configRoundTripsThroughTheControls() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::DevicePanel panel(stream);
        core::StreamConfig config;
        config.api = "null";
        config.source = "sweep";
        config.channels = 1;
        config.sampleRate = 96000;
        config.blockFrames = 512;
        panel.setConfig(config);
        const core::StreamConfig shown = panel.config();
        QCOMPARE(shown.api, std::string("null"));
        QCOMPARE(shown.source, std::string("sweep"));
        QCOMPARE(shown.channels, 1u);
        QCOMPARE(shown.sampleRate, 96000u);
        QCOMPARE(shown.blockFrames, 512u);
    }

    // No PipeWire: ticking the box leaves it clear, says why in one sentence, and the stream runs
    // on.
    void virtualMicrophoneWithoutPipeWireClearsTheBoxAndSaysWhy() {
        QTemporaryDir empty;
        const QByteArray savedRuntime = qgetenv("XDG_RUNTIME_DIR");
        qputenv("XDG_RUNTIME_DIR", empty.path().toUtf8());
        qunsetenv("PIPEWIRE_RUNTIME_DIR");
        qunsetenv("PIPEWIRE_REMOTE");
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::DevicePanel panel(stream);
        core::StreamConfig config;
        config.api = "null";
        config.source = "sine:440";
        panel.setConfig(config);
        panel.toggleStream();
        QVERIFY(stream.isRunning());
        panel.virtualMicrophoneBox().click();
        QVERIFY(!panel.virtualMicrophone());
        QVERIFY(!stream.virtualMicrophoneRunning());
        QVERIFY(stream.isRunning());
        const QString message = panel.message();
        QVERIFY2(message.startsWith("The virtual microphone needs a running PipeWire: no PipeWire "
                                    "server at " +
                                    empty.path() + "/pipewire-0"),
                 qPrintable(message));
        qputenv("XDG_RUNTIME_DIR", savedRuntime);
    }

    // With PipeWire: the box switches the microphone on and off while streaming, and a wanted
    // microphone follows the stream through a stop and a start.
    void virtualMicrophoneBoxSwitchesItWhileStreamingAndItFollowsTheStream() {
        test::PipeWireSession session;
        QVERIFY2(session.isRunning(), session.error().c_str());
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::DevicePanel panel(stream);
        core::StreamConfig config;
        config.api = "null";
        config.source = "sine:440";
        panel.setConfig(config);
        panel.toggleStream();
        QVERIFY(stream.isRunning());
        // WirePlumber, just started, may take a moment before it gives new nodes their ports.
        for (int attempt = 0; attempt < 5 && !stream.virtualMicrophoneRunning(); ++attempt) {
            panel.virtualMicrophoneBox().setChecked(true);
        }
        QVERIFY2(stream.virtualMicrophoneRunning(), qPrintable(panel.message()));
        QVERIFY(panel.virtualMicrophone());
        panel.virtualMicrophoneBox().click();
        QVERIFY(!stream.virtualMicrophoneRunning());
        panel.virtualMicrophoneBox().click();
        QVERIFY(stream.virtualMicrophoneRunning());
        panel.toggleStream();
        QVERIFY(!stream.isRunning());
        QVERIFY(!stream.virtualMicrophoneRunning());
        QVERIFY(panel.virtualMicrophone());  // still wanted
        panel.toggleStream();
        QVERIFY(stream.virtualMicrophoneRunning());
        panel.toggleStream();
    }
};

QTEST_MAIN(DevicePanelTest)
#include "DevicePanelTest.moc"
