// The preset model (DESIGN.md, "Preset format"): a named list of effects, each with its bypass
// switch and the parameter values it sets. Plain data; reading, writing and building a chain
// live in PresetReader, PresetWriter and PresetLoader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/dsp/lv2/PluginState.h"

namespace liverack::core {

struct PresetEffect {
    std::string type;  // an EffectFactory type id
    bool bypass = false;
    // Parameter id -> value as ParameterSet stores it (choice index, 0/1 for toggles). Parameters
    // left out keep their defaults.
    std::map<std::string, float> params;
    // Hosted plugins (type "lv2"): the plugin's URI, its name when saved (for the sentence when
    // it is not installed) and the state it stored. Empty for built-in effects.
    std::string uri{};
    std::string pluginName{};
    PluginState state{};

    friend bool operator==(const PresetEffect&, const PresetEffect&) = default;
};

struct Preset {
    static constexpr const char* kFormat = "liverack-preset";
    static constexpr int kVersion = 1;  // the newest version this program reads
    static constexpr std::uintmax_t kMaxFileBytes = 1u << 20;  // 1 MiB
    static constexpr size_t kMaxEffects = 64;

    std::string name;
    std::vector<PresetEffect> chain;

    friend bool operator==(const Preset&, const Preset&) = default;
};

}  // namespace liverack::core
