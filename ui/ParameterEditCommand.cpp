#include "ui/ParameterEditCommand.h"

#include <algorithm>

#include "core/dsp/EffectSlot.h"

namespace liverack::ui {

ParameterEditCommand::ParameterEditCommand(std::weak_ptr<core::EffectSlot> slot,
                                           std::vector<Change> changes, int gesture,
                                           const QString& text)
    : slot_(std::move(slot)), changes_(std::move(changes)), gesture_(gesture) {
    setText(text);
}

void ParameterEditCommand::apply(bool after) {
    const std::shared_ptr<core::EffectSlot> slot = slot_.lock();
    if (!slot) {
        setObsolete(true);
        return;
    }
    core::ParameterSet& parameters = slot->effect().parameters();
    // Undo restores in reverse, so an index changed twice within a step ends at its first value.
    if (after) {
        for (const Change& c : changes_) {
            parameters.set(c.index, c.after);
        }
    } else {
        for (auto c = changes_.rbegin(); c != changes_.rend(); ++c) {
            parameters.set(c->index, c->before);
        }
    }
}

void ParameterEditCommand::redo() {
    apply(true);
}

void ParameterEditCommand::undo() {
    apply(false);
}

bool ParameterEditCommand::mergeWith(const QUndoCommand* other) {
    const auto* next = static_cast<const ParameterEditCommand*>(other);
    if (next->gesture_ != gesture_ || next->slot_.lock() != slot_.lock()) {
        return false;
    }
    for (const Change& c : next->changes_) {
        auto mine = std::find_if(changes_.begin(), changes_.end(),
                                 [&](const Change& m) { return m.index == c.index; });
        if (mine != changes_.end()) {
            mine->after = c.after;  // keeps its first `before`
        } else {
            changes_.push_back(c);
        }
    }
    return true;
}

}  // namespace liverack::ui
