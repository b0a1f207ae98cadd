// Waiting on an audio system with a bound: a server that hangs (a stopped jackd, a PulseAudio
// stream nobody reads) must not hang LiveRack. The call runs on a thread of its own; if it has not
// returned within the bound it is left running, detached, and whatever it touches must stay alive
// for the rest of the process (the engine then abandons the stream: see AudioBackend::abandoned).
#pragma once

#include <chrono>
#include <functional>

namespace liverack::core {

// Control thread only. True when `work` returned within `bound`.
bool callWithin(std::chrono::milliseconds bound, std::function<void()> work);

}  // namespace liverack::core
