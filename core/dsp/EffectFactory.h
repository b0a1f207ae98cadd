// Creates effects from their stable type id (as presets and the rack menu name them).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/dsp/Effect.h"

namespace liverack::core {

class EffectFactory {
public:
    // Every effect type, in the order the rack's "add" menu lists them.
    static const std::vector<std::string>& typeIds();
    // nullptr for an unknown type id.
    static std::unique_ptr<Effect> create(std::string_view typeId);
    // nullptr for an unknown type id.
    static const EffectInfo* info(std::string_view typeId);
};

}  // namespace liverack::core
