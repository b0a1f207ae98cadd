#include "core/engine/AudioEngine.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <mutex>
#include <thread>
#include <utility>

#include "core/engine/JackBackend.h"
#include "core/engine/NullBackend.h"
#include "core/engine/PulseBackend.h"
#include "core/engine/PulseServer.h"
#include "core/engine/RtAudioBackend.h"
#include "core/io/SourceFactory.h"

namespace liverack::core {
namespace {

constexpr const char* kNullApi = "null";
constexpr const char* kJackApi = "jack";
constexpr const char* kPulseApi = "pulse";
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

JackBackend::Request jackRequest(const StreamConfig& config, const StreamInfo& info) {
    JackBackend::Request request;
    request.clientName = config.clientName;
    request.sampleRate = info.sampleRate;
    request.inputChannels = info.inputChannels;
    request.outputChannels = info.outputChannels;
    request.inputDevice = info.inputDevice;
    request.outputDevice = info.outputDevice;
    request.autoConnect = config.autoConnect;
    request.blockFrames = config.blockFrames;
    request.inputNamed = !config.inputDevice.empty();
    request.referenceChannels = config.wantsReference() ? config.channels : 0;
    request.reference = config.reference;
    return request;
}

}  // namespace

AudioEngine::AudioEngine() : processor_(std::make_unique<EngineProcessor>()) {}

AudioEngine::~AudioEngine() {
    close();
}

std::vector<std::string> AudioEngine::availableApis() {
    std::vector<std::string> ids{kJackApi};
    for (auto& id : RtAudioBackend::apis()) {
        ids.push_back(std::move(id));
    }
    ids.emplace_back(kPulseApi);
    ids.emplace_back(kNullApi);
    return ids;
}

ApiInfo AudioEngine::listDevices(const std::string& apiId) {
    if (apiId == kNullApi) {
        return NullBackend::listDevices();
    }
    if (apiId == kJackApi) {
        return JackBackend::listDevices();
    }
    if (apiId == kPulseApi) {
        return PulseServer::listDevices();
    }
    return RtAudioBackend::listDevices(apiId);
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
        info_.deviceLatencyFrames = backend_->deviceLatencyFrames();
        return {};
    }

    // The processor must be ready before the first callback, and the system may choose another
    // block size (JACK imposes its period and may change it while streaming): prepare for the
    // largest allowed block; larger ones are split.
    processor_->prepare({double(rate), StreamConfig::kMaxBlockFrames, config.channels},
                        std::move(source.value()));
    if (api.id == kJackApi) {
        auto backend = JackBackend::open(jackRequest(config, info_), *processor_);
        if (!backend) {
            return Error{backend.error()};
        }
        info_.referenceChannels = config.wantsReference() ? config.channels : 0;
        for (const auto& port : (*backend)->referencePeers()) {
            info_.reference += (info_.reference.empty() ? "" : ", ") + port;
        }
        backend_ = std::move(*backend);
    } else if (api.id == kPulseApi) {
        PulseBackend::Request request;
        request.clientName = config.clientName;
        request.sampleRate = rate;
        request.blockFrames = blockFrames;
        request.input = input;
        request.output = output;
        request.inputChannels = info_.inputChannels;
        request.outputChannels = info_.outputChannels;
        request.inputNamed = !config.inputDevice.empty();
        auto backend = PulseBackend::open(request, *processor_);
        if (!backend) {
            return Error{backend.error()};
        }
        backend_ = std::move(*backend);
    } else {
        RtAudioBackend::Request request;
        request.api = api.id;
        request.apiDisplayName = api.displayName;
        request.clientName = config.clientName;
        request.sampleRate = rate;
        request.blockFrames = blockFrames;
        request.input = input;
        request.output = output;
        request.inputChannels = info_.inputChannels;
        request.outputChannels = info_.outputChannels;
        auto backend = RtAudioBackend::open(request, *processor_);
        if (!backend) {
            return Error{backend.error()};
        }
        backend_ = std::move(*backend);
    }
    info_.blockFrames = backend_->blockFrames();
    info_.deviceLatencyFrames = backend_->deviceLatencyFrames();
    return {};
}

std::optional<AudioEngine::ExpectedStream> AudioEngine::expectedStream(const StreamConfig& config) {
    const std::string apiId = lowercase(config.api);
    if (apiId != kJackApi && !apiId.empty()) {
        return std::nullopt;
    }
    const ApiInfo api = JackBackend::listDevices();
    const bool useInput = config.inputDevice != StreamConfig::kNone && config.source == "device";
    const bool useOutput = config.outputDevice != StreamConfig::kNone;
    StreamInfo info;
    if (useInput) {
        auto match = matchDevice(api, config.inputDevice, true);
        if (!match) {
            return std::nullopt;
        }
        info.inputDevice = match->name;
        info.inputChannels = std::min(config.channels, match->inputChannels);
        info.sampleRate = match->preferredSampleRate;
    }
    if (useOutput) {
        auto match = matchDevice(api, config.outputDevice, false);
        if (!match) {
            return std::nullopt;  // also what makes Automatic choose another API
        }
        info.outputDevice = match->name;
        info.outputChannels = std::min(config.channels, match->outputChannels);
        info.sampleRate = match->preferredSampleRate;
    }
    if (config.sampleRate != 0 && config.sampleRate != info.sampleRate) {
        return std::nullopt;  // the stream would be refused
    }
    auto frames = JackBackend::expectedDeviceLatencyFrames(jackRequest(config, info));
    if (!frames) {
        return std::nullopt;
    }
    return ExpectedStream{api.displayName, info.sampleRate, api.blockFrames, *frames};
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
    if (backend_->abandoned()) {
        abandonBackend();
        return;
    }
    processor_->streamStopped();
}

void AudioEngine::close() {
    stop();
    if (backend_ && backend_->abandoned()) {
        abandonBackend();
    }
    backend_.reset();
    processor_->collectGarbage();
}

// The system may still call the backend, and the backend the processor: both are left alive for
// the rest of the process, and the engine carries on with a fresh processor it can report from.
void AudioEngine::abandonBackend() {
    abandoned_ = true;
    // Kept where the leak checker sees them in use (they are: the system may still call them).
    static std::atomic<size_t> count{0};
    static std::array<std::pair<AudioBackend*, EngineProcessor*>, 64> abandonedStreams{};
    const size_t slot = count.fetch_add(1) % abandonedStreams.size();
    abandonedStreams[slot] = {backend_.release(), processor_.release()};
    processor_ = std::make_unique<EngineProcessor>();
    std::lock_guard lock(lostMutex_);
    lostReason_ =
        "the " + info_.apiDisplayName + " stream did not stop within a second and was abandoned";
    streamLost_.store(true);
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
        const std::string reason = backend_->lostReason();
        std::lock_guard lock(lostMutex_);
        lostReason_ = reason.empty() ? "the audio device went away; the stream stopped" : reason;
        streamLost_.store(true);
        return;
    }
    backend_->publishChainLatency(processor_->chainLatencyFrames());
    info_.blockFrames = backend_->blockFrames();
    info_.deviceLatencyFrames = backend_->deviceLatencyFrames();
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
    s.droppedAnalysisFrames = processor_->taps().droppedAnalysisFrames();
    return s;
}

}  // namespace liverack::core
