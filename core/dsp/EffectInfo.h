// What an effect type is: its stable type id, its display name and its parameter metadata.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/dsp/ParameterInfo.h"

namespace liverack::core {

struct EffectInfo {
    std::string typeId;       // stable: presets depend on it ("gain", "eq", ...)
    std::string displayName;  // for people ("Gain", "Equaliser", ...)
    std::vector<ParameterInfo> parameters;
    // reset() leaves the effect exactly as a fresh one (the same input gives the same output).
    // False only where a library keeps state that reset cannot reach without allocating; reset
    // must then still drop all earlier audio (silence in, silence out).
    bool resetIsExact = true;
    // Values the effect reports back (meters, gain reduction), written by the audio thread once
    // per block and read by anyone; the same metadata shape as parameters.
    std::vector<ParameterInfo> outputs{};
    // Hosted plugins (typeId "lv2"): the plugin's URI and author; empty for built-in effects.
    std::string pluginUri{};
    std::string author{};

    // Index of the parameter with this id, or -1.
    int indexOf(std::string_view parameterId) const noexcept {
        for (size_t i = 0; i < parameters.size(); ++i) {
            if (parameters[i].id == parameterId) {
                return static_cast<int>(i);
            }
        }
        return -1;
    }
};

}  // namespace liverack::core
