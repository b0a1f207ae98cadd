// A picture that grows by one column at a time and scrolls left (the spectrogram's waterfall): a
// ring of colour columns painted as at most two blits, so a new column costs one column's colour
// lookups instead of re-mapping every cell of the image.
#pragma once

#include <QImage>

#include <array>
#include <span>
#include <vector>

#include "ui/QCustomPlotInclude.h"

namespace liverack::ui {

class ScrollingImage {
public:
    ScrollingImage(int columns, int rows);

    // The colour of each value: the gradient over `range`, in 256 steps; outside it, the ends.
    void setGradient(const QCPColorGradient& gradient, QCPRange range);
    // The new newest column, `rows` values from the lowest row up.
    void pushColumn(std::span<const float> values);
    void clear();  // every column at the bottom of the range

    int columns() const noexcept { return image_.width(); }
    int rows() const noexcept { return image_.height(); }
    // The colour shown for `age` columns before the newest (0 = newest) at `row`.
    QRgb colourAt(int age, int row) const;
    // The whole image, oldest column at the left edge of `target`, row 0 at its bottom; cells are
    // scaled without interpolation, as in a colour map.
    void paint(QPainter& painter, const QRectF& target) const;

private:
    QRgb colourOf(float value) const noexcept;
    // Ring slot s's pixel columns in shown_: [pixelOf(s), pixelOf(s + 1)).
    int pixelOf(int slot) const noexcept;
    void makeShown(QSize pixels) const;
    void showSlot(int slot) const;

    QImage image_;  // column c of the ring at x = c, row r at y = rows - 1 - r
    int newest_ = -1;
    // The ring again at the size it is painted, kept up to date a column at a time: a frame is two
    // unscaled blits of it (a scaled drawImage of the ring at every frame was a tenth of the
    // window's time). Slot s of the ring fills pixel columns [sW/N, (s+1)W/N) of it, so it is a
    // ring too, and rotating it in whole pixels keeps the oldest column at the left edge.
    mutable QImage shown_;
    mutable std::vector<int> shownRowSource_;  // for each row of shown_, the row of image_
    std::array<QRgb, 256> colours_{};
    QCPRange colourRange_{-120.0, 0.0};
};

}  // namespace liverack::ui
