#include "ui/SpectrogramView.h"

#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "ui/DarkTheme.h"
#include "ui/LivePlot.h"
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

SpectrogramView::SpectrogramView(QWidget* parent)
    : QWidget(parent), image_(kHistoryColumns, static_cast<int>(core::kSpectrogramRows)) {
    plot_ = new LivePlot(this);
    stylePlot(*plot_);
    plot_->xAxis->setLabel(tr("Time (s)"));
    plot_->yAxis->setLabel(tr("Frequency (Hz)"));
    plot_->xAxis->grid()->setVisible(false);
    plot_->yAxis->grid()->setPen(QPen(QColor(255, 255, 255, 28), 1, Qt::DotLine));

    scale_ = new QCPColorScale(plot_);
    plot_->plotLayout()->addElement(0, 1, scale_);
    scale_->setType(QCPAxis::atRight);
    scale_->setBarWidth(10);
    scale_->setGradient(spectrogramGradient());
    scale_->setDataRange(QCPRange(kMinDb, kMaxDb));
    scale_->axis()->setLabel(tr("dBFS"));
    styleAxis(*scale_->axis());
    QSharedPointer<QCPAxisTickerFixed> dbTicker(new QCPAxisTickerFixed);
    dbTicker->setTickStep(20.0);
    scale_->axis()->setTicker(dbTicker);
    // Keep the colour bar level with the plot.
    auto* margins = new QCPMarginGroup(plot_);
    plot_->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    scale_->setMarginGroup(QCP::msBottom | QCP::msTop, margins);

    image_.setGradient(spectrogramGradient(), QCPRange(kMinDb, kMaxDb));
    plot_->setDataPainter([this](QPainter& painter) { paintImage(painter); }, true);
    setFrequencyRange(20.0f, 24000.0f);
    keyRange_ = QCPRange(-kHistoryColumns * 0.04, 0.0);
    plot_->xAxis->setRange(keyRange_);

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
    valueRange_ = QCPRange(lo, hi);
    plot_->yAxis->setRange(lo, hi);
    plot_->yAxis->setTicker(frequencyTicker(maxHz, true));
    rangeChanged_ = true;
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
    image_.pushColumn(column.levelDb);
    dirty_ = true;
}

void SpectrogramView::commit() {
    if (!dirty_) {
        return;
    }
    dirty_ = false;
    if (columnSeconds_ > 0.0) {
        const double span = columnSeconds_ * kHistoryColumns;
        if (std::abs(plot_->xAxis->range().lower + span) > span * 0.02) {
            keyRange_ = QCPRange(-span, 0.0);
            plot_->xAxis->setRange(keyRange_);
            rangeChanged_ = true;
        }
    }
    if (rangeChanged_) {
        rangeChanged_ = false;
        plot_->replot(QCustomPlot::rpQueuedReplot);
    } else {
        plot_->repaintData();
    }
}

QCustomPlot& SpectrogramView::plot() noexcept {
    return *plot_;
}

void SpectrogramView::paintImage(QPainter& painter) {
    const QPointF topLeft(plot_->xAxis->coordToPixel(keyRange_.lower),
                          plot_->yAxis->coordToPixel(valueRange_.upper));
    const QPointF bottomRight(plot_->xAxis->coordToPixel(keyRange_.upper),
                              plot_->yAxis->coordToPixel(valueRange_.lower));
    image_.paint(painter, QRectF(topLeft, bottomRight));
}

void SpectrogramView::clear() {
    image_.clear();
    lastTime_ = -1.0;
    dirty_ = true;
    commit();
}

}  // namespace liverack::ui
