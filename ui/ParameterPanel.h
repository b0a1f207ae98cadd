// The controls of one effect, generated from its parameter metadata: slider + spin box (with
// unit) for continuous parameters, a combo box for choices, a check box for toggles. Edits are
// atomic stores into the effect's ParameterSet; refresh() follows changes made elsewhere.
#pragma once

#include <QWidget>

#include <memory>
#include <vector>

class QDoubleSpinBox;
class QComboBox;
class QCheckBox;
class QLabel;
class QVBoxLayout;

namespace liverack::core {
class EffectSlot;
}

namespace liverack::ui {

class ParameterSlider;

class ParameterPanel : public QWidget {
    Q_OBJECT

public:
    explicit ParameterPanel(QWidget* parent = nullptr);

    // nullptr shows a hint instead of controls. The panel keeps the slot alive while shown.
    void setSlot(std::shared_ptr<core::EffectSlot> slot);
    core::EffectSlot* slot() const noexcept { return slot_.get(); }

    // Brings every control to the parameter's current value (presets, other editors).
    void refresh();

    // For tests and keyboard users: the controls of parameter `index` (null if not that kind).
    ParameterSlider* sliderFor(size_t index) const;
    QDoubleSpinBox* spinBoxFor(size_t index) const;
    QComboBox* comboBoxFor(size_t index) const;
    QCheckBox* checkBoxFor(size_t index) const;

Q_SIGNALS:
    void parameterEdited(int index, float value);

private:
    struct Control {
        ParameterSlider* slider = nullptr;
        QDoubleSpinBox* spinBox = nullptr;
        QComboBox* comboBox = nullptr;
        QCheckBox* checkBox = nullptr;
        QLabel* label = nullptr;
        int switchedBy = -1;  // a "<group>.type" choice whose "off" disables this control
    };

    void rebuild();
    void write(size_t index, float value);
    void display(size_t index, float value);
    void updateSwitchedControls(size_t switchIndex, float value);

    std::shared_ptr<core::EffectSlot> slot_;
    std::vector<Control> controls_;
    QWidget* content_ = nullptr;
    QLabel* title_;
    QVBoxLayout* layout_;
};

}  // namespace liverack::ui
