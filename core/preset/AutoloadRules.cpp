#include "core/preset/AutoloadRules.h"

#include <cctype>

namespace liverack::core {
namespace {

using Json = nlohmann::json;

std::string lowerAscii(std::string_view text) {
    std::string lower(text);
    for (auto& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return lower;
}

}  // namespace

std::optional<std::string> AutoloadRules::presetFor(std::string_view deviceName) const {
    for (const auto& rule : rules) {
        if (rule.match == AutoloadRule::Match::Exact && rule.device == deviceName) {
            return rule.preset;
        }
    }
    const std::string device = lowerAscii(deviceName);
    for (const auto& rule : rules) {
        // An empty part would match every device; that is what the fallback is for.
        if (rule.match == AutoloadRule::Match::Substring && !rule.device.empty() &&
            device.find(lowerAscii(rule.device)) != std::string::npos) {
            return rule.preset;
        }
    }
    return fallback;
}

Json AutoloadRules::toJson() const {
    Json list = Json::array();
    for (const auto& rule : rules) {
        list.push_back({{"device", rule.device},
                        {"match", rule.match == AutoloadRule::Match::Exact ? "exact" : "substring"},
                        {"preset", rule.preset}});
    }
    Json json = {{"rules", std::move(list)}};
    json["fallback"] = fallback ? Json(*fallback) : Json(nullptr);
    return json;
}

Result<AutoloadRules> AutoloadRules::fromJson(const Json& json) {
    if (!json.is_object()) {
        return Error{"the autoload rules must be an object with \"rules\" and \"fallback\""};
    }
    AutoloadRules result;
    if (const auto fallback = json.find("fallback"); fallback != json.end()) {
        if (fallback->is_string()) {
            result.fallback = fallback->get<std::string>();
        } else if (!fallback->is_null()) {
            return Error{"the autoload fallback must be a preset name or null"};
        }
    }
    const auto rules = json.find("rules");
    if (rules == json.end()) {
        return result;
    }
    if (!rules->is_array()) {
        return Error{"the autoload \"rules\" must be a list"};
    }
    for (size_t i = 0; i < rules->size(); ++i) {
        const Json& entry = (*rules)[i];
        const std::string place = "autoload rule " + std::to_string(i + 1);
        if (!entry.is_object()) {
            return Error{place + " must be an object with \"device\", \"match\" and \"preset\""};
        }
        const auto device = entry.find("device");
        const auto match = entry.find("match");
        const auto preset = entry.find("preset");
        if (device == entry.end() || !device->is_string()) {
            return Error{place + " needs a \"device\" name (a string)"};
        }
        if (preset == entry.end() || !preset->is_string()) {
            return Error{place + " needs a \"preset\" name (a string)"};
        }
        AutoloadRule rule{device->get<std::string>(), AutoloadRule::Match::Exact,
                          preset->get<std::string>()};
        if (match != entry.end()) {
            if (*match == "substring") {
                rule.match = AutoloadRule::Match::Substring;
            } else if (*match != "exact") {
                return Error{place + ": \"match\" must be \"exact\" or \"substring\""};
            }
        }
        result.rules.push_back(std::move(rule));
    }
    return result;
}

}  // namespace liverack::core
