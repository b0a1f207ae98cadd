#include "ui/StreamController.h"

#include "core/analysis/AnalysisEngine.h"
#include "core/engine/VirtualMicrophone.h"

namespace liverack::ui {

QString toSentence(const std::string& message) {
    QString s = QString::fromStdString(message).trimmed();
    if (s.isEmpty()) {
        return s;
    }
    s[0] = s[0].toUpper();
    if (!s.endsWith('.') && !s.endsWith('!') && !s.endsWith('?')) {
        s += '.';
    }
    return s;
}

StreamController::StreamController(core::AudioEngine& engine, QObject* parent)
    : QObject(parent),
      engine_(engine),
      mic_(std::make_unique<core::VirtualMicrophone>(engine.processor().taps())) {}

StreamController::~StreamController() {
    mic_->stop();  // it reads the engine's rings too
    // The analysis thread reads the engine's rings: it goes first.
    if (analysis_) {
        analysis_->stop();
    }
    analysis_.reset();
    engine_.close();
}

bool StreamController::start(const core::StreamConfig& config, double fadeInSeconds) {
    if (engine_.isOpen()) {
        stop();
    }
    config_ = config;
    if (const core::Status opened = engine_.open(config); !opened) {
        Q_EMIT errorOccurred(toSentence(opened.error()));
        return false;
    }
    // The rings are made by open() (the processor's prepare), so the analysis comes after it.
    const core::StreamInfo& info = engine_.streamInfo();
    auto& processor = engine_.processor();
    analysis_ = std::make_unique<core::AnalysisEngine>(processor.taps().analysis(core::Tap::Pre),
                                                       processor.taps().analysis(core::Tap::Post));
    Q_EMIT analysisChanged(analysis_.get());  // views apply their settings before it runs
    analysis_->start(info.sampleRate, info.channels);
    if (const core::Status started = engine_.start(fadeInSeconds); !started) {
        analysis_->stop();
        analysis_.reset();
        Q_EMIT analysisChanged(nullptr);
        engine_.close();
        Q_EMIT errorOccurred(toSentence(started.error()));
        return false;
    }
    Q_EMIT started();
    startVirtualMicrophone();
    return true;
}

void StreamController::stop(const QString& reason) {
    const bool wasOpen = engine_.isOpen();
    if (wasOpen) {
        Q_EMIT stopping();
    }
    stopVirtualMicrophone();
    engine_.stop();
    if (analysis_) {
        analysis_->stop();
        analysis_.reset();
        Q_EMIT analysisChanged(nullptr);
    }
    engine_.close();
    if (wasOpen) {
        Q_EMIT stopped(reason);
    }
}

void StreamController::poll() {
    engine_.poll();
    if (engine_.isOpen() && engine_.streamLost()) {
        const QString why = toSentence(engine_.streamLostReason());
        stop(why);
        Q_EMIT errorOccurred(why);
    }
}

bool StreamController::virtualMicrophoneRunning() const noexcept {
    return mic_->isRunning();
}

void StreamController::setVirtualMicrophone(bool wanted, const QString& name) {
    const bool renamed = name != micName_;
    micWanted_ = wanted;
    micName_ = name;
    if (!wanted || renamed) {
        stopVirtualMicrophone();
    }
    if (wanted && engine_.isRunning() && !mic_->isRunning()) {
        startVirtualMicrophone();
    }
}

void StreamController::startVirtualMicrophone() {
    if (!micWanted_ || mic_->isRunning()) {
        return;
    }
    const std::string name = micName_.isEmpty() ? std::string(core::VirtualMicrophone::kDefaultName)
                                                : micName_.toStdString();
    // Blocks for at most the connection's timeout; PipeWire answers in milliseconds when it runs.
    if (const core::Status offered = mic_->start(name, engine_.streamInfo().blockFrames);
        !offered) {
        Q_EMIT virtualMicrophoneChanged(false, toSentence(offered.error()));
        return;
    }
    Q_EMIT virtualMicrophoneChanged(true, {});
}

void StreamController::stopVirtualMicrophone() {
    if (mic_->isRunning()) {
        mic_->stop();
        Q_EMIT virtualMicrophoneChanged(false, {});
    }
}

}  // namespace liverack::ui
