// What the catalogue knows of one installed LV2 plugin: names, class, ports, the features it
// requires, whether LiveRack can host it (and why not), and the EffectInfo its slots expose
// (control inputs as parameters named by port symbol, control outputs as reported outputs).
#pragma once

#include <lilv/lilv.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/dsp/EffectInfo.h"

namespace liverack::core {

struct Lv2Port {
    enum class Kind { Audio, Control, Atom, Cv, Other };
    enum class Role { Main, SideChain, Latency, Enabled, FreeWheeling, Plain };

    uint32_t index = 0;
    std::string symbol;
    std::string name;
    Kind kind = Kind::Other;
    bool isInput = true;
    bool optional = false;  // lv2:connectionOptional
    Role role = Role::Plain;
    int parameter = -1;      // control input: index into EffectInfo::parameters
    int output = -1;         // control output: index into EffectInfo::outputs
    uint32_t atomBytes = 0;  // atom ports: the buffer the plugin asks for (rsz:minimumSize)
    float defaultValue = 0.0f;
};

struct Lv2PluginInfo {
    std::string uri;
    std::string name;
    std::string className;  // lilv's label of the plugin class ("EQ Plugin", ...)
    std::string group;      // the rack's grouping: "EQ", "Dynamics", "Delay", ...
    std::string author;
    std::vector<Lv2Port> ports;
    std::vector<std::string> requiredFeatures;
    uint32_t mainInputs = 0;   // audio inputs that carry the signal (side chains excluded)
    uint32_t mainOutputs = 0;  // audio outputs that carry the signal
    int latencyPort = -1;
    bool hasWorker = false;  // provides worker:interface
    bool hasState = false;   // provides state:interface
    bool loadsDefaultState = false;
    // Empty when the plugin can be added; otherwise the sentence saying why not.
    std::string unsupportedReason;
    EffectInfo effectInfo;
    const LilvPlugin* plugin = nullptr;  // owned by the world, which lives as long as the process

    bool supported() const noexcept { return unsupportedReason.empty(); }
};

}  // namespace liverack::core
