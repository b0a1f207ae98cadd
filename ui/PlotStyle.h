// The dark look shared by the QCustomPlot views, and the labelled log-frequency ticks they use.
#pragma once

#include <QSharedPointer>

class QCustomPlot;
class QCPAxis;
class QCPAxisTickerText;
class QCPLayer;

namespace liverack::ui {

void stylePlot(QCustomPlot& plot);
void styleAxis(QCPAxis& axis);
// Puts what moves on a buffered layer of its own, above everything that does not (background,
// grid, axes, labels, legend): a new frame redraws that one buffer and blits it over the cached
// rest, instead of laying out and drawing the whole plot. Items, plottables and layout elements
// made afterwards land on it, those made before stay static. `layer->replot()` then draws a frame;
// a change to anything static (a range, a margin, a label) still needs the plot's own replot.
QCPLayer* makeLiveLayer(QCustomPlot& plot);
// Ticks for 20 Hz .. maxHz: labelled at 1-2-5 steps per decade, unlabelled minor lines between.
// `toCoordinate` maps Hz to the axis coordinate (identity on a log axis, log10 on a linear one).
QSharedPointer<QCPAxisTickerText> frequencyTicker(double maxHz, bool log10Coordinates);

}  // namespace liverack::ui
