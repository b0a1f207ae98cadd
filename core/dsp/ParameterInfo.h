// Metadata of one effect parameter, declared once next to its effect; the GUI builds its control
// from it and the preset code reads and writes through it.
#pragma once

#include <string>
#include <vector>

namespace liverack::core {

enum class ParameterKind { Continuous, Choice, Toggle };

// How a control maps its travel to values, and how the effect smooths changes:
// Linear for dB, mix and pan; Logarithmic (multiplicative) for Hz and ms.
enum class ParameterSkew { Linear, Logarithmic };

struct ParameterInfo {
    std::string id;    // stable: presets depend on it
    std::string name;  // for people
    std::string unit;  // "dB", "Hz", "ms", "%", "" ...
    ParameterKind kind = ParameterKind::Continuous;
    float minValue = 0.0f;
    float maxValue = 1.0f;
    float defaultValue = 0.0f;
    ParameterSkew skew = ParameterSkew::Linear;
    float step = 0.0f;                 // > 0: only multiples of step above minValue are valid
    std::vector<std::string> choices;  // Choice: the value is the index into this list
    // Choice parameters of hosted plugins: the plugin's own value of each choice (an LV2 scale
    // point), in the order of choices. Empty for built-in effects, whose value is the index.
    std::vector<float> choiceValues;

    static ParameterInfo continuous(std::string id, std::string name, std::string unit, float min,
                                    float max, float defaultValue,
                                    ParameterSkew skew = ParameterSkew::Linear, float step = 0.0f);
    static ParameterInfo choice(std::string id, std::string name, std::vector<std::string> choices,
                                int defaultIndex);
    static ParameterInfo toggle(std::string id, std::string name, bool defaultOn);

    // Brings any value into the legal set: range, step, whole choice index, 0/1 for toggles.
    // Non-finite values become the default.
    float constrain(float value) const noexcept;

    // Control travel 0..1 <-> value, following the skew.
    float toNormalised(float value) const noexcept;
    float fromNormalised(float normalised) const noexcept;

    // Index of a choice by name, or -1.
    int choiceIndex(const std::string& choiceName) const;
};

}  // namespace liverack::core
