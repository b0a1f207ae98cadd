#include "ui/RackSlotDelegate.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include "ui/DarkTheme.h"
#include "ui/RackModel.h"

namespace liverack::ui {

namespace {
constexpr int kSlotHeight = 42;
constexpr int kMargin = 3;
}  // namespace

QRect RackSlotDelegate::bypassButtonRect(const QRect& slotRect) {
    const QRect card = slotRect.adjusted(kMargin, kMargin, -kMargin, -kMargin);
    const int side = card.height() - 14;
    return {card.right() - side - 8, card.center().y() - side / 2, side, side};
}

QSize RackSlotDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const {
    return {option.rect.width() > 0 ? option.rect.width() : 200, kSlotHeight};
}

void RackSlotDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                             const QModelIndex& index) const {
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const bool bypassed = index.data(RackModel::BypassedRole).toBool();
    const bool selected = option.state.testFlag(QStyle::State_Selected);
    const QRect card = option.rect.adjusted(kMargin, kMargin, -kMargin, -kMargin);

    QColor fill = selected ? ThemeColours::raised().lighter(118) : ThemeColours::raised();
    if (option.state.testFlag(QStyle::State_MouseOver) && !selected) {
        fill = fill.lighter(108);
    }
    painter->setPen(selected ? QPen(ThemeColours::accent(), 1.5) : QPen(QColor(0x40, 0x45, 0x4c)));
    painter->setBrush(fill);
    painter->drawRoundedRect(QRectF(card).adjusted(0.5, 0.5, -0.5, -0.5), 5, 5);

    // Left edge stripe: lit when the effect is in the signal path.
    const QRectF stripe(card.left() + 1, card.top() + 1, 4, card.height() - 2);
    painter->setPen(Qt::NoPen);
    painter->setBrush(bypassed ? ThemeColours::dimText().darker(150) : ThemeColours::good());
    painter->drawRoundedRect(stripe, 2, 2);

    // Drag grip.
    painter->setBrush(ThemeColours::dimText().darker(120));
    for (int r = 0; r < 3; ++r) {
        for (int c = 0; c < 2; ++c) {
            painter->drawEllipse(QPointF(card.left() + 14 + c * 5, card.center().y() - 5 + r * 5),
                                 1.3, 1.3);
        }
    }

    QFont font = option.font;
    const QColor textColour = bypassed ? ThemeColours::dimText() : ThemeColours::text();
    // Position in the chain.
    painter->setPen(ThemeColours::dimText());
    painter->setFont(font);
    const QRect numberRect(card.left() + 26, card.top(), 22, card.height());
    painter->drawText(numberRect, Qt::AlignVCenter | Qt::AlignRight,
                      QString::number(index.row() + 1));

    // Name and latency.
    const QRect buttonRect = bypassButtonRect(option.rect);
    const QRect textRect(numberRect.right() + 10, card.top() + 4,
                         buttonRect.left() - numberRect.right() - 18, card.height() - 8);
    QFont nameFont = font;
    nameFont.setPointSizeF(font.pointSizeF() * 1.08);
    nameFont.setWeight(QFont::DemiBold);
    painter->setFont(nameFont);
    painter->setPen(textColour);
    const QString name = index.data(Qt::DisplayRole).toString();
    painter->drawText(textRect, Qt::AlignTop | Qt::AlignLeft,
                      QFontMetrics(nameFont).elidedText(name, Qt::ElideRight, textRect.width()));
    QFont smallFont = font;
    smallFont.setPointSizeF(font.pointSizeF() * 0.88);
    painter->setFont(smallFont);
    painter->setPen(ThemeColours::dimText());
    QString detail = bypassed
                         ? tr("bypassed")
                         : tr("latency %1").arg(index.data(RackModel::LatencyTextRole).toString());
    // Dynamics show how hard they work now: "GR 4.5 dB".
    if (const QVariant reduction = index.data(RackModel::GainReductionRole);
        reduction.isValid() && !bypassed) {
        detail = tr("GR %1 dB · %2").arg(reduction.toFloat(), 0, 'f', 1).arg(detail);
    }
    // An echo canceller with nothing to cancel against passes audio through: say so.
    if (index.data(RackModel::NoReferenceRole).toBool() && !bypassed) {
        detail = tr("no reference · %1").arg(detail);
    }
    // A plugin's card names its maker: two "Compressor" slots may be from different authors.
    const QString author = index.data(RackModel::AuthorRole).toString();
    if (!author.isEmpty()) {
        detail = tr("by %1 · %2").arg(author, detail);
    }
    painter->drawText(textRect, Qt::AlignBottom | Qt::AlignLeft,
                      QFontMetrics(smallFont).elidedText(detail, Qt::ElideRight, textRect.width()));

    // Bypass (power) switch: lit = active.
    const QRectF b = QRectF(buttonRect).adjusted(0.5, 0.5, -0.5, -0.5);
    painter->setPen(QPen(QColor(0x4a, 0x50, 0x58), 1));
    painter->setBrush(ThemeColours::groove());
    painter->drawEllipse(b);
    const QColor glyph = bypassed ? ThemeColours::dimText() : ThemeColours::good();
    QPen glyphPen(glyph, 1.8, Qt::SolidLine, Qt::RoundCap);
    painter->setPen(glyphPen);
    painter->setBrush(Qt::NoBrush);
    const QRectF arc =
        b.adjusted(b.width() * 0.27, b.height() * 0.27, -b.width() * 0.27, -b.height() * 0.27);
    painter->drawArc(arc, 120 * 16, 300 * 16);
    painter->drawLine(QPointF(arc.center().x(), arc.top() - 1.5),
                      QPointF(arc.center().x(), arc.center().y()));
    painter->restore();
}

bool RackSlotDelegate::editorEvent(QEvent* event, QAbstractItemModel* model,
                                   const QStyleOptionViewItem& option, const QModelIndex& index) {
    if (event->type() == QEvent::MouseButtonRelease ||
        event->type() == QEvent::MouseButtonDblClick) {
        auto* mouse = static_cast<QMouseEvent*>(event);
        if (mouse->button() == Qt::LeftButton &&
            bypassButtonRect(option.rect).contains(mouse->position().toPoint())) {
            if (event->type() == QEvent::MouseButtonRelease) {
                model->setData(index, !index.data(RackModel::BypassedRole).toBool(),
                               RackModel::BypassedRole);
            }
            return true;
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

}  // namespace liverack::ui
