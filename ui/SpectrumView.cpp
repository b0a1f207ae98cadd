#include "ui/SpectrumView.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>
#include "ui/QCustomPlotInclude.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "ui/AntialiasedLine.h"
#include "ui/DarkTheme.h"
#include "ui/LivePlot.h"
#include "ui/NoteNames.h"
#include "ui/PlotStyle.h"

namespace liverack::ui {

namespace {

// One row of the spectrum's frame: the tinted pixel where the row lies under the trace, the
// bare one elsewhere. Branch-free on non-aliasing rows, so the compiler vectorises it.
void selectRow(QRgb* __restrict out, const QRgb* __restrict bare, const QRgb* __restrict filled,
               const int* __restrict top, int y, int width) {
    for (int x = 0; x < width; ++x) {
        const QRgb under = 0u - static_cast<QRgb>(y >= top[x]);
        out[x] = (filled[x] & under) | (bare[x] & ~under);
    }
}

}  // namespace

SpectrumView::SpectrumView(QWidget* parent) : QWidget(parent) {
    plot_ = new LivePlot(this);
    stylePlot(*plot_);
    liveLayer_ = makeLiveLayer(*plot_);
    plot_->setLiveLayer(liveLayer_);
    plot_->setFramePainter([this](QImage& frame, QPoint origin) { paintTraces(frame, origin); });
    plot_->xAxis->setScaleType(QCPAxis::stLogarithmic);
    plot_->xAxis->setLabel(tr("Frequency (Hz)"));
    plot_->yAxis->setLabel(tr("Level (dBFS)"));
    plot_->yAxis->setRange(kMinDb, kMaxDb);
    QSharedPointer<QCPAxisTickerFixed> dbTicker(new QCPAxisTickerFixed);
    dbTicker->setTickStep(12.0);
    dbTicker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    plot_->yAxis->setTicker(dbTicker);
    plot_->yAxis->setSubTicks(false);
    plot_->xAxis->grid()->setSubGridVisible(false);
    plot_->dataRect()->setAutoMargins(QCP::msLeft | QCP::msBottom);
    plot_->dataRect()->setMargins(QMargins(0, 8, 12, 0));

    // The graphs hold the traces' data and their legend entries; paintTraces draws them.
    peak_ = plot_->addGraph();
    peak_->setPen(QPen(QColor(0xf0, 0xa0, 0x40, 130), 1.0));
    peak_->setVisible(false);
    live_ = plot_->addGraph();
    // One pixel wide: Qt strokes such a line with its fast cosmetic stroker (antialiased still);
    // at 1.5 px every frame went through the general stroker.
    live_->setPen(QPen(ThemeColours::trace().lighter(115), 1.0));
    live_->setVisible(false);

    // Legend inside the plot, top left, where the spectrum rarely reaches.
    live_->setName(tr("live"));
    peak_->setName(tr("peak hold"));
    plot_->legend->setVisible(true);
    plot_->legend->setBrush(QColor(0x1e, 0x20, 0x24, 200));
    plot_->legend->setBorderPen(QPen(QColor(0x4a, 0x50, 0x58)));
    plot_->legend->setTextColor(ThemeColours::dimText().lighter(125));
    plot_->legend->setIconSize(18, 8);
    plot_->dataRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);

