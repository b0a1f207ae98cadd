// The live spectrum (QCustomPlot): log frequency from 20 Hz to Nyquist with labelled decades,
// dBFS levels, the live trace and a peak-hold trace, pre/post choice, FFT size, window and
// averaging; hovering shows frequency, level and the nearest note.
#pragma once

#include <QVariantMap>
#include <QVector>
#include <QWidget>

#include <array>

#include "core/analysis/AnalysisSnapshots.h"
#include "core/analysis/SpectrumWindow.h"
#include "core/engine/SampleTaps.h"
#include "ui/QCustomPlotInclude.h"

class QComboBox;
class QMouseEvent;

namespace liverack::ui {

class SpectrumView : public QWidget {
    Q_OBJECT

public:
    static constexpr double kMinHz = 20.0;
    static constexpr double kMinDb = -120.0;
    static constexpr double kMaxDb = 6.0;

    explicit SpectrumView(QWidget* parent = nullptr);

    void setSpectrum(const core::SpectrumSnapshot& spectrum);
    void clear();
    void setReferenceA4(float hz) { referenceA4_ = hz; }

    core::Tap tap() const;
    uint32_t fftSize() const;
    core::SpectrumWindow window() const;
    float averagingSeconds() const;
    float overlap() const;  // of successive FFT frames, 0.5 .. 0.875
    void setOverlap(float fraction);

    // The view's choices under "spectrum/..." keys, for the session.
    void saveSettings(QVariantMap& settings) const;
    void restoreSettings(const QVariantMap& settings);

    QCustomPlot& plot() noexcept { return *plot_; }
    const QCPGraph& liveGraph() const noexcept { return *live_; }
    const QCPGraph& peakHoldGraph() const noexcept { return *peak_; }
    // What the hover readout says now (empty when the pointer is not over the plot).
    QString hoverText() const;

Q_SIGNALS:
    void settingsChanged();
    void peakHoldResetRequested();

private:
    void updateHover(QMouseEvent* event);
    void setNyquist(double nyquist);
    void decimate(const std::array<float, core::kMaxSpectrumBins>& db,
                  QVector<QCPGraphData>& out) const;

    QCustomPlot* plot_;
    QCPGraph* live_;
    QCPGraph* peak_;
    QCPItemText* hoverText_;
    QCPItemTracer* tracer_;
    QComboBox* tap_;
    QComboBox* fft_;
    QComboBox* window_;
    QComboBox* averaging_;
    QComboBox* overlap_;
    QVector<QCPGraphData> liveData_;
    QVector<QCPGraphData> peakData_;
    double nyquist_ = 0.0;
    double binHz_ = 0.0;
    uint32_t binCount_ = 0;
    float referenceA4_ = 440.0f;
    int hoverX_ = -1;
};

}  // namespace liverack::ui
