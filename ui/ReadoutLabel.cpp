#include "ui/ReadoutLabel.h"

#include <QEvent>
#include <QPainter>

#include <algorithm>

namespace liverack::ui {

ReadoutLabel::ReadoutLabel(const Look& look, const QString& widestText, QWidget* parent)
    : QWidget(parent), look_(look) {
    roomFor_ = textWidth(widestText);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    setAttribute(Qt::WA_OpaquePaintEvent, look.opaque);
}

int ReadoutLabel::textWidth(const QString& text) const {
    return fontMetrics().horizontalAdvance(text);
}

void ReadoutLabel::setText(const QString& text) {
    if (text == text_) {
        return;
    }
    text_ = text;
    const int width = textWidth(text);
    if (width > roomFor_) {
        roomFor_ = width;
        updateGeometry();
    }
    update();
}

void ReadoutLabel::setTextColour(const QColor& colour) {
    if (colour != look_.text) {
        look_.text = colour;
        update();
    }
}

QSize ReadoutLabel::sizeHint() const {
    const int frame = look_.border.isValid() ? 2 : 0;
    return {roomFor_ + 2 * look_.paddingX + frame,
            fontMetrics().height() + 2 * look_.paddingY + frame};
}

QSize ReadoutLabel::minimumSizeHint() const {
    return sizeHint();
}

void ReadoutLabel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::FontChange) {
        roomFor_ = std::max(roomFor_, textWidth(text_));
        updateGeometry();
    }
    QWidget::changeEvent(event);
}

void ReadoutLabel::paintEvent(QPaintEvent*) {
    QPainter p(this);
    if (look_.opaque) {
        p.fillRect(rect(), palette().color(QPalette::Window));
    }
    QRectF box = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    if (look_.background.isValid() || look_.border.isValid()) {
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(look_.border.isValid() ? QPen(look_.border) : QPen(Qt::NoPen));
        p.setBrush(look_.background.isValid() ? QBrush(look_.background) : QBrush(Qt::NoBrush));
        p.drawRoundedRect(box, 3, 3);
    }
    p.setPen(look_.text);
    p.drawText(rect().adjusted(look_.paddingX, 0, -look_.paddingX, 0), look_.alignment, text_);
}

}  // namespace liverack::ui
