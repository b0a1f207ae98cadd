#include "core/engine/AlsaMessages.h"

#include <alsa/asoundlib.h>

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <mutex>

namespace liverack::core {
namespace {

std::atomic<uint64_t> messageCount{0};
std::atomic<bool> firstClaimed{false};
std::atomic<bool> firstReady{false};
char firstMessage[256];

// alsa-lib may call this from any thread that uses it, RtAudio's ALSA stream thread included, so
// it only counts and, once, formats into a fixed buffer: no allocation, no lock, no I/O.
void onAlsaMessage(const char* /*file*/, int /*line*/, const char* /*function*/, int error,
                   const char* format, ...) {
    messageCount.fetch_add(1, std::memory_order_relaxed);
    if (firstClaimed.exchange(true, std::memory_order_acq_rel)) {
        return;
    }
    va_list arguments;
    va_start(arguments, format);
    int length = std::vsnprintf(firstMessage, sizeof firstMessage, format, arguments);
    va_end(arguments);
    if (error != 0 && length >= 0 && static_cast<size_t>(length) < sizeof firstMessage) {
        std::snprintf(firstMessage + length, sizeof firstMessage - static_cast<size_t>(length),
                      ": %s", snd_strerror(error));
    }
    firstReady.store(true, std::memory_order_release);
}

}  // namespace

void AlsaMessages::capture() {
    static std::once_flag installed;
    std::call_once(installed, [] { snd_lib_error_set_handler(&onAlsaMessage); });
}

uint64_t AlsaMessages::count() noexcept {
    return messageCount.load(std::memory_order_relaxed);
}

std::string AlsaMessages::first() {
    return firstReady.load(std::memory_order_acquire) ? std::string(firstMessage) : std::string();
}

}  // namespace liverack::core
