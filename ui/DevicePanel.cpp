#include "ui/DevicePanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMediaDevices>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

#include "core/engine/AudioEngine.h"
#include "ui/StreamController.h"

namespace liverack::ui {

namespace {

// The source entry that asks for a file rather than naming a source.
constexpr const char* kChooseFile = "choose-file";

QString apiLabel(const std::string& id) {
    if (id == "jack")
        return QStringLiteral("JACK");
    if (id == "alsa")
        return QStringLiteral("ALSA");
    if (id == "pulse")
        return QStringLiteral("PulseAudio");
    if (id == "null")
        return QObject::tr("Null (no device)");
    return QString::fromStdString(id);
}

}  // namespace

DevicePanel::DevicePanel(StreamController& stream, QWidget* parent)
    : QWidget(parent), stream_(stream) {
    source_ = new QComboBox(this);
    source_->addItem(tr("Device input"), "device");
    source_->addItem(tr("Test: sine 440 Hz"), "sine:440");
    source_->addItem(tr("Test: sine 1 kHz"), "sine:1000");
    source_->addItem(tr("Test: white noise"), "noise");
    source_->addItem(tr("Test: pink noise"), "pink");
    source_->addItem(tr("Test: sweep 20 Hz–20 kHz"), "sweep");
    source_->addItem(tr("Audio file…"), QString(kChooseFile));
    source_->setToolTip(
        tr("What goes into the rack: the input device, a built-in test signal or "
           "a looping audio file"));
    api_ = new QComboBox(this);
    input_ = new QComboBox(this);
    output_ = new QComboBox(this);
    for (QComboBox* c : {input_, output_}) {
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(12);
    }
    channels_ = new QSpinBox(this);
    channels_->setRange(1, 8);
    channels_->setValue(2);
    rate_ = new QComboBox(this);
    rate_->addItem(tr("Device's own rate"), 0u);
    for (unsigned r : {44100u, 48000u, 88200u, 96000u, 176400u, 192000u}) {
        rate_->addItem(tr("%1 Hz").arg(r), r);
    }
    rate_->setCurrentIndex(rate_->findData(48000u));
    block_ = new QComboBox(this);
    for (unsigned b = core::StreamConfig::kMinBlockFrames; b <= core::StreamConfig::kMaxBlockFrames;
         b *= 2) {
        block_->addItem(tr("%1 frames").arg(b), b);
    }
    block_->setCurrentIndex(block_->findData(256u));

    virtualMic_ = new QCheckBox(tr("Virtual microphone for other programs"), this);
    virtualMic_->setToolTip(
        tr("Offer LiveRack's output as an input device named \"LiveRack microphone\" that "
           "Discord, OBS or a browser can choose (needs PipeWire)"));

    latency_ = new QLabel(this);
    latency_->setStyleSheet("color: #8a9099;");
    latency_->setWordWrap(true);
    message_ = new QLabel(this);
    message_->setWordWrap(true);
    message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    message_->hide();

    refresh_ = new QPushButton(tr("Refresh"), this);
    refresh_->setToolTip(tr("Look for audio devices again"));
    startButton_ = new QPushButton(tr("Start"), this);
    startButton_->setToolTip(tr("Start or stop the stream (Space)"));
    startButton_->setMinimumHeight(30);

    auto* form = new QFormLayout;
    form->setLabelAlignment(Qt::AlignRight);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setHorizontalSpacing(8);
    form->setVerticalSpacing(5);
    form->addRow(tr("Source"), source_);
    form->addRow(tr("Audio API"), api_);
    form->addRow(tr("Input"), input_);
    form->addRow(tr("Output"), output_);
    auto* numbers = new QHBoxLayout;
    numbers->addWidget(channels_);
    numbers->addWidget(new QLabel(tr("ch"), this));
    numbers->addSpacing(6);
    numbers->addWidget(rate_, 1);
    form->addRow(tr("Format"), numbers);
    form->addRow(tr("Block"), block_);
    form->addRow(QString(), virtualMic_);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(refresh_);
    buttons->addWidget(startButton_, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setSpacing(6);
    layout->addLayout(form);
    layout->addWidget(latency_);
    layout->addLayout(buttons);
    layout->addWidget(message_);
    layout->addStretch(1);

    // Rows keep their natural height: a long error sentence makes the dock taller rather than
    // squashing the controls.
    for (QWidget* w :
         std::initializer_list<QWidget*>{source_, api_, input_, output_, channels_, rate_, block_,
                                         virtualMic_, refresh_, startButton_}) {
        w->setMinimumHeight(std::max(w->minimumHeight(), w->sizeHint().height()));
    }

    populateApis();
    populateDevices({}, {});

    connect(api_, &QComboBox::currentIndexChanged, this, [this] { populateDevices({}, {}); });
    for (QComboBox* c : {rate_, block_, source_, input_, output_}) {
        connect(c, &QComboBox::currentIndexChanged, this, &DevicePanel::updateLatency);
    }
    connect(source_, &QComboBox::activated, this, [this](int index) {
        if (source_->itemData(index).toString() != kChooseFile) {
            lastSourceIndex_ = index;
            return;
        }
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Play an audio file"), {},
            tr("Audio files (*.wav *.flac *.ogg *.aiff *.aif *.mp3);;All files (*)"));
        if (path.isEmpty()) {
            source_->setCurrentIndex(lastSourceIndex_);
            return;
        }
        core::StreamConfig c = config();
        c.source = "file:" + path.toStdString();
        setConfig(c);
        lastSourceIndex_ = source_->currentIndex();
    });
    // It works while streaming as well: other programs see the device come and go at once.
    connect(virtualMic_, &QCheckBox::toggled, this,
            [this](bool on) { stream_.setVirtualMicrophone(on, stream_.virtualMicrophoneName()); });
    connect(&stream_, &StreamController::virtualMicrophoneChanged, this,
            [this](bool running, const QString& problem) {
                if (problem.isEmpty()) {
                    return;
                }
                // Not available: the box says so by clearing, the message says why.
                const QSignalBlocker block(virtualMic_);
                virtualMic_->setChecked(running);
                stream_.setVirtualMicrophone(false, stream_.virtualMicrophoneName());
                showMessage(problem, true);
            });
    connect(refresh_, &QPushButton::clicked, this, &DevicePanel::refreshDevices);
    connect(startButton_, &QPushButton::clicked, this, &DevicePanel::toggleStream);
    connect(&stream_, &StreamController::errorOccurred, this,
            [this](const QString& m) { showMessage(m, true); });
    connect(&stream_, &StreamController::started, this, [this] {
        showMessage({}, false);
        updateRunningState();
    });
    connect(&stream_, &StreamController::stopped, this, [this] { updateRunningState(); });

    // Hot-plug: Qt Multimedia notices devices coming and going; RtAudio is asked again then.
    mediaDevices_ = new QMediaDevices(this);
    connect(mediaDevices_, &QMediaDevices::audioInputsChanged, this, &DevicePanel::refreshDevices);
    connect(mediaDevices_, &QMediaDevices::audioOutputsChanged, this, &DevicePanel::refreshDevices);
    updateRunningState();
}

void DevicePanel::populateApis() {
    const QSignalBlocker block(api_);
    const QString current = api_->currentData().toString();
    api_->clear();
    // "" lets the engine take the first API that has a device (DESIGN.md: default devices).
    api_->addItem(tr("Automatic"), QString());
    for (const std::string& id : core::AudioEngine::availableApis()) {
        api_->addItem(apiLabel(id), QString::fromStdString(id));
    }
    const int keep = api_->findData(current);
    api_->setCurrentIndex(keep >= 0 ? keep : 0);
}

void DevicePanel::populateDevices(const QString& keepInput, const QString& keepOutput) {
    const std::string api = api_->currentData().toString().toStdString();
    apiInfo_ = api.empty() ? core::ApiInfo{} : core::AudioEngine::listDevices(api);
    const QSignalBlocker blockIn(input_);
    const QSignalBlocker blockOut(output_);
    input_->clear();
    output_->clear();
    input_->addItem(tr("Default input"), QString());
    output_->addItem(tr("Default output"), QString());
    for (const core::DeviceInfo& d : apiInfo_.devices) {
        const QString name = QString::fromStdString(d.name);
        if (d.inputChannels > 0) {
            input_->addItem(tr("%1 (%2 in)").arg(name).arg(d.inputChannels), name);
        }
        if (d.outputChannels > 0) {
            output_->addItem(tr("%1 (%2 out)").arg(name).arg(d.outputChannels), name);
        }
    }
    input_->addItem(tr("None"), QString(core::StreamConfig::kNone));
    output_->addItem(tr("None"), QString(core::StreamConfig::kNone));
    if (!keepInput.isEmpty()) {
        selectData(*input_, keepInput, keepInput);
    }
    if (!keepOutput.isEmpty()) {
        selectData(*output_, keepOutput, keepOutput);
    }
    if (!apiInfo_.problem.empty()) {
        showMessage(toSentence(apiInfo_.problem), false);
    } else if (!message_->property("isError").toBool()) {
        showMessage({}, false);
    }
    updateLatency();
}

void DevicePanel::selectData(QComboBox& combo, const QString& value, const QString& label) {
    int index = combo.findData(value);
    if (index < 0) {
        combo.insertItem(combo.count() - 1, label, value);
        index = combo.findData(value);
    }
    combo.setCurrentIndex(index);
}

void DevicePanel::refreshDevices() {
    const std::string apiBefore = apiInfo_.id;
    const QStringList outputsBefore = outputDeviceNames();
    populateApis();
    populateDevices(input_->currentData().toString(), output_->currentData().toString());
    if (apiInfo_.id != apiBefore) {
        return;  // another API's devices did not "appear"
    }
    QStringList appeared;
    for (const QString& name : outputDeviceNames()) {
        if (!outputsBefore.contains(name)) {
            appeared << name;
        }
    }
    if (!appeared.isEmpty()) {
        Q_EMIT outputDevicesAppeared(appeared);
    }
}

core::StreamConfig DevicePanel::config() const {
    core::StreamConfig c;
    c.source = source_->currentData().toString().toStdString();
    c.api = api_->currentData().toString().toStdString();
    c.inputDevice = input_->currentData().toString().toStdString();
    c.outputDevice = output_->currentData().toString().toStdString();
    c.channels = static_cast<unsigned>(channels_->value());
    c.sampleRate = rate_->currentData().toUInt();
    c.blockFrames = block_->currentData().toUInt();
    return c;
}

void DevicePanel::setConfig(const core::StreamConfig& c) {
    if (!c.source.empty()) {
        const QString spec = QString::fromStdString(c.source);
        QString label = spec;
        if (spec.startsWith("file:")) {
            label = tr("File: %1").arg(QFileInfo(spec.mid(5)).fileName());
        } else if (spec.startsWith("sine:")) {
            label = tr("Test: sine %1 Hz").arg(spec.mid(5));
        }
        selectData(*source_, spec, label);
        lastSourceIndex_ = source_->currentIndex();
    }
    {
        const QSignalBlocker block(api_);
        selectData(*api_, QString::fromStdString(c.api), QString::fromStdString(c.api));
    }
    populateDevices(QString::fromStdString(c.inputDevice), QString::fromStdString(c.outputDevice));
    channels_->setValue(static_cast<int>(c.channels));
    if (rate_->findData(c.sampleRate) < 0) {
        rate_->addItem(tr("%1 Hz").arg(c.sampleRate), c.sampleRate);
    }
    rate_->setCurrentIndex(rate_->findData(c.sampleRate));
    const int blockIndex = block_->findData(c.blockFrames);
    if (blockIndex >= 0) {
        block_->setCurrentIndex(blockIndex);
    }
    updateLatency();
}

bool DevicePanel::virtualMicrophone() const {
    return virtualMic_->isChecked();
}

QString DevicePanel::virtualMicrophoneName() const {
    return stream_.virtualMicrophoneName();
}

void DevicePanel::setVirtualMicrophone(bool on, const QString& name) {
    {
        const QSignalBlocker block(virtualMic_);
        virtualMic_->setChecked(on);
    }
    stream_.setVirtualMicrophone(on, name);
}

QStringList DevicePanel::outputDeviceNames() const {
    QStringList names;
    for (const core::DeviceInfo& d : apiInfo_.devices) {
        if (d.outputChannels > 0) {
            names << QString::fromStdString(d.name);
        }
    }
    return names;
}

QString DevicePanel::message() const {
    return message_->isHidden() ? QString() : message_->text();
}

QString DevicePanel::latencyText() const {
    return latency_->text();
}

void DevicePanel::showMessage(const QString& text, bool isError) {
    message_->setText(text);
    message_->setProperty("isError", isError && !text.isEmpty());
    message_->setStyleSheet(isError ? "color: #ff7a7a; font-weight: 600;" : "color: #f0c040;");
    message_->setVisible(!text.isEmpty());
}

void DevicePanel::toggleStream() {
    if (stream_.isRunning()) {
        stream_.stop();
        return;
    }
    showMessage({}, false);
    stream_.start(config());
    updateRunningState();
}

void DevicePanel::updateLatency() {
    const double rate = rate_->currentData().toDouble();
    const double block = block_->currentData().toDouble();
    const auto latencyMs = [&](unsigned frames, unsigned sampleRate) {
        return 1000.0 * (frames + stream_.engine().processor().chainLatencyFrames()) / sampleRate;
    };
    if (stream_.isRunning()) {
        const core::StreamInfo& info = stream_.engine().streamInfo();
        latency_->setText(tr("Running · %1 Hz · %2 frames · latency %3 ms")
                              .arg(info.sampleRate)
                              .arg(info.blockFrames)
                              .arg(latencyMs(info.latencyFrames(), info.sampleRate), 0, 'f', 1));
        return;
    }
    // JACK tells its rate, period and port latencies before anything opens: the same figures as
    // once running.
    if (const auto expected = core::AudioEngine::expectedStream(config());
        expected && expected->sampleRate > 0) {
        latency_->setText(
            tr("%1 · %2 Hz · %3 frames · latency %4 ms")
                .arg(QString::fromStdString(expected->apiDisplayName))
                .arg(expected->sampleRate)
                .arg(expected->blockFrames)
                .arg(latencyMs(expected->deviceLatencyFrames, expected->sampleRate), 0, 'f', 1));
        return;
    }
    if (block <= 0.0) {
        latency_->clear();
        return;
    }
    if (rate <= 0.0) {
        latency_->setText(tr("One block is %1 frames; the latency in ms follows from the "
                             "device's rate")
                              .arg(block));
        return;
    }
    const double blockMs = 1000.0 * block / rate;
    // Input to output: one block to gather, one to play; duplex APIs may add a period each way.
    latency_->setText(tr("Block %1 ms · input to output ≈ %2 ms")
                          .arg(blockMs, 0, 'f', 1)
                          .arg(2.0 * blockMs, 0, 'f', 1));
}

void DevicePanel::updateRunningState() {
    const bool running = stream_.isRunning();
    startButton_->setText(running ? tr("Stop") : tr("Start"));
    startButton_->setStyleSheet(running ? "QPushButton { background: #7a2a2a; font-weight: 600; }"
                                        : "QPushButton { background: #2a6a3e; font-weight: 600; }");
    for (QWidget* w : std::initializer_list<QWidget*>{source_, api_, input_, output_, channels_,
                                                      rate_, block_, refresh_}) {
        w->setEnabled(!running);
    }
    updateLatency();
}

}  // namespace liverack::ui
