#include "ui/ScrollingImage.h"

#include <QPainter>

#include <algorithm>
#include <cmath>
#include <cstdint>

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
    if (!shown_.isNull()) {
        showSlot(newest_);
    }
}

int ScrollingImage::pixelOf(int slot) const noexcept {
    return static_cast<int>(int64_t(slot) * shown_.width() / image_.width());
}

void ScrollingImage::makeShown(QSize pixels) const {
    shown_ = QImage(pixels, QImage::Format_RGB32);
    shownRowSource_.resize(static_cast<size_t>(pixels.height()));
    for (int y = 0; y < pixels.height(); ++y) {
        // Nearest neighbour: the cell under the pixel's centre.
        shownRowSource_[static_cast<size_t>(y)] = std::min(
            image_.height() - 1, static_cast<int>((y + 0.5) * image_.height() / pixels.height()));
    }
    for (int slot = 0; slot < image_.width(); ++slot) {
        showSlot(slot);
    }
}

void ScrollingImage::showSlot(int slot) const {
    const int first = pixelOf(slot);
    const int end = pixelOf(slot + 1);
    for (int y = 0; y < shown_.height(); ++y) {
        const QRgb colour = reinterpret_cast<const QRgb*>(
            image_.constScanLine(shownRowSource_[static_cast<size_t>(y)]))[slot];
        auto* row = reinterpret_cast<QRgb*>(shown_.scanLine(y));
        std::fill(row + first, row + end, colour);
    }
}

void ScrollingImage::clear() {
    image_.fill(colours_[0]);
    newest_ = -1;
    shown_.fill(colours_[0]);
}

QRgb ScrollingImage::colourAt(int age, int row) const {
    const int width = image_.width();
    const int column = ((newest_ - age) % width + width) % width;
    return image_.pixel(column, image_.height() - 1 - row);
}

void ScrollingImage::paint(QPainter& painter, const QRectF& target) const {
    const double ratio = painter.device() != nullptr ? painter.device()->devicePixelRatioF() : 1.0;
    const QRect pixels = QRectF(target.topLeft() * ratio, target.size() * ratio).toRect();
    if (pixels.width() <= 0 || pixels.height() <= 0) {
        return;
    }
    if (shown_.size() != pixels.size()) {
        makeShown(pixels.size());
    }
    shown_.setDevicePixelRatio(ratio);
    // The oldest column is the one after the newest: its pixels on, then the ring's start.
    const int width = shown_.width();
    const int split = pixelOf((newest_ + 1) % image_.width());
    painter.drawImage(QPointF(pixels.topLeft()) / ratio, shown_,
                      QRect(split, 0, width - split, shown_.height()));
    if (split > 0) {
        painter.drawImage(QPointF(pixels.left() + width - split, pixels.top()) / ratio, shown_,
                          QRect(0, 0, split, shown_.height()));
    }
}

}  // namespace liverack::ui
