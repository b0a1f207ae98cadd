// Takes alsa-lib's own error messages instead of letting it print them. On a machine with no
// sound card alsa-lib writes nine "ALSA lib conf.c:..." lines to stderr each time a device list is
// made; a person should see one sentence from LiveRack about ALSA, not the library's noise. The
// messages are counted and the first is kept, so the sentence can still quote what ALSA said.
#pragma once

#include <cstdint>
#include <string>

namespace liverack::core {

class AlsaMessages {
public:
    // Installs the handler (once per process; later calls do nothing). Call before anything
    // touches ALSA: the engine does, and so does main() for libraries (Qt) that may get there
    // first.
    static void capture();
    // Messages alsa-lib has reported since capture().
    static uint64_t count() noexcept;
    // The first of them ("cannot find card '0'"), or "" when there was none.
    static std::string first();
};

}  // namespace liverack::core
