// What a PulseAudio server (or PipeWire's pulse server) offers: its sinks and sources, which are
// the defaults, which source is whose monitor, and its rate. Asked with a bound, so a server that
// hangs makes the list empty with a reason instead of hanging LiveRack.
#pragma once

#include <string>

#include "core/engine/DeviceInfo.h"

namespace liverack::core {

class PulseServer {
public:
    // Devices carry the server's names in systemName (what a stream is opened on) and the
    // descriptions people see in name; any rate is accepted (the server resamples) and the
    // preferred one is the server's.
    static ApiInfo listDevices(const std::string& clientName = "liverack");
    static std::string noServerProblem();
};

}  // namespace liverack::core
