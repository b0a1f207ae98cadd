// The controls of one effect, generated from its parameter metadata: slider + spin box (with
// unit) for continuous parameters, a combo box for choices, a check box for toggles. Edits are
// atomic stores into the effect's ParameterSet; refresh() follows changes made elsewhere. The
// values the effect reports (its outputs: a plugin's meters) are shown read-only above the
// controls and follow refresh() too. Long parameter lists (LV2 plugins have hundreds) get a
// filter line.
#pragma once

#include <QWidget>

#include <memory>
#include <vector>

class QDoubleSpinBox;
class QComboBox;
class QCheckBox;
class QLabel;
class QLineEdit;
class QGridLayout;
class QVBoxLayout;
class QUndoStack;

namespace liverack::core {
class EffectSlot;
}

namespace liverack::ui {

class CompressorCurveView;
class OutputMeter;
class ParameterSlider;

class ParameterPanel : public QWidget {
    Q_OBJECT

public:
    explicit ParameterPanel(QWidget* parent = nullptr);

    // nullptr shows a hint instead of controls. The panel keeps the slot alive while shown.
    void setSlot(std::shared_ptr<core::EffectSlot> slot);
    core::EffectSlot* slot() const noexcept { return slot_.get(); }
    const std::shared_ptr<core::EffectSlot>& sharedSlot() const noexcept { return slot_; }

    // Edits go onto this stack (undoable, a slider drag as one step); null writes directly.
    void setUndoStack(QUndoStack* stack) noexcept { undo_ = stack; }
    QUndoStack* undoStack() const noexcept { return undo_; }
    // A gesture number no edit has used yet, for other editors of the same parameters (the
    // EQ handles): their edits within one gesture merge into one undo step.
    int newGesture() noexcept;

    // Brings every control to the parameter's current value (presets, other editors) and every
    // readout to the output's latest value. Only loads atomics: never waits on the audio thread.
    void refresh();
    // Shows only the parameters whose name or id contains `text` (all when empty).
    void setParameterFilter(const QString& text);
    // Above this many parameters the panel offers a filter line.
    static constexpr size_t kFilterThreshold = 16;

    // For tests and keyboard users: the controls of parameter `index` (null if not that kind).
    ParameterSlider* sliderFor(size_t index) const;
    QDoubleSpinBox* spinBoxFor(size_t index) const;
    QComboBox* comboBoxFor(size_t index) const;
    QCheckBox* checkBoxFor(size_t index) const;
    // The read-only display of output `index`: its value text (with unit) and, for continuous
    // outputs, its bar. Null past the end.
    QLabel* readoutFor(size_t index) const;
    OutputMeter* meterFor(size_t index) const;
    size_t readoutCount() const noexcept { return readouts_.size(); }
    // Null unless the effect has more than kFilterThreshold parameters.
    QLineEdit* filterEdit() const noexcept { return filter_; }
    // The compressor's static curve; null for other effects.
    CompressorCurveView* compressorCurve() const noexcept { return curve_; }
    // Whether parameter `index`'s row is left in view by the filter.
    bool isParameterShown(size_t index) const;

Q_SIGNALS:
    void parameterEdited(int index, float value);

private:
    struct Control {
        ParameterSlider* slider = nullptr;
        QDoubleSpinBox* spinBox = nullptr;
        QComboBox* comboBox = nullptr;
        QCheckBox* checkBox = nullptr;
        QLabel* label = nullptr;
        int switchedBy = -1;     // a "<group>.type" choice whose "off" disables this control
        QWidget* box = nullptr;  // the group box holding the row, or null when ungrouped
        bool shown = true;
    };
    struct Readout {
        QLabel* value = nullptr;
        OutputMeter* meter = nullptr;
        QString text;  // last shown, so an unchanged value costs no relayout
    };

    void rebuild();
    void write(size_t index, float value);
    void display(size_t index, float value);
    void updateSwitchedControls(size_t switchIndex, float value);
    void buildReadouts(QWidget* parent, QGridLayout* outer, int row);
    void refreshReadouts();

    std::shared_ptr<core::EffectSlot> slot_;
    QUndoStack* undo_ = nullptr;
    int gesture_ = 0;
    std::vector<Control> controls_;
    std::vector<Readout> readouts_;
    CompressorCurveView* curve_ = nullptr;
    QWidget* content_ = nullptr;
    QLineEdit* filter_ = nullptr;
    QLabel* title_;
    QLabel* subtitle_;
    QVBoxLayout* layout_;
};

}  // namespace liverack::ui
