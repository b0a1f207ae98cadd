// The dark look shared by the QCustomPlot views, and the labelled log-frequency ticks they use.
#pragma once

#include <QSharedPointer>

class QCustomPlot;
class QCPAxis;
class QCPAxisTickerText;

namespace liverack::ui {

void stylePlot(QCustomPlot& plot);
void styleAxis(QCPAxis& axis);
// Ticks for 20 Hz .. maxHz: labelled at 1-2-5 steps per decade, unlabelled minor lines between.
// `toCoordinate` maps Hz to the axis coordinate (identity on a log axis, log10 on a linear one).
QSharedPointer<QCPAxisTickerText> frequencyTicker(double maxHz, bool log10Coordinates);

}  // namespace liverack::ui
