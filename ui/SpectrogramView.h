// A scrolling spectrogram: time runs right to left, frequency up on a log scale (the analysis
// delivers log-spaced bands), with a dBFS colour scale as the legend. Each column is coloured
// once, when it arrives; a frame blits the image on the plot's live layer over the cached axes.
#pragma once

#include <QWidget>

#include "core/analysis/AnalysisSnapshots.h"
#include "ui/QCustomPlotInclude.h"
#include "ui/ScrollingImage.h"

namespace liverack::ui {

class LivePlot;

class SpectrogramView : public QWidget {
    Q_OBJECT

public:
    static constexpr int kHistoryColumns = 480;
    static constexpr double kMinDb = -120.0;
    static constexpr double kMaxDb = 0.0;

    explicit SpectrogramView(QWidget* parent = nullptr);

    // Add one column to the image (kept while the view is hidden, so nothing is lost).
    void addColumn(const core::SpectrogramColumn& column);
    // Redraw if columns arrived since the last call (the window's timer calls this).
    void commit();
    void clear();

    QCustomPlot& plot() noexcept;
    const ScrollingImage& image() const noexcept { return image_; }
    LivePlot& livePlot() noexcept { return *plot_; }

private:
    void setFrequencyRange(float minHz, float maxHz);

    void paintImage(QPainter& painter);

    LivePlot* plot_;
    ScrollingImage image_;
    QCPRange keyRange_;    // time of the oldest column's left edge .. 0
    QCPRange valueRange_;  // log10 Hz of the lowest row's bottom .. the highest row's top
    QCPColorScale* scale_;
    bool dirty_ = false;
    bool rangeChanged_ = false;
    float minHz_ = 0.0f;
    float maxHz_ = 0.0f;
    double lastTime_ = -1.0;
    double columnSeconds_ = 0.0;
};

}  // namespace liverack::ui
