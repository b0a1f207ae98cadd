#include "core/engine/RtAudioBackend.h"

#include <algorithm>

#include "core/engine/AlsaMessages.h"
#include "core/engine/BoundedCall.h"
#include "core/engine/EngineProcessor.h"
#include "core/engine/StreamConfig.h"

namespace liverack::core {
namespace {

constexpr auto kStopBound = std::chrono::seconds(1);

std::string noDevicesProblem(const std::string& api) {
    if (api == "alsa") {
        return "ALSA finds no sound card";
    }
    return "it lists no devices";
}

}  // namespace

std::vector<std::string> RtAudioBackend::apis() {
    AlsaMessages::capture();
    std::vector<std::string> ids;
    std::vector<RtAudio::Api> apis;
    RtAudio::getCompiledApi(apis);
    for (RtAudio::Api api : apis) {
        if (api != RtAudio::RTAUDIO_DUMMY && api != RtAudio::UNIX_JACK &&
            api != RtAudio::LINUX_PULSE) {
            ids.push_back(RtAudio::getApiName(api));
        }
    }
    return ids;
}

ApiInfo RtAudioBackend::listDevices(const std::string& apiId) {
    AlsaMessages::capture();
    ApiInfo info;
    info.id = apiId;
    const RtAudio::Api api = RtAudio::getCompiledApiByName(apiId);
    if (api == RtAudio::UNSPECIFIED || api == RtAudio::UNIX_JACK) {
        info.displayName = apiId;
        info.problem = "this build of LiveRack has no '" + apiId + "' audio API";
        return info;
    }
    info.displayName = RtAudio::getApiDisplayName(api);
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

Result<std::unique_ptr<RtAudioBackend>> RtAudioBackend::open(const Request& request,
                                                             EngineProcessor& processor) {
    std::string error;
    auto audio = rtcompat::create(RtAudio::getCompiledApiByName(request.api), error);
    if (!audio) {
        return Error{"cannot start " + request.apiDisplayName + ": " + error};
    }
    RtAudio::StreamParameters inParams;
    RtAudio::StreamParameters outParams;
    if (request.input) {
        inParams.deviceId = request.input->id;
        inParams.nChannels = request.inputChannels;
    }
    if (request.output) {
        outParams.deviceId = request.output->id;
        outParams.nChannels = request.outputChannels;
    }
    RtAudio::StreamOptions options;
    options.flags = RTAUDIO_NONINTERLEAVED | RTAUDIO_SCHEDULE_REALTIME;
    options.streamName = request.clientName;

    std::unique_ptr<RtAudioBackend> backend(new RtAudioBackend(
        std::move(audio), processor, request.inputChannels, request.outputChannels));
    unsigned blockFrames = request.blockFrames;
    const std::string openError =
        rtcompat::openStream(*backend->audio_, request.output ? &outParams : nullptr,
                             request.input ? &inParams : nullptr, request.sampleRate, &blockFrames,
                             &RtAudioBackend::callback, backend.get(), &options);
    if (!openError.empty()) {
        return Error{"cannot open the " + request.apiDisplayName + " stream: " + openError};
    }
    if (blockFrames < 1 || blockFrames > StreamConfig::kMaxBlockFrames) {
        return Error{request.apiDisplayName + " imposed a block of " + std::to_string(blockFrames) +
                     " frames, which LiveRack does not support (32 to 4096)"};
    }
    backend->blockFrames_ = blockFrames;
    const long latency = backend->audio_->getStreamLatency();
    backend->streamLatency_ = latency > 0 ? static_cast<unsigned>(latency) : 0;
    return backend;
}

RtAudioBackend::RtAudioBackend(std::unique_ptr<RtAudio> audio, EngineProcessor& processor,
                               unsigned inputChannels, unsigned outputChannels)
    : audio_(std::move(audio)),
      processor_(processor),
      inputChannels_(inputChannels),
      outputChannels_(outputChannels),
      inputPointers_(std::max(1u, inputChannels)),
      outputPointers_(std::max(1u, outputChannels)) {}

RtAudioBackend::~RtAudioBackend() {
    stop();
    if (abandoned_) {
        (void)audio_.release();  // its thread may still be inside it
        return;
    }
    if (audio_->isStreamOpen()) {
        rtcompat::call(*audio_, [](RtAudio& a) {
            a.closeStream();
            return decltype(a.startStream())();
        });
    }
}

int RtAudioBackend::callback(void* output, void* input, unsigned int frames, double /*streamTime*/,
                             RtAudioStreamStatus status, void* user) {
    auto* self = static_cast<RtAudioBackend*>(user);
    return self->process(static_cast<float*>(output), static_cast<const float*>(input), frames,
                         status != 0);
}

std::string RtAudioBackend::start() {
    return rtcompat::call(*audio_, [](RtAudio& a) { return a.startStream(); });
}

// RtAudio's stop waits for its callback thread, which may be stuck in a driver: bounded at a
// second.
void RtAudioBackend::stop() {
    if (!isRunning() || abandoned_) {
        return;
    }
    RtAudio* audio = audio_.get();
    if (!callWithin(kStopBound, [audio] {
            rtcompat::call(*audio, [](RtAudio& a) { return a.stopStream(); });
        })) {
        abandoned_ = true;
    }
}

bool RtAudioBackend::isRunning() const {
    return isAlive() && audio_->isStreamRunning();
}

bool RtAudioBackend::isAlive() const {
    return audio_->isStreamOpen();
}

int RtAudioBackend::process(float* output, const float* input, unsigned frames,
                            bool xrun) noexcept {
    if (frames > StreamConfig::kMaxBlockFrames * 64u) {
        return 0;  // nonsense from the driver: skip rather than overrun the pointer arrays
    }
    // Non-interleaved buffers are one block per channel, back to back.
    for (unsigned c = 0; c < inputChannels_; ++c) {
        inputPointers_[c] = input != nullptr ? input + static_cast<size_t>(c) * frames : nullptr;
    }
    for (unsigned c = 0; c < outputChannels_; ++c) {
        outputPointers_[c] = output + static_cast<size_t>(c) * frames;
    }
    processor_.process(input != nullptr && inputChannels_ > 0 ? inputPointers_.data() : nullptr,
                       inputChannels_,
                       output != nullptr && outputChannels_ > 0 ? outputPointers_.data() : nullptr,
                       outputChannels_, frames, xrun);
    return 0;
}

}  // namespace liverack::core
