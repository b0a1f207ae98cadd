// The searchable list of installed LV2 plugins the rack can add: a filter line over a tree
// grouped by kind (EQ, Dynamics, ...) with name and author per row. Plugins LiveRack cannot host
// stay listed, greyed and disabled, with the sentence saying why beside them.
#pragma once

#include <QDialog>
#include <QString>

#include <memory>
#include <vector>

#include "core/dsp/lv2/Lv2PluginInfo.h"

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace liverack::ui {

class PluginBrowser : public QDialog {
    Q_OBJECT

public:
    using Plugins = std::vector<std::shared_ptr<const core::Lv2PluginInfo>>;
    enum Column { NameColumn, AuthorColumn, NoteColumn };
    // Plugin rows carry their URI under this role; group rows carry none.
    static constexpr int kUriRole = Qt::UserRole + 1;

    // Lists the shared catalogue (and can rescan it).
    explicit PluginBrowser(QWidget* parent = nullptr);
    // Lists exactly these plugins (tests, or a caller that already holds the list).
    explicit PluginBrowser(Plugins plugins, QWidget* parent = nullptr);

    QLineEdit& filterEdit() noexcept { return *filter_; }
    QTreeWidget& tree() noexcept { return *tree_; }

    // Shows the plugins whose name, author, group, class or URI contain every word of `text`.
    void setFilter(const QString& text);
    // The plugin rows left in view by the filter, supported or not.
    int visiblePluginCount() const;
    // The URI of the selected (always supported) plugin, or empty.
    QString selectedUri() const;
    // Selects the plugin with this URI if it is listed, in view and supported.
    bool selectUri(const QString& uri);

public Q_SLOTS:
    // Loads bundles installed since the browser opened and lists them.
    void rescan();

Q_SIGNALS:
    // The user chose this plugin (Add, Enter or double-click); the dialog then closes.
    void pluginChosen(const QString& uri);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void build();
    void populate();
    void choose();
    void selectFirstVisible();
    void updateDetails();

    Plugins plugins_;
    bool fromCatalogue_;
    QLineEdit* filter_;
    QTreeWidget* tree_;
    QLabel* summary_;
    QLabel* details_;
    QDialogButtonBox* buttons_;
};

}  // namespace liverack::ui
