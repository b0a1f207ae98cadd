// A private headless PipeWire for one test program, as a desktop runs it: a session D-Bus,
// `pipewire`, `wireplumber` and `pipewire-pulse` in a runtime and configuration folder of their
// own (so a user's own session and settings are never touched). With no sound card, WirePlumber
// offers its "Dummy Output" sink, which drives the graph. The variables are set in this process, so
// clients made afterwards (and programs started afterwards) find this PipeWire.
#pragma once

#include <sys/types.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace liverack::test {

class PipeWireSession {
public:
    PipeWireSession();  // starts everything and waits (bounded) for the sockets
    ~PipeWireSession();
    PipeWireSession(const PipeWireSession&) = delete;
    PipeWireSession& operator=(const PipeWireSession&) = delete;

    bool isRunning() const { return error_.empty(); }
    const std::string& error() const { return error_; }
    const std::string& runtimeFolder() const { return folder_; }

    // `pw-metadata -n settings 0 clock.force-quantum N` (0 lets the graph choose again); true
    // when the command succeeded.
    bool forceQuantum(unsigned frames);

    // Polls (bounded) for WirePlumber's Dummy Output: once it is there, WirePlumber configures
    // new nodes too. True when it appeared.
    bool waitForSink(double seconds) const;

    // `pw-dump` as JSON (an empty array when it fails).
    static nlohmann::json dump();
    // The props of the first node in `graph` whose `key` is `value`, or null.
    static nlohmann::json findNode(const nlohmann::json& graph, const std::string& key,
                                   const std::string& value);

private:
    pid_t spawn(const std::vector<std::string>& argv);

    std::string folder_;
    std::string error_;
    std::vector<pid_t> children_;  // in start order; stopped in reverse
};

// For a test program that must itself be a client of PipeWire's JACK: restarts the program with
// PipeWire's libjack first on the library path (as `pw-jack` does), then takes the variable out
// again so that programs it starts choose for themselves. Call first thing in main(). False when
// PipeWire's libjack is not installed.
bool runOnPipeWireJack(int argc, char** argv);

}  // namespace liverack::test
