// A QCustomPlot for data that changes many times a second. Everything static (background, grid,
// axes, labels, legend) is drawn by QCustomPlot as usual, but only when it changes, and kept as
// an opaque image; a frame copies that image and paints the data straight onto the widget, then
// the live layer (EQ curves, hover readout) only when something on it is visible. Each buffered
// QCustomPlot layer costs a full-size alpha blend per paint, which was most of the window's time.
#pragma once

#include <QImage>

#include <functional>

#include "ui/QCustomPlotInclude.h"

namespace liverack::ui {

class LivePlot : public QCustomPlot {
    Q_OBJECT

public:
    explicit LivePlot(QWidget* parent = nullptr);

    // Paints the data, clipped to the axis rect, on every frame; layout and ranges are current.
    // `coversAxisRect`: it paints every pixel of the axis rect (an image), so the static part
    // need not be copied there first.
    void setDataPainter(std::function<void(QPainter&)> painter, bool coversAxisRect = false) {
        dataPainter_ = std::move(painter);
        dataCoversAxisRect_ = coversAxisRect;
    }
    // Or: writes every pixel of `frame`, the axis rect (widget coordinates offset by `origin`),
    // for data that is cheaper to write as pixels than as QPainter spans (an area under a
    // curve); staticImage() is what lies behind. A QPainter on the frame is the caller's to make.
    // Only opaque pixels: the frame may be the window's own (premultiplied) pixels.
    using FramePainter = std::function<void(QImage& frame, QPoint origin)>;
    void setFramePainter(FramePainter painter) { framePainter_ = std::move(painter); }
    // The layer from makeLiveLayer: drawn over the data when any of it is visible.
    void setLiveLayer(QCPLayer* layer) { liveLayer_ = layer; }
    // The plot's one axis rect. QCustomPlot::axisRect() searches the layout with a cast per
    // element; several calls a frame added up to a twentieth of the GUI thread.
    QCPAxisRect* dataRect() const noexcept { return dataRect_; }
    // A new frame of data: repaints the axis rect, nothing else is drawn again.
    void repaintData();
    // How many times the static part was drawn again (for tests: a data frame must not), and
    // that part as last drawn, widget-sized.
    int staticRedraws() const noexcept { return staticRedraws_; }
    const QImage& staticImage() const noexcept { return static_; }
    // Frames the data was painted in (a view that stopped drawing shows here), and how often a
    // new frame of data was asked for.
    int dataFrames() const noexcept { return dataFrames_; }
    int dataRepaints() const noexcept { return dataRepaints_; }
    // Frames a frame painter wrote straight into the window's backing store (see
    // frameInBackingStore), not through a copy.
    int directFrames() const noexcept { return directFrames_; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    bool liveLayerShown() const;
    void drawStaticAround(QPainter& painter, const QRegion& region);
    // The axis rect's pixels in the backing store the painter paints into, as an image that
    // shares them, or a null image where writing there directly is not safe. Drawing the frame
    // into a copy and blitting it took a seventh of the GUI thread.
    QImage frameInBackingStore(QPainter& painter, const QRect& area);

    std::function<void(QPainter&)> dataPainter_;
    FramePainter framePainter_;
    bool dataCoversAxisRect_ = false;
    QImage frame_;
    QCPAxisRect* dataRect_;
    QCPLayer* liveLayer_ = nullptr;
    QImage static_;
    bool staticDirty_ = true;
    int staticRedraws_ = 0;
    int dataFrames_ = 0;
    int dataRepaints_ = 0;
    int directFrames_ = 0;
};

}  // namespace liverack::ui
