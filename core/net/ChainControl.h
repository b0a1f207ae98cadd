// What a remote client (the web monitor with --web-control) may do to the running chain: read
// it, bypass a slot, set parameters. Writes go through the same atomics the window's sliders use
// (EffectSlot::setBypassed, ParameterSet::set), so the effects' own smoothing keeps them
// click-free; parameter bodies are validated by the preset reader, so a bad id or value gets the
// sentence a bad preset would. Thread-safe: the owner replaces the slots as the chain changes.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace liverack::core {

class EffectSlot;

struct ChainWrite {
    int status = 200;                   // HTTP status: 200, 400 (bad body), 404 (no such slot)
    std::string error;                  // the sentence, when status != 200
    std::vector<std::string> warnings;  // values clamped or rounded, as for a preset
};

class ChainControl {
public:
    // A write changed slot `index`; called on the writer's thread after the change.
    using ChangeListener = std::function<void(size_t index)>;

    void setSlots(std::vector<std::shared_ptr<EffectSlot>> slots);
    void setChangeListener(ChangeListener listener);

    // {"slots": [{"index", "type", "name", "bypassed", "params": [...]}]}: each parameter with
    // its metadata and its value as a preset writes it (a choice's name, a toggle's bool).
    nlohmann::ordered_json describe() const;
    // Body "true" or "false".
    ChainWrite setBypass(size_t index, std::string_view body);
    // Body {"<param id>": value, ...}: all of it is applied, or none of it.
    ChainWrite setParameters(size_t index, std::string_view body);

private:
    std::shared_ptr<EffectSlot> slot(size_t index) const;
    void changed(size_t index) const;

    mutable std::mutex mutex_;
    std::vector<std::shared_ptr<EffectSlot>> slots_;
    ChangeListener listener_;
};

}  // namespace liverack::core
