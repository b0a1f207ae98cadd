#include "ui/RackView.h"

#include <QAction>
#include <QDropEvent>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/dsp/EffectFactory.h"
#include "ui/PluginBrowser.h"
#include "ui/RackController.h"
#include "ui/RackModel.h"
#include "ui/RackSlotDelegate.h"

namespace liverack::ui {

namespace {

// QListView's own internal move inserts and then removes rows; the rack wants one atomic move
// (one new chain), so the drop is turned into a single moveRow on the model.
class RackListView : public QListView {
public:
    using QListView::QListView;

protected:
    void dropEvent(QDropEvent* event) override {
        if (event->source() != this) {
            event->ignore();
            return;
        }
        const QModelIndex from = currentIndex();
        if (!from.isValid()) {
            event->ignore();
            return;
        }
        const QPoint pos = event->position().toPoint();
        const QModelIndex over = indexAt(pos);
        int destination = model()->rowCount();
        if (over.isValid()) {
            const QRect r = visualRect(over);
            destination = pos.y() < r.center().y() ? over.row() : over.row() + 1;
        }
        const int finalRow = destination > from.row() ? destination - 1 : destination;
        model()->moveRow(QModelIndex(), from.row(), QModelIndex(), destination);
        // Accepted as a copy so the view does not try to remove the "moved" source row.
        event->setDropAction(Qt::CopyAction);
        event->accept();
        setCurrentIndex(model()->index(finalRow, 0));
    }
};

}  // namespace

RackView::RackView(RackController& controller, QWidget* parent)
    : QWidget(parent), controller_(controller) {
    model_ = new RackModel(controller_, this);
    list_ = new RackListView(this);
    list_->setModel(model_);
    list_->setItemDelegate(new RackSlotDelegate(list_));
    list_->setSelectionMode(QAbstractItemView::SingleSelection);
    list_->setDragDropMode(QAbstractItemView::InternalMove);
    list_->setDefaultDropAction(Qt::MoveAction);
    list_->setDropIndicatorShown(true);
    list_->setMouseTracking(true);
    list_->setUniformItemSizes(true);
    list_->setFrameShape(QFrame::NoFrame);
    list_->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    list_->setAccessibleName(tr("Effect rack"));

    addMenu_ = new QMenu(this);
    for (const std::string& typeId : core::EffectFactory::typeIds()) {
        const core::EffectInfo* info = core::EffectFactory::info(typeId);
        const QString name = QString::fromStdString(info ? info->displayName : typeId);
        QAction* action = addMenu_->addAction(name);
        action->setData(QString::fromStdString(typeId));
        connect(action, &QAction::triggered, this, [this, typeId] {
            const int position = insertPosition();
            if (controller_.addEffect(typeId, position)) {
                selectSlot(position < 0 ? controller_.size() - 1 : position);
            }
        });
    }
    addMenu_->addSeparator();
    browsePlugins_ = addMenu_->addAction(tr("Plugins…"), this, &RackView::showPluginBrowser);
    browsePlugins_->setToolTip(tr("Choose one of the installed LV2 plugins"));

    auto makeButton = [this](const QString& text, const QString& tip) {
        auto* button = new QToolButton(this);
        button->setText(text);
        button->setToolTip(tip);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setAutoRaise(false);
        return button;
    };
    addButton_ =
        makeButton(tr("+ Add effect"), tr("Add an effect after the selected slot (Ctrl+E)"));
    addButton_->setMenu(addMenu_);
    addButton_->setPopupMode(QToolButton::InstantPopup);
    duplicateButton_ = makeButton(tr("Duplicate"), tr("Duplicate the selected effect (Ctrl+D)"));
    removeButton_ = makeButton(tr("Remove"), tr("Remove the selected effect (Delete)"));
    connect(duplicateButton_, &QToolButton::clicked, this, &RackView::duplicateCurrent);
    connect(removeButton_, &QToolButton::clicked, this, &RackView::removeCurrent);

    emptyHint_ = new QLabel(tr("The rack is empty: the signal passes straight through.\n"
                               "Add an effect with “+ Add effect” or Ctrl+E."),
                            this);
    emptyHint_->setWordWrap(true);
    emptyHint_->setAlignment(Qt::AlignCenter);
    emptyHint_->setStyleSheet("color: #8a9099; padding: 12px;");

    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(4);
    buttons->addWidget(addButton_, 1);
    buttons->addWidget(duplicateButton_);
    buttons->addWidget(removeButton_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(4);
    layout->addLayout(buttons);
    layout->addWidget(emptyHint_);
    layout->addWidget(list_, 1);
    layout->addStretch(0);

    // Right-click: the slot's actions; Ctrl+Up / Ctrl+Down move it without the mouse.
    list_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(list_, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        const QModelIndex index = list_->indexAt(pos);
        if (!index.isValid()) {
            addMenu_->popup(list_->viewport()->mapToGlobal(pos));
            return;
        }
        selectSlot(index.row());
        QMenu menu(this);
        const bool bypassed = controller_.slotAt(index.row())->isBypassed();
        menu.addAction(bypassed ? tr("Enable") : tr("Bypass"), this,
                       &RackView::toggleBypassOfCurrent);
        menu.addAction(tr("Duplicate"), this, &RackView::duplicateCurrent);
        menu.addAction(tr("Move up"), this, [this] { moveCurrent(-1); })
            ->setEnabled(index.row() > 0);
        menu.addAction(tr("Move down"), this, [this] { moveCurrent(+1); })
            ->setEnabled(index.row() + 1 < controller_.size());
        menu.addSeparator();
        menu.addAction(tr("Remove"), this, &RackView::removeCurrent);
        menu.exec(list_->viewport()->mapToGlobal(pos));
    });
    auto* moveUp = new QAction(tr("Move up"), this);
    moveUp->setShortcut(Qt::CTRL | Qt::Key_Up);
    moveUp->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(moveUp, &QAction::triggered, this, [this] { moveCurrent(-1); });
    auto* moveDown = new QAction(tr("Move down"), this);
    moveDown->setShortcut(Qt::CTRL | Qt::Key_Down);
    moveDown->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(moveDown, &QAction::triggered, this, [this] { moveCurrent(+1); });
    addAction(moveUp);
    addAction(moveDown);

    connect(list_->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) {
                updateButtons();
                Q_EMIT currentSlotChanged(current.isValid() ? current.row() : -1);
            });
    connect(model_, &QAbstractItemModel::modelReset, this, [this] {
        updateButtons();
        Q_EMIT currentSlotChanged(currentSlot());
    });
    updateButtons();
}

