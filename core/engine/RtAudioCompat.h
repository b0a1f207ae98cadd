// The one place that knows the RtAudio 5 and RtAudio 6 APIs differ: 5.x reports errors by
// throwing RtAudioError and numbers devices 0..n-1; 6.x returns error codes and has device ids.
// Everything else in the engine calls these functions and gets an error sentence or "".
#pragma once

#include <RtAudio.h>

#include <memory>
#include <string>
#include <vector>

#if defined(RTAUDIO_VERSION_MAJOR) && RTAUDIO_VERSION_MAJOR >= 6
#define LIVERACK_RTAUDIO6 1
#endif

namespace liverack::core::rtcompat {

inline std::unique_ptr<RtAudio> create(RtAudio::Api api, std::string& error) {
#ifdef LIVERACK_RTAUDIO6
    auto audio = std::make_unique<RtAudio>(api, [](RtAudioErrorType, const std::string&) {});
    audio->showWarnings(false);
    return audio;
#else
    try {
        auto audio = std::make_unique<RtAudio>(api);
        audio->showWarnings(false);
        return audio;
    } catch (const RtAudioError& e) {
        error = e.getMessage();
        return nullptr;
    }
#endif
}

inline std::vector<unsigned> deviceIds(RtAudio& audio) {
#ifdef LIVERACK_RTAUDIO6
    return audio.getDeviceIds();
#else
    std::vector<unsigned> ids;
    try {
        const unsigned count = audio.getDeviceCount();
        for (unsigned i = 0; i < count; ++i) {
            ids.push_back(i);
        }
    } catch (const RtAudioError&) {
    }
    return ids;
#endif
}

// False when the device could not be probed.
inline bool deviceInfo(RtAudio& audio, unsigned id, RtAudio::DeviceInfo& info) {
#ifdef LIVERACK_RTAUDIO6
    info = audio.getDeviceInfo(id);
    return info.ID == id && !info.name.empty();
#else
    try {
        info = audio.getDeviceInfo(id);
        return info.probed;
    } catch (const RtAudioError&) {
        return false;
    }
#endif
}

inline std::string openStream(RtAudio& audio, RtAudio::StreamParameters* output,
                              RtAudio::StreamParameters* input, unsigned sampleRate,
                              unsigned* blockFrames, RtAudioCallback callback, void* userData,
                              RtAudio::StreamOptions* options) {
#ifdef LIVERACK_RTAUDIO6
    if (audio.openStream(output, input, RTAUDIO_FLOAT32, sampleRate, blockFrames, callback,
                         userData, options) != RTAUDIO_NO_ERROR) {
        return audio.getErrorText();
    }
    return {};
#else
    try {
        audio.openStream(output, input, RTAUDIO_FLOAT32, sampleRate, blockFrames, callback,
                         userData, options);
        return {};
    } catch (const RtAudioError& e) {
        return e.getMessage();
    }
#endif
}

// Runs one of startStream/stopStream/closeStream/abortStream and returns "" or the error.
template <typename Call>
std::string call(RtAudio& audio, Call&& call) {
#ifdef LIVERACK_RTAUDIO6
    if (call(audio) != RTAUDIO_NO_ERROR) {
        return audio.getErrorText();
    }
    return {};
#else
    try {
        call(audio);
        return {};
    } catch (const RtAudioError& e) {
        return e.getMessage();
    }
#endif
}

}  // namespace liverack::core::rtcompat