    // The EQ overlay, on the right-hand dB scale; hidden until an eq slot is selected.
    plot_->yAxis2->setRange(-kEqRangeDb, kEqRangeDb);
    QSharedPointer<QCPAxisTickerFixed> eqTicker(new QCPAxisTickerFixed);
    eqTicker->setTickStep(6.0);
    eqTicker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    plot_->yAxis2->setTicker(eqTicker);
    plot_->yAxis2->setSubTicks(false);
    plot_->yAxis2->setLabel(tr("EQ (dB)"));
    plot_->yAxis2->setBasePen(plot_->yAxis->basePen());
    plot_->yAxis2->setTickPen(plot_->yAxis->tickPen());
    plot_->yAxis2->setTickLabelColor(ThemeColours::warn());
    plot_->yAxis2->setLabelColor(ThemeColours::warn());
    plot_->yAxis2->setVisible(false);
    for (int band = 0; band < 8; ++band) {
        QCPGraph* graph = plot_->addGraph(plot_->xAxis, plot_->yAxis2);
        graph->setPen(QPen(QColor(0xf0, 0xc0, 0x40, 70), 1.0));
        graph->removeFromLegend();
        graph->setVisible(false);
        eqBands_.push_back(graph);
    }
    eqCurve_ = plot_->addGraph(plot_->xAxis, plot_->yAxis2);
    eqCurve_->setPen(QPen(ThemeColours::warn(), 2.0));
    eqCurve_->removeFromLegend();
    eqCurve_->setVisible(false);
    eqHandles_ = plot_->addGraph(plot_->xAxis, plot_->yAxis2);
    eqHandles_->setLineStyle(QCPGraph::lsNone);
    eqHandles_->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::white, 1.5), ThemeColours::warn(), 10));
    eqHandles_->removeFromLegend();
    eqHandles_->setVisible(false);

    tracer_ = new QCPItemTracer(plot_);
    tracer_->setStyle(QCPItemTracer::tsCircle);
    tracer_->setSize(7);
    tracer_->setPen(QPen(Qt::white));
    tracer_->setBrush(ThemeColours::trace());
    tracer_->setVisible(false);
    hoverText_ = new QCPItemText(plot_);
    hoverText_->setPositionAlignment(Qt::AlignTop | Qt::AlignRight);
    hoverText_->position->setType(QCPItemPosition::ptAxisRectRatio);
    hoverText_->position->setCoords(0.99, 0.03);
    hoverText_->setColor(ThemeColours::text());
    hoverText_->setBrush(QColor(0x1e, 0x20, 0x24, 220));
    hoverText_->setPen(QPen(QColor(0x4a, 0x50, 0x58)));
    hoverText_->setPadding(QMargins(8, 4, 8, 4));
    QFont hoverFont = font();
    hoverFont.setPointSizeF(hoverFont.pointSizeF() * 1.05);
    hoverText_->setFont(hoverFont);
    hoverText_->setVisible(false);
    hoverText_->setClipToAxisRect(true);
    plot_->setMouseTracking(true);
    connect(plot_, &QCustomPlot::mouseMove, this, &SpectrumView::updateHover);
    plot_->installEventFilter(this);

    tap_ = new QComboBox(this);
    tap_->addItem(tr("Output"), static_cast<int>(core::Tap::Post));
    tap_->addItem(tr("Input"), static_cast<int>(core::Tap::Pre));
    fft_ = new QComboBox(this);
    for (uint32_t n = 1024; n <= 32768; n *= 2) {
        fft_->addItem(tr("%1 pt").arg(n), n);
    }
    fft_->setCurrentIndex(fft_->findData(8192u));
    window_ = new QComboBox(this);
    window_->addItem(tr("Hann"), static_cast<int>(core::SpectrumWindow::Hann));
    window_->addItem(tr("Blackman-Harris"), static_cast<int>(core::SpectrumWindow::BlackmanHarris));
    window_->addItem(tr("Flat top"), static_cast<int>(core::SpectrumWindow::FlatTop));
    window_->addItem(tr("Rectangular"), static_cast<int>(core::SpectrumWindow::Rectangular));
    averaging_ = new QComboBox(this);
    for (auto [label, seconds] : {std::pair{tr("No averaging"), 0.0},
                                  {tr("Avg 0.1 s"), 0.1},
                                  {tr("Avg 0.3 s"), 0.3},
                                  {tr("Avg 1 s"), 1.0},
                                  {tr("Avg 3 s"), 3.0}}) {
        averaging_->addItem(label, seconds);
    }
    averaging_->setCurrentIndex(1);
    overlap_ = new QComboBox(this);
    for (auto [label, fraction] : {std::pair{tr("Overlap 50 %"), 0.5},
                                   {tr("Overlap 75 %"), 0.75},
                                   {tr("Overlap 87.5 %"), 0.875}}) {
        overlap_->addItem(label, fraction);
    }
    overlap_->setCurrentIndex(1);
    overlap_->setToolTip(
        tr("Overlap of successive FFT frames: more overlap, more spectra per "
           "second (smoother motion, more CPU)"));
    auto* resetPeaks = new QPushButton(tr("Reset hold"), this);
    resetPeaks->setToolTip(tr("Clear the peak-hold trace"));
    connect(resetPeaks, &QPushButton::clicked, this, &SpectrumView::peakHoldResetRequested);
    for (QComboBox* c : {tap_, fft_, window_, averaging_, overlap_}) {
        connect(c, &QComboBox::currentIndexChanged, this, &SpectrumView::settingsChanged);
    }
    tap_->setToolTip(tr("Show the signal before or after the rack"));
    fft_->setToolTip(tr("FFT size: more points, finer frequency resolution, slower response"));
    window_->setToolTip(tr("Analysis window"));
    averaging_->setToolTip(tr("Time over which spectra are averaged"));

    auto* controls = new QHBoxLayout;
    controls->setContentsMargins(6, 4, 6, 0);
    controls->setSpacing(6);
    controls->addWidget(tap_);
    controls->addWidget(fft_);
    controls->addWidget(window_);
    controls->addWidget(averaging_);
    controls->addWidget(overlap_);
    controls->addStretch(1);

    controls->addWidget(resetPeaks);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(controls);
    layout->addWidget(plot_, 1);
    setNyquist(24000.0);
}

