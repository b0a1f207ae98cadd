#include "core/preset/PresetWriter.h"

#include "core/preset/AtomicFile.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/dsp/EffectFactory.h"
#include "core/preset/PluginStateJson.h"

namespace liverack::core {
namespace {

using OrderedJson = nlohmann::ordered_json;

// The JSON number for a float: whole numbers as integers ("350"), others as the shortest decimal
// that reads back as this float ("0.3", not "0.30000001192092896"). nlohmann stores a double and
// prints the shortest text for it, and the reader narrows that double to float again; the check
// guards the rare decimal whose double rounds to a neighbouring float.
OrderedJson numberFor(float value) {
    if (std::floor(value) == value && std::abs(value) < 1e9f) {
        return static_cast<int64_t>(value);
    }
    char text[32];
    const auto [end, ec] = std::to_chars(text, text + sizeof(text), value);
    if (ec == std::errc()) {
        const double shortest = std::strtod(std::string(text, end).c_str(), nullptr);
        if (static_cast<float>(shortest) == value) {
            return shortest;
        }
    }
    return static_cast<double>(value);
}

}  // namespace

Result<std::string> PresetWriter::toJson(const Preset& preset) {
    try {
        OrderedJson chain = OrderedJson::array();
        for (size_t i = 0; i < preset.chain.size(); ++i) {
            const PresetEffect& effect = preset.chain[i];
            const std::string place = "chain[" + std::to_string(i) + "] (" + effect.type + ")";
            const EffectInfo* info = EffectFactory::info(effect.type, effect.uri);
            if (info == nullptr) {
                return Error{"cannot save preset '" + preset.name + "': " + place +
                             (effect.type == EffectFactory::kPluginType
                                  ? " is the plugin " + effect.uri + ", which is not installed"
                                  : " is not a known effect type")};
            }
            for (const auto& [id, value] : effect.params) {
                if (info->indexOf(id) < 0) {
                    return Error{"cannot save preset '" + preset.name + "': " + place +
                                 " has no parameter \"" + id + "\""};
                }
            }
            OrderedJson params = OrderedJson::object();
            for (const ParameterInfo& parameter : info->parameters) {
                const auto found = effect.params.find(parameter.id);
                if (found == effect.params.end()) {
                    continue;
                }
                const float value = found->second;
                switch (parameter.kind) {
                    case ParameterKind::Toggle:
                        params[parameter.id] = value >= 0.5f;
                        break;
                    case ParameterKind::Choice: {
                        const auto index = static_cast<long>(std::lround(value));
                        if (index < 0 || index >= static_cast<long>(parameter.choices.size())) {
                            return Error{"cannot save preset '" + preset.name + "': " + place +
                                         ", parameter \"" + parameter.id +
                                         "\" has no choice number " + std::to_string(index)};
                        }
                        params[parameter.id] = parameter.choices[static_cast<size_t>(index)];
                        break;
                    }
                    case ParameterKind::Continuous:
                        params[parameter.id] = numberFor(value);
                        break;
                }
            }
            OrderedJson entry = OrderedJson::object();
            entry["type"] = effect.type;
            if (effect.type == EffectFactory::kPluginType) {
                entry["uri"] = effect.uri;
                // As read (a preset saved from a chain has it; PresetLoader::fromChain sets it):
                // written as it is, the preset reads back the same.
                if (!effect.pluginName.empty()) {
                    entry["name"] = effect.pluginName;
                }
            }
            entry["bypass"] = effect.bypass;
            entry["params"] = std::move(params);
            if (!effect.state.empty()) {
                entry["state"] = PluginStateJson::toJson(effect.state);
            }
            chain.push_back(std::move(entry));
        }
        OrderedJson root = OrderedJson::object();
        root["format"] = Preset::kFormat;
        root["version"] = Preset::kVersion;
        root["name"] = preset.name;
        root["chain"] = std::move(chain);
        // Invalid UTF-8 in a name is replaced rather than thrown about.
        return root.dump(2, ' ', false, OrderedJson::error_handler_t::replace) + "\n";
    } catch (const std::exception& e) {
        return Error{"cannot save preset '" + preset.name + "': " + e.what()};
    }
}

Status PresetWriter::save(const Preset& preset, const std::string& path) {
    auto text = toJson(preset);
    if (!text) {
        return Error{text.error()};
    }
    return AtomicFile::write(path, *text, AtomicFile::Backup::Keep, "preset");
}

}  // namespace liverack::core
