// A scrolling spectrogram (QCPColorMap): time runs right to left, frequency up on a log scale
// (the analysis delivers log-spaced bands), with a dBFS colour scale as the legend.
#pragma once

#include <QWidget>

#include <vector>

#include "core/analysis/AnalysisSnapshots.h"

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;

namespace liverack::ui {

class SpectrogramView : public QWidget {
    Q_OBJECT

public:
    static constexpr int kHistoryColumns = 480;
    static constexpr double kMinDb = -120.0;
    static constexpr double kMaxDb = 0.0;

    explicit SpectrogramView(QWidget* parent = nullptr);

    // Queue one column; the image is rebuilt once per repaint, not per column.
    void addColumn(const core::SpectrogramColumn& column);
    // Redraw if columns arrived since the last call (the window's timer calls this).
    void commit();
    void clear();

    QCustomPlot& plot() noexcept { return *plot_; }

private:
    void setFrequencyRange(float minHz, float maxHz);

    QCustomPlot* plot_;
    QCPColorMap* map_;
    QCPColorScale* scale_;
    std::vector<float> history_;  // kHistoryColumns x kSpectrogramRows, a ring of columns
    int newest_ = -1;
    int filled_ = 0;
    bool dirty_ = false;
    float minHz_ = 0.0f;
    float maxHz_ = 0.0f;
    double lastTime_ = -1.0;
    double columnSeconds_ = 0.0;
};

}  // namespace liverack::ui
