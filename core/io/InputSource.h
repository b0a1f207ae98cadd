// Where the engine's input comes from when it is not the device: a test signal or a file.
// Same three verbs as an effect; process() fills the block and runs on the audio thread.
#pragma once

#include <string>

#include "core/dsp/AudioBlock.h"
#include "core/dsp/ProcessSpec.h"

namespace liverack::core {

class InputSource {
public:
    virtual ~InputSource() = default;
    // A short description for people ("sine 440 Hz", "file intro.flac").
    virtual std::string description() const = 0;
    // May allocate; never on the audio thread.
    virtual void prepare(const ProcessSpec& spec) = 0;
    // Overwrites every channel of the block. No allocation, locks or I/O.
    virtual void process(AudioBlock block) noexcept = 0;
    virtual void reset() noexcept = 0;
};

}  // namespace liverack::core
