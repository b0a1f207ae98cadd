// PipeWire desktops on JACK's fast path. PipeWire serves JACK clients through its own libjack,
// but Debian points the system's libjack at jackd unless a program is started under `pw-jack`:
// plain LiveRack found no JACK there, fell back to PulseAudio and looped in 1792 to 2048 frames.
// So when no jackd answers and a PipeWire server runs, LiveRack restarts itself with PipeWire's
// libjack first on the library path, exactly what `pw-jack` does, before anything else happens.
#pragma once

#include <string>

namespace liverack::core {

class PipeWireJack {
public:
    // Set in the restarted process (so it never restarts twice), "1".
    static constexpr const char* kMarker = "LIVERACK_PIPEWIRE_JACK";

    // The folder holding PipeWire's libjack.so.0 on this system, or "" when it is not installed.
    static std::string libraryFolder();
    // Whether a PipeWire server's socket is there for this user (PIPEWIRE_RUNTIME_DIR or
    // XDG_RUNTIME_DIR, PIPEWIRE_REMOTE or "pipewire-0").
    static bool serverRunning();
    // Whether the libjack this process runs on is PipeWire's.
    static bool inUse();
    // Whether a JACK server answers through the libjack this process runs on.
    static bool jackAnswers();

    // Called first thing by main(): restarts the program on PipeWire's libjack when the command
    // line leaves the API to JACK or to the automatic choice, no JACK server answers, PipeWire
    // runs and its libjack is installed. Returns only when it does not restart (or cannot).
    static void restartOnPipeWireIfNeeded(int argc, char** argv);
};

}  // namespace liverack::core
