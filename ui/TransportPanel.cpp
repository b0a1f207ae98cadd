// The file transport and Record button: see TransportPanel.h.
#include "ui/TransportPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QStandardPaths>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

#include "core/io/FileSource.h"
#include "ui/StreamController.h"

namespace liverack::ui {

namespace {

constexpr const char* kPlayText = "▶ Play";
constexpr const char* kPauseText = "❚❚ Pause";
constexpr const char* kRecordText = "● Record";
constexpr const char* kStopText = "■ Stop";

}  // namespace

QString formatDuration(double seconds) {
    const long long total =
        std::isfinite(seconds) && seconds > 0.0 ? static_cast<long long>(std::floor(seconds)) : 0;
    const long long hours = total / 3600;
    const long long minutes = (total / 60) % 60;
    const long long secs = total % 60;
    if (hours > 0) {
        return QStringLiteral("%1:%2:%3")
            .arg(hours)
            .arg(minutes, 2, 10, QChar('0'))
            .arg(secs, 2, 10, QChar('0'));
    }
    return QStringLiteral("%1:%2").arg(minutes).arg(secs, 2, 10, QChar('0'));
}

QString formatBytes(uint64_t bytes) {
    const double b = static_cast<double>(bytes);
    if (b < 1024.0) {
        return QStringLiteral("%1 B").arg(bytes);
    }
    if (b < 1024.0 * 1024.0) {
        return QStringLiteral("%1 KB").arg(b / 1024.0, 0, 'f', 0);
    }
    if (b < 1024.0 * 1024.0 * 1024.0) {
        return QStringLiteral("%1 MB").arg(b / (1024.0 * 1024.0), 0, 'f', 1);
    }
    return QStringLiteral("%1 GB").arg(b / (1024.0 * 1024.0 * 1024.0), 0, 'f', 2);
}

TransportPanel::TransportPanel(StreamController& stream, QWidget* parent)
    : QWidget(parent), stream_(stream) {
    // Transport of a file source.
    fileBox_ = new QGroupBox(tr("File"), this);
    fileBox_->setFlat(true);  // a title line, no frame: the dock is short
    noFile_ = new QLabel(tr("The source is not a file. Choose “Audio file…” as the source in "
                            "Devices to play one here."),
                         fileBox_);
    noFile_->setWordWrap(true);
    noFile_->setForegroundRole(QPalette::PlaceholderText);  // a hint, not a control
    fileName_ = new QLabel(fileBox_);
    fileName_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    play_ = new QPushButton(tr(kPauseText), fileBox_);
    play_->setToolTip(tr("Play or pause the file"));
    loop_ = new QCheckBox(tr("Loop"), fileBox_);
    loop_->setToolTip(tr("Start again at the end of the file"));
    position_ = new QSlider(Qt::Horizontal, fileBox_);
    position_->setToolTip(tr("Drag to seek"));
    position_->setRange(0, 0);
    position_->setPageStep(5000);
    position_->setSingleStep(1000);
    time_ = new QLabel(fileBox_);
    time_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    time_->setMinimumWidth(time_->fontMetrics().horizontalAdvance(QStringLiteral("00:00 / 00:00")));

    auto* fileLayout = new QGridLayout(fileBox_);
    // Two lines: the name and where it is, then the controls (the dock is short).
    fileLayout->addWidget(noFile_, 0, 0, 1, 3);
    fileLayout->addWidget(fileName_, 1, 0, 1, 2);
    fileLayout->addWidget(time_, 1, 2);
    fileLayout->addWidget(play_, 2, 0);
    fileLayout->addWidget(position_, 2, 1);
    fileLayout->addWidget(loop_, 2, 2);
    fileLayout->setColumnStretch(1, 1);
    fileLayout->setVerticalSpacing(4);

    connect(play_, &QPushButton::clicked, this, &TransportPanel::togglePlay);
    connect(loop_, &QCheckBox::toggled, this, [this](bool on) {
        if (file_) {
            file_->setLooping(on);
        }
    });
    // Dragging only moves the handle; the seek happens on release, so the reader thread does not
    // refill for every pixel. Clicks in the groove and keys seek at once.
    connect(position_, &QSlider::sliderPressed, this, [this] { seeking_ = true; });
    connect(position_, &QSlider::sliderReleased, this, [this] {
        seeking_ = false;
        seekTo(position_->value());
    });
    connect(position_, &QSlider::sliderMoved, this, [this](int ms) {
        if (file_) {
            time_->setText(QStringLiteral("%1 / %2").arg(formatDuration(ms / 1000.0),
                                                         formatDuration(file_->lengthSeconds())));
        }
    });
    connect(position_, &QSlider::actionTriggered, this, [this](int action) {
        if (action != QAbstractSlider::SliderMove && action != QAbstractSlider::SliderNoAction &&
            !seeking_) {
            seekTo(position_->sliderPosition());
        }
    });

    // Recording.
    recordBox_ = new QGroupBox(tr("Record"), this);
    recordBox_->setFlat(true);
    taps_ = new QComboBox(recordBox_);
    taps_->addItem(tr("Input"), static_cast<int>(core::RecordTaps::Pre));
    taps_->addItem(tr("Output"), static_cast<int>(core::RecordTaps::Post));
    taps_->addItem(tr("Both"), static_cast<int>(core::RecordTaps::Both));
    taps_->setCurrentIndex(1);
    taps_->setToolTip(
        tr("Input: before the rack. Output: after it. Both: two files, "
           "name.pre.wav and name.post.wav, sample-aligned."));
    path_ = new QLineEdit(recordBox_);
    // The full folder goes in the tool tip; the field is narrow.
    const QString music = QStandardPaths::writableLocation(QStandardPaths::MusicLocation);
    path_->setPlaceholderText(tr("%1/LiveRack <date>.wav")
                                  .arg(QFileInfo(music).fileName().isEmpty()
                                           ? QStringLiteral("~")
                                           : QFileInfo(music).fileName()));
    path_->setToolTip(tr("Where the recording goes: .wav (32-bit float) or .flac (24-bit). "
                         "Empty: a new file named by the date and time in %1.")
                          .arg(QDir::toNativeSeparators(music)));
    path_->setClearButtonEnabled(true);
    browse_ = new QToolButton(recordBox_);
    browse_->setText(QStringLiteral("…"));
    browse_->setToolTip(tr("Choose the file to record to"));
    record_ = new QPushButton(tr(kRecordText), recordBox_);
    record_->setCheckable(true);
    record_->setEnabled(false);
    record_->setToolTip(tr("Record while the stream runs"));
    recordStatus_ = new QLabel(recordBox_);
    // The readout must not widen the dock: it takes what is left of its row.
    recordStatus_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    message_ = new QLabel(recordBox_);
    message_->setWordWrap(true);
    message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    message_->hide();

    auto* recordLayout = new QGridLayout(recordBox_);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(path_, 1);
    pathRow->addWidget(browse_);
    recordLayout->addLayout(pathRow, 0, 0, 1, 3);
    recordLayout->addWidget(record_, 1, 0);
    recordLayout->addWidget(taps_, 1, 1);
    // The readout shows while recording, the message after it: one line at a time in practice.
    recordLayout->addWidget(recordStatus_, 2, 0, 1, 3);
    recordLayout->addWidget(message_, 3, 0, 1, 3);
    recordLayout->setColumnStretch(2, 1);
    recordLayout->setVerticalSpacing(4);

    connect(browse_, &QToolButton::clicked, this, &TransportPanel::chooseRecordPath);
    connect(record_, &QPushButton::clicked, this, [this](bool on) {
        if (on) {
            startRecording();
        } else {
            stopRecording();
        }
    });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 2);  // the dock is short: every line counts
    layout->setSpacing(2);
    layout->addWidget(fileBox_);
    layout->addWidget(recordBox_);
    layout->addStretch(1);

