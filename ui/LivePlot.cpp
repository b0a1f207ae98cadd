#include "ui/LivePlot.h"

#include <QPaintEvent>

#include <algorithm>

namespace liverack::ui {

LivePlot::LivePlot(QWidget* parent) : QCustomPlot(parent) {
    // A full replot draws every buffer again: the static image is made again from it at the
    // next paint. A live layer's own replot does not emit this.
    connect(this, &QCustomPlot::afterReplot, this, [this] { staticDirty_ = true; });
}

void LivePlot::repaintData() {
    ++dataRepaints_;
    update(axisRect()->rect());
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
        const QRect area = axisRect()->rect();
        const QRect pixelsOfArea = QRect(QPoint(area.topLeft() * ratio), QSize(area.size() * ratio))
                                       .intersected(static_.rect());
        if (frame_.size() != pixelsOfArea.size()) {
            frame_ = QImage(pixelsOfArea.size(), QImage::Format_RGB32);
        }
        frame_.setDevicePixelRatio(ratio);
        framePainter_(frame_, area.topLeft());
        drawStaticAround(painter, QRegion(event->rect()).subtracted(area));
        painter.drawImage(area.topLeft(), frame_);
    } else if (dataCoversAxisRect_) {
        drawStaticAround(painter, QRegion(event->rect()).subtracted(axisRect()->rect()));
    } else {
        painter.drawImage(QPoint(0, 0), static_);
    }
    if (dataPainter_) {
        painter.save();
        painter.setClipRect(axisRect()->rect());
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
