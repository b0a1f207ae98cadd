#include "ui/ScrollingImage.h"

#include <algorithm>
#include <cmath>

namespace liverack::ui {

ScrollingImage::ScrollingImage(int columns, int rows)
    : image_(std::max(1, columns), std::max(1, rows), QImage::Format_RGB32) {
    setGradient(QCPColorGradient(QCPColorGradient::gpGrayscale), colourRange_);
}

void ScrollingImage::setGradient(const QCPColorGradient& gradient, QCPRange range) {
    colourRange_ = range;
    std::array<double, 256> levels{};
    for (size_t i = 0; i < levels.size(); ++i) {
        levels[i] = range.lower + range.size() * static_cast<double>(i) / (levels.size() - 1);
    }
    QCPColorGradient steps = gradient;
    steps.setLevelCount(static_cast<int>(levels.size()));
    steps.colorize(levels.data(), range, colours_.data(), static_cast<int>(levels.size()));
    clear();
}

QRgb ScrollingImage::colourOf(float value) const noexcept {
    const double at = (value - colourRange_.lower) / colourRange_.size() * (colours_.size() - 1);
    // NaN (and -inf, a silent band) is the bottom of the scale.
    const double index = std::isfinite(at) ? std::clamp(at, 0.0, colours_.size() - 1.0)
                                           : (at > 0.0 ? colours_.size() - 1.0 : 0.0);
    return colours_[static_cast<size_t>(std::lround(index))];
}

void ScrollingImage::pushColumn(std::span<const float> values) {
    newest_ = (newest_ + 1) % image_.width();
    const int rows = image_.height();
    for (int r = 0; r < rows; ++r) {
        const float value = r < static_cast<int>(values.size())
                                ? values[static_cast<size_t>(r)]
                                : static_cast<float>(colourRange_.lower);
        reinterpret_cast<QRgb*>(image_.scanLine(rows - 1 - r))[newest_] = colourOf(value);
    }
}

void ScrollingImage::clear() {
    image_.fill(colours_[0]);
    newest_ = -1;
}

QRgb ScrollingImage::colourAt(int age, int row) const {
    const int width = image_.width();
    const int column = ((newest_ - age) % width + width) % width;
    return image_.pixel(column, image_.height() - 1 - row);
}

void ScrollingImage::paint(QPainter& painter, const QRectF& target) const {
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    const int width = image_.width();
    const double pixelsPerColumn = target.width() / width;
    // The oldest column is the one after the newest: [oldest, width) on the left, [0, oldest)
    // after it.
    const int oldest = (newest_ + 1) % width;
    const int leftPart = width - oldest;
    painter.drawImage(
        QRectF(target.left(), target.top(), leftPart * pixelsPerColumn, target.height()), image_,
        QRectF(oldest, 0, leftPart, image_.height()));
    if (oldest > 0) {
        painter.drawImage(QRectF(target.left() + leftPart * pixelsPerColumn, target.top(),
                                 oldest * pixelsPerColumn, target.height()),
                          image_, QRectF(0, 0, oldest, image_.height()));
    }
}

}  // namespace liverack::ui
