// Notices the JACK server shutting LiveRack's client down, in place of RtAudio's own handler.
//
// RtAudio 5.2 answers a server shutdown, inside libjack's thread, by starting a thread that closes
// the stream and then writing a line to std::cerr. Closing the client cancels the first thread
// asynchronously; when the cancel lands inside the iostream code, unwinding meets a noexcept frame
// and the program ends in std::terminate ("terminate called without an active exception": seen in
// CI, and here once in 40 to 60 server deaths, with that stack in the core file). So LiveRack
// defines jack_on_shutdown itself - the dynamic linker binds RtAudio's call to this definition -
// and registers a jack_on_info_shutdown handler instead (JACK calls only that one when a client
// has both). The handler only counts; the engine's poll sees the count move and closes the stream
// from its own thread.
#pragma once

#include <cstdint>

namespace liverack::core {

class JackShutdownWatch {
public:
    // How many of the process's RtAudio JACK clients the server has shut down so far.
    static uint64_t shutdowns() noexcept;
};

}  // namespace liverack::core
