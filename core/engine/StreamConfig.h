// Everything needed to open a stream, as the command line and the device panel express it.
#pragma once

#include <string>

namespace liverack::core {

struct StreamConfig {
    static constexpr unsigned kMinBlockFrames = 32;
    static constexpr unsigned kMaxBlockFrames = 4096;
    static constexpr const char* kNone = "none";

    std::string api;  // "" = the first compiled API that has devices; or jack/alsa/pulse/null
    std::string inputDevice;   // "" = default; "none" = no input; else exact, then substring match
    std::string outputDevice;  // "" = default; "none" = no output
    unsigned sampleRate = 48000;  // 0 = the output (or input) device's preferred rate
    unsigned blockFrames = 256;
    unsigned channels = 2;          // processing channels
    bool autoConnect = true;        // JACK: connect to the system ports
    std::string source = "device";  // see SourceFactory
    std::string clientName = "liverack";
};

}  // namespace liverack::core
