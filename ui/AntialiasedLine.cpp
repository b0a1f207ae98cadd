#include "ui/AntialiasedLine.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace liverack::ui {

namespace {

class Canvas {
public:
    Canvas(QImage& image, const QColor& colour)
        : bits_(image.bits()),
          stride_(image.bytesPerLine()),
          height_(image.height()),
          red_(colour.red()),
          green_(colour.green()),
          blue_(colour.blue()),
          alpha_(colour.alphaF()) {}

    // Blends the colour into pixel (x, y) by `coverage` (0..1); x is known to be inside.
    void plot(int x, int y, double coverage) const { blendRows(x, y, y + 1, coverage); }

    // The same for the rows [from, to) of column x, all by the same coverage.
    void blendRows(int x, int from, int to, double coverage) const {
        from = std::max(from, 0);
        to = std::min(to, height_);
        const int weight = static_cast<int>(coverage * alpha_ * 256.0 + 0.5);
        if (weight <= 0 || from >= to) {
            return;
        }
        const auto mix = [weight](int below, int over) {
            return below + (((over - below) * weight + 128) >> 8);
        };
        uchar* line = bits_ + qsizetype(from) * stride_;
        for (int y = from; y < to; ++y, line += stride_) {
            auto* pixel = reinterpret_cast<QRgb*>(line) + x;
            const QRgb under = *pixel;
            *pixel =
                qRgb(mix(qRed(under), red_), mix(qGreen(under), green_), mix(qBlue(under), blue_));
        }
    }

private:
    uchar* bits_;
    qsizetype stride_;
    int height_;
    int red_;
    int green_;
    int blue_;
    double alpha_;
};

}  // namespace

void strokeAntialiasedTrace(QImage& image, const QPolygonF& points, const QColor& colour) {
    if (image.format() != QImage::Format_RGB32 || colour.alpha() == 0) {
        return;
    }
    // Far outside the image a coordinate would overflow an int: clamped to a band around it.
    const double reach = 4.0 * std::max(image.width(), image.height()) + 16.0;
    std::vector<QPointF> trace;
    trace.reserve(static_cast<size_t>(points.size()));
    for (const QPointF& p : points) {
        if (std::isfinite(p.x()) && std::isfinite(p.y()) &&
            (trace.empty() || p.x() >= trace.back().x())) {
            trace.emplace_back(std::clamp(p.x(), -reach, reach), std::clamp(p.y(), -reach, reach));
        }
    }
    if (trace.size() < 2) {
        return;
    }
    const Canvas canvas(image, colour);
    const double start = trace.front().x();
    const double end = trace.back().x();
    size_t segment = 0;  // trace[segment].x <= x <= trace[segment + 1].x
    const auto yAt = [&](double x) {
        while (segment + 2 < trace.size() && trace[segment + 1].x() < x) {
            ++segment;
        }
        const QPointF a = trace[segment];
        const QPointF b = trace[segment + 1];
        return b.x() > a.x() ? a.y() + (x - a.x()) / (b.x() - a.x()) * (b.y() - a.y()) : b.y();
    };
    const int firstColumn = std::max(0, static_cast<int>(std::floor(start)));
    const int lastColumn = std::min(image.width() - 1, static_cast<int>(std::ceil(end)) - 1);
    for (int column = firstColumn; column <= lastColumn; ++column) {
        // The part of this column the trace spans, and its vertical extent there (the ends and
        // every vertex inside).
        const double left = std::max<double>(column, start);
        const double right = std::min<double>(column + 1, end);
        if (right <= left) {
            continue;
        }
        double low = yAt(left);
        double high = low;
        for (size_t i = segment + 1; i < trace.size() && trace[i].x() < right; ++i) {
            low = std::min(low, trace[i].y());
            high = std::max(high, trace[i].y());
        }
        const double atRight = yAt(right);
        low = std::min(low, atRight);
        high = std::max(high, atRight);
        // One pixel thick: [low - 0.5, high + 0.5] vertically, over the spanned part horizontally.
        const double top = low - 0.5;
        const double bottom = high + 0.5;
        const double across = right - left;
        // The first and last rows partly, those between wholly.
        const int firstRow = static_cast<int>(std::floor(top));
        const int lastRow = static_cast<int>(std::ceil(bottom)) - 1;
        if (firstRow == lastRow) {
            canvas.plot(column, firstRow, (bottom - top) * across);
            continue;
        }
        canvas.plot(column, firstRow, (firstRow + 1 - top) * across);
        canvas.blendRows(column, firstRow + 1, lastRow, across);
        canvas.plot(column, lastRow, (bottom - lastRow) * across);
    }
}

}  // namespace liverack::ui
