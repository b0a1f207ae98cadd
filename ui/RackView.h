// The rack editor: the chain as a vertical list of slot cards with add (menu of every effect
// type the factory knows), duplicate, remove, drag-and-drop reordering and per-slot bypass.
#pragma once

#include <QWidget>

class QListView;
class QToolButton;
class QLabel;
class QMenu;

namespace liverack::ui {

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
    // The menu of effect types (also bound to Ctrl+E by the window).
    QMenu& addMenu() noexcept { return *addMenu_; }

public Q_SLOTS:
    void toggleBypassOfCurrent();
    void duplicateCurrent();
    void removeCurrent();
    void showAddMenu();
    // Moves the selected slot up (-1) or down (+1), keeping it selected.
    void moveCurrent(int offset);

Q_SIGNALS:
    void currentSlotChanged(int index);

private:
    void updateButtons();

    RackController& controller_;
    RackModel* model_;
    QListView* list_;
    QMenu* addMenu_;
    QToolButton* addButton_;
    QToolButton* duplicateButton_;
    QToolButton* removeButton_;
    QLabel* emptyHint_;
};

}  // namespace liverack::ui
