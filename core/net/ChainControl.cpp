#include "core/net/ChainControl.h"

#include <cmath>

#include "core/dsp/EffectSlot.h"
#include "core/preset/Preset.h"
#include "core/preset/PresetReader.h"

namespace liverack::core {
namespace {

using Json = nlohmann::ordered_json;

const char* kindName(ParameterKind kind) {
    switch (kind) {
        case ParameterKind::Choice:
            return "choice";
        case ParameterKind::Toggle:
            return "toggle";
        case ParameterKind::Continuous:
            break;
    }
    return "continuous";
}

// A parameter's value as a preset writes it.
Json presetValue(const ParameterInfo& info, float value) {
    switch (info.kind) {
        case ParameterKind::Toggle:
            return value >= 0.5f;
        case ParameterKind::Choice: {
            const auto index = static_cast<size_t>(std::lround(value));
            return index < info.choices.size() ? Json(info.choices[index]) : Json(nullptr);
        }
        case ParameterKind::Continuous:
            break;
    }
    return value;
}

std::string slotName(size_t index) {
    return "slot " + std::to_string(index);
}

// The preset reader names the place as in a file ("preset 'slot 2': chain[0] (gain), parameter
// ..."); here the place is the slot: "slot 2 (gain), parameter ...".
std::string inSlotTerms(std::string message, size_t index, const std::string& type) {
    const std::string asPreset = "preset '" + slotName(index) + "': chain[0] (" + type + "), ";
    const std::string asSlot = slotName(index) + " (" + type + "), ";
    for (size_t at = message.find(asPreset); at != std::string::npos;
         at = message.find(asPreset, at + asSlot.size())) {
        message.replace(at, asPreset.size(), asSlot);
    }
    return message;
}

}  // namespace

void ChainControl::setSlots(std::vector<std::shared_ptr<EffectSlot>> slots) {
    std::lock_guard lock(mutex_);
    slots_ = std::move(slots);
}

void ChainControl::setChangeListener(ChangeListener listener) {
    std::lock_guard lock(mutex_);
    listener_ = std::move(listener);
}

std::shared_ptr<EffectSlot> ChainControl::slot(size_t index) const {
    std::lock_guard lock(mutex_);
    return index < slots_.size() ? slots_[index] : nullptr;
}

void ChainControl::changed(size_t index) const {
    ChangeListener listener;
    {
        std::lock_guard lock(mutex_);
        listener = listener_;
    }
    if (listener) {
        listener(index);
    }
}

nlohmann::ordered_json ChainControl::describe() const {
    std::vector<std::shared_ptr<EffectSlot>> slots;
    {
        std::lock_guard lock(mutex_);
        slots = slots_;
    }
    Json list = Json::array();
    for (size_t i = 0; i < slots.size(); ++i) {
        const Effect& effect = slots[i]->effect();
        const EffectInfo& info = effect.info();
        Json params = Json::array();
        for (size_t p = 0; p < info.parameters.size(); ++p) {
            const ParameterInfo& parameter = info.parameters[p];
            Json entry = {{"id", parameter.id},
                          {"name", parameter.name},
                          {"unit", parameter.unit},
                          {"kind", kindName(parameter.kind)},
                          {"min", parameter.minValue},
                          {"max", parameter.maxValue},
                          {"step", parameter.step},
                          {"default", presetValue(parameter, parameter.defaultValue)},
                          {"value", presetValue(parameter, effect.parameters().get(p))},
                          {"logarithmic", parameter.skew == ParameterSkew::Logarithmic}};
            if (parameter.kind == ParameterKind::Choice) {
                entry["choices"] = parameter.choices;
            }
            params.push_back(std::move(entry));
        }
        list.push_back({{"index", i},
                        {"type", info.typeId},
                        {"name", info.displayName},
                        {"bypassed", slots[i]->isBypassed()},
                        {"params", std::move(params)}});
    }
    return {{"slots", std::move(list)}};
}

ChainWrite ChainControl::setBypass(size_t index, std::string_view body) {
    const std::shared_ptr<EffectSlot> target = slot(index);
    if (!target) {
        return {404, "there is no " + slotName(index) + " (the chain has fewer slots)", {}};
    }
    const Json value = Json::parse(body, nullptr, false);
    if (!value.is_boolean()) {
        return {400, "the body must be true or false", {}};
    }
    target->setBypassed(value.get<bool>());
    changed(index);
    return {};
}

ChainWrite ChainControl::setParameters(size_t index, std::string_view body) {
    const std::shared_ptr<EffectSlot> target = slot(index);
    if (!target) {
        return {404, "there is no " + slotName(index) + " (the chain has fewer slots)", {}};
    }
    Json params = Json::parse(body, nullptr, false);
    if (params.is_discarded() || !params.is_object()) {
        return {400,
                "the body must be a JSON object of parameter ids and values, such as "
                "{\"gain_db\": -6}",
                {}};
    }
    // The preset reader validates ids and values exactly as for a preset file, with the same
    // sentences (and suggestions for a mistyped id).
    Effect& effect = target->effect();
    const Json preset = {
        {"format", Preset::kFormat},
        {"version", Preset::kVersion},
        {"chain", Json::array({{{"type", effect.info().typeId}, {"params", std::move(params)}}})}};
    const std::string type = effect.info().typeId;
    auto read = PresetReader::readText(preset.dump(), slotName(index));
    if (!read) {
        return {400, inSlotTerms(read.error(), index, type), {}};
    }
    const PresetEffect& values = read->preset.chain.front();
    for (const auto& [id, value] : values.params) {
        const int parameter = effect.info().indexOf(id);
        if (parameter >= 0) {
            effect.parameters().set(static_cast<size_t>(parameter), value);
        }
    }
    changed(index);
    std::vector<std::string> warnings;
    for (const std::string& warning : read->warnings) {
        warnings.push_back(inSlotTerms(warning, index, type));
    }
    return {200, {}, warnings};
}

}  // namespace liverack::core
