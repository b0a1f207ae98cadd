// The live spectrum (QCustomPlot): log frequency from 20 Hz to Nyquist with labelled decades,
// dBFS levels, the live trace and a peak-hold trace, pre/post choice, FFT size, window and
// averaging; hovering shows frequency, level and the nearest note.
#pragma once

#include <vector>

#include <QImage>
#include <QPolygonF>
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

class LivePlot;

class SpectrumView : public QWidget {
    Q_OBJECT

public:
    static constexpr double kMinHz = 20.0;
    static constexpr double kMinDb = -120.0;
    static constexpr double kMaxDb = 6.0;

    explicit SpectrumView(QWidget* parent = nullptr);

    void setSpectrum(const core::SpectrumSnapshot& spectrum);

    // The EQ overlay: the selected eq slot's response (combined, and each active band's own,
    // faint) on a dB scale at the right, with a handle at each active band's frequency.
    struct EqOverlay {
        QVector<double> hz;  // log-spaced; every curve has a value at each
        QVector<double> combinedDb;
        std::vector<QVector<double>> bandDb;  // one per active band
        QVector<double> handleHz;
        // A band with a gain (peak, shelf) at its gain; the others on the combined curve.
        QVector<double> handleDb;
        std::vector<int> handleBand;  // which band each handle is
    };
    static constexpr double kEqRangeDb = 24.0;
    void setEqOverlay(const EqOverlay& overlay);
    void clearEqOverlay();
    bool eqOverlayShown() const noexcept { return eqShown_; }
    const QCPGraph& eqCurveGraph() const noexcept { return *eqCurve_; }
    const QCPGraph& eqHandleGraph() const noexcept { return *eqHandles_; }
    const EqOverlay& eqOverlay() const noexcept { return eqOverlay_; }
    // The band whose handle lies within `radius` pixels of `pos` (on the plot), nearest first;
    // -1 when none does.
    int eqHandleAt(QPointF pos, double radius) const;
    // A value readout shown instead of the level under the pointer (a handle's values); empty
    // goes back to the level.
    void setHoverOverride(const QString& text);
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

    QCustomPlot& plot() noexcept;
    LivePlot& livePlot() noexcept { return *plot_; }
    // The traces' data (the graphs hold it for the hover readout; the plot paints it itself).
    const QCPGraph& liveGraph() const noexcept { return *live_; }
    const QCPGraph& peakHoldGraph() const noexcept { return *peak_; }
    // What the hover readout says now (empty when the pointer is not over the plot).
    QString hoverText() const;

Q_SIGNALS:
    void settingsChanged();
    void peakHoldResetRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void updateHover(QMouseEvent* event);
    void hideHover();
    void setNyquist(double nyquist);
    void updateBinColumns();
    bool tracesMoved();
    void paintTraces(QImage& frame, QPoint origin);
    // The loudest bin of each pixel column, and where on the axis it lies (pixels from the
    // axis rect's left).
    void decimate(const std::array<float, core::kMaxSpectrumBins>& db, QVector<QCPGraphData>& out,
                  std::vector<double>& x) const;

    LivePlot* plot_;
    QCPLayer* liveLayer_;   // the EQ overlay and the hover readout
    QPolygonF livePoints_;  // scratch for painting, kept to keep its capacity
    QPolygonF peakPoints_;
    std::vector<int32_t> signature_;  // of the traces as they would be drawn now
    std::vector<int32_t> paintedSignature_;
    std::vector<int> fillTop_;  // per pixel column of the frame: the first row under the trace
    // The axis rect's static pixels, bare and with the fill colour laid over them: a frame is
    // chosen from the two, pixel by pixel, made again when the static part changes.
    QImage bare_;
    QImage filled_;
    int backgroundOf_ = -1;  // the static redraw they were made from
    QCPGraph* live_;
    QCPGraph* peak_;
    QCPGraph* eqCurve_;
    QCPGraph* eqHandles_;
    std::vector<QCPGraph*> eqBands_;
    bool eqShown_ = false;
    EqOverlay eqOverlay_;
    QString hoverOverride_;
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
    std::vector<double> liveX_;  // of liveData_'s points, from decimate
    std::vector<double> peakX_;
    // The bins each pixel column of the log axis holds (none below 20 Hz), and each bin's place
    // on the axis, for the size and rate they were worked out for: a log per bin per frame was
    // a tenth of the window's time, and a bin-by-bin append another fifteenth.
    struct ColumnBins {
        uint32_t first;
        uint32_t end;
    };
    std::vector<ColumnBins> columnBins_;
    std::vector<double> binX_;
    struct ColumnKey {
        uint32_t bins = 0;
        double binHz = 0.0;
        double nyquist = 0.0;
        int pixels = 0;
        bool operator==(const ColumnKey&) const = default;
    } columnKey_;
    float referenceA4_ = 440.0f;
    int hoverX_ = -1;
};

}  // namespace liverack::ui
