// Files in and out: the transport of a file source (play/pause, loop, seek, position) and the
// Record button (input, output or both to WAV or FLAC). Everything it shows is read on the GUI
// timer from the FileSource's atomics and the Recorder's status; nothing waits on the audio thread.
#pragma once

#include <QString>
#include <QWidget>

#include <memory>

#include "core/io/Recorder.h"

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QToolButton;

namespace liverack::core {
class FileSource;
}

namespace liverack::ui {

class StreamController;

// "m:ss" (or "h:mm:ss" from an hour on).
QString formatDuration(double seconds);
// "812 KB", "2.3 MB".
QString formatBytes(uint64_t bytes);

class TransportPanel : public QWidget {
    Q_OBJECT

public:
    explicit TransportPanel(StreamController& stream, QWidget* parent = nullptr);
    ~TransportPanel() override;

    // GUI timer: follows the file's position and the recording's progress.
    void refresh();

    // The file source of the running stream, or nullptr.
    core::FileSource* fileSource() const noexcept { return file_; }
    bool isRecording() const noexcept { return recorder_ != nullptr; }
    // What was chosen as the target; empty means a timestamped name in the music folder.
    QString recordPath() const;
    void setRecordPath(const QString& path);
    void setRecordTaps(core::RecordTaps taps);
    // "LiveRack 2026-11-21 06-40-00.wav" in QStandardPaths::MusicLocation.
    static QString defaultRecordPath();

    // What the panel shows, for tests and people.
    QString fileText() const;
    QString positionText() const;
    QString recordStatusText() const;
    QString recordMessage()
        const;                // the last sentence about a recording (saved, or why it stopped)
    int sliderValue() const;  // position in milliseconds
    // The recording's status: live while recording, else as the last one ended.
    core::RecorderStatus recorderStatus() const;

    QPushButton& playButton() noexcept { return *play_; }
    QPushButton& recordButton() noexcept { return *record_; }
    QCheckBox& loopBox() noexcept { return *loop_; }
    QSlider& positionSlider() noexcept { return *position_; }

private:
    void streamStarted();
    void streamStopping();
    void showFileName();  // name, length and any read error of file_
    void togglePlay();
    void seekTo(int milliseconds);
    void chooseRecordPath();
    void startRecording();
    void stopRecording();
    // The recording stopped itself (disk full, unwritable): collect it and say why.
    void recordingFailed(const core::RecorderStatus& status);
    void showRecordStatus(const core::RecorderStatus& status);
    void finishRecordStatus(const core::RecorderStatus& status);
    void setRecordControlsIdle();
    void setRecordStatusText(const QString& text);
    void showMessage(const QString& text, bool isError);

    StreamController& stream_;
    core::FileSource* file_ = nullptr;
    std::unique_ptr<core::Recorder> recorder_;

    QGroupBox* fileBox_;
    QLabel* noFile_;
    QLabel* fileName_;
    QPushButton* play_;
    QCheckBox* loop_;
    QSlider* position_;
    QLabel* time_;
    QString fileError_;     // shown under the name
    bool seeking_ = false;  // the user holds the slider: it stops following playback

    QGroupBox* recordBox_;
    QComboBox* taps_;
    QLineEdit* path_;
    QToolButton* browse_;
    QPushButton* record_;
    QLabel* recordStatus_;
    QLabel* message_;
    core::RecorderStatus lastStatus_;
};

}  // namespace liverack::ui
