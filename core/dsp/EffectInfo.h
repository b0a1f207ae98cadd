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
