#include "ui/OutputMeter.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

#include "ui/DarkTheme.h"

namespace liverack::ui {

OutputMeter::OutputMeter(const core::ParameterInfo& info, QWidget* parent)
    : QWidget(parent), info_(info), value_(info.defaultValue) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    if (info_.minValue < 0.0f && info_.maxValue > 0.0f) {
        origin_ = info_.toNormalised(0.0f);
    }
    setValue(info.defaultValue);
}

void OutputMeter::setValue(float value) {
    value_ = value;
    const bool sane = std::isfinite(value) && info_.maxValue > info_.minValue;
    const float clamped = sane ? std::clamp(value, info_.minValue, info_.maxValue) : info_.minValue;
    fraction_ =
        sane ? std::clamp(static_cast<double>(info_.toNormalised(clamped)), 0.0, 1.0) : origin_;
    const int pixels = static_cast<int>(std::lround(fraction_ * width()));
    if (pixels != paintedPixels_) {
        update();
    }
}

void OutputMeter::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    const QRectF r = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    painter.setPen(QColor(0x40, 0x45, 0x4c));
    painter.setBrush(ThemeColours::groove());
    painter.drawRect(r);
    const double a = std::min(origin_, fraction_);
    const double b = std::max(origin_, fraction_);
    painter.setPen(Qt::NoPen);
    painter.setBrush(isEnabled() ? ThemeColours::trace() : ThemeColours::dimText());
    painter.drawRect(
        QRectF(r.left() + a * r.width(), r.top() + 1, (b - a) * r.width(), r.height() - 2));
    if (origin_ > 0.0) {
        painter.setPen(ThemeColours::dimText());
        const double x = r.left() + origin_ * r.width();
        painter.drawLine(QPointF(x, r.top()), QPointF(x, r.bottom()));
    }
    paintedPixels_ = static_cast<int>(std::lround(fraction_ * width()));
}

}  // namespace liverack::ui
