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
    // JACK: an input for the far end of a call (what the speakers play), handed to the effects as
    // their reference (echo cancellation) in the same cycle as the input: ports
    // "<client>:refport 1" ..., one per processing channel. The other APIs have none, and the
    // effects get an empty reference.
    bool referenceInput = false;
    // JACK (implies referenceInput): what the reference ports are connected to at start, even
    // with autoConnect off, as it is named. Matched against the output ports: a port's full name
    // ("Dummy Output:monitor_FL"); else a client's name ("Firefox"), taking its monitor ports if
    // it has any (on PipeWire a sink's monitor is what it plays), else its output ports; else
    // every port whose full name contains it, ignoring case ("dummy output:monitor"). Fewer
    // ports than channels repeat the last (a mono far end feeds every channel). "" = unconnected.
    std::string reference;
    bool wantsReference() const noexcept { return referenceInput || !reference.empty(); }
};

}  // namespace liverack::core
