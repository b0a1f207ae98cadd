// The saved state of a hosted plugin (LV2 state extension): the properties the plugin stored,
// each under its key URI with its value's type URI and raw bytes. Plain data; presets carry it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace liverack::core {

struct PluginStateProperty {
    std::string type;            // the value's type URI (atom:Int, atom:String, ...)
    std::vector<uint8_t> value;  // the bytes exactly as the plugin stored them

    friend bool operator==(const PluginStateProperty&, const PluginStateProperty&) = default;
};

using PluginState = std::map<std::string, PluginStateProperty>;  // key URI -> property

}  // namespace liverack::core
