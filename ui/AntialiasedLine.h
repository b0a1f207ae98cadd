// A 1-pixel antialiased trace (a polyline whose x never decreases: a spectrum, a curve over
// frequency) written straight into an RGB32 image. Each pixel column is visited once: the trace's
// vertical extent across the column, widened by half a pixel up and down, is its coverage of each
// row there. So joints between segments neither gap nor double up, and a shallow line puts one
// pixel's worth of colour in each column, centred on the line.
// The spectrum's traces are such polylines, a point per pixel column, redrawn 23 times a second:
// through QPainter's general antialiasing rasteriser they were a tenth of the window's time.
#pragma once

#include <QColor>
#include <QImage>
#include <QPolygonF>

namespace liverack::ui {

// Points in the image's pixel coordinates (pixel (x, y) covers [x, x+1) × [y, y+1)), in order of
// x; non-finite points are left out. The colour's alpha scales the coverage; pixels outside the
// image are skipped. Images other than Format_RGB32 are left alone.
void strokeAntialiasedTrace(QImage& image, const QPolygonF& points, const QColor& colour);

}  // namespace liverack::ui
