#include "ui/SpectrogramView.h"

#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "ui/DarkTheme.h"
#include "ui/PlotStyle.h"
#include "ui/QCustomPlotInclude.h"

namespace liverack::ui {

namespace {

// A perceptually ordered dark-to-bright map (close to "inferno"): quiet is near black, so the
// waterfall reads on a dark theme.
QCPColorGradient spectrogramGradient() {
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0.00, QColor(0x00, 0x00, 0x04));
    g.setColorStopAt(0.20, QColor(0x28, 0x0b, 0x54));
    g.setColorStopAt(0.40, QColor(0x65, 0x15, 0x6e));
    g.setColorStopAt(0.55, QColor(0x9f, 0x2a, 0x63));
    g.setColorStopAt(0.70, QColor(0xd4, 0x48, 0x42));
    g.setColorStopAt(0.85, QColor(0xf5, 0x7d, 0x15));
    g.setColorStopAt(0.95, QColor(0xfa, 0xc1, 0x27));
    g.setColorStopAt(1.00, QColor(0xfc, 0xff, 0xa4));
    g.setLevelCount(256);
    return g;
}

}  // namespace

SpectrogramView::SpectrogramView(QWidget* parent) : QWidget(parent) {
    plot_ = new QCustomPlot(this);
    stylePlot(*plot_);
    plot_->xAxis->setLabel(tr("Time (s)"));
    plot_->yAxis->setLabel(tr("Frequency (Hz)"));
    plot_->xAxis->grid()->setVisible(false);
    plot_->yAxis->grid()->setPen(QPen(QColor(255, 255, 255, 28), 1, Qt::DotLine));

    map_ = new QCPColorMap(plot_->xAxis, plot_->yAxis);
    map_->data()->setSize(kHistoryColumns, static_cast<int>(core::kSpectrogramRows));
    map_->data()->fill(kMinDb);
    map_->setInterpolate(false);
    map_->setTightBoundary(true);
    map_->setGradient(spectrogramGradient());
    map_->setDataRange(QCPRange(kMinDb, kMaxDb));

    scale_ = new QCPColorScale(plot_);
    plot_->plotLayout()->addElement(0, 1, scale_);
    scale_->setType(QCPAxis::atRight);
    scale_->setBarWidth(10);
    scale_->setGradient(map_->gradient());
    scale_->setDataRange(map_->dataRange());
    scale_->axis()->setLabel(tr("dBFS"));
    styleAxis(*scale_->axis());
    QSharedPointer<QCPAxisTickerFixed> dbTicker(new QCPAxisTickerFixed);
    dbTicker->setTickStep(20.0);
    scale_->axis()->setTicker(dbTicker);
    map_->setColorScale(scale_);
    // Keep the colour bar level with the plot.
    auto* margins = new QCPMarginGroup(plot_);
    plot_->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    scale_->setMarginGroup(QCP::msBottom | QCP::msTop, margins);

    history_.assign(static_cast<size_t>(kHistoryColumns) * core::kSpectrogramRows,
                    static_cast<float>(kMinDb));
    setFrequencyRange(20.0f, 24000.0f);
    map_->data()->setKeyRange(QCPRange(-kHistoryColumns * 0.04, 0.0));
    plot_->xAxis->setRange(-kHistoryColumns * 0.04, 0.0);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
}

void SpectrogramView::setFrequencyRange(float minHz, float maxHz) {
    if (minHz == minHz_ && maxHz == maxHz_) {
        return;
    }
    minHz_ = minHz;
    maxHz_ = maxHz;
    // Rows are equally spaced in log frequency, so the value axis runs in log10(Hz) and the
    // ticker writes Hz at the right places.
    const double lo = std::log10(std::max(1.0f, minHz));
    const double hi = std::log10(std::max(minHz + 1.0f, maxHz));
    const double half = (hi - lo) / core::kSpectrogramRows / 2.0;
    map_->data()->setValueRange(QCPRange(lo + half, hi - half));
    plot_->yAxis->setRange(lo, hi);
    plot_->yAxis->setTicker(frequencyTicker(maxHz, true));
}

void SpectrogramView::addColumn(const core::SpectrogramColumn& column) {
    if (!(column.maxHz > column.minHz) || column.minHz <= 0.0f) {
        return;
    }
    setFrequencyRange(column.minHz, column.maxHz);
    if (lastTime_ >= 0.0 && column.streamTimeSeconds > lastTime_) {
        const double dt = column.streamTimeSeconds - lastTime_;
        columnSeconds_ = columnSeconds_ <= 0.0 ? dt : 0.9 * columnSeconds_ + 0.1 * dt;
    }
    lastTime_ = column.streamTimeSeconds;
    newest_ = (newest_ + 1) % kHistoryColumns;
    filled_ = std::min(filled_ + 1, kHistoryColumns);
    std::copy(column.levelDb.begin(), column.levelDb.end(),
              history_.begin() + static_cast<ptrdiff_t>(newest_) * core::kSpectrogramRows);
    dirty_ = true;
}

void SpectrogramView::commit() {
    if (!dirty_) {
        return;
    }
    dirty_ = false;
    QCPColorMapData* data = map_->data();
    // Oldest column on the left, newest at key index kHistoryColumns - 1.
    for (int k = 0; k < kHistoryColumns; ++k) {
        const int age = kHistoryColumns - 1 - k;
        const int column = ((newest_ - age) % kHistoryColumns + kHistoryColumns) % kHistoryColumns;
        const float* levels =
            history_.data() + static_cast<size_t>(column) * core::kSpectrogramRows;
        const bool valid = age < filled_;
        for (int r = 0; r < static_cast<int>(core::kSpectrogramRows); ++r) {
            data->setCell(k, r, valid ? std::max<double>(levels[r], kMinDb) : kMinDb);
        }
    }
    if (columnSeconds_ > 0.0) {
        const double span = columnSeconds_ * kHistoryColumns;
        if (std::abs(plot_->xAxis->range().lower + span) > span * 0.02) {
            data->setKeyRange(QCPRange(-span, 0.0));
            plot_->xAxis->setRange(-span, 0.0);
        }
    }
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void SpectrogramView::clear() {
    std::fill(history_.begin(), history_.end(), static_cast<float>(kMinDb));
    filled_ = 0;
    lastTime_ = -1.0;
    dirty_ = true;
    commit();
}

}  // namespace liverack::ui
