// One undoable edit of a slot's parameters (a slider drag, a typed value, a handle dragged on
// the spectrum): the values before and after. Edits of one gesture merge into one step, so a
// drag is undone in one go; a slot that has left the rack makes its steps obsolete.
#pragma once

#include <QUndoCommand>

#include <memory>
#include <vector>

namespace liverack::core {
class EffectSlot;
}

namespace liverack::ui {

class ParameterEditCommand : public QUndoCommand {
public:
    struct Change {
        size_t index;
        float before;
        float after;
    };

    // `gesture` tells edits apart: consecutive commands with the same gesture and slot merge.
    ParameterEditCommand(std::weak_ptr<core::EffectSlot> slot, std::vector<Change> changes,
                         int gesture, const QString& text);

    void redo() override;
    void undo() override;
    int id() const override { return kId; }
    bool mergeWith(const QUndoCommand* other) override;

    const std::vector<Change>& changes() const noexcept { return changes_; }

private:
    static constexpr int kId = 0x4c52;
    void apply(bool after);

    std::weak_ptr<core::EffectSlot> slot_;
    std::vector<Change> changes_;
    int gesture_;
};

}  // namespace liverack::ui
