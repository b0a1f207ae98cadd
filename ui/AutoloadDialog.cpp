#include "ui/AutoloadDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace liverack::ui {

namespace {

enum Column { kDevice, kMatch, kPreset };

QComboBox* editableCombo(const QStringList& items, const QString& current, QWidget* parent) {
    auto* combo = new QComboBox(parent);
    combo->setEditable(true);
    combo->addItems(items);
    combo->setCurrentText(current);
    return combo;
}

}  // namespace

AutoloadDialog::AutoloadDialog(const core::AutoloadRules& rules, const QStringList& devices,
                               const QStringList& presets, QWidget* parent)
    : QDialog(parent), devices_(devices), presets_(presets) {
    setWindowTitle(tr("Autoload rules"));
    auto* explanation = new QLabel(
        tr("When the stream starts on an output device, or a device named here appears, "
           "LiveRack loads the preset of the first rule that matches it (an exact name wins "
           "over a part of a name). Devices no rule matches get the fallback preset, if any. "
           "Edit ▸ Undo preset load brings back the chain from before."),
        this);
    explanation->setWordWrap(true);

    table_ = new QTableWidget(0, 3, this);
    table_->setHorizontalHeaderLabels({tr("Output device"), tr("Match"), tr("Preset")});
    table_->horizontalHeader()->setSectionResizeMode(kDevice, QHeaderView::Stretch);
    table_->horizontalHeader()->setSectionResizeMode(kMatch, QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(kPreset, QHeaderView::Stretch);
    table_->verticalHeader()->hide();
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    for (const core::AutoloadRule& rule : rules.rules) {
        addRule(rule);
    }

    auto* add = new QPushButton(tr("Add rule"), this);
    auto* remove = new QPushButton(tr("Remove rule"), this);
    connect(add, &QPushButton::clicked, this, [this] {
        addRule({devices_.value(0).toStdString(), {}, {}});
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (table_->currentRow() >= 0) {
            table_->removeRow(table_->currentRow());
        }
    });
    auto* rowButtons = new QHBoxLayout;
    rowButtons->addWidget(add);
    rowButtons->addWidget(remove);
    rowButtons->addStretch(1);

    fallback_ = new QComboBox(this);
    fallback_->addItem(tr("(none: keep the chain)"), QString());
    for (const QString& preset : presets_) {
        fallback_->addItem(preset, preset);
    }
    if (rules.fallback) {
        const QString name = QString::fromStdString(*rules.fallback);
        if (fallback_->findData(name) < 0) {
            fallback_->addItem(tr("%1 (missing)").arg(name), name);
        }
        fallback_->setCurrentIndex(fallback_->findData(name));
    }
    auto* fallbackForm = new QFormLayout;
    fallbackForm->addRow(tr("Any other device:"), fallback_);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(explanation);
    layout->addWidget(table_, 1);
    layout->addLayout(rowButtons);
    layout->addLayout(fallbackForm);
    layout->addWidget(buttons);
    resize(640, 380);
}

void AutoloadDialog::addRule(const core::AutoloadRule& rule) {
    const int row = table_->rowCount();
    table_->insertRow(row);
    table_->setCellWidget(row, kDevice,
                          editableCombo(devices_, QString::fromStdString(rule.device), table_));
    auto* match = new QComboBox(table_);
    match->addItem(tr("Exact name"), static_cast<int>(core::AutoloadRule::Match::Exact));
    match->addItem(tr("Name contains"), static_cast<int>(core::AutoloadRule::Match::Substring));
    match->setCurrentIndex(rule.match == core::AutoloadRule::Match::Exact ? 0 : 1);
    table_->setCellWidget(row, kMatch, match);
    table_->setCellWidget(row, kPreset,
                          editableCombo(presets_, QString::fromStdString(rule.preset), table_));
}

core::AutoloadRules AutoloadDialog::rules() const {
    core::AutoloadRules result;
    for (int row = 0; row < table_->rowCount(); ++row) {
        const auto* device = qobject_cast<QComboBox*>(table_->cellWidget(row, kDevice));
        const auto* match = qobject_cast<QComboBox*>(table_->cellWidget(row, kMatch));
        const auto* preset = qobject_cast<QComboBox*>(table_->cellWidget(row, kPreset));
        const QString deviceName = device->currentText().trimmed();
        const QString presetName = preset->currentText().trimmed();
        if (deviceName.isEmpty() || presetName.isEmpty()) {
            continue;
        }
        result.rules.push_back(
            {deviceName.toStdString(),
             static_cast<core::AutoloadRule::Match>(match->currentData().toInt()),
             presetName.toStdString()});
    }
    const QString fallback = fallback_->currentData().toString();
    if (!fallback.isEmpty()) {
        result.fallback = fallback.toStdString();
    }
    return result;
}

}  // namespace liverack::ui
