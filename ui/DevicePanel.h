// Where the stream is chosen and started: source (device input or a built-in test signal), audio
// API, input and output device, channels, sample rate and block size, with the latency they imply
// shown before Start, and whether other programs get LiveRack's output as a virtual microphone.
// Device lists follow hot-plugging; errors appear as sentences.
#pragma once

#include <QWidget>

#include "core/engine/DeviceInfo.h"
#include "core/engine/StreamConfig.h"

class QCheckBox;
class QComboBox;
class QSpinBox;
class QLabel;
class QPushButton;
class QMediaDevices;

namespace liverack::ui {

class StreamController;

class DevicePanel : public QWidget {
    Q_OBJECT

public:
    explicit DevicePanel(StreamController& stream, QWidget* parent = nullptr);

    // What the controls say now.
    core::StreamConfig config() const;
    // Shows a configuration (from the command line or the last session); names that are not in
    // the lists are kept as entries so that Start reports what is wrong with them.
    void setConfig(const core::StreamConfig& config);

    // The virtual microphone check box (a device setting kept with the session) and its name
    // (empty: the default); setting them hands them to the stream controller.
    bool virtualMicrophone() const;
    QString virtualMicrophoneName() const;
    void setVirtualMicrophone(bool on, const QString& name = {});
    QCheckBox& virtualMicrophoneBox() noexcept { return *virtualMic_; }

    // The output devices of the chosen API, as the last refresh found them.
    QStringList outputDeviceNames() const;

    // The sentence shown under the controls (empty when all is well).
    QString message() const;
    // The latency line: expected before Start, measured while running.
    QString latencyText() const;
    QPushButton& startButton() noexcept { return *startButton_; }

Q_SIGNALS:
    // A refresh (hot-plug, or the Refresh button) found output devices of the same API that
    // were not there before.
    void outputDevicesAppeared(const QStringList& names);

public Q_SLOTS:
    void toggleStream();
    void refreshDevices();
    void showMessage(const QString& text, bool isError);

private:
    void populateApis();
    void populateDevices(const QString& keepInput, const QString& keepOutput);
    void updateLatency();
    void updateRunningState();
    static void selectData(QComboBox& combo, const QString& value, const QString& label);

    StreamController& stream_;
    core::ApiInfo apiInfo_;
    QComboBox* source_;
    QComboBox* api_;
    QComboBox* input_;
    QComboBox* output_;
    QSpinBox* channels_;
    QCheckBox* virtualMic_;
    QComboBox* rate_;
    QComboBox* block_;
    QLabel* latency_;
    QLabel* message_;
    QPushButton* refresh_;
    QPushButton* startButton_;
    QMediaDevices* mediaDevices_;
    int lastSourceIndex_ = 0;
};

}  // namespace liverack::ui
