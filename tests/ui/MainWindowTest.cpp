// The window as a whole: it comes up on the null device with a banner when nothing else opens,
// its shortcuts edit the rack the engine runs, and the session (devices, rack, layout, autoload
// rules) survives a restart, a damaged file and a bad preset.
#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFile>
#include <QStandardPaths>
#include <QTest>
#include <QUndoStack>

#include <cmath>
#include <random>

#include "core/dsp/EffectFactory.h"
#include "core/preset/PresetLibrary.h"
#include "core/preset/PresetLoader.h"
#include "core/preset/SessionStore.h"
#include "tests/support/FileSizeLimit.h"
#include "tests/support/RandomParameters.h"
#include "ui/AppPaths.h"
#include "ui/ParameterPanel.h"
#include "ui/PresetBrowser.h"
#include "ui/SpectrumView.h"
#include "ui/TunerView.h"

#include "core/analysis/AnalysisEngine.h"
#include "ui/DevicePanel.h"
#include "ui/MainWindow.h"
#include "ui/RackController.h"
#include "ui/RackView.h"
#include "ui/StreamController.h"

using namespace liverack;

namespace {

ui::LaunchOptions onNullDevice(const char* source = "sine:440") {
    ui::LaunchOptions options;
    options.streamOptionsGiven = true;
    options.config.api = "null";
    options.config.source = source;
    return options;
}

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
}

// Every slot's type, bypass and parameter values, for exact comparison.
std::vector<std::tuple<std::string, bool, std::vector<float>>> describe(ui::RackController& rack) {
    std::vector<std::tuple<std::string, bool, std::vector<float>>> out;
    for (int i = 0; i < rack.size(); ++i) {
        const core::EffectSlot& slot = *rack.slotAt(i);
        std::vector<float> values;
        for (size_t p = 0; p < slot.effect().parameters().size(); ++p) {
            values.push_back(slot.effect().parameters().get(p));
        }
        out.emplace_back(slot.effect().info().typeId, slot.isBypassed(), values);
    }
    return out;
}

}  // namespace

class MainWindowTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);  // settings go to a test location
        QCoreApplication::setOrganizationName("LiveRackTest");
        QCoreApplication::setApplicationName("liverack-ui-test");
    }
    // Each test starts with no session and no user presets.
    void init() {
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).removeRecursively();
    }

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
        ui::LaunchOptions options = onNullDevice();
        options.explicitDevice = true;
        options.config.outputDevice = "Nope 3000";
        window.launch(options);
        QVERIFY(!window.stream().isRunning());
        QVERIFY2(window.bannerText().contains("Nope 3000"), qPrintable(window.bannerText()));
    }

    void shortcutsAddAndBypassTheSelectedSlot() {
        ui::MainWindow window;
        window.launch(onNullDevice());
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

    void ctrlZUndoesAParameterEditAndCtrlShiftZRedoesIt() {
        ui::MainWindow window;
        window.launch(onNullDevice());
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(window.rack().addEffect("gain"));
        window.rackView().selectSlot(0);
        core::ParameterSet& p = window.rack().slotAt(0)->effect().parameters();
        const float before = p.get(0);
        QDoubleSpinBox* box = window.parameterPanel().spinBoxFor(0);
        QVERIFY(box != nullptr);
        box->setValue(before - 7.5);
        QCOMPARE(p.get(0), before - 7.5f);
        QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(p.get(0), before);
        QCOMPARE(box->value(), double(before));  // the control follows
        QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(p.get(0), before - 7.5f);
        QCOMPARE(window.parameterUndo().count(), 1);
    }

    void gainOptionAppendsATrimSlotWithThatGain() {
        ui::MainWindow window;
        ui::LaunchOptions options = onNullDevice();
        options.outputTrimDb = -6.0f;
        options.restoreSession = false;
        window.launch(options);
        QCOMPARE(window.rack().size(), 1);
        const core::Effect& gain = window.rack().slotAt(0)->effect();
        QCOMPARE(gain.info().typeId, std::string("gain"));
        QCOMPARE(gain.parameters().get(static_cast<size_t>(gain.info().indexOf("gain_db"))), -6.0f);
    }

    void sessionRestoreBringsBackDevicesEveryParameterAndTheLayout() {
        std::vector<std::tuple<std::string, bool, std::vector<float>>> saved;
        QByteArray savedState;
        {
            ui::MainWindow window;
            ui::LaunchOptions options = onNullDevice("pink");
            options.config.blockFrames = 512;
            options.config.sampleRate = 44100;
            window.launch(options);
            std::mt19937 random(7);
            for (const char* type : {"eq", "compressor", "delay", "gain"}) {
                QVERIFY(window.rack().addEffect(type));
                test::randomiseParameters(
                    window.rack().slotAt(window.rack().size() - 1)->effect().parameters(), random);
            }
            window.rack().setBypassed(2, true);
            window.findChild<QDockWidget*>("spectrogramDock")->hide();
            window.spectrumView().restoreSettings({{"spectrum/fft", 16384}});
            window.tunerView().setReferenceA4(442.0f);
            saved = describe(window.rack());
            savedState = window.saveState();
            window.close();
        }
        ui::MainWindow window;
        window.launch({});
        QCOMPARE(describe(window.rack()), saved);
        QCOMPARE(window.devicePanel().config().source, std::string("pink"));
        QCOMPARE(window.devicePanel().config().blockFrames, 512u);
        QCOMPARE(window.devicePanel().config().sampleRate, 44100u);
        QCOMPARE(window.devicePanel().config().api, std::string("null"));
        QVERIFY(window.findChild<QDockWidget*>("spectrogramDock")->isHidden());
        QVERIFY(!window.findChild<QDockWidget*>("metersDock")->isHidden());
        QCOMPARE(window.saveState(), savedState);
        QCOMPARE(window.spectrumView().fftSize(), 16384u);
        QCOMPARE(window.tunerView().referenceA4(), 442.0f);
        QVERIFY2(window.bannerText().isEmpty() || !window.bannerText().contains("session"),
                 qPrintable(window.bannerText()));
    }

    void sessionIsSavedWhileRunningNotOnlyOnExit() {
        ui::MainWindow window;
        window.launch(onNullDevice());
        QVERIFY(window.rack().addEffect("reverb"));
        // The autosave (every few seconds) writes it without the window closing.
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(ui::AppPaths::sessionFile()),
                                 3 * ui::MainWindow::kSessionSaveIntervalMs);
        const core::LoadedSession loaded = window.sessionStore().load();
        QCOMPARE(loaded.origin, core::SessionOrigin::Saved);
        QCOMPARE(loaded.session.chain.chain.size(), size_t{1});
        QCOMPARE(loaded.session.chain.chain[0].type, std::string("reverb"));
    }

    void damagedSessionFallsBackToTheBackupAndSaysSo() {
        {
            ui::MainWindow window;
            window.launch(onNullDevice());
            QVERIFY(window.rack().addEffect("delay"));
            window.close();  // session: [delay]
        }
        {
            ui::MainWindow window;
            window.launch({});
            QVERIFY(window.rack().addEffect("chorus"));
            window.close();  // session: [delay, chorus]; backup: [delay]
        }
        const QString path = ui::AppPaths::sessionFile();
        writeFile(path, "{\"format\": \"liverack-session\", \"version\": 1, \"devi");  // torn
        ui::MainWindow window;
        window.launch({});
        QCOMPARE(window.rack().size(), 1);
        QCOMPARE(window.rack().slotAt(0)->effect().info().typeId, std::string("delay"));
        QVERIFY2(
            window.bannerText().contains("damaged") && window.bannerText().contains("previous"),
            qPrintable(window.bannerText()));
        // The damaged file is set aside, not made the backup by the next save.
        QVERIFY(QFile::exists(path + ".damaged"));
        QVERIFY(window.saveSession());
        QCOMPARE(window.sessionStore().load().origin, core::SessionOrigin::Saved);
    }

    void sessionAndBackupBothDamagedStartsWithDefaultsAndSaysSo() {
        const QString path = ui::AppPaths::sessionFile();
        QVERIFY(QDir().mkpath(QFileInfo(path).path()));
        writeFile(path, "not json at all");
        writeFile(path + ".bak", "\\x00\\x01");
        ui::MainWindow window;
        window.launch(onNullDevice());
        QVERIFY(window.stream().isRunning());
        QCOMPARE(window.rack().size(), 0);
        QVERIFY2(window.bannerText().contains("session"), qPrintable(window.bannerText()));
    }

    void restoredSessionFadesInFromSilenceOverSeconds() {
        {
            ui::MainWindow window;
            window.launch(onNullDevice("sine:1000"));
            window.close();
        }
        ui::MainWindow window;  // never shown: its meters do not take the level snapshots
        window.launch({});
        QVERIFY(window.stream().isRunning());
        core::AnalysisEngine* analysis = window.stream().analysis();
        QVERIFY(analysis != nullptr);
        // Levels are peaks over the last 300 ms. With a linear fade over F seconds, the output
        // peak at stream time t is the input's times t / F (until t = F).
        constexpr double kFade = ui::MainWindow::kLaunchFadeInSeconds;
        int checked = 0;
        float inputPeakDb = -1000.0f;
        bool done = false;  // past the fade, or a snapshot off the fade
        const auto step = [&] {
            if (done) {
                return true;
            }
            done = [&] {
                if (analysis->levels(core::Tap::Pre).update()) {
                    inputPeakDb = analysis->levels(core::Tap::Pre).readSlot().channels[0].peakDb;
                }
                if (!analysis->levels(core::Tap::Post).update() || inputPeakDb < -20.0f) {
                    return false;
                }
                const core::LevelSnapshot& post = analysis->levels(core::Tap::Post).readSlot();
                const double t = post.streamTimeSeconds;
                if (t < 0.35 || t > kFade - 0.1) {
                    return t > kFade;
                }
                const double theory = inputPeakDb + 20.0 * std::log10(t / kFade);
                // Snapshots lag the stream by up to a block or two: 0.5 dB covers it at t > 0.35 s.
                if (std::abs(post.channels[0].peakDb - theory) > 0.6) {
                    qWarning("t %.3f s: output peak %.2f dBFS, fade says %.2f", t,
                             post.channels[0].peakDb, theory);
                    return true;  // fails below on `checked`
                }
                ++checked;
                return false;
            }();
            return done;
        };
        QTRY_VERIFY_WITH_TIMEOUT(step(), 10000);
        QVERIFY2(checked >= 5,
                 qPrintable(QString("only %1 snapshots matched the fade").arg(checked)));
    }

    void badPresetShowsCoresSentenceAndLeavesTheChainUntouched() {
        ui::MainWindow window;
        window.launch(onNullDevice());
        QVERIFY(window.rack().addEffect("gain"));
        QVERIFY(window.rack().addEffect("eq"));
        const ui::RackController::Slots before = window.rack().slots();
        const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        QVERIFY(QDir().mkpath(folder));
        const QString bad = folder + "/broken-chain.json";
        writeFile(bad, R"({"format": "liverack-preset", "version": 1, "name": "x",
                          "chain": [{"type": "gain"}, {"type": "flanger"}]})");
        QVERIFY(!window.loadPreset(bad));
        QVERIFY(window.rack().slots() == before);
        const QString banner = window.bannerText();
        QVERIFY2(banner.contains("broken-chain.json") && banner.contains("flanger"),
                 qPrintable(banner));
    }

    void autoloadRuleLoadsItsPresetOnStartAndUndoBringsTheChainBack() {
        {
            ui::MainWindow window;
            window.launch(onNullDevice());
            QVERIFY(window.rack().addEffect("tremolo"));
            core::AutoloadRules rules;
            rules.rules.push_back(
                {"Other device", core::AutoloadRule::Match::Exact, "Podcast voice"});
            rules.rules.push_back({"null", core::AutoloadRule::Match::Substring, "Room echo"});
            window.setAutoloadRules(rules);  // applies to the device playing now, too
            QCOMPARE(window.presetBrowser().currentName(), QString("Room echo"));
            QVERIFY(window.presetBrowser().undoLoad());
            QCOMPARE(window.rack().size(), 1);
            QCOMPARE(window.rack().slotAt(0)->effect().info().typeId, std::string("tremolo"));
            window.close();
        }
        ui::MainWindow window;
        window.launch({});
        QCOMPARE(window.autoloadRules().rules.size(), size_t{2});
        QCOMPARE(window.presetBrowser().currentName(), QString("Room echo"));
        const auto roomEcho =
            core::PresetLoader::load(std::string(LIVERACK_FACTORY_PRESET_DIR) + "/room-echo.json");
        QVERIFY(roomEcho.ok());
        QCOMPARE(window.rack().size(), static_cast<int>(roomEcho->preset.chain.size()));
        for (int i = 0; i < window.rack().size(); ++i) {
            QCOMPARE(window.rack().slotAt(i)->effect().info().typeId,
                     roomEcho->preset.chain[static_cast<size_t>(i)].type);
        }
        QVERIFY2(window.bannerText().contains("Room echo"), qPrintable(window.bannerText()));
        QVERIFY(!window.presetBrowser().isModified());
        QVERIFY(window.windowTitle().startsWith("Room echo"));
    }

    void fallbackRuleAppliesToDevicesNoRuleNamesAndAPresetOnTheCommandLineWins() {
        {
            ui::MainWindow window;
            window.launch(onNullDevice());
            core::AutoloadRules rules;
            rules.rules.push_back(
                {"Studio monitors", core::AutoloadRule::Match::Exact, "Podcast voice"});
            rules.fallback = "Guitar crunch";
            window.setAutoloadRules(rules);
            QCOMPARE(window.presetBrowser().currentName(), QString("Guitar crunch"));
            window.close();
        }
        ui::MainWindow window;
        ui::LaunchOptions options;
        options.presetPath = QString(LIVERACK_FACTORY_PRESET_DIR) + "/room-echo.json";
        window.launch(options);
        QCOMPARE(window.presetBrowser().currentName(), QString("Room echo"));
    }

    void autoloadRulesFollowARenamedPreset() {
        ui::MainWindow window;
        window.launch(onNullDevice());
        QVERIFY(window.rack().addEffect("gain"));
        QVERIFY(window.presetBrowser().saveAs("Mine"));
        QVERIFY(window.presetBrowser().saveAs("Other"));
        core::AutoloadRules rules;
        rules.rules.push_back({"Headphones", core::AutoloadRule::Match::Exact, "mine"});
        rules.rules.push_back({"Speakers", core::AutoloadRule::Match::Exact, "Other"});
        rules.fallback = "Mine";
        window.setAutoloadRules(rules);
        QVERIFY(window.presetBrowser().rename("Mine", "Ours"));
        QCOMPARE(window.autoloadRules().rules[0].preset, std::string("Ours"));
        QCOMPARE(window.autoloadRules().rules[1].preset, std::string("Other"));
        QCOMPARE(window.autoloadRules().fallback.value_or(""), std::string("Ours"));
    }

    void modifiedChainIsMarkedInTheTitleAndSurvivesARestart() {
        {
            ui::MainWindow window;
            window.launch(onNullDevice());
            QVERIFY(window.presetBrowser().loadEntry("Room echo"));
            window.presetBrowser().refreshModified();
            QVERIFY(!window.isWindowModified());
            core::ParameterSet& p = window.rack().slotAt(0)->effect().parameters();
            const float changed =
                p.get(0) == p.info(0).maxValue ? p.info(0).minValue : p.info(0).maxValue;
            p.set(0, changed);
            window.presetBrowser().refreshModified();
            QVERIFY(window.isWindowModified());
            window.close();
        }
        ui::MainWindow window;
        window.launch({});
        window.presetBrowser().refreshModified();
        QCOMPARE(window.presetBrowser().currentName(), QString("Room echo"));
        QVERIFY(window.presetBrowser().isModified());
        QVERIFY(window.isWindowModified());
    }

    void fullDiskKeepsThePreviousSessionAndSaysSoOnce() {
        ui::MainWindow window;
        window.launch(onNullDevice());
        QVERIFY(window.rack().addEffect("delay"));
        QVERIFY(window.saveSession());
        const QString path = ui::AppPaths::sessionFile();
        QFile saved(path);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        const QByteArray before = saved.readAll();
        saved.close();
        // The disk refuses writes beyond 512 bytes (a file size limit acts like a full disk:
        // write() fails with EFBIG once SIGXFSZ is ignored); a session is larger than that.
        test::FileSizeLimit fullDisk(512);
        QVERIFY(fullDisk.isActive());
        QVERIFY(window.rack().addEffect("reverb"));
        const bool savedWhileFull = window.saveSession();
        const QString banner = window.bannerText();
        QVERIFY(window.rack().addEffect("gain"));
        const bool savedAgain = window.saveSession();
        const QString bannerAgain = window.bannerText();
        fullDisk.lift();
        QVERIFY(!savedWhileFull && !savedAgain);
        QVERIFY2(banner.contains("could not be saved"), qPrintable(banner));
        QCOMPARE(bannerAgain.count("could not be saved"), 1);  // said once, not every 5 s
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(saved.readAll(), before);  // the previous session is intact
        saved.close();
        QVERIFY(window.saveSession());  // room again: saved
        QCOMPARE(window.sessionStore().load().session.chain.chain.size(), size_t{3});
    }
};

QTEST_MAIN(MainWindowTest)
#include "MainWindowTest.moc"