    connect(&stream_, &StreamController::started, this, &TransportPanel::streamStarted);
    connect(&stream_, &StreamController::stopping, this, &TransportPanel::streamStopping);
    connect(&stream_, &StreamController::stopped, this, [this](const QString&) {
        streamStopping();  // a stream that died without notice: collect what was recorded
        file_ = nullptr;
        refresh();
    });
    if (stream_.isRunning()) {
        streamStarted();
    } else {
        refresh();
    }
}

TransportPanel::~TransportPanel() = default;

void TransportPanel::streamStarted() {
    file_ = dynamic_cast<core::FileSource*>(stream_.engine().processor().source());
    if (file_) {
        const QSignalBlocker block(loop_);
        loop_->setChecked(file_->isLooping());
        position_->setRange(0, static_cast<int>(std::lround(file_->lengthSeconds() * 1000.0)));
        fileError_.clear();
        showFileName();
    }
    refresh();
}

void TransportPanel::showFileName() {
    QString text = QStringLiteral("<b>%1</b> — %2")
                       .arg(QString::fromStdString(file_->fileName()).toHtmlEscaped(),
                            formatDuration(file_->lengthSeconds()));
    if (!fileError_.isEmpty()) {
        text += QStringLiteral("<br><span style='color:#e06c60'>%1</span>")
                    .arg(fileError_.toHtmlEscaped());
    }
    fileName_->setText(text);
    fileName_->setWordWrap(!fileError_.isEmpty());
    fileName_->setToolTip(QDir::toNativeSeparators(QString::fromStdString(file_->path())));
}

