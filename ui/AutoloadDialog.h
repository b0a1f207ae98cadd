// Edits the per-device autoload rules: which preset loads when the stream starts on an output
// device (or such a device appears), matched by exact name or by a part of it, plus a fallback
// for every other device.
#pragma once

#include <QDialog>
#include <QStringList>

#include "core/preset/AutoloadRules.h"

class QComboBox;
class QLabel;
class QTableWidget;

namespace liverack::ui {

class AutoloadDialog : public QDialog {
    Q_OBJECT

public:
    // `devices`: output devices present now (offered, not required); `presets`: loadable names.
    AutoloadDialog(const core::AutoloadRules& rules, const QStringList& devices,
                   const QStringList& presets, QWidget* parent = nullptr);

    // The rules as edited; rows without a device or a preset are left out.
    core::AutoloadRules rules() const;

    void addRule(const core::AutoloadRule& rule);
    QTableWidget& table() noexcept { return *table_; }
    QComboBox& fallback() noexcept { return *fallback_; }

private:
    QStringList devices_;
    QStringList presets_;
    QTableWidget* table_;
    QComboBox* fallback_;
};

}  // namespace liverack::ui
