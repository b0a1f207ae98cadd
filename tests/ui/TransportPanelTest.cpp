// The transport panel on a running null-device stream playing a WAV the test wrote: it names the
// file and its length, pause holds the position and play moves it again, Record makes a valid WAV
// of exactly the frames it reported, and an unwritable path is a sentence while the audio runs on.
#include <QCheckBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numbers>
#include <vector>

#include "core/engine/AudioEngine.h"
#include "core/io/FileSource.h"
#include "tests/support/FileSizeLimit.h"
#include "tests/support/SndfileIo.h"
#include "ui/StreamController.h"
#include "ui/TransportPanel.h"

using namespace liverack;

namespace {

constexpr double kRate = 48000.0;
constexpr double kFileSeconds = 3.0;
constexpr float kAmplitude = 0.25f;
constexpr int kTimeoutMs = 10000;

}  // namespace

class TransportPanelTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir folder_;
    QString wavPath_;

    // Starts a null-device stream playing the test's WAV (looped), and waits until the engine
    // has produced audio.
    bool startStream(ui::StreamController& stream) {
        core::StreamConfig config;
        config.api = "null";
        config.inputDevice = core::StreamConfig::kNone;
        config.sampleRate = static_cast<unsigned>(kRate);
        config.blockFrames = 256;
        config.channels = 2;
        config.source = "file:" + wavPath_.toStdString();
        return stream.start(config);
    }

    // Waits (bounded) until the engine has run `blocks` more callbacks: time passing for the
    // audio, measured by the audio itself rather than by a sleep.
    static bool waitForCallbacks(core::AudioEngine& engine, uint64_t blocks) {
        const uint64_t before = engine.stats().callbacks;
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::milliseconds(kTimeoutMs);
        while (engine.stats().callbacks < before + blocks &&
               std::chrono::steady_clock::now() < deadline) {
            QTest::qWait(5);  // polls; the condition, not the wait, decides
        }
        return engine.stats().callbacks >= before + blocks;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(folder_.isValid());
        const auto frames = static_cast<size_t>(kRate * kFileSeconds);
        std::vector<std::vector<float>> channels(2, std::vector<float>(frames));
        for (size_t i = 0; i < frames; ++i) {
            const float v = kAmplitude * static_cast<float>(
                                             std::sin(2.0 * std::numbers::pi * 440.0 * i / kRate));
            channels[0][i] = v;
            channels[1][i] = v;
        }
        wavPath_ = folder_.filePath("tone.wav");
        QVERIFY(test::writeFloatWav(wavPath_.toStdString(), kRate, channels));
    }

    void panelShowsTheFileNameAndItsLength() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::TransportPanel panel(stream);
        QVERIFY(panel.fileSource() == nullptr);
        QVERIFY(panel.fileText().isEmpty());
        QVERIFY(startStream(stream));
        QVERIFY(panel.fileSource() != nullptr);
        QCOMPARE(panel.fileText(), QStringLiteral("tone.wav — 0:03"));
        panel.refresh();
        QVERIFY2(panel.positionText().endsWith(QStringLiteral(" / 0:03")),
                 qPrintable(panel.positionText()));
        QCOMPARE(panel.positionSlider().maximum(), static_cast<int>(kFileSeconds * 1000));
        QVERIFY(panel.loopBox().isChecked());  // a file source loops unless told otherwise
        stream.stop();
        QVERIFY(panel.fileSource() == nullptr);
        QVERIFY(panel.fileText().isEmpty());
    }

    void pauseHoldsThePositionAndPlayMovesItAgain() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::TransportPanel panel(stream);
        QVERIFY(startStream(stream));
        core::FileSource* file = panel.fileSource();
        QVERIFY(file != nullptr);
        QTRY_VERIFY_WITH_TIMEOUT(file->positionSeconds() > 0.1, kTimeoutMs);

        panel.playButton().click();
        QVERIFY(!file->isPlaying());
        // Let the audio thread run well past anything in flight, then the position must hold.
        QVERIFY(waitForCallbacks(engine, 4));
        const double paused = file->positionSeconds();
        panel.refresh();
        const int sliderAtPause = panel.sliderValue();
        QVERIFY(waitForCallbacks(engine, 40));  // 40 blocks of 256 frames: 0.21 s of audio
        QCOMPARE(file->positionSeconds(), paused);
        panel.refresh();
        QCOMPARE(panel.sliderValue(), sliderAtPause);
        QVERIFY2(panel.playButton().text().contains("Play"), qPrintable(panel.playButton().text()));

        panel.playButton().click();
        QVERIFY(file->isPlaying());
        QTRY_VERIFY_WITH_TIMEOUT(file->positionSeconds() > paused + 0.1 ||
                                     file->positionSeconds() < paused,  // looped round
                                 kTimeoutMs);
        panel.refresh();
        QVERIFY2(panel.playButton().text().contains("Pause"),
                 qPrintable(panel.playButton().text()));
    }

    void sliderFollowsPlaybackAndSeeksOnlyWhenReleased() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::TransportPanel panel(stream);
        QVERIFY(startStream(stream));
        core::FileSource* file = panel.fileSource();
        QVERIFY(file != nullptr);
        QTRY_VERIFY_WITH_TIMEOUT(file->positionSeconds() > 0.1, kTimeoutMs);
        file->pause();
        QVERIFY(waitForCallbacks(engine, 4));
        panel.refresh();
        QCOMPARE(panel.sliderValue(),
                 static_cast<int>(std::lround(file->positionSeconds() * 1000.0)));

        // Held: the handle moves with the hand, the file stays where it was.
        QSlider& slider = panel.positionSlider();
        const double before = file->positionSeconds();
        slider.setSliderDown(true);
        slider.setSliderPosition(2000);
        panel.refresh();
        QCOMPARE(slider.sliderPosition(), 2000);
        QCOMPARE(file->positionSeconds(), before);
        // Released: the file jumps there (the target is reported while the reader refills).
        slider.setSliderDown(false);
        QCOMPARE(file->positionSeconds(), 2.0);
        QTRY_VERIFY_WITH_TIMEOUT(!file->isSeeking(), kTimeoutMs);
        QCOMPARE(file->positionSeconds(), 2.0);  // paused: it stays at the new place
        panel.refresh();
        QCOMPARE(panel.sliderValue(), 2000);
    }

    void recordMakesAValidWavOfTheFramesItReported() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::TransportPanel panel(stream);
        QVERIFY(startStream(stream));
        const QString path = folder_.filePath("take.wav");
        panel.setRecordTaps(core::RecordTaps::Post);
        panel.setRecordPath(path);
        panel.recordButton().click();
        QVERIFY2(panel.isRecording(), qPrintable(panel.recordMessage()));
        QVERIFY(panel.recordButton().isChecked());
        // Half a second of audio on disk.
        QTRY_VERIFY_WITH_TIMEOUT((panel.refresh(), panel.recorderStatus().framesRecorded >= 24000),
                                 kTimeoutMs);
        QVERIFY(panel.recordStatusText().startsWith("Recording"));

        panel.recordButton().click();
        QVERIFY(!panel.isRecording());
        QVERIFY(!panel.recordButton().isChecked());
        const core::RecorderStatus status = panel.recorderStatus();
        QCOMPARE(status.state, core::RecorderStatus::State::Stopped);
        QVERIFY2(panel.recordMessage().startsWith("Saved take.wav"),
                 qPrintable(panel.recordMessage()));

        const test::PlanarAudio audio = test::readAudio(path.toStdString());
        QCOMPARE(audio.channels.size(), size_t{2});
        QCOMPARE(audio.sampleRate, kRate);
        QCOMPARE(static_cast<uint64_t>(audio.frames()), status.framesRecorded);
        QVERIFY(audio.frames() >= 24000);
        // Post-chain with an empty rack: the file's sine, never louder than it was written.
        const auto [lo, hi] =
            std::minmax_element(audio.channels[0].begin(), audio.channels[0].end());
        QVERIFY2(*hi <= kAmplitude + 1e-6f && *lo >= -kAmplitude - 1e-6f, "louder than the file");
        QVERIFY2(*hi > 0.9f * kAmplitude, "the recording is not the file's sine");
    }

    void stoppingTheStreamClosesTheRecordingFirst() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::TransportPanel panel(stream);
        QVERIFY(startStream(stream));
        const QString path = folder_.filePath("cut.wav");
        panel.setRecordPath(path);
        panel.recordButton().click();
        QVERIFY(panel.isRecording());
        QTRY_VERIFY_WITH_TIMEOUT((panel.refresh(), panel.recorderStatus().framesRecorded >= 4800),
                                 kTimeoutMs);
        stream.stop();
        QVERIFY(!panel.isRecording());
        QVERIFY(!panel.recordButton().isEnabled());
        const core::RecorderStatus status = panel.recorderStatus();
        const test::PlanarAudio audio = test::readAudio(path.toStdString());
        QCOMPARE(static_cast<uint64_t>(audio.frames()), status.framesRecorded);
        QVERIFY(audio.frames() >= 4800);
    }

    // A full disk, made real with a file size limit on this process (SIGXFSZ ignored, so write()
    // fails with EFBIG as on a full disk): the recording stops itself, the panel says why, the
    // partial file stays valid and the stream plays on.
    void fullDiskStopsTheRecordingWithASentenceInThePanel() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::TransportPanel panel(stream);
        QVERIFY(startStream(stream));
        const QString path = folder_.filePath("full.wav");
        panel.setRecordPath(path);
        constexpr rlim_t kLimit = 300 * 1024;  // 0.8 s of 48 kHz stereo float
        test::FileSizeLimit fullDisk(kLimit);
        QVERIFY(fullDisk.isActive());
        panel.recordButton().click();
        const bool started = panel.isRecording();
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (panel.isRecording() && std::chrono::steady_clock::now() < deadline) {
            QTest::qWait(10);  // polls the panel's refresh, as the window's timer would
            panel.refresh();
        }
        const bool stoppedItself = !panel.isRecording();
        fullDisk.lift();
        QVERIFY2(started, qPrintable(panel.recordMessage()));
        QVERIFY(stoppedItself);

        QCOMPARE(panel.recorderStatus().state, core::RecorderStatus::State::Failed);
        QVERIFY(!panel.recordButton().isChecked());
        const QString message = panel.recordMessage();
        QVERIFY2(message.contains("disk full") && message.contains("full.wav"),
                 qPrintable(message));
        QVERIFY2(message.at(0).isUpper() && message.endsWith('.'), qPrintable(message));
        QVERIFY(stream.isRunning());
        QVERIFY(waitForCallbacks(engine, 10));
        const test::PlanarAudio audio = test::readAudio(path.toStdString());
        QCOMPARE(audio.channels.size(), size_t{2});
        QVERIFY(audio.frames() > static_cast<size_t>(kRate / 4));
        QVERIFY(audio.frames() * 8 <= kLimit);
    }

    void unwritablePathIsASentenceAndTheAudioRunsOn() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::TransportPanel panel(stream);
        QVERIFY(startStream(stream));
        panel.setRecordPath(folder_.filePath("no/such/folder/take.wav"));
        panel.recordButton().click();
        QVERIFY(!panel.isRecording());
        QVERIFY(!panel.recordButton().isChecked());
        const QString message = panel.recordMessage();
        QVERIFY2(message.contains("cannot write", Qt::CaseInsensitive) &&
                     message.contains("no/such/folder/take.wav"),
                 qPrintable(message));
        QVERIFY2(message.at(0).isUpper() && message.endsWith('.'), qPrintable(message));
        QVERIFY(stream.isRunning());
        QVERIFY(waitForCallbacks(engine, 10));
        QVERIFY(panel.recordButton().isEnabled());  // and a second try is possible
    }
};

QTEST_MAIN(TransportPanelTest)
#include "TransportPanelTest.moc"
