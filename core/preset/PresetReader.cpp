#include "core/preset/PresetReader.h"

#include "core/util/Utf8.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/dsp/EffectFactory.h"
#include "core/dsp/lv2/Lv2Effect.h"
#include "core/preset/PluginStateJson.h"

namespace liverack::core {
namespace {

using Json = nlohmann::json;

std::string formatNumber(double value) {
    char text[32];
    const auto [end, ec] = std::to_chars(text, text + sizeof(text), value);
    return ec == std::errc() ? std::string(text, end) : std::string("?");
}

// Shortest text that reads back as this very float (0.3f prints as "0.3").
std::string formatFloat(float value) {
    char text[32];
    const auto [end, ec] = std::to_chars(text, text + sizeof(text), value);
    return ec == std::errc() ? std::string(text, end) : std::string("?");
}

std::string inQuotes(const std::string& text) {
    return "\"" + text + "\"";
}

std::string quotedList(const std::vector<std::string>& items) {
    std::string list;
    for (size_t i = 0; i < items.size(); ++i) {
        list += (i == 0 ? "" : ", ") + inQuotes(items[i]);
    }
    return list;
}

// What a person wrote, in words; containers are named, not printed (they may be huge).
std::string describe(const Json& value) {
    switch (value.type()) {
        case Json::value_t::null:
            return "null";
        case Json::value_t::boolean:
            return value.get<bool>() ? "true" : "false";
        case Json::value_t::string: {
            std::string text = value.get<std::string>();
            if (text.size() > 40) {
                text = text.substr(0, 40) + "...";
            }
            return "the string " + inQuotes(text);
        }
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
        case Json::value_t::number_float:
            return "the number " + value.dump();
        case Json::value_t::object:
            return "an object";
        case Json::value_t::array:
            return "a list";
        default:
            return "a value of an unexpected kind";
    }
}

size_t editDistance(const std::string& a, const std::string& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t above = row[j];
            row[j] =
                std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// "did you mean ..." when one candidate is close, else the whole list.
std::string suggestion(const std::string& wrong, const std::vector<std::string>& candidates,
                       const std::string& listIntro) {
    const std::string* best = nullptr;
    size_t bestDistance = std::numeric_limits<size_t>::max();
    for (const auto& candidate : candidates) {
        const size_t d = editDistance(wrong, candidate);
        if (d < bestDistance) {
            bestDistance = d;
            best = &candidate;
        }
    }
    if (best != nullptr && bestDistance <= std::max<size_t>(2, wrong.size() / 3)) {
        return "; did you mean " + inQuotes(*best) + "?";
    }
    return "; " + listIntro + " " + quotedList(candidates);
}

std::string lineAndColumn(std::string_view text, size_t offset) {
    size_t line = 1;
    size_t column = 1;
    for (size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// Checks a parsed document against the format and the effects' metadata, collecting every
// problem rather than stopping at the first, so one edit-and-retry fixes them all.
class Validator {
public:
    explicit Validator(const std::string& source) : prefix_("preset '" + source + "': ") {}

    Result<ReadPreset> run(const Json& root, const std::string& fallbackName) {
        if (!root.is_object()) {
            error({}, "the top level must be a JSON object ({ ... }), not " + describe(root));
            return finish();
        }
        // A foreign or newer file is not validated further: its fields may mean something else.
        if (!checkFormat(root) || !checkVersion(root)) {
            return finish();
        }
        ReadPreset result;
        result.preset.name = fallbackName;
        for (const auto& [key, value] : root.items()) {
            if (key == "name") {
                if (value.is_string()) {
                    result.preset.name = value.get<std::string>();
                } else {
                    error("\"name\"", "must be a string, not " + describe(value));
                }
            } else if (key != "format" && key != "version" && key != "chain") {
                warning({}, "the field " + inQuotes(key) + " is not part of the format; ignored");
            }
        }
        const auto chain = root.find("chain");
        if (chain == root.end()) {
            error({}, "there is no \"chain\" (a list of effects, possibly empty)");
        } else if (!chain->is_array()) {
            error("\"chain\"", "must be a list of effects, not " + describe(*chain));
        } else if (chain->size() > Preset::kMaxEffects) {
            error("\"chain\"", "holds " + std::to_string(chain->size()) +
                                   " effects; a chain holds at most " +
                                   std::to_string(Preset::kMaxEffects));
        } else {
            for (size_t i = 0; i < chain->size(); ++i) {
                readEffect(i, (*chain)[i], result.preset);
            }
        }
        if (!errors_.empty()) {
            return finish();
        }
        result.warnings = std::move(warnings_);
        return result;
    }

private:
    bool checkFormat(const Json& root) {
        const auto format = root.find("format");
        if (format == root.end()) {
            error({},
                  "there is no \"format\" field, so this is not a LiveRack preset (it should "
                  "start with \"format\": \"" +
                      std::string(Preset::kFormat) + "\")");
            return false;
        }
        if (!format->is_string() || format->get<std::string>() != Preset::kFormat) {
            error("\"format\"", "is " + describe(*format) + ", so this is not a LiveRack preset (" +
                                    "expected \"" + Preset::kFormat + "\")");
            return false;
        }
        return true;
    }

    bool checkVersion(const Json& root) {
        const auto version = root.find("version");
        if (version == root.end()) {
            error({}, "there is no \"version\" field (this program reads version " +
                          std::to_string(Preset::kVersion) + ")");
            return false;
        }
        const double number = version->is_number() ? version->get<double>() : 0.0;
        if (!version->is_number() || number != std::floor(number) || number < 1.0) {
            error("\"version\"", "must be a whole number from 1, not " + describe(*version));
            return false;
        }
        if (number > Preset::kVersion) {
            error("\"version\"", "is " + formatNumber(number) +
                                     ": the preset was saved by a newer LiveRack (this program "
                                     "reads preset versions up to " +
                                     std::to_string(Preset::kVersion) + "); update LiveRack");
            return false;
        }
        return true;
    }

    void readEffect(size_t index, const Json& entry, Preset& preset) {
        std::string place = "chain[" + std::to_string(index) + "]";
        if (!entry.is_object()) {
            error(place, "must be an object like {\"type\": \"gain\", \"params\": { ... }}, not " +
                             describe(entry));
            return;
        }
        const auto type = entry.find("type");
        if (type == entry.end()) {
            error(place, "has no \"type\" (the effect, such as \"eq\" or \"delay\")");
            return;
        }
        if (!type->is_string()) {
            error(place, "\"type\" must be a string naming the effect, not " + describe(*type));
            return;
        }
        PresetEffect effect;
        effect.type = type->get<std::string>();
        place += " (" + effect.type + ")";
        const bool isPlugin = effect.type == EffectFactory::kPluginType;
        const EffectInfo* info = nullptr;
        if (isPlugin) {
            info = readPlugin(place, entry, effect);
            if (info == nullptr) {
                return;
            }
        } else {
            info = EffectFactory::info(effect.type);
        }
        if (info == nullptr) {
            std::vector<std::string> types = EffectFactory::typeIds();
            types.push_back(EffectFactory::kPluginType);
            error(place, "unknown effect type " + inQuotes(effect.type) +
                             suggestion(effect.type, types, "known types are"));
            return;
        }
        for (const auto& [key, value] : entry.items()) {
            if (isPlugin && (key == "uri" || key == "name")) {
                continue;  // read by readPlugin
            }
            if (isPlugin && key == "state") {
                std::vector<std::string> problems;
                effect.state = PluginStateJson::fromJson(value, problems);
                for (const std::string& problem : problems) {
                    error(place + ", \"state\"", problem);
                }
                continue;
            }
            if (key == "bypass") {
                if (value.is_boolean()) {
                    effect.bypass = value.get<bool>();
                } else {
                    error(place + ", \"bypass\"", "must be true or false, not " + describe(value));
                }
            } else if (key == "params") {
                if (!value.is_object()) {
                    error(place + ", \"params\"",
                          "must be an object of parameter ids and values, not " + describe(value));
                    continue;
                }
                for (const auto& [id, parameterValue] : value.items()) {
                    readParameter(place, *info, id, parameterValue, effect);
                }
            } else if (key != "type") {
                warning(place,
                        "the field " + inQuotes(key) + " is not part of the format; ignored");
            }
        }
        preset.chain.push_back(std::move(effect));
    }

    // An "lv2" entry: its "uri" (required) and "name" (optional), and the installed plugin's
    // metadata; nullptr (with the sentence recorded) when it cannot be hosted here.
    const EffectInfo* readPlugin(std::string& place, const Json& entry, PresetEffect& effect) {
        const auto uri = entry.find("uri");
        if (uri == entry.end() || !uri->is_string() || uri->get<std::string>().empty()) {
            error(place, "an \"lv2\" effect needs \"uri\", the plugin's URI as a string" +
                             std::string(uri == entry.end() ? "" : ", not " + describe(*uri)));
            return nullptr;
        }
        effect.uri = uri->get<std::string>();
        if (const auto name = entry.find("name"); name != entry.end()) {
            if (!name->is_string()) {
                error(place + ", \"name\"", "must be a string, not " + describe(*name));
                return nullptr;
            }
            effect.pluginName = name->get<std::string>();
        }
        place += " " + (effect.pluginName.empty() ? effect.uri : inQuotes(effect.pluginName));
        if (Status available = Lv2Effect::checkAvailable(effect.uri, effect.pluginName);
            !available) {
            error(place, available.error());
            return nullptr;
        }
        return EffectFactory::info(effect.type, effect.uri);
    }

    void readParameter(const std::string& effectPlace, const EffectInfo& info,
                       const std::string& id, const Json& value, PresetEffect& effect) {
        const std::string place = effectPlace + ", parameter " + inQuotes(id);
        const int index = info.indexOf(id);
        if (index < 0) {
            std::vector<std::string> ids;
            for (const auto& p : info.parameters) {
                ids.push_back(p.id);
            }
            if (!info.pluginUri.empty()) {
                error(place, "is not a control port of " + inQuotes(info.displayName) +
                                 suggestion(id, ids, "its port symbols are"));
                return;
            }
            error(place, "is not a parameter of " + info.typeId +
                             suggestion(id, ids, info.typeId + "'s parameters are"));
            return;
        }
        const ParameterInfo& parameter = info.parameters[static_cast<size_t>(index)];
        switch (parameter.kind) {
            case ParameterKind::Toggle:
                if (!value.is_boolean()) {
                    error(place, "must be true or false, not " + describe(value));
                    return;
                }
                effect.params[id] = value.get<bool>() ? 1.0f : 0.0f;
                return;
            case ParameterKind::Choice: {
                if (value.is_number() && !parameter.choiceValues.empty()) {
                    // A plugin's enumeration may also be written as the port value itself.
                    const double number = value.get<double>();
                    size_t nearest = 0;
                    for (size_t i = 1; i < parameter.choiceValues.size(); ++i) {
                        if (std::fabs(parameter.choiceValues[i] - number) <
                            std::fabs(parameter.choiceValues[nearest] - number)) {
                            nearest = i;
                        }
                    }
                    if (static_cast<float>(number) != parameter.choiceValues[nearest]) {
                        warning(place, formatNumber(number) + " is not one of the values of " +
                                           quotedList(parameter.choices) + "; taken as " +
                                           inQuotes(parameter.choices[nearest]));
                    }
                    effect.params[id] = static_cast<float>(nearest);
                    return;
                }
                if (!value.is_string()) {
                    error(place, "must be one of " + quotedList(parameter.choices) +
                                     " written as a string, not " + describe(value));
                    return;
                }
                const int choice = parameter.choiceIndex(value.get<std::string>());
                if (choice < 0) {
                    error(place,
                          describe(value) + " is not one of " + quotedList(parameter.choices));
                    return;
                }
                effect.params[id] = static_cast<float>(choice);
                return;
            }
            case ParameterKind::Continuous:
                break;
        }
        if (!value.is_number()) {
            error(place, "must be a number, not " + describe(value));
            return;
        }
        const double number = value.get<double>();
        if (!std::isfinite(number)) {
            error(place, "must be a finite number, not " + value.dump());
            return;
        }
        const std::string unit = parameter.unit.empty() ? "" : " " + parameter.unit;
        // Compared as float, the type the parameter lives in, so the float nearest a written
        // bound (0.95 -> 0.949999988f) counts as in range.
        float stored = static_cast<float>(std::clamp<double>(
            number, std::numeric_limits<float>::lowest(), std::numeric_limits<float>::max()));
        if (stored < parameter.minValue || stored > parameter.maxValue) {
            stored = std::clamp(stored, parameter.minValue, parameter.maxValue);
            warning(place, formatNumber(number) + unit + " is outside " +
                               formatFloat(parameter.minValue) + "..." +
                               formatFloat(parameter.maxValue) + unit + "; clamped to " +
                               formatFloat(stored) + unit);
        }
        const float legal = parameter.constrain(stored);
        if (legal != stored) {
            warning(place, formatFloat(stored) + unit + " is not one of the allowed steps (" +
                               formatFloat(parameter.minValue) + unit + " in steps of " +
                               formatFloat(parameter.step) + unit + "); rounded to " +
                               formatFloat(legal) + unit);
        }
        effect.params[id] = legal;
    }

    void error(const std::string& place, const std::string& what) {
        errors_.push_back(prefix_ + (place.empty() ? "" : place + ": ") + what);
    }
    void warning(const std::string& place, const std::string& what) {
        warnings_.push_back(prefix_ + (place.empty() ? "" : place + ": ") + what);
    }

    Result<ReadPreset> finish() {
        std::string message;
        for (size_t i = 0; i < errors_.size() && i < PresetReader::kMaxListedErrors; ++i) {
            message += (i == 0 ? "" : "\n") + errors_[i];
        }
        if (errors_.size() > PresetReader::kMaxListedErrors) {
            message += "\n" + prefix_ + "and " +
                       std::to_string(errors_.size() - PresetReader::kMaxListedErrors) +
                       " more errors";
        }
        return Error{message};
    }

    std::string prefix_;
    std::vector<std::string> errors_;
    std::vector<std::string> warnings_;
};

std::string stem(const std::string& path) {
    return std::filesystem::path(path).stem().string();
}

}  // namespace

Result<ReadPreset> PresetReader::readFile(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return Error{"cannot read preset '" + path + "': " + std::strerror(errno)};
    }
    if (S_ISDIR(st.st_mode)) {
        return Error{"cannot read preset '" + path + "': it is a folder, not a preset file"};
    }
    if (!S_ISREG(st.st_mode)) {
        return Error{"cannot read preset '" + path + "': it is not a regular file"};
    }
    if (static_cast<std::uintmax_t>(st.st_size) > Preset::kMaxFileBytes) {
        return Error{"cannot read preset '" + path + "': it is " +
                     formatNumber(std::round(double(st.st_size) / 1024.0)) +
                     " KiB; a preset file is at most 1 MiB"};
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        return Error{"cannot read preset '" + path + "': " + std::strerror(errno)};
    }
    // One byte more than allowed, in case the file grew since stat().
    std::string text(Preset::kMaxFileBytes + 1, '\0');
    file.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (file.bad()) {
        return Error{"cannot read preset '" + path + "': reading failed"};
    }
    text.resize(static_cast<size_t>(file.gcount()));
    return readText(text, path);
}

Result<ReadPreset> PresetReader::readText(std::string_view text, const std::string& sourceName) {
    const std::string prefix = "preset '" + sourceName + "'";
    if (text.size() > Preset::kMaxFileBytes) {
        return Error{"cannot read " + prefix +
                     ": it is larger than 1 MiB, the most a preset may be"};
    }
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return Error{prefix + " is empty; a preset is a JSON object with \"format\": \"" +
                     Preset::kFormat + "\""};
    }
    if (const size_t bad = firstInvalidUtf8(text); bad != std::string_view::npos) {
        return Error{prefix + " is not UTF-8 text (a byte at " + lineAndColumn(text, bad) +
                     " is not valid UTF-8); save it as UTF-8"};
    }
    Json root;
    std::string duplicateKey;
    try {
        // Reports a key given twice in one object (nlohmann would silently keep the last).
        std::vector<std::set<std::string>> openObjects;
        const Json::parser_callback_t callback = [&](int, Json::parse_event_t event, Json& parsed) {
            if (event == Json::parse_event_t::object_start) {
                openObjects.emplace_back();
            } else if (event == Json::parse_event_t::object_end && !openObjects.empty()) {
                openObjects.pop_back();
            } else if (event == Json::parse_event_t::key && !openObjects.empty() &&
                       !openObjects.back().insert(parsed.get<std::string>()).second &&
                       duplicateKey.empty()) {
                duplicateKey = parsed.get<std::string>();
            }
            return true;
        };
        root = Json::parse(text.begin(), text.end(), callback);
    } catch (const Json::parse_error& e) {
        std::string reason = e.what();
        // "[json.exception.parse_error.101] parse error at line 3, column 5: ..." -> after "] "
        if (const auto bracket = reason.find("] "); bracket != std::string::npos) {
            reason = reason.substr(bracket + 2);
        }
        // The parser stopped at the very end: the text ends before the JSON does.
        const bool truncated = e.byte >= text.size();
        return Error{prefix + " is not valid JSON: " + reason +
                     (truncated ? " (the file looks cut short)" : "")};
    } catch (const std::exception& e) {
        return Error{prefix + " could not be read: " + e.what()};
    }
    if (!duplicateKey.empty()) {
        return Error{prefix + ": the key " + inQuotes(duplicateKey) +
                     " appears twice in one object; keep only one"};
    }
    try {
        return Validator(sourceName).run(root, stem(sourceName));
    } catch (const std::exception& e) {
        // Validation only reads values whose type it checked; this is a safety net.
        return Error{prefix + " could not be read: " + e.what()};
    }
}

}  // namespace liverack::core
