#include "core/dsp/ParameterInfo.h"

#include <algorithm>
#include <cmath>

namespace liverack::core {

ParameterInfo ParameterInfo::continuous(std::string id, std::string name, std::string unit,
                                        float min, float max, float defaultValue,
                                        ParameterSkew skew, float step) {
    ParameterInfo info;
    info.id = std::move(id);
    info.name = std::move(name);
    info.unit = std::move(unit);
    info.kind = ParameterKind::Continuous;
    info.minValue = min;
    info.maxValue = max;
    info.defaultValue = defaultValue;
    info.skew = skew;
    info.step = step;
    return info;
}

ParameterInfo ParameterInfo::choice(std::string id, std::string name,
                                    std::vector<std::string> choices, int defaultIndex) {
    ParameterInfo info;
    info.id = std::move(id);
    info.name = std::move(name);
    info.kind = ParameterKind::Choice;
    info.minValue = 0.0f;
    info.maxValue = static_cast<float>(choices.size()) - 1.0f;
    info.defaultValue = static_cast<float>(defaultIndex);
    info.step = 1.0f;
    info.choices = std::move(choices);
    return info;
}

ParameterInfo ParameterInfo::toggle(std::string id, std::string name, bool defaultOn) {
    ParameterInfo info;
    info.id = std::move(id);
    info.name = std::move(name);
    info.kind = ParameterKind::Toggle;
    info.minValue = 0.0f;
    info.maxValue = 1.0f;
    info.defaultValue = defaultOn ? 1.0f : 0.0f;
    info.step = 1.0f;
    return info;
}

float ParameterInfo::constrain(float value) const noexcept {
    if (!std::isfinite(value)) {
        return defaultValue;
    }
    float v = std::clamp(value, minValue, maxValue);
    if (step > 0.0f) {
        v = minValue + std::round((v - minValue) / step) * step;
        v = std::clamp(v, minValue, maxValue);
    }
    return v;
}

float ParameterInfo::toNormalised(float value) const noexcept {
    const float v = constrain(value);
    if (maxValue <= minValue) {
        return 0.0f;
    }
    if (skew == ParameterSkew::Logarithmic && minValue > 0.0f) {
        return std::log(v / minValue) / std::log(maxValue / minValue);
    }
    return (v - minValue) / (maxValue - minValue);
}

float ParameterInfo::fromNormalised(float normalised) const noexcept {
    const float n = std::clamp(normalised, 0.0f, 1.0f);
    float v = 0.0f;
    if (skew == ParameterSkew::Logarithmic && minValue > 0.0f) {
        v = minValue * std::pow(maxValue / minValue, n);
    } else {
        v = minValue + n * (maxValue - minValue);
    }
    return constrain(v);
}

int ParameterInfo::choiceIndex(const std::string& choiceName) const {
    const auto it = std::find(choices.begin(), choices.end(), choiceName);
    return it == choices.end() ? -1 : static_cast<int>(it - choices.begin());
}

}  // namespace liverack::core
