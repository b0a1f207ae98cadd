#include "ui/ParameterPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QUndoStack>
#include <QVBoxLayout>

#include <cmath>
#include <map>

#include "core/dsp/EffectSlot.h"
#include "ui/CompressorCurveView.h"
#include "ui/OutputMeter.h"
#include "ui/ParameterEditCommand.h"
#include "ui/ParameterSlider.h"

namespace liverack::ui {

namespace {

int decimalsFor(const core::ParameterInfo& info) {
    if (info.step >= 1.0f) {
        return 0;
    }
    const float span = info.maxValue - info.minValue;
    if (info.skew == core::ParameterSkew::Logarithmic) {
        return info.minValue < 1.0f ? 2 : 1;
    }
    return span <= 2.0f ? 2 : (span <= 200.0f ? 1 : 0);
}

// "b3.freq_hz" belongs to group "b3"; ids without a dot are ungrouped.
QString groupOf(const core::ParameterInfo& info) {
    const auto dot = info.id.find('.');
    return dot == std::string::npos ? QString() : QString::fromStdString(info.id.substr(0, dot));
}

QString groupTitle(const QString& group) {
    static const QRegularExpression band("^b(\\d+)$");
    const auto match = band.match(group);
    return match.hasMatch() ? QObject::tr("Band %1").arg(match.captured(1)) : group;
}

// Plugin port names can be long ("Sidechain high-pass filter frequency"); the dock is narrow
// and never scrolls sideways, so labels are elided and carry the full name as their tooltip.
constexpr int kMaxLabelWidth = 150;

void setElidedText(QLabel* label, const QString& text, const std::string& id) {
    const QFontMetrics metrics(label->font());
    label->setText(metrics.elidedText(text, Qt::ElideRight, kMaxLabelWidth));
    label->setToolTip(text == QString::fromStdString(id)
                          ? text
                          : QStringLiteral("%1 (%2)").arg(text, QString::fromStdString(id)));
}

// An output as text: its choice name, on/off, or the number with its unit.
QString formatOutput(const core::ParameterInfo& info, float value) {
    if (!std::isfinite(value)) {
        return QStringLiteral("–");
    }
    switch (info.kind) {
        case core::ParameterKind::Toggle:
            return value >= 0.5f ? QObject::tr("on") : QObject::tr("off");
        case core::ParameterKind::Choice: {
            // Plugins report their own value of a choice (a scale point), not its index.
            long index = std::lround(value);
            if (!info.choiceValues.empty()) {
                index = 0;
                for (size_t c = 1; c < info.choiceValues.size(); ++c) {
                    if (std::abs(info.choiceValues[c] - value) <
                        std::abs(info.choiceValues[static_cast<size_t>(index)] - value)) {
                        index = static_cast<long>(c);
                    }
                }
            }
            if (index >= 0 && static_cast<size_t>(index) < info.choices.size()) {
                return QString::fromStdString(info.choices[static_cast<size_t>(index)]);
            }
            return QString::number(value);
        }
        case core::ParameterKind::Continuous:
            break;
    }
    const int decimals = std::abs(value) >= 1000.0f ? 0 : decimalsFor(info);
    QString text = QString::number(static_cast<double>(value), 'f', decimals);
    if (text.startsWith('-')) {
        text[0] = QChar(0x2212);  // a real minus, as wide as the plus-less digits
    }
    return info.unit.empty() ? text : text + ' ' + QString::fromStdString(info.unit);
}

bool matchesFilter(const core::ParameterInfo& info, const QString& text) {
    return text.isEmpty() ||
           QString::fromStdString(info.name).contains(text, Qt::CaseInsensitive) ||
           QString::fromStdString(info.id).contains(text, Qt::CaseInsensitive);
}

}  // namespace

ParameterPanel::ParameterPanel(QWidget* parent) : QWidget(parent) {
    title_ = new QLabel(this);
    QFont titleFont = title_->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    titleFont.setWeight(QFont::DemiBold);
    title_->setFont(titleFont);
    subtitle_ = new QLabel(this);
    subtitle_->setStyleSheet("color: #8a9099;");
    subtitle_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout_ = new QVBoxLayout(this);
    layout_->setContentsMargins(10, 8, 10, 8);
    layout_->setSpacing(6);
    layout_->addWidget(title_);
    layout_->addWidget(subtitle_);
    rebuild();
}

void ParameterPanel::setSlot(std::shared_ptr<core::EffectSlot> slot) {
    if (slot == slot_) {
        return;
    }
    slot_ = std::move(slot);
    rebuild();
}

ParameterSlider* ParameterPanel::sliderFor(size_t index) const {
    return index < controls_.size() ? controls_[index].slider : nullptr;
}
QDoubleSpinBox* ParameterPanel::spinBoxFor(size_t index) const {
    return index < controls_.size() ? controls_[index].spinBox : nullptr;
}
QComboBox* ParameterPanel::comboBoxFor(size_t index) const {
    return index < controls_.size() ? controls_[index].comboBox : nullptr;
}
QCheckBox* ParameterPanel::checkBoxFor(size_t index) const {
    return index < controls_.size() ? controls_[index].checkBox : nullptr;
}
QLabel* ParameterPanel::readoutFor(size_t index) const {
    return index < readouts_.size() ? readouts_[index].value : nullptr;
}
OutputMeter* ParameterPanel::meterFor(size_t index) const {
    return index < readouts_.size() ? readouts_[index].meter : nullptr;
}
bool ParameterPanel::isParameterShown(size_t index) const {
    return index < controls_.size() && controls_[index].shown;
}

void ParameterPanel::rebuild() {
    delete content_;  // takes the filter line and the readouts with it
    content_ = new QWidget(this);
    controls_.clear();
    readouts_.clear();
    curve_ = nullptr;  // went with content_
    filter_ = nullptr;
    layout_->addWidget(content_, 1);
    subtitle_->clear();
    subtitle_->setToolTip({});
    subtitle_->hide();
    if (!slot_) {
        title_->setText(tr("No effect selected"));
        auto* hint = new QLabel(tr("Select a slot in the rack to edit its parameters."), content_);
        hint->setWordWrap(true);
        hint->setStyleSheet("color: #8a9099;");
        auto* l = new QVBoxLayout(content_);
        l->setContentsMargins(0, 0, 0, 0);
        l->addWidget(hint);
        l->addStretch(1);
        return;
    }

    const core::ParameterSet& parameters = slot_->effect().parameters();
    const core::EffectInfo& effectInfo = slot_->effect().info();
    title_->setText(QString::fromStdString(effectInfo.displayName));
    if (!effectInfo.pluginUri.empty()) {
        subtitle_->setText(
            effectInfo.author.empty()
                ? tr("LV2 plugin")
                : tr("LV2 plugin by %1").arg(QString::fromStdString(effectInfo.author)));
        subtitle_->setToolTip(QString::fromStdString(effectInfo.pluginUri));
        subtitle_->show();
    }
    controls_.resize(parameters.size());

    // One grid per group, in order of first appearance.
    std::vector<QString> groupOrder;
    std::map<QString, QGridLayout*> grids;
    std::map<QString, QWidget*> boxes;
    auto* outer = new QGridLayout(content_);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setHorizontalSpacing(10);
    outer->setVerticalSpacing(8);
    for (size_t i = 0; i < parameters.size(); ++i) {
        const QString g = groupOf(parameters.info(i));
        if (!grids.count(g)) {
            groupOrder.push_back(g);
            grids[g] = nullptr;
        }
    }
    // One column: the panel lives in a narrow dock; wide docks just get wider sliders.
    const int columns = 1;
    int placed = 0;
    int outerRow = 0;
    if (parameters.size() > kFilterThreshold) {
        filter_ = new QLineEdit(content_);
        filter_->setPlaceholderText(tr("Filter %1 parameters").arg(parameters.size()));
        filter_->setClearButtonEnabled(true);
        filter_->setAccessibleName(tr("Parameter filter"));
        connect(filter_, &QLineEdit::textChanged, this, &ParameterPanel::setParameterFilter);
        outer->addWidget(filter_, outerRow++, 0, 1, columns);
    }
    if (!effectInfo.outputs.empty()) {
        buildReadouts(content_, outer, outerRow++);
    }
    if (effectInfo.typeId == "compressor") {
        curve_ = new CompressorCurveView(slot_, content_);
        outer->addWidget(curve_, outerRow++, 0, 1, columns);
    }
    for (const QString& g : groupOrder) {
        QWidget* box = nullptr;
        if (g.isEmpty()) {
            box = new QWidget(content_);
            outer->addWidget(box, outerRow++, 0, 1, columns);
        } else {
            auto* group = new QGroupBox(groupTitle(g), content_);
            box = group;
            outer->addWidget(group, outerRow + placed / columns, placed % columns);
            ++placed;
        }
        auto* grid = new QGridLayout(box);
        grid->setContentsMargins(g.isEmpty() ? 0 : 8, g.isEmpty() ? 0 : 6, g.isEmpty() ? 0 : 8,
                                 g.isEmpty() ? 0 : 6);
        grid->setHorizontalSpacing(8);
        grid->setVerticalSpacing(6);
        grid->setColumnStretch(1, 1);
        grids[g] = grid;
        if (!g.isEmpty()) {
            boxes[g] = box;
        }
    }
    outer->setRowStretch(outerRow + (placed + columns - 1) / columns, 1);

    // A group whose "<group>.type" choice offers "off" (an EQ band) greys out while it is off.
    for (size_t s = 0; s < parameters.size(); ++s) {
        const core::ParameterInfo& sw = parameters.info(s);
        const QString group = groupOf(sw);
        if (group.isEmpty() || sw.kind != core::ParameterKind::Choice ||
            sw.id != group.toStdString() + ".type" || sw.choiceIndex("off") < 0) {
            continue;
        }
        for (size_t i = 0; i < parameters.size(); ++i) {
            if (i != s && groupOf(parameters.info(i)) == group) {
                controls_[i].switchedBy = static_cast<int>(s);
            }
        }
    }

    for (size_t i = 0; i < parameters.size(); ++i) {
        const core::ParameterInfo& info = parameters.info(i);
        QGridLayout* grid = grids[groupOf(info)];
        QWidget* parent = grid->parentWidget();
        const int row = grid->rowCount();
        // "Band 3 frequency" inside the "Band 3" box reads as "Frequency".
        QString name = QString::fromStdString(info.name);
        const QString title = groupTitle(groupOf(info));
        if (!title.isEmpty() && name.startsWith(title + ' ', Qt::CaseInsensitive)) {
            name = name.mid(title.size() + 1);
            name[0] = name[0].toUpper();
        }
        Control& control = controls_[i];
        control.box = boxes.count(groupOf(info)) ? boxes[groupOf(info)] : nullptr;
        switch (info.kind) {
            case core::ParameterKind::Continuous: {
                auto* label = new QLabel(parent);
                setElidedText(label, name, info.id);
                label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
                control.label = label;
                control.slider = new ParameterSlider(parent);
                control.slider->setAccessibleName(name);
                control.spinBox = new QDoubleSpinBox(parent);
                control.spinBox->setRange(info.minValue, info.maxValue);
                control.spinBox->setDecimals(decimalsFor(info));
                control.spinBox->setKeyboardTracking(false);
                control.spinBox->setAccelerated(true);
                control.spinBox->setAlignment(Qt::AlignRight);
                if (info.step > 0.0f) {
                    control.spinBox->setSingleStep(info.step);
                } else {
                    control.spinBox->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
                }
                if (!info.unit.empty()) {
                    control.spinBox->setSuffix(" " + QString::fromStdString(info.unit));
                }
                control.spinBox->setMinimumWidth(84);
                control.slider->setMinimumWidth(40);
                grid->addWidget(label, row, 0);
                grid->addWidget(control.slider, row, 1);
                grid->addWidget(control.spinBox, row, 2);
                connect(control.slider, &QSlider::valueChanged, this, [this, i] {
                    const auto& inf = slot_->effect().parameters().info(i);
                    write(i, inf.fromNormalised(
                                 static_cast<float>(controls_[i].slider->normalisedValue())));
                });
                // One drag is one undo step: a gesture starts at the press and ends at the
                // release.
                connect(control.slider, &QSlider::sliderPressed, this, [this] { ++gesture_; });
                connect(control.slider, &QSlider::sliderReleased, this, [this] { ++gesture_; });
                connect(control.slider, &ParameterSlider::resetRequested, this,
                        [this, i] { write(i, slot_->effect().parameters().info(i).defaultValue); });
                connect(control.spinBox, &QDoubleSpinBox::valueChanged, this,
                        [this, i](double v) { write(i, static_cast<float>(v)); });
                break;
            }
            case core::ParameterKind::Choice: {
                auto* label = new QLabel(parent);
                setElidedText(label, name, info.id);
                label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
                control.label = label;
                control.comboBox = new QComboBox(parent);
                control.comboBox->setAccessibleName(name);
                for (const std::string& choice : info.choices) {
                    control.comboBox->addItem(QString::fromStdString(choice));
                }
                grid->addWidget(label, row, 0);
                grid->addWidget(control.comboBox, row, 1, 1, 2, Qt::AlignLeft);
                connect(control.comboBox, &QComboBox::currentIndexChanged, this,
                        [this, i](int index) { write(i, static_cast<float>(index)); });
                break;
            }
            case core::ParameterKind::Toggle: {
                control.checkBox =
                    new QCheckBox(QFontMetrics(parent->font())
                                      .elidedText(name, Qt::ElideRight, 2 * kMaxLabelWidth),
                                  parent);
                control.checkBox->setToolTip(name);
                grid->addWidget(control.checkBox, row, 1, 1, 2);
                connect(control.checkBox, &QCheckBox::toggled, this,
                        [this, i](bool on) { write(i, on ? 1.0f : 0.0f); });
                break;
            }
        }
        display(i, parameters.get(i));
    }
    for (size_t i = 0; i < parameters.size(); ++i) {
        updateSwitchedControls(i, parameters.get(i));
    }
}

void ParameterPanel::buildReadouts(QWidget* parent, QGridLayout* outer, int row) {
    const std::vector<core::ParameterInfo>& outputs = slot_->effect().info().outputs;
    auto* box = new QGroupBox(tr("Readouts"), parent);
    box->setToolTip(tr("Values the effect reports while it plays"));
    outer->addWidget(box, row, 0, 1, 1);
    auto* grid = new QGridLayout(box);
    grid->setContentsMargins(8, 6, 8, 6);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(4);
    grid->setColumnStretch(1, 1);
    readouts_.resize(outputs.size());
    for (size_t i = 0; i < outputs.size(); ++i) {
        const core::ParameterInfo& info = outputs[i];
        auto* name = new QLabel(box);
        setElidedText(name, QString::fromStdString(info.name), info.id);
        name->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        Readout& readout = readouts_[i];
        readout.value = new QLabel(box);
        readout.value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        readout.value->setMinimumWidth(84);
        readout.value->setAccessibleName(QString::fromStdString(info.name));
        grid->addWidget(name, static_cast<int>(i), 0);
        if (info.kind == core::ParameterKind::Continuous && info.maxValue > info.minValue) {
            readout.meter = new OutputMeter(info, box);
            readout.meter->setAccessibleName(QString::fromStdString(info.name));
            readout.meter->setToolTip(tr("%1 … %2").arg(formatOutput(info, info.minValue),
                                                        formatOutput(info, info.maxValue)));
            grid->addWidget(readout.meter, static_cast<int>(i), 1);
        }
        grid->addWidget(readout.value, static_cast<int>(i), 2);
    }
    refreshReadouts();
}

void ParameterPanel::refreshReadouts() {
    const core::ParameterSet& outputs = slot_->effect().outputs();
    for (size_t i = 0; i < readouts_.size() && i < outputs.size(); ++i) {
        Readout& readout = readouts_[i];
        const float value = outputs.get(i);
        const QString text = formatOutput(outputs.info(i), value);
        if (text != readout.text) {
            readout.text = text;
            readout.value->setText(text);
        }
        if (readout.meter) {
            readout.meter->setValue(value);
        }
    }
}

void ParameterPanel::setParameterFilter(const QString& text) {
    if (!slot_) {
        return;
    }
    if (filter_ && filter_->text() != text) {
        filter_->setText(text);  // comes back here through textChanged
        return;
    }
    const core::ParameterSet& parameters = slot_->effect().parameters();
    std::map<QWidget*, bool> boxShown;
    for (size_t i = 0; i < controls_.size(); ++i) {
        Control& c = controls_[i];
        c.shown = matchesFilter(parameters.info(i), text.trimmed());
        for (QWidget* w : std::initializer_list<QWidget*>{c.slider, c.spinBox, c.comboBox,
                                                          c.checkBox, c.label}) {
            if (w) {
                w->setVisible(c.shown);
            }
        }
        if (c.box) {
            boxShown[c.box] = boxShown[c.box] || c.shown;
        }
    }
    for (const auto& [box, shown] : boxShown) {
        box->setVisible(shown);
    }
}

void ParameterPanel::updateSwitchedControls(size_t switchIndex, float value) {
    const core::ParameterInfo& sw = slot_->effect().parameters().info(switchIndex);
    const int choice = static_cast<int>(std::lround(value));
    const bool on = choice != sw.choiceIndex("off");
    for (Control& c : controls_) {
        if (c.switchedBy != static_cast<int>(switchIndex)) {
            continue;
        }
        for (QWidget* w : std::initializer_list<QWidget*>{c.slider, c.spinBox, c.comboBox,
                                                          c.checkBox, c.label}) {
            if (w) {
                w->setEnabled(on);
            }
        }
    }
}

void ParameterPanel::write(size_t index, float value) {
    if (!slot_) {
        return;
    }
    core::ParameterSet& parameters = slot_->effect().parameters();
    const float before = parameters.get(index);
    if (undo_ != nullptr) {
        // A slider being dragged keeps its gesture; anything else is a step of its own.
        const bool dragging = controls_[index].slider && controls_[index].slider->isSliderDown();
        const int gesture = dragging ? gesture_ : ++gesture_;
        undo_->push(new ParameterEditCommand(
            slot_, {{index, before, value}}, gesture,
            tr("Change %1").arg(QString::fromStdString(parameters.info(index).name))));
    } else {
        parameters.set(index, value);
    }
    // Show what was stored (constrained), keeping the other control of the pair in step.
    display(index, parameters.get(index));
    updateSwitchedControls(index, parameters.get(index));
    Q_EMIT parameterEdited(static_cast<int>(index), parameters.get(index));
}

int ParameterPanel::newGesture() noexcept {
    return ++gesture_;
}

void ParameterPanel::display(size_t index, float value) {
    Control& control = controls_[index];
    const core::ParameterInfo& info = slot_->effect().parameters().info(index);
    if (control.slider) {
        const QSignalBlocker blockSlider(control.slider);
        const QSignalBlocker blockSpin(control.spinBox);
        // A slider position maps to a value; re-deriving it from a typed value must not move the
        // stored value, hence the blocked signals.
        if (!control.slider->isSliderDown()) {
            control.slider->setNormalisedValue(info.toNormalised(value));
        }
        if (std::abs(control.spinBox->value() - value) > 1e-6) {
            control.spinBox->setValue(value);
        }
    } else if (control.comboBox) {
        const QSignalBlocker block(control.comboBox);
        if (control.comboBox->currentIndex() != static_cast<int>(std::lround(value))) {
            control.comboBox->setCurrentIndex(static_cast<int>(std::lround(value)));
            updateSwitchedControls(index, value);
        }
    } else if (control.checkBox) {
        const QSignalBlocker block(control.checkBox);
        control.checkBox->setChecked(value >= 0.5f);
    }
}

void ParameterPanel::refresh() {
    if (!slot_) {
        return;
    }
    refreshReadouts();
    if (curve_ != nullptr) {
        curve_->refresh();
    }
    const core::ParameterSet& parameters = slot_->effect().parameters();
    for (size_t i = 0; i < controls_.size() && i < parameters.size(); ++i) {
        // Leave alone what the user is typing into.
        if (controls_[i].spinBox && controls_[i].spinBox->hasFocus()) {
            continue;
        }
        display(i, parameters.get(i));
    }
}

}  // namespace liverack::ui
