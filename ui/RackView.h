// The rack editor: the chain as a vertical list of slot cards with add (menu of every effect
// type the factory knows, and the browser of installed plugins), duplicate, remove,
// drag-and-drop reordering and per-slot bypass.
#pragma once

#include <QPointer>
#include <QWidget>

class QListView;
class QToolButton;
class QLabel;
class QMenu;
class QAction;

namespace liverack::ui {

class PluginBrowser;
class RackController;
class RackModel;

class RackView : public QWidget {
    Q_OBJECT

public:
    explicit RackView(RackController& controller, QWidget* parent = nullptr);

    RackModel& model() noexcept { return *model_; }
    QListView& listView() noexcept { return *list_; }
    // The selected slot's index, or -1.
    int currentSlot() const;
    void selectSlot(int index);
    // The menu of effect types (also bound to Ctrl+E by the window); its last entry opens the
    // plugin browser.
    QMenu& addMenu() noexcept { return *addMenu_; }
    QAction& browsePluginsAction() noexcept { return *browsePlugins_; }
    // The plugin browser while it is open, else null.
    PluginBrowser* pluginBrowser() const;

public Q_SLOTS:
    void toggleBypassOfCurrent();
    void duplicateCurrent();
    void removeCurrent();
    void showAddMenu();
    // Opens the plugin browser (window-modal, returns at once); a choice adds an LV2 slot.
    void showPluginBrowser();
    // Adds an LV2 slot after the selected one and selects it.
    bool addPlugin(const QString& pluginUri);
    // Moves the selected slot up (-1) or down (+1), keeping it selected.
    void moveCurrent(int offset);

Q_SIGNALS:
    void currentSlotChanged(int index);

private:
    // Where an added effect goes: after the selected slot, or at the end (-1).
    int insertPosition() const;
    void updateButtons();

    RackController& controller_;
    RackModel* model_;
    QListView* list_;
    QMenu* addMenu_;
    QAction* browsePlugins_;
    QPointer<PluginBrowser> browser_;
    QToolButton* addButton_;
    QToolButton* duplicateButton_;
    QToolButton* removeButton_;
    QLabel* emptyHint_;
};

}  // namespace liverack::ui
