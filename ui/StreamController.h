// The stream's life as the window sees it: open + start the engine and the analysis thread
// together (and the virtual microphone, when wanted), stop them together, poll for a lost stream
// and say why. Every failure leaves here as a sentence (errorOccurred, virtualMicrophoneChanged),
// never as an exception or a silent return.
#pragma once

#include <QObject>
#include <QString>

#include <memory>
#include <string>

#include "core/engine/AudioEngine.h"

namespace liverack::core {
class AnalysisEngine;
class VirtualMicrophone;
}  // namespace liverack::core

namespace liverack::ui {

// "the null device has no input; ..." -> "The null device has no input; ...".
QString toSentence(const std::string& message);

class StreamController : public QObject {
    Q_OBJECT

public:
    explicit StreamController(core::AudioEngine& engine, QObject* parent = nullptr);
    ~StreamController() override;

    core::AudioEngine& engine() noexcept { return engine_; }
    // Null while stopped.
    core::AnalysisEngine* analysis() noexcept { return analysis_.get(); }
    bool isRunning() const noexcept { return engine_.isRunning(); }
    const core::StreamConfig& lastConfig() const noexcept { return config_; }

    // Opens and starts with this configuration (stopping any running stream first), the output
    // fading in over `fadeInSeconds`. On failure emits errorOccurred and returns false; the
    // engine is left closed.
    bool start(const core::StreamConfig& config,
               double fadeInSeconds = core::SafetyStage::kFadeInSeconds);
    // Stops and closes; `reason` (may be empty) travels with the stopped() signal.
    void stop(const QString& reason = {});
    // Housekeeping for the GUI timer (~10 Hz): frees retired chains, notices a lost stream.
    void poll();

    // The virtual microphone for other programs (PipeWire): wanted or not, under `name` (empty:
    // the default). It runs with the stream: switched on now if the stream runs, else at the next
    // start; a failure leaves the stream running and says why (virtualMicrophoneChanged).
    void setVirtualMicrophone(bool wanted, const QString& name = {});
    bool virtualMicrophoneWanted() const noexcept { return micWanted_; }
    const QString& virtualMicrophoneName() const noexcept { return micName_; }
    bool virtualMicrophoneRunning() const noexcept;

Q_SIGNALS:
    // The analysis engine is new (after start) or gone (nullptr, after stop).
    void analysisChanged(core::AnalysisEngine* analysis);
    void started();
    // Emitted by stop() while the stream still runs, so a recording can take its last blocks
    // and close its files before the engine goes.
    void stopping();
    void stopped(const QString& reason);
    void errorOccurred(const QString& message);
    // The microphone started or stopped; `problem` is the sentence when it could not start.
    void virtualMicrophoneChanged(bool running, const QString& problem);

private:
    void startVirtualMicrophone();
    void stopVirtualMicrophone();

    core::AudioEngine& engine_;
    std::unique_ptr<core::AnalysisEngine> analysis_;
    std::unique_ptr<core::VirtualMicrophone> mic_;  // reads the engine's taps
    bool micWanted_ = false;
    QString micName_;
    core::StreamConfig config_;
};

}  // namespace liverack::ui
