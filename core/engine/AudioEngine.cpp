#include "core/engine/AudioEngine.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <mutex>
#include <thread>

#include "core/engine/AlsaMessages.h"
#include "core/engine/JackShutdownWatch.h"
#include "core/engine/RtAudioCompat.h"
#include "core/io/SourceFactory.h"

namespace liverack::core {
namespace {

constexpr const char* kNullApi = "null";
constexpr double kStallSeconds = 2.0;

std::string lowercase(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string joinRates(const std::vector<unsigned>& rates) {
    std::string text;
    for (unsigned r : rates) {
        text += (text.empty() ? "" : ", ") + std::to_string(r);
    }
    return text + " Hz";
}

std::string deviceNames(const std::vector<DeviceInfo>& devices, bool input) {
    std::string text;
    for (const auto& d : devices) {
        if ((input ? d.inputChannels : d.outputChannels) > 0) {
            text += (text.empty() ? "" : ", ") + ("'" + d.name + "'");
        }
    }
    return text.empty() ? "(none)" : text;
}

std::string noDevicesProblem(const std::string& api) {
    if (api == "jack") {
        return "no JACK server is running; start one (for example with qjackctl) or choose "
               "ALSA or PulseAudio with --api alsa or --api pulse";
    }
    if (api == "alsa") {
        return "ALSA finds no sound card";
    }
    if (api == "pulse") {
        return "no PulseAudio (or PipeWire) server is running";
    }
    return "it lists no devices";
}

std::string displayNameOf(const std::string& apiId, RtAudio::Api api) {
    if (apiId == "jack") {
        return "JACK";
    }
    if (apiId == "pulse") {
        return "PulseAudio";
    }
    return RtAudio::getApiDisplayName(api);
}

ApiInfo nullApiInfo() {
    ApiInfo info;
    info.id = kNullApi;
    info.displayName = "Null (no device)";
    DeviceInfo device;
    device.name = "Null output";
    device.outputChannels = 8;
    device.sampleRates = {44100, 48000, 88200, 96000, 176400, 192000};
    device.preferredSampleRate = 48000;
    device.isDefaultOutput = true;
    info.devices.push_back(device);
    return info;
}

// Exact name first, then a unique case-insensitive substring.
Result<DeviceInfo> matchDevice(const ApiInfo& api, const std::string& wanted, bool input) {
    const auto hasChannels = [&](const DeviceInfo& d) {
        return (input ? d.inputChannels : d.outputChannels) > 0;
    };
    const char* role = input ? "input" : "output";
    if (wanted.empty()) {
        for (const auto& d : api.devices) {
            if (hasChannels(d) && (input ? d.isDefaultInput : d.isDefaultOutput)) {
                return d;
            }
        }
        for (const auto& d : api.devices) {
            if (hasChannels(d)) {
                return d;
            }
        }
        return Error{api.displayName + " has no " + role + " device" +
                     (api.problem.empty() ? "" : ": " + api.problem)};
    }
    for (const auto& d : api.devices) {
        if (hasChannels(d) && d.name == wanted) {
            return d;
        }
    }
    std::vector<DeviceInfo> matches;
    for (const auto& d : api.devices) {
        if (hasChannels(d) && lowercase(d.name).find(lowercase(wanted)) != std::string::npos) {
            matches.push_back(d);
        }
    }
    if (matches.size() == 1) {
        return matches.front();
    }
    if (matches.empty()) {
        return Error{"no " + std::string(role) + " device called '" + wanted + "' on " +
                     api.displayName + "; the " + role +
                     " devices are: " + deviceNames(api.devices, input) +
                     (api.problem.empty() ? "" : " (" + api.problem + ")")};
    }
    return Error{"'" + wanted + "' matches several " + role + " devices on " + api.displayName +
                 ": " + deviceNames(matches, input) + "; give more of the name"};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Backends: where the callbacks come from.

class AudioEngine::Backend {
public:
    virtual ~Backend() = default;
    virtual std::string start() = 0;
    virtual void stop() = 0;
    virtual bool isRunning() const = 0;
    // False once the stream has been torn down under us (e.g. the JACK server shut down).
    virtual bool isAlive() const = 0;
};

class AudioEngine::RtBackend final : public Backend {
public:
    RtBackend(std::unique_ptr<RtAudio> audio, EngineProcessor& processor, unsigned inputChannels,
              unsigned outputChannels, unsigned maxFrames)
        : audio_(std::move(audio)),
          processor_(processor),
          inputChannels_(inputChannels),
          outputChannels_(outputChannels),
          inputPointers_(std::max(1u, inputChannels)),
          outputPointers_(std::max(1u, outputChannels)),
          maxFrames_(maxFrames),
          jackShutdownsAtOpen_(JackShutdownWatch::shutdowns()) {}

    ~RtBackend() override {
        stop();
        if (audio_->isStreamOpen()) {
            rtcompat::call(*audio_, [](RtAudio& a) {
                a.closeStream();
                return decltype(a.startStream())();
            });
        }
    }

    RtAudio& audio() { return *audio_; }

    // The RtAudio callback: a static trampoline into the processor (RtAudio tests/duplex.cpp).
    static int callback(void* output, void* input, unsigned int frames, double /*streamTime*/,
                        RtAudioStreamStatus status, void* user) {
        auto* self = static_cast<RtBackend*>(user);
        return self->process(static_cast<float*>(output), static_cast<const float*>(input), frames,
                             status != 0);
    }

    std::string start() override {
        return rtcompat::call(*audio_, [](RtAudio& a) { return a.startStream(); });
    }

    // A stream whose server is gone is not stopped, only closed: RtAudio's stop would wait for a
    // last callback that never comes.
    void stop() override {
        if (isRunning()) {
            rtcompat::call(*audio_, [](RtAudio& a) { return a.stopStream(); });
        }
    }

    bool isRunning() const override { return isAlive() && audio_->isStreamRunning(); }
    // One JACK stream at a time per process, so any shutdown counted since the open is this one's.
    bool isAlive() const override {
        return audio_->isStreamOpen() && JackShutdownWatch::shutdowns() == jackShutdownsAtOpen_;
    }

private:
    int process(float* output, const float* input, unsigned frames, bool xrun) noexcept {
        if (frames > maxFrames_ * 64u) {
            return 0;  // nonsense from the driver: skip rather than overrun the pointer arrays
        }
        // Non-interleaved buffers are one block per channel, back to back.
        for (unsigned c = 0; c < inputChannels_; ++c) {
            inputPointers_[c] =
                input != nullptr ? input + static_cast<size_t>(c) * frames : nullptr;
        }
        for (unsigned c = 0; c < outputChannels_; ++c) {
            outputPointers_[c] = output + static_cast<size_t>(c) * frames;
        }
        processor_.process(
            input != nullptr && inputChannels_ > 0 ? inputPointers_.data() : nullptr,
            inputChannels_,
            output != nullptr && outputChannels_ > 0 ? outputPointers_.data() : nullptr,
            outputChannels_, frames, xrun);
        return 0;
    }

    std::unique_ptr<RtAudio> audio_;
    EngineProcessor& processor_;
    unsigned inputChannels_;
    unsigned outputChannels_;
    std::vector<const float*> inputPointers_;
    std::vector<float*> outputPointers_;
    unsigned maxFrames_;
    uint64_t jackShutdownsAtOpen_;
};

// No sound card, no server: a thread that calls the processor at the pace of real time, so the
// meters, spectrum and tuner still run on the built-in test signal.
class AudioEngine::NullBackend final : public Backend {
public:
    NullBackend(EngineProcessor& processor, unsigned sampleRate, unsigned blockFrames,
                unsigned channels)
        : processor_(processor),
          sampleRate_(sampleRate),
          blockFrames_(blockFrames),
          output_(channels, blockFrames) {}
    ~NullBackend() override { stop(); }

    std::string start() override {
        if (running_.exchange(true)) {
            return {};
        }
        thread_ = std::thread([this] { run(); });
        return {};
    }

    void stop() override {
        if (running_.exchange(false) && thread_.joinable()) {
            thread_.join();
        }
    }

    bool isRunning() const override { return running_.load(); }
    bool isAlive() const override { return true; }

private:
    void run() {
        using Clock = std::chrono::steady_clock;
        const auto period = std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(double(blockFrames_) / sampleRate_));
        std::vector<float*> pointers(output_.channelCount());
        for (uint32_t c = 0; c < output_.channelCount(); ++c) {
            pointers[c] = output_.channel(c);
        }
        auto next = Clock::now();
        while (running_.load()) {
            processor_.process(nullptr, 0, pointers.data(), output_.channelCount(), blockFrames_,
                               false);
            next += period;
            if (Clock::now() > next + 10 * period) {
                next = Clock::now();  // the machine stalled: resynchronise instead of racing
            }
            std::this_thread::sleep_until(next);
        }
    }

    EngineProcessor& processor_;
    unsigned sampleRate_;
    unsigned blockFrames_;
    AudioBuffer output_;
    std::atomic<bool> running_{false};
    std::thread thread_;
};

// ---------------------------------------------------------------------------------------------

AudioEngine::AudioEngine() : processor_(std::make_unique<EngineProcessor>()) {}

AudioEngine::~AudioEngine() {
    close();
}

std::vector<std::string> AudioEngine::availableApis() {
    AlsaMessages::capture();
    std::vector<std::string> ids;
    std::vector<RtAudio::Api> apis;
    RtAudio::getCompiledApi(apis);
    for (RtAudio::Api api : apis) {
        if (api != RtAudio::RTAUDIO_DUMMY) {
            ids.push_back(RtAudio::getApiName(api));
        }
    }
    ids.emplace_back(kNullApi);
    return ids;
}

ApiInfo AudioEngine::listDevices(const std::string& apiId) {
    AlsaMessages::capture();
    if (apiId == kNullApi) {
        return nullApiInfo();
    }
    ApiInfo info;
    info.id = apiId;
    const RtAudio::Api api = RtAudio::getCompiledApiByName(apiId);
    if (api == RtAudio::UNSPECIFIED) {
        info.displayName = apiId;
        info.problem = "this build of LiveRack has no '" + apiId + "' audio API";
        return info;
    }
    info.displayName = displayNameOf(apiId, api);
    std::string error;
    auto audio = rtcompat::create(api, error);
    if (!audio) {
        info.problem = error;
        return info;
    }
    for (unsigned id : rtcompat::deviceIds(*audio)) {
        RtAudio::DeviceInfo rt;
        if (!rtcompat::deviceInfo(*audio, id, rt)) {
            continue;
        }
        DeviceInfo d;
        d.id = id;
        d.name = rt.name;
        d.inputChannels = rt.inputChannels;
        d.outputChannels = rt.outputChannels;
        d.sampleRates = rt.sampleRates;
        d.preferredSampleRate = rt.preferredSampleRate;
        d.isDefaultInput = rt.isDefaultInput;
        d.isDefaultOutput = rt.isDefaultOutput;
        info.devices.push_back(std::move(d));
    }
    if (info.devices.empty()) {
        info.problem = noDevicesProblem(apiId);
    }
    return info;
}

std::vector<ApiInfo> AudioEngine::listAllDevices() {
    std::vector<ApiInfo> all;
    for (const auto& id : availableApis()) {
        all.push_back(listDevices(id));
    }
    return all;
}

Status AudioEngine::open(const StreamConfig& config) {
    close();
    streamLost_.store(false);
    lostReason_.clear();

    if (config.blockFrames < StreamConfig::kMinBlockFrames ||
        config.blockFrames > StreamConfig::kMaxBlockFrames) {
        return Error{"the block size must be between " +
                     std::to_string(StreamConfig::kMinBlockFrames) + " and " +
                     std::to_string(StreamConfig::kMaxBlockFrames) + " frames, not " +
                     std::to_string(config.blockFrames)};
    }
    if (config.channels < 1 || config.channels > 32) {
        return Error{"the channel count must be between 1 and 32, not " +
                     std::to_string(config.channels)};
    }
    auto source = SourceFactory::create(config.source);
    if (!source) {
        return Error{source.error()};
    }

    // Which API: the one asked for, or the first compiled one that has an output device.
    std::string apiId = lowercase(config.api);
    ApiInfo api;
    if (apiId.empty()) {
        std::string problems;
        for (const auto& id : availableApis()) {
            if (id == kNullApi) {
                continue;
            }
            ApiInfo candidate = listDevices(id);
            const bool wantsOutput = config.outputDevice != StreamConfig::kNone;
            const bool hasOne = std::any_of(
                candidate.devices.begin(), candidate.devices.end(), [&](const DeviceInfo& d) {
                    return wantsOutput ? d.outputChannels > 0 : d.inputChannels > 0;
                });
            if (hasOne) {
                api = std::move(candidate);
                break;
            }
            problems += (problems.empty() ? "" : "; ") + candidate.displayName + ": " +
                        (candidate.problem.empty() ? "no usable device" : candidate.problem);
        }
        if (api.id.empty()) {
            return Error{"no audio device found (" + problems + ")"};
        }
    } else {
        const auto apis = availableApis();
        if (std::find(apis.begin(), apis.end(), apiId) == apis.end()) {
            std::string names;
            for (const auto& a : apis) {
                names += (names.empty() ? "" : ", ") + a;
            }
            return Error{"unknown audio API '" + config.api + "'; this build has: " + names};
        }
        api = listDevices(apiId);
    }

    // Which devices.
    const bool useInput = config.inputDevice != StreamConfig::kNone && api.id != kNullApi &&
                          config.source == "device";
    const bool useOutput = config.outputDevice != StreamConfig::kNone;
    if (config.source == "device" && config.inputDevice == StreamConfig::kNone) {
        return Error{
            "the source is the device input, but --input is 'none'; choose an input "
            "device or a test signal (--source sine:440)"};
    }
    if (config.source == "device" && api.id == kNullApi) {
        return Error{
            "the null device has no input; choose a test signal (--source sine:440) "
            "or another audio API"};
    }
    std::optional<DeviceInfo> input;
    std::optional<DeviceInfo> output;
    if (useInput) {
        auto match = matchDevice(api, config.inputDevice, true);
        if (!match) {
            return Error{match.error()};
        }
        input = *match;
    }
    if (useOutput) {
        auto match = matchDevice(api, config.outputDevice, false);
        if (!match) {
            return Error{match.error()};
        }
        output = *match;
    }
    if (!input && !output) {
        return Error{"nothing to open: both input and output are 'none'"};
    }

    // Which rate: asked for, or the device's own.
    const DeviceInfo& primary = output ? *output : *input;
    unsigned rate = config.sampleRate;
    if (rate == 0) {
        rate = primary.preferredSampleRate != 0 ? primary.preferredSampleRate : 48000;
    }
    for (const DeviceInfo* d : {input ? &*input : nullptr, output ? &*output : nullptr}) {
        if (d != nullptr && !d->sampleRates.empty() &&
            std::find(d->sampleRates.begin(), d->sampleRates.end(), rate) == d->sampleRates.end()) {
            return Error{"'" + d->name + "' cannot run at " + std::to_string(rate) +
                         " Hz; it offers " + joinRates(d->sampleRates)};
        }
    }

    info_ = StreamInfo{};
    info_.api = api.id;
    info_.apiDisplayName = api.displayName;
    info_.channels = config.channels;
    info_.sampleRate = rate;
    info_.inputDevice = input ? input->name : "";
    info_.outputDevice = output ? output->name : "";
    info_.inputChannels = input ? std::min(config.channels, input->inputChannels) : 0;
    info_.outputChannels = output ? std::min(config.channels, output->outputChannels) : 0;
    info_.source = source.value() ? source.value()->description() : "device input";

    unsigned blockFrames = config.blockFrames;
    if (api.id == kNullApi) {
        info_.blockFrames = blockFrames;
        processor_->prepare({double(rate), blockFrames, config.channels},
                            std::move(source.value()));
        backend_ = std::make_unique<NullBackend>(*processor_, rate, blockFrames, config.channels);
        return {};
    }

    std::string error;
    auto audio = rtcompat::create(RtAudio::getCompiledApiByName(api.id), error);
    if (!audio) {
        return Error{"cannot start " + api.displayName + ": " + error};
    }
    RtAudio::StreamParameters inParams;
    RtAudio::StreamParameters outParams;
    if (input) {
        inParams.deviceId = input->id;
        inParams.nChannels = info_.inputChannels;
    }
    if (output) {
        outParams.deviceId = output->id;
        outParams.nChannels = info_.outputChannels;
    }
    RtAudio::StreamOptions options;
    options.flags = RTAUDIO_NONINTERLEAVED | RTAUDIO_SCHEDULE_REALTIME;
    if (!config.autoConnect) {
        options.flags |= RTAUDIO_JACK_DONT_CONNECT;
    }
    options.streamName = config.clientName;

    // The processor must be ready before the first callback, and RtAudio may change the block
    // size while opening (JACK imposes its period): prepare for the largest allowed block.
    processor_->prepare({double(rate), StreamConfig::kMaxBlockFrames, config.channels},
                        std::move(source.value()));
    auto backend = std::make_unique<RtBackend>(std::move(audio), *processor_, info_.inputChannels,
                                               info_.outputChannels, StreamConfig::kMaxBlockFrames);
    const std::string openError = rtcompat::openStream(
        backend->audio(), output ? &outParams : nullptr, input ? &inParams : nullptr, rate,
        &blockFrames, &RtBackend::callback, backend.get(), &options);
    if (!openError.empty()) {
        std::string hint;
        if (api.id == "jack") {
            hint = " (is the JACK server still running?)";
        } else if (api.id == "pulse") {
            hint = " (is a PulseAudio or PipeWire server running? try --api alsa or --api jack)";
        }
        return Error{"cannot open the " + api.displayName + " stream: " + openError + hint};
    }
    if (blockFrames < 1 || blockFrames > StreamConfig::kMaxBlockFrames) {
        return Error{api.displayName + " imposed a block of " + std::to_string(blockFrames) +
                     " frames, which LiveRack does not support (32 to 4096)"};
    }
    info_.blockFrames = blockFrames;
    const long latency = backend->audio().getStreamLatency();
    info_.deviceLatencyFrames = latency > 0 ? static_cast<unsigned>(latency) : 0;
    backend_ = std::move(backend);
    return {};
}

Status AudioEngine::start(double fadeInSeconds) {
    if (!backend_) {
        return Error{"no stream is open; open one first"};
    }
    if (backend_->isRunning()) {
        return {};
    }
    processor_->requestFadeIn(fadeInSeconds);
    const std::string error = backend_->start();
    if (!error.empty()) {
        return Error{"cannot start the " + info_.apiDisplayName + " stream: " + error};
    }
    lastProgress_ = std::chrono::steady_clock::now();
    lastCallbacks_ = processor_->stats().snapshot(info_.sampleRate).callbacks;
    return {};
}

void AudioEngine::stop() {
    if (!backend_ || !backend_->isRunning()) {
        return;
    }
    // Fade out before stopping, so stopping never clicks. Bounded: a dead stream cannot fade.
    processor_->requestFadeOut();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(250);
    while (!processor_->isFadedOut() && backend_->isAlive() &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    backend_->stop();
    processor_->streamStopped();
}

void AudioEngine::close() {
    stop();
    backend_.reset();
    processor_->collectGarbage();
}

bool AudioEngine::isOpen() const noexcept {
    return backend_ != nullptr;
}
bool AudioEngine::isRunning() const noexcept {
    return backend_ && backend_->isRunning();
}

void AudioEngine::poll() {
    processor_->collectGarbage();
    if (!backend_ || streamLost_.load()) {
        return;
    }
    if (!backend_->isAlive()) {
        std::lock_guard lock(lostMutex_);
        lostReason_ = info_.api == "jack"
                          ? "the JACK server shut down or disconnected LiveRack; the stream stopped"
                          : "the audio device went away; the stream stopped";
        streamLost_.store(true);
        return;
    }
    if (!backend_->isRunning()) {
        return;
    }
    const uint64_t callbacks = processor_->stats().snapshot(info_.sampleRate).callbacks;
    const auto now = std::chrono::steady_clock::now();
    if (callbacks != lastCallbacks_) {
        lastCallbacks_ = callbacks;
        lastProgress_ = now;
    } else if (now - lastProgress_ > std::chrono::duration<double>(kStallSeconds)) {
        std::lock_guard lock(lostMutex_);
        lostReason_ = "the " + info_.apiDisplayName +
                      " stream stopped delivering audio (the device or server may be gone)";
        streamLost_.store(true);
    }
}

std::string AudioEngine::streamLostReason() const {
    std::lock_guard lock(lostMutex_);
    return lostReason_;
}

EngineStatsSnapshot AudioEngine::stats() const noexcept {
    EngineStatsSnapshot s = processor_->stats().snapshot(info_.sampleRate);
    s.droppedAnalysisFrames = processor_->droppedAnalysisFrames();
    return s;
}

}  // namespace liverack::core