void TransportPanel::streamStopping() {
    // The taps are fed by the audio thread: the recording takes its last blocks while it still
    // runs, and the files are closed before the processor can be prepared again.
    if (recorder_) {
        stopRecording();
    }
}

void TransportPanel::refresh() {
    const bool running = stream_.isRunning();
    if (!running) {
        file_ = nullptr;
    }
    const bool hasFile = file_ != nullptr;
    noFile_->setVisible(!hasFile);
    fileName_->setVisible(hasFile);
    position_->setVisible(hasFile);
    time_->setVisible(hasFile);
    play_->setVisible(hasFile);
    loop_->setVisible(hasFile);
    if (hasFile) {
        const double length = file_->lengthSeconds();
        const double now = std::min(file_->positionSeconds(), length);
        const bool playing = file_->isPlaying() && !file_->hasEnded();
        play_->setText(playing ? tr(kPauseText) : tr(kPlayText));
        if (loop_->isChecked() != file_->isLooping()) {
            const QSignalBlocker block(loop_);
            loop_->setChecked(file_->isLooping());
        }
        if (!seeking_) {
            const QSignalBlocker block(position_);
            position_->setValue(static_cast<int>(std::lround(now * 1000.0)));
            time_->setText(
                QStringLiteral("%1 / %2").arg(formatDuration(now), formatDuration(length)));
        }
        // A read error stops playback: say so where the file is named, once.
        const QString error = toSentence(file_->error());
        if (error != fileError_) {
            fileError_ = error;
            showFileName();
        }
    }

    record_->setEnabled(running || recorder_ != nullptr);
    if (!recorder_) {
        if (!running) {
            setRecordStatusText(tr("Start the stream to record."));
        } else if (recordStatus_->text() == tr("Start the stream to record.")) {
            setRecordStatusText({});
        }
        return;
    }
    const core::RecorderStatus status = recorder_->status();
    if (status.state == core::RecorderStatus::State::Failed) {
        recordingFailed(status);
        return;
    }
    showRecordStatus(status);
}

void TransportPanel::togglePlay() {
    if (!file_) {
        return;
    }
    if (file_->isPlaying() && !file_->hasEnded()) {
        file_->pause();
    } else {
        if (file_->hasEnded()) {
            file_->seek(0.0);
        }
        file_->play();
    }
    refresh();
}

void TransportPanel::seekTo(int milliseconds) {
    if (file_) {
        file_->seek(milliseconds / 1000.0);
    }
    refresh();
}

QString TransportPanel::recordPath() const {
    return path_->text().trimmed();
}

void TransportPanel::setRecordPath(const QString& path) {
    path_->setText(path);
}

void TransportPanel::setRecordTaps(core::RecordTaps taps) {
    taps_->setCurrentIndex(taps_->findData(static_cast<int>(taps)));
}

QString TransportPanel::defaultRecordPath() {
    QString folder = QStandardPaths::writableLocation(QStandardPaths::MusicLocation);
    if (folder.isEmpty()) {
        folder = QDir::homePath();
    }
    const QString stamp =
        QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH-mm-ss"));
    return QDir(folder).filePath(QStringLiteral("LiveRack %1.wav").arg(stamp));
}

void TransportPanel::chooseRecordPath() {
    const QString start = recordPath().isEmpty() ? defaultRecordPath() : recordPath();
    const QString wav = tr("WAV, 32-bit float (*.wav)");
    const QString flac = tr("FLAC, 24-bit (*.flac)");
    QString filter =
        QFileInfo(start).suffix().compare("flac", Qt::CaseInsensitive) == 0 ? flac : wav;
    QString chosen = QFileDialog::getSaveFileName(this, tr("Record to"), start,
                                                  wav + QStringLiteral(";;") + flac, &filter);
    if (chosen.isEmpty()) {
        return;
    }
    // The format follows the extension: a name typed without one gets the chosen filter's.
    const QString suffix = QFileInfo(chosen).suffix().toLower();
    if (suffix != QLatin1String("wav") && suffix != QLatin1String("flac")) {
        chosen += filter == flac ? QStringLiteral(".flac") : QStringLiteral(".wav");
    }
    path_->setText(QDir::toNativeSeparators(chosen));
}

