// Which preset to load when an output device appears: rules from a device name (exact, or a
// case-insensitive part of it) to a preset name, plus a fallback. Kept inside the session.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/Result.h"

namespace liverack::core {

struct AutoloadRule {
    enum class Match { Exact, Substring };

    std::string device;  // the output device name, or a part of it
    Match match = Match::Exact;
    std::string preset;  // a preset name as PresetLibrary knows it

    friend bool operator==(const AutoloadRule&, const AutoloadRule&) = default;
};

class AutoloadRules {
public:
    std::vector<AutoloadRule> rules;
    std::optional<std::string> fallback;  // for a device no rule matches

    // An exact rule wins over any substring rule (as device names are matched on the command
    // line); among substring rules the first in the list wins; then the fallback.
    std::optional<std::string> presetFor(std::string_view deviceName) const;

    nlohmann::json toJson() const;
    // Every problem is a sentence naming the rule; an error means no rules at all.
    static Result<AutoloadRules> fromJson(const nlohmann::json& json);

    friend bool operator==(const AutoloadRules&, const AutoloadRules&) = default;
};

}  // namespace liverack::core
