// Turns presets into effect chains and back. Loading never half-applies: the file is read and
// validated completely and the new chain built before the caller swaps it in.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/dsp/EffectChain.h"
#include "core/preset/Preset.h"
#include "core/util/Result.h"

namespace liverack::core {

struct LoadedChain {
    Preset preset;
    std::unique_ptr<EffectChain> chain;  // built, not yet prepared
    std::vector<std::string> warnings;   // values that were clamped or rounded
};

class PresetLoader {
public:
    // Reads, validates and builds. On failure error() names the file, the place and the fault.
    static Result<LoadedChain> load(const std::string& path);

    // One slot per effect, parameters set through ParameterSet::set (which constrains them).
    static Result<std::unique_ptr<EffectChain>> buildChain(const Preset& preset);

    // The preset of a running chain, every parameter included, for saving. Reads the atomics
    // only, so it is safe while the chain plays.
    static Preset fromChain(const EffectChain& chain, std::string name);
};

}  // namespace liverack::core
