// Paints one rack slot as a card (position, effect name, a plugin's author, latency, bypass
// switch) and turns a click on the switch into a bypass toggle.
#pragma once

#include <QStyledItemDelegate>

namespace liverack::ui {

class RackSlotDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    bool editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                     const QModelIndex& index) override;

    // Where the bypass switch sits inside a slot's rectangle.
    static QRect bypassButtonRect(const QRect& slotRect);
};

}  // namespace liverack::ui