core::Tap SpectrumView::tap() const {
    return static_cast<core::Tap>(tap_->currentData().toInt());
}
uint32_t SpectrumView::fftSize() const {
    return fft_->currentData().toUInt();
}
core::SpectrumWindow SpectrumView::window() const {
    return static_cast<core::SpectrumWindow>(window_->currentData().toInt());
}
float SpectrumView::overlap() const {
    return static_cast<float>(overlap_->currentData().toDouble());
}
void SpectrumView::setOverlap(float fraction) {
    const int i = overlap_->findData(static_cast<double>(fraction));
    if (i >= 0) {
        overlap_->setCurrentIndex(i);
    }
}
float SpectrumView::averagingSeconds() const {
    return static_cast<float>(averaging_->currentData().toDouble());
}

void SpectrumView::saveSettings(QVariantMap& settings) const {
    settings.insert("spectrum/tap", tap_->currentIndex());
    settings.insert("spectrum/fft", fftSize());
    settings.insert("spectrum/window", window_->currentIndex());
    settings.insert("spectrum/averaging", averaging_->currentIndex());
    settings.insert("spectrum/overlap", overlap_->currentIndex());
}

void SpectrumView::restoreSettings(const QVariantMap& settings) {
    const auto restore = [&](QComboBox* c, const char* key) {
        const int i = settings.value(key, c->currentIndex()).toInt();
        if (i >= 0 && i < c->count()) {
            c->setCurrentIndex(i);
        }
    };
    restore(tap_, "spectrum/tap");
    restore(window_, "spectrum/window");
    restore(averaging_, "spectrum/averaging");
    restore(overlap_, "spectrum/overlap");
    const int fft = fft_->findData(settings.value("spectrum/fft", fftSize()).toUInt());
    if (fft >= 0) {
        fft_->setCurrentIndex(fft);
    }
}