void TransportPanel::startRecording() {
    if (recorder_ || !stream_.isRunning()) {
        const QSignalBlocker block(record_);
        record_->setChecked(recorder_ != nullptr);
        if (!recorder_) {
            showMessage(tr("Start the stream to record."), true);
        }
        return;
    }
    QString path = recordPath();
    if (path.isEmpty()) {
        path = defaultRecordPath();
        QDir().mkpath(QFileInfo(path).absolutePath());
    }
    const auto taps = static_cast<core::RecordTaps>(taps_->currentData().toInt());
    recorder_ = std::make_unique<core::Recorder>(stream_.engine().processor().taps());
    if (const core::Status started =
            recorder_->start(QDir::fromNativeSeparators(path).toStdString(), taps);
        !started) {
        recorder_.reset();
        setRecordControlsIdle();
        setRecordStatusText({});
        showMessage(toSentence(started.error()), true);
        return;
    }
    message_->hide();
    {
        const QSignalBlocker block(record_);
        record_->setChecked(true);
    }
    record_->setText(tr(kStopText));
    taps_->setEnabled(false);
    path_->setEnabled(false);
    browse_->setEnabled(false);
    showRecordStatus(recorder_->status());
}

void TransportPanel::stopRecording() {
    if (!recorder_) {
        setRecordControlsIdle();
        return;
    }
    const core::Status stopped = recorder_->stop();
    const core::RecorderStatus status = recorder_->status();
    recorder_.reset();
    setRecordControlsIdle();
    finishRecordStatus(status);
    if (!stopped) {
        showMessage(toSentence(stopped.error()), true);
        return;
    }
    QStringList names;
    for (const std::string& p : status.paths) {
        names << QFileInfo(QString::fromStdString(p)).fileName();
    }
    showMessage(tr("Saved %1 (%2, %3).")
                    .arg(names.join(tr(" and ")), formatDuration(status.elapsedSeconds),
                         formatBytes(status.fileBytes)),
                false);
}

void TransportPanel::recordingFailed(const core::RecorderStatus& status) {
    (void)recorder_->stop();  // collects the disk thread and closes what can be closed
    recorder_.reset();
    setRecordControlsIdle();
    finishRecordStatus(status);
    // The recorder's sentence says what stopped it and how much was kept.
    showMessage(status.message.empty() ? tr("The recording stopped.") : toSentence(status.message),
                true);
}

void TransportPanel::showRecordStatus(const core::RecorderStatus& status) {
    lastStatus_ = status;
    QString text = QStringLiteral("%1 · %2").arg(formatDuration(status.elapsedSeconds),
                                                 formatBytes(status.fileBytes));
    if (status.state == core::RecorderStatus::State::Recording) {
        text = tr("Recording %1").arg(text);
    }
    if (status.droppedFrames > 0) {
        text += tr(" · <span style='color:#e06c60'>%1 dropped</span>").arg(status.droppedFrames);
    }
    if (status.clippedSamples > 0) {
        text += tr(" · %1 clipped").arg(status.clippedSamples);
    }
    setRecordStatusText(text);
}

void TransportPanel::finishRecordStatus(const core::RecorderStatus& status) {
    // The message under it says how it ended (with the length and size): no second line.
    lastStatus_ = status;
    setRecordStatusText({});
    QStringList paths;
    for (const std::string& p : status.paths) {
        paths << QDir::toNativeSeparators(QString::fromStdString(p));
    }
    message_->setToolTip(paths.join('\n'));
}

void TransportPanel::setRecordStatusText(const QString& text) {
    recordStatus_->setText(text);
    recordStatus_->setVisible(!text.isEmpty());  // an empty line would push the message out
}

void TransportPanel::setRecordControlsIdle() {
    {
        const QSignalBlocker block(record_);
        record_->setChecked(false);
    }
    record_->setText(tr(kRecordText));
    record_->setEnabled(stream_.isRunning());
    taps_->setEnabled(true);
    path_->setEnabled(true);
    browse_->setEnabled(true);
}

void TransportPanel::showMessage(const QString& text, bool isError) {
    message_->setText(text);
    message_->setStyleSheet(isError ? QStringLiteral("color: #e06c60;") : QString());
    message_->setVisible(!text.isEmpty());
}

QString TransportPanel::fileText() const {
    if (!file_) {
        return {};
    }
    return QStringLiteral("%1 — %2").arg(QString::fromStdString(file_->fileName()),
                                         formatDuration(file_->lengthSeconds()));
}

QString TransportPanel::positionText() const {
    return file_ ? time_->text() : QString();
}

QString TransportPanel::recordStatusText() const {
    return recordStatus_->text();
}

QString TransportPanel::recordMessage() const {
    return message_->isHidden() ? QString() : message_->text();
}

core::RecorderStatus TransportPanel::recorderStatus() const {
    return recorder_ ? recorder_->status() : lastStatus_;
}

int TransportPanel::sliderValue() const {
    return position_->value();
}

}  // namespace liverack::ui