int RackView::currentSlot() const {
    const QModelIndex index = list_->currentIndex();
    return index.isValid() ? index.row() : -1;
}

void RackView::selectSlot(int index) {
    if (index < 0 || index >= model_->rowCount()) {
        list_->setCurrentIndex({});
        return;
    }
    list_->setCurrentIndex(model_->index(index));
}

void RackView::toggleBypassOfCurrent() {
    const int index = currentSlot();
    if (const auto* slot = controller_.slotAt(index)) {
        controller_.setBypassed(index, !slot->isBypassed());
    }
}

void RackView::duplicateCurrent() {
    const int index = currentSlot();
    if (controller_.duplicateSlot(index)) {
        selectSlot(index + 1);
    }
}

void RackView::removeCurrent() {
    const int index = currentSlot();
    if (controller_.removeSlot(index)) {
        selectSlot(std::min(index, controller_.size() - 1));
    }
}

void RackView::moveCurrent(int offset) {
    const int from = currentSlot();
    const int to = from + offset;
    if (from >= 0 && to >= 0 && to < controller_.size() && controller_.moveSlot(from, to)) {
        selectSlot(to);
    }
}

void RackView::showAddMenu() {
    addMenu_->popup(addButton_->mapToGlobal(QPoint(0, addButton_->height())));
}

PluginBrowser* RackView::pluginBrowser() const {
    return browser_.data();
}

void RackView::showPluginBrowser() {
    if (browser_) {
        browser_->raise();
        browser_->activateWindow();
        return;
    }
    browser_ = new PluginBrowser(this);
    browser_->setAttribute(Qt::WA_DeleteOnClose);
    connect(browser_, &PluginBrowser::pluginChosen, this, &RackView::addPlugin);
    browser_->open();
}

bool RackView::addPlugin(const QString& pluginUri) {
    const int position = insertPosition();
    if (!controller_.addPlugin(pluginUri.toStdString(), position)) {
        return false;
    }
    selectSlot(position < 0 ? controller_.size() - 1 : position);
    return true;
}

int RackView::insertPosition() const {
    return currentSlot() < 0 ? -1 : currentSlot() + 1;
}

void RackView::updateButtons() {
    const bool hasSelection = currentSlot() >= 0;
    duplicateButton_->setEnabled(hasSelection);
    removeButton_->setEnabled(hasSelection);
    emptyHint_->setVisible(controller_.size() == 0);
    list_->setVisible(controller_.size() > 0);
}

}  // namespace liverack::ui