void SpectrumView::setNyquist(double nyquist) {
    if (nyquist == nyquist_) {
        return;
    }
    nyquist_ = nyquist;
    plot_->xAxis->setRange(kMinHz, nyquist);
    plot_->xAxis->setTicker(frequencyTicker(nyquist, false));
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void SpectrumView::setSpectrum(const core::SpectrumSnapshot& s) {
    if (s.binCount < 3 || s.binCount > core::kMaxSpectrumBins || s.sampleRate <= 0.0) {
        return;
    }
    setNyquist(s.sampleRate / 2.0);
    binCount_ = s.binCount;
    binHz_ = s.sampleRate / s.fftSize;
    updateBinColumns();
    decimate(s.magnitudeDb, liveData_, liveX_);
    decimate(s.peakHoldDb, peakData_, peakX_);
    live_->data()->set(liveData_, true);
    peak_->data()->set(peakData_, true);
    if (hoverX_ >= 0) {
        // Keep the readout live while the pointer rests.
        QMouseEvent fake(QEvent::MouseMove, QPointF(hoverX_, 0), QPointF(), Qt::NoButton,
                         Qt::NoButton, Qt::NoModifier);
        updateHover(&fake);
        return;  // that repainted
    }
    if (tracesMoved()) {
        plot_->repaintData();
    }
}

bool SpectrumView::tracesMoved() {
    // Where the traces would be drawn, to a quarter of a pixel: a steady tone's spectrum, or a
    // held peak, draws the same frame again and again, and is not painted again.
    signature_.clear();
    const QRect area = plot_->dataRect()->rect();
    signature_.push_back(area.width());
    signature_.push_back(area.height());
    for (const QVector<QCPGraphData>* data : {&liveData_, &peakData_}) {
        signature_.push_back(static_cast<int32_t>(data->size()));
        for (const QCPGraphData& d : *data) {
            signature_.push_back(static_cast<int32_t>(std::lround(d.key / binHz_)));
            // Below the floor (or above the top) every value looks the same.
            const double y = std::clamp(plot_->yAxis->coordToPixel(d.value), area.top() - 1.0,
                                        area.bottom() + 1.0);
            signature_.push_back(static_cast<int32_t>(std::lround(4.0 * y)));
        }
    }
    // (A change of anything static repaints the whole plot, data included, by itself.)
    if (signature_ == paintedSignature_) {
        return false;
    }
    std::swap(signature_, paintedSignature_);
    return true;
}

QCustomPlot& SpectrumView::plot() noexcept {
    return *plot_;
}

void SpectrumView::paintTraces(QImage& frame, QPoint origin) {
    const double left = plot_->dataRect()->rect().left();
    const auto toPixels = [&](const QVector<QCPGraphData>& data, const std::vector<double>& x,
                              QPolygonF& points) {
        points.resize(data.size());
        for (qsizetype i = 0; i < data.size(); ++i) {
            points[i] = QPointF(left + x[static_cast<size_t>(i)],
                                plot_->yAxis->coordToPixel(data[i].value));
        }
    };
    toPixels(liveData_, liveX_, livePoints_);
    toPixels(peakData_, peakX_, peakPoints_);
    // (With no spectrum yet, or after clear(), nothing is filled and the frame is the bare
    // static image: every pixel of it is written either way.)
    // The fill under the live trace, written as pixels: per column, every row below the trace
    // gets the fill colour blended in. As a QPainter polygon this jagged shape was hundreds of
    // spans per row, the costliest thing in the window.
    const double ratio = frame.devicePixelRatio();
    const int width = frame.width();
    const int height = frame.height();
    fillTop_.assign(static_cast<size_t>(width), height);
    for (qsizetype i = 1; i < livePoints_.size(); ++i) {
        const QPointF a = (livePoints_[i - 1] - origin) * ratio;
        const QPointF b = (livePoints_[i] - origin) * ratio;
        const int first = std::max(0, static_cast<int>(std::ceil(a.x())));
        const int last = std::min(width - 1, static_cast<int>(std::floor(b.x())));
        for (int x = first; x <= last; ++x) {
            const double t = b.x() > a.x() ? (x - a.x()) / (b.x() - a.x()) : 0.0;
            const double y = a.y() + t * (b.y() - a.y());
            fillTop_[static_cast<size_t>(x)] =
                std::clamp(static_cast<int>(std::lround(y)), 0, height);
        }
    }
    if (backgroundOf_ != plot_->staticRedraws() || bare_.size() != frame.size()) {
        backgroundOf_ = plot_->staticRedraws();
        const QPoint topLeft = origin * ratio;
        bare_ = plot_->staticImage().copy(QRect(topLeft, frame.size()));
        bare_.setDevicePixelRatio(1.0);
        filled_ = bare_.copy();
        QPainter tint(&filled_);
        tint.fillRect(filled_.rect(), QColor(0x5c, 0xc8, 0xff, 48));
    }
    // Rows above the trace's highest point are all bare and rows below its lowest all tinted:
    // copied whole; only the rows in between are chosen pixel by pixel.
    const auto [highest, lowest] = std::minmax_element(fillTop_.begin(), fillTop_.end());
    const size_t rowBytes = static_cast<size_t>(width) * sizeof(QRgb);
    for (int y = 0; y < height; ++y) {
        auto* out = reinterpret_cast<QRgb*>(frame.scanLine(y));
        if (y < *highest) {
            std::memcpy(out, bare_.constScanLine(y), rowBytes);
        } else if (y >= *lowest) {
            std::memcpy(out, filled_.constScanLine(y), rowBytes);
        } else {
            selectRow(out, reinterpret_cast<const QRgb*>(bare_.constScanLine(y)),
                      reinterpret_cast<const QRgb*>(filled_.constScanLine(y)), fillTop_.data(), y,
                      width);
        }
    }
    if (ratio == 1.0) {
        // The traces as pixels too (see AntialiasedLine.h), in the frame's coordinates.
        livePoints_.translate(-origin);
        peakPoints_.translate(-origin);
        strokeAntialiasedTrace(frame, peakPoints_, peak_->pen().color());
        strokeAntialiasedTrace(frame, livePoints_, live_->pen().color());
        return;
    }
    // A high-density screen: QPainter, which knows how wide a cosmetic pen is there.
    QPainter painter(&frame);
    painter.translate(-origin);
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(peak_->pen());
    painter.drawPolyline(peakPoints_);
    painter.setPen(live_->pen());
    painter.drawPolyline(livePoints_);
}

void SpectrumView::updateBinColumns() {
    const ColumnKey key{binCount_, binHz_, nyquist_,
                        std::max(1, plot_->dataRect()->rect().width())};
    if (key == columnKey_) {
        return;
    }
    columnKey_ = key;
    columnBins_.clear();
    binX_.assign(binCount_, 0.0);
    // QCPAxis::coordToPixel's log mapping, from the axis rect's left.
    const double logRange = std::log(nyquist_ / kMinHz);
    int column = std::numeric_limits<int>::min();
    for (uint32_t k = 1; k < binCount_; ++k) {
        const double hz = k * binHz_;
        if (hz < kMinHz) {
            continue;
        }
        binX_[k] = std::log(hz / kMinHz) / logRange * key.pixels;
        const int x = static_cast<int>(binX_[k]);
        if (x != column) {
            columnBins_.push_back({k, k + 1});
            column = x;
        } else {
            columnBins_.back().end = k + 1;
        }
    }
}

void SpectrumView::decimate(const std::array<float, core::kMaxSpectrumBins>& db,
                            QVector<QCPGraphData>& out, std::vector<double>& x) const {
    out.resize(static_cast<qsizetype>(columnBins_.size()));
    x.resize(columnBins_.size());
    for (size_t i = 0; i < columnBins_.size(); ++i) {
        const auto [first, end] = columnBins_[i];
        // The first of the loudest, as a max over values clamped to the floor: a column all
        // under the floor keeps its first bin, so a quiet spectrum does not seem to move.
        const float floor = static_cast<float>(kMinDb - 20.0);
        const float* loudest = std::max_element(db.data() + first, db.data() + end);
        const auto k = *loudest > floor ? static_cast<uint32_t>(loudest - db.data()) : first;
        out[static_cast<qsizetype>(i)] =
            QCPGraphData(k * binHz_, std::max<double>(*loudest, kMinDb - 20.0));
        x[i] = binX_[k];
    }
}

QString SpectrumView::hoverText() const {
    return hoverText_->visible() ? hoverText_->text() : QString();
}

void SpectrumView::clear() {
    live_->data()->clear();
    peak_->data()->clear();
    tracer_->setVisible(false);
    liveData_.clear();
    peakData_.clear();
    liveX_.clear();
    peakX_.clear();
    binCount_ = 0;
    plot_->repaintData();
}

bool SpectrumView::eventFilter(QObject* watched, QEvent* event) {
    // The pointer left the plot: no readout stays behind for where it was.
    if (watched == plot_ && event->type() == QEvent::Leave) {
        hoverOverride_.clear();
        hideHover();
    }
    return QWidget::eventFilter(watched, event);
}

void SpectrumView::hideHover() {
    hoverX_ = -1;
    tracer_->setVisible(false);
    hoverText_->setVisible(false);
    liveLayer_->replot();
}

void SpectrumView::updateHover(QMouseEvent* event) {
    const int x = static_cast<int>(std::lround(event->position().x()));
    const QRect area = plot_->dataRect()->rect();
    if (x < area.left() || x > area.right()) {
        hideHover();
        return;
    }
    hoverX_ = x;
    if (!hoverOverride_.isEmpty()) {
        return;  // a handle's values are shown instead
    }
    const double hz = plot_->xAxis->pixelToCoord(x);
    const NearestNote note = nearestNote(hz, referenceA4_);
    QString text = formatFrequency(hz);
    if (binCount_ > 0 && binHz_ > 0.0 && !live_->data()->isEmpty()) {
        // Attached only once there is data: QCustomPlot warns about a graph without any.
        tracer_->setGraph(live_);
        tracer_->setGraphKey(hz);
        tracer_->setVisible(true);
        tracer_->updatePosition();
        const double db = tracer_->position->value();
        text += QString("   %1 dBFS").arg(QString::number(db, 'f', 1).replace('-', QChar(0x2212)));
    } else {
        tracer_->setVisible(false);
    }
    if (!note.name.isEmpty()) {
        text += QString("   %1 %2%3 ¢")
                    .arg(note.name)
                    .arg(note.cents >= 0 ? "+" : QString(QChar(0x2212)))
                    .arg(std::abs(note.cents), 0, 'f', 0);
    }
    hoverText_->setText(text);
    hoverText_->setVisible(true);
    liveLayer_->replot();
}

int SpectrumView::eqHandleAt(QPointF pos, double radius) const {
    if (!eqShown_) {
        return -1;
    }
    int best = -1;
    double bestDistance = radius;
    for (qsizetype i = 0; i < eqOverlay_.handleHz.size(); ++i) {
        const QPointF at(plot_->xAxis->coordToPixel(eqOverlay_.handleHz[i]),
                         plot_->yAxis2->coordToPixel(eqOverlay_.handleDb[i]));
        const double distance = std::hypot(at.x() - pos.x(), at.y() - pos.y());
        if (distance <= bestDistance) {
            bestDistance = distance;
            best = eqOverlay_.handleBand[static_cast<size_t>(i)];
        }
    }
    return best;
}

void SpectrumView::setHoverOverride(const QString& text) {
    if (text == hoverOverride_) {
        return;
    }
    hoverOverride_ = text;
    if (!text.isEmpty()) {
        hoverText_->setText(text);
        hoverText_->setVisible(true);
        tracer_->setVisible(false);
        liveLayer_->replot();
    } else if (hoverX_ < 0) {
        hoverText_->setVisible(false);
        liveLayer_->replot();
    }
}

void SpectrumView::setEqOverlay(const EqOverlay& overlay) {
    eqOverlay_ = overlay;
    eqCurve_->setData(overlay.hz, overlay.combinedDb, true);
    for (size_t band = 0; band < eqBands_.size(); ++band) {
        const bool active = band < overlay.bandDb.size();
        eqBands_[band]->setVisible(active);
        if (active) {
            eqBands_[band]->setData(overlay.hz, overlay.bandDb[band], true);
        }
    }
    eqHandles_->setData(overlay.handleHz, overlay.handleDb, true);
    if (eqShown_) {
        liveLayer_->replot();
        return;
    }
    eqCurve_->setVisible(true);
    eqHandles_->setVisible(true);
    plot_->yAxis2->setVisible(true);
    plot_->dataRect()->setAutoMargins(QCP::msLeft | QCP::msBottom | QCP::msRight);
    eqShown_ = true;
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void SpectrumView::clearEqOverlay() {
    if (!eqShown_) {
        return;
    }
    eqOverlay_ = {};
    eqCurve_->setVisible(false);
    eqHandles_->setVisible(false);
    for (QCPGraph* graph : eqBands_) {
        graph->setVisible(false);
    }
    plot_->yAxis2->setVisible(false);
    plot_->dataRect()->setAutoMargins(QCP::msLeft | QCP::msBottom);
    plot_->dataRect()->setMargins(QMargins(0, 8, 12, 0));
    eqShown_ = false;
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace liverack::ui
