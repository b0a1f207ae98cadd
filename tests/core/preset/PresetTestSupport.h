// Shared by the preset tests: finding parameters of a given kind among whatever effects are
// registered, so the tests cover every effect as it lands without naming it.
#pragma once

#include <optional>
#include <string>

#include "core/dsp/EffectFactory.h"

namespace liverack::test {

using core::EffectFactory;
using core::ParameterInfo;

struct FoundParameter {
    std::string type;
    const ParameterInfo* info = nullptr;
};

// The first registered parameter for which `wanted` holds.
template <typename Predicate>
std::optional<FoundParameter> findParameter(Predicate wanted) {
    for (const auto& type : EffectFactory::typeIds()) {
        for (const auto& parameter : EffectFactory::info(type)->parameters) {
            if (wanted(parameter)) {
                return FoundParameter{type, &parameter};
            }
        }
    }
    return std::nullopt;
}

// A one-effect preset around the given params object text.
inline std::string oneEffectPreset(const std::string& type, const std::string& params) {
    return R"({"format": "liverack-preset", "version": 1, "name": "t", "chain": [{"type": ")" +
           type + R"(", "params": )" + params + "}]}";
}

}  // namespace liverack::test
