// The JSON form of a hosted plugin's state in presets:
//   "state": { "<key URI>": { "type": "<type URI>", "value": <string | number | bool> } }
// Strings, paths and URIs are written as text, numbers and booleans as themselves; any other
// type as { "type": ..., "base64": "..." }, byte for byte.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/dsp/lv2/PluginState.h"

namespace liverack::core {

class PluginStateJson {
public:
    static nlohmann::ordered_json toJson(const PluginState& state);
    // Problems are sentences about the property they name; the state holds the good ones.
    static PluginState fromJson(const nlohmann::json& json, std::vector<std::string>& problems);
};

}  // namespace liverack::core
