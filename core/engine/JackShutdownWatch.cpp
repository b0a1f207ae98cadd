#include "core/engine/JackShutdownWatch.h"

#include <jack/jack.h>

#include <atomic>

namespace liverack::core {
namespace {

std::atomic<uint64_t> shutdownCount{0};

// Called on libjack's thread as the client dies: nothing but an atomic increment.
void countShutdown(jack_status_t /*code*/, const char* /*reason*/, void* /*arg*/) {
    shutdownCount.fetch_add(1, std::memory_order_release);
}

}  // namespace

uint64_t JackShutdownWatch::shutdowns() noexcept {
    return shutdownCount.load(std::memory_order_acquire);
}

}  // namespace liverack::core

// RtAudio registers its shutdown handler through this name; see the header for why it is ours.
extern "C" void jack_on_shutdown(jack_client_t* client, JackShutdownCallback /*rtAudioHandler*/,
                                 void* /*arg*/) {
    jack_on_info_shutdown(client, &liverack::core::countShutdown, nullptr);
}
