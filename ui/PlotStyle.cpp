#include "ui/PlotStyle.h"

#include "ui/QCustomPlotInclude.h"

#include <cmath>

#include "ui/DarkTheme.h"
#include "ui/NoteNames.h"

namespace liverack::ui {

void styleAxis(QCPAxis& axis) {
    const QColor line(0x5a, 0x60, 0x68);
    axis.setBasePen(QPen(line));
    axis.setTickPen(QPen(line));
    axis.setSubTickPen(QPen(line));
    axis.setTickLabelColor(ThemeColours::dimText().lighter(125));
    axis.setLabelColor(ThemeColours::dimText().lighter(115));
    axis.grid()->setPen(QPen(QColor(255, 255, 255, 30), 1, Qt::SolidLine));
    axis.grid()->setSubGridPen(QPen(QColor(255, 255, 255, 12), 1, Qt::SolidLine));
    axis.grid()->setZeroLinePen(Qt::NoPen);
}

QCPLayer* makeLiveLayer(QCustomPlot& plot) {
    // Every buffered layer is a pixmap composited on each paint: the built-in layers (background,
    // grid, main, axes, legend) share one, and the live layer is the other.
    plot.removeLayer(plot.layer(QStringLiteral("overlay")));
    const QString name = QStringLiteral("live");
    plot.addLayer(name, plot.layer(QStringLiteral("legend")), QCustomPlot::limAbove);
    QCPLayer* live = plot.layer(name);
    live->setMode(QCPLayer::lmBuffered);
    plot.setCurrentLayer(live);
    return live;
}

void stylePlot(QCustomPlot& plot) {
    // Its paint covers every pixel: nothing behind it needs painting first.
    plot.setAttribute(Qt::WA_OpaquePaintEvent);
    plot.setBackground(ThemeColours::panel());
    plot.axisRect()->setBackground(ThemeColours::groove());
    for (QCPAxis* axis : plot.axisRect()->axes()) {
        styleAxis(*axis);
    }
    // Labels drawn once and reused: the plots repaint 60 times a second.
    plot.setPlottingHints(QCP::phCacheLabels);
    plot.setNoAntialiasingOnDrag(true);
}

QSharedPointer<QCPAxisTickerText> frequencyTicker(double maxHz, bool log10Coordinates) {
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    ticker->setSubTickCount(0);
    for (double decade = 10.0; decade <= 100000.0; decade *= 10.0) {
        for (int m = 1; m <= 9; ++m) {
            const double hz = decade * m;
            if (hz < 20.0 || hz > maxHz * 1.0001) {
                continue;
            }
            const bool labelled = m == 1 || m == 2 || m == 5;
            QString label;
            if (labelled) {
                label = hz >= 1000.0 ? QString("%1k").arg(hz / 1000.0) : QString::number(hz);
            }
            ticker->addTick(log10Coordinates ? std::log10(hz) : hz, label);
        }
    }
    return ticker;
}

}  // namespace liverack::ui
