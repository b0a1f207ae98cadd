// The contract every rack effect follows (DESIGN.md): prepare off the audio thread, process in
// place without allocating, reset to clear state. Parameters live in atomics owned by the effect.
#pragma once

#include <cstdint>

#include "core/dsp/AudioBlock.h"
#include "core/dsp/EffectInfo.h"
#include "core/dsp/ParameterSet.h"
#include "core/dsp/ProcessSpec.h"

namespace liverack::core {

class Effect {
public:
    virtual ~Effect() = default;
    Effect(const Effect&) = delete;
    Effect& operator=(const Effect&) = delete;

    virtual const EffectInfo& info() const noexcept = 0;
    // May allocate; never called on the audio thread.
    virtual void prepare(const ProcessSpec& spec) = 0;
    // In place, channels × frames, frames ≤ spec.maxBlockFrames; no allocation, locks or I/O.
    virtual void process(AudioBlock block) noexcept = 0;
    // Clears state (delay lines, envelopes) and snaps smoothed parameters to their targets.
    virtual void reset() noexcept = 0;
    virtual uint32_t latencyFrames() const noexcept { return 0; }
    // Audio thread, right before each process(): the second signal an effect compares against
    // (echo cancellation: what the speakers play, the far end of a call), with the same frame
    // count as the block that follows; an empty block (no channels) when the stream has none.
    // Effects without a use for it ignore it. A bypassed slot hands it over too, with no
    // process() after it. The view stays valid until the next setReference().
    virtual void setReference(AudioBlock reference) noexcept { (void)reference; }

    ParameterSet& parameters() noexcept { return parameters_; }
    const ParameterSet& parameters() const noexcept { return parameters_; }
    // The values described by info().outputs, as the audio thread last wrote them.
    ParameterSet& outputs() noexcept { return outputs_; }
    const ParameterSet& outputs() const noexcept { return outputs_; }

protected:
    explicit Effect(const EffectInfo& info)
        : parameters_(info.parameters), outputs_(info.outputs) {}

private:
    ParameterSet parameters_;
    ParameterSet outputs_;
};

}  // namespace liverack::core
