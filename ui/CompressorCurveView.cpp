#include "ui/CompressorCurveView.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

#include "core/dsp/EffectSlot.h"
#include "core/dsp/effects/CompressorEffect.h"
#include "ui/DarkTheme.h"

namespace liverack::ui {
namespace {

using Compressor = core::CompressorEffect;

int tenths(double value) {
    return static_cast<int>(std::lround(value * 10.0));
}

}  // namespace

CompressorCurveView::CompressorCurveView(std::shared_ptr<core::EffectSlot> slot, QWidget* parent)
    : QWidget(parent), slot_(std::move(slot)) {
    setAccessibleName(tr("Compressor curve"));
    setToolTip(
        tr("Output level against input level; the dot is the level the detector reads "
           "now"));
    shown_ = read();
}

CompressorCurveView::Shown CompressorCurveView::read() const {
    const core::Effect& effect = slot_->effect();
    const auto& p = effect.parameters();
    const auto& o = effect.outputs();
    return {tenths(p.get(Compressor::kThresholdDb)),
            tenths(p.get(Compressor::kRatio)),
            tenths(p.get(Compressor::kKneeDb)),
            tenths(p.get(Compressor::kMakeupDb)),
            tenths(o.get(Compressor::kDetectorLevelOutput)),
            tenths(o.get(Compressor::kGainReductionOutput))};
}

bool CompressorCurveView::refresh() {
    const Shown now = read();
    if (now == shown_) {
        return false;
    }
    shown_ = now;
    update();
    return true;
}

double CompressorCurveView::outputDbAt(double inputDb) const {
    const auto& p = slot_->effect().parameters();
    return inputDb -
           Compressor::gainReductionDb(inputDb, p.get(Compressor::kThresholdDb),
                                       p.get(Compressor::kRatio), p.get(Compressor::kKneeDb)) +
           p.get(Compressor::kMakeupDb);
}

std::optional<QPointF> CompressorCurveView::dot() const {
    const core::Effect& effect = slot_->effect();
    const double level = effect.outputs().get(Compressor::kDetectorLevelOutput);
    if (level < kMinDb) {
        return std::nullopt;
    }
    // The reduction the effect applies now (it glides with attack and release), not the
    // curve's: the dot leaves the curve while the compressor catches up, as it should.
    const double out = level - effect.outputs().get(Compressor::kGainReductionOutput) +
                       effect.parameters().get(Compressor::kMakeupDb);
    return QPointF(level, out);
}

QRectF CompressorCurveView::plotRect() const {
    const double side = std::min(width() - 34.0, height() - 22.0);
    return {30.0, 4.0, std::max(10.0, side), std::max(10.0, side)};
}

void CompressorCurveView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF plot = plotRect();
    auto toPoint = [&](double in, double out) {
        const double x = (in - kMinDb) / (kMaxDb - kMinDb);
        const double y = (std::clamp(out, kMinDb, kMaxDb + 24.0) - kMinDb) / (kMaxDb - kMinDb);
        return QPointF(plot.left() + x * plot.width(), plot.bottom() - y * plot.height());
    };
    painter.fillRect(plot, ThemeColours::groove());
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.8);
    painter.setFont(small);
    for (double db = kMinDb; db <= kMaxDb; db += 12.0) {
        painter.setPen(QPen(QColor(0x30, 0x34, 0x3a), 1));
        painter.drawLine(toPoint(db, kMinDb), toPoint(db, kMaxDb));
        painter.drawLine(toPoint(kMinDb, db), toPoint(kMaxDb, db));
        painter.setPen(ThemeColours::dimText());
        const QPointF left = toPoint(kMinDb, db);
        painter.drawText(QRectF(0, left.y() - 8, 26, 16), Qt::AlignRight | Qt::AlignVCenter,
                         QString::number(db, 'f', 0));
        const QPointF bottom = toPoint(db, kMinDb);
        painter.drawText(QRectF(bottom.x() - 14, plot.bottom() + 2, 28, 16), Qt::AlignCenter,
                         QString::number(db, 'f', 0));
    }
    painter.setClipRect(plot);
    painter.setPen(QPen(ThemeColours::dimText(), 1, Qt::DashLine));
    painter.drawLine(toPoint(kMinDb, kMinDb), toPoint(kMaxDb, kMaxDb));  // unity
    QPainterPath curve;
    for (int i = 0; i <= 120; ++i) {
        const double in = kMinDb + (kMaxDb - kMinDb) * i / 120.0;
        const QPointF point = toPoint(in, outputDbAt(in));
        i == 0 ? curve.moveTo(point) : curve.lineTo(point);
    }
    painter.setPen(QPen(ThemeColours::trace(), 2));
    painter.drawPath(curve);
    if (const auto live = dot()) {
        painter.setPen(Qt::NoPen);
        painter.setBrush(ThemeColours::warn());
        painter.drawEllipse(toPoint(live->x(), live->y()), 4.5, 4.5);
    }
}

}  // namespace liverack::ui
