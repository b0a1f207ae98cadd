// Creates effects from their stable type id (as presets and the rack menu name them).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/dsp/Effect.h"
#include "core/util/Result.h"

namespace liverack::core {

class EffectFactory {
public:
    // Every effect type, in the order the rack's "add" menu lists them.
    static const std::vector<std::string>& typeIds();
    // nullptr for an unknown type id.
    static std::unique_ptr<Effect> create(std::string_view typeId);
    // nullptr for an unknown type id.
    static const EffectInfo* info(std::string_view typeId);

    // Hosted plugins too: type "lv2" with the plugin's URI (pluginName, as a preset saved it,
    // only makes the sentence better when the plugin is not installed). Built-in types ignore
    // the URI. The error is a sentence naming the type or the plugin.
    static constexpr const char* kPluginType = "lv2";
    static Result<std::unique_ptr<Effect>> create(std::string_view typeId,
                                                  std::string_view pluginUri,
                                                  std::string_view pluginName = {});
    // nullptr for an unknown type or a plugin that is not installed.
    static const EffectInfo* info(std::string_view typeId, std::string_view pluginUri);
    // A new effect of the same kind as this one (same type, same plugin), default parameters.
    static Result<std::unique_ptr<Effect>> createLike(const Effect& effect);
};

}  // namespace liverack::core
