#include "ui/LivePlot.h"

#include <QPaintEngine>
#include <QPaintEvent>

#include <algorithm>

namespace liverack::ui {

LivePlot::LivePlot(QWidget* parent) : QCustomPlot(parent), dataRect_(QCustomPlot::axisRect()) {
    // A full replot draws every buffer again: the static image is made again from it at the
    // next paint. A live layer's own replot does not emit this.
    connect(this, &QCustomPlot::afterReplot, this, [this] { staticDirty_ = true; });
}

void LivePlot::repaintData() {
    ++dataRepaints_;
    update(dataRect_->rect());
}

void LivePlot::drawStaticAround(QPainter& painter, const QRegion& region) {
    // Only where the update reaches beyond the data's rectangle (usually nowhere).
    if (region.isEmpty()) {
        return;
    }
    painter.save();
    painter.setClipRegion(region);
    painter.drawImage(QPoint(0, 0), static_);
    painter.restore();
}

QImage LivePlot::frameInBackingStore(QPainter& painter, const QRect& area) {
    // Only where the raster engine paints this widget into the window's own image, one to one,
    // and the whole axis rect is ours to paint now: not covered by another widget, not a partial
    // expose. Anything else (a high-density screen, grab(), OpenGL) takes the copy.
    QPaintEngine* engine = painter.paintEngine();
    if (engine == nullptr || engine->type() != QPaintEngine::Raster ||
        painter.deviceTransform().type() > QTransform::TxTranslate) {
        return {};
    }
    QPaintDevice* device = engine->paintDevice();
    if (device == nullptr || device->devType() != QInternal::Image) {
        return {};
    }
    auto* image = static_cast<QImage*>(device);
    // An opaque pixel is the same word in both formats (0xffRRGGBB), and the frame writes only
    // opaque pixels; the xcb backing store is premultiplied ARGB, the offscreen one RGB32.
    if ((image->format() != QImage::Format_RGB32 &&
         image->format() != QImage::Format_ARGB32_Premultiplied) ||
        image->devicePixelRatio() != 1.0) {
        return {};
    }
    const QPointF shift = painter.deviceTransform().map(QPointF(0, 0));
    const QPoint offset = shift.toPoint();
    const QRect target = area.translated(offset);
    // (QRegion::contains(QRect) means "overlaps": whole containment is what is left over.)
    if (QPointF(offset) != shift || !image->rect().contains(target) ||
        !QRegion(target).subtracted(engine->systemClip()).isEmpty() ||
        (painter.hasClipping() && !QRegion(area).subtracted(painter.clipRegion()).isEmpty())) {
        return {};
    }
    // A view of those pixels, not a copy (the image is the backing store's alone: no detach).
    uchar* first = image->bits() + target.top() * image->bytesPerLine() +
                   target.left() * static_cast<qsizetype>(sizeof(QRgb));
    return QImage(first, target.width(), target.height(), image->bytesPerLine(),
                  QImage::Format_RGB32);
}

bool LivePlot::liveLayerShown() const {
    if (liveLayer_ == nullptr || !liveLayer_->visible()) {
        return false;
    }
    const QList<QCPLayerable*> children = liveLayer_->children();
    return std::any_of(children.begin(), children.end(),
                       [](const QCPLayerable* child) { return child->realVisibility(); });
}

void LivePlot::paintEvent(QPaintEvent* event) {
    if (mPaintBuffers.isEmpty()) {
        QCustomPlot::paintEvent(event);
        return;
    }
    const double ratio = devicePixelRatioF();
    const QSize pixels = (QSizeF(size()) * ratio).toSize();
    if (staticDirty_ || static_.size() != pixels) {
        static_ = QImage(pixels, QImage::Format_RGB32);
        static_.setDevicePixelRatio(ratio);
        static_.fill(mBackgroundBrush.style() == Qt::NoBrush ? Qt::black
                                                             : mBackgroundBrush.color());
        QCPPainter painter(&static_);
        mPaintBuffers.first()->draw(&painter);
        staticDirty_ = false;
        ++staticRedraws_;
    }
    QCPPainter painter(this);
    if (!painter.isActive()) {
        return;
    }
    if (framePainter_ || dataPainter_) {
        ++dataFrames_;
    }
    if (framePainter_) {
        const QRect area = dataRect_->rect();
        const QRect pixelsOfArea = QRect(QPoint(area.topLeft() * ratio), QSize(area.size() * ratio))
                                       .intersected(static_.rect());
        drawStaticAround(painter, QRegion(event->rect()).subtracted(area));
        QImage direct = frameInBackingStore(painter, area);
        if (!direct.isNull()) {
            ++directFrames_;
            framePainter_(direct, area.topLeft());
        } else {
            if (frame_.size() != pixelsOfArea.size()) {
                frame_ = QImage(pixelsOfArea.size(), QImage::Format_RGB32);
            }
            frame_.setDevicePixelRatio(ratio);
            framePainter_(frame_, area.topLeft());
            painter.drawImage(area.topLeft(), frame_);
        }
    } else if (dataCoversAxisRect_) {
        drawStaticAround(painter, QRegion(event->rect()).subtracted(dataRect_->rect()));
    } else {
        painter.drawImage(QPoint(0, 0), static_);
    }
    if (dataPainter_) {
        painter.save();
        painter.setClipRect(dataRect_->rect());
        dataPainter_(painter);
        painter.restore();
    }
    if (liveLayerShown()) {
        for (qsizetype i = 1; i < mPaintBuffers.size(); ++i) {
            mPaintBuffers[i]->draw(&painter);
        }
    }
}

}  // namespace liverack::ui
