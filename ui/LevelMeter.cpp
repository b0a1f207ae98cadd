#include "ui/LevelMeter.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

#include "ui/DarkTheme.h"

namespace liverack::ui {

namespace {

constexpr int kTop = 4;
constexpr int kGap = 4;
constexpr int kMinBar = 10;
constexpr int kMaxBar = 26;
constexpr float kWarnDb = -18.0f;
constexpr float kHotDb = -6.0f;

// Zone colours: bright for RMS, the same hue dimmed for the peak bar behind it.
QColor zoneColour(float db, bool bright) {
    QColor c = db >= kHotDb ? QColor(0xf0, 0x4a, 0x4a)
                            : (db >= kWarnDb ? QColor(0xf0, 0xc0, 0x40) : QColor(0x3c, 0xd0, 0x70));
    return bright ? c : c.darker(230);
}

QString formatDb(float db) {
    if (!std::isfinite(db) || db < -99.9f) {
        return QStringLiteral("−∞");
    }
    return QString::number(db, 'f', 1).replace('-', QChar(0x2212));
}

}  // namespace

LevelMeter::LevelMeter(QWidget* parent) : QWidget(parent) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    setToolTip(
        tr("Peak (dim), RMS (bright) and peak hold in dBFS; click a red clip light to "
           "reset it"));
    levels_.channelCount = 2;
}

double LevelMeter::levelFraction(float db) {
    if (!std::isfinite(db)) {
        return 0.0;
    }
    return std::clamp((static_cast<double>(db) - kFloorDb) / -kFloorDb, 0.0, 1.0);
}

int LevelMeter::barCount() const {
    return static_cast<int>(std::clamp<uint32_t>(levels_.channelCount, 1, core::kMaxMeterChannels));
}

int LevelMeter::scaleLeft() const {
    // Scale and bars are centred as a group in whatever width the layout gives.
    const int n = barCount();
    const int available = width() - kScaleWidth - 4;
    const int bar = std::clamp((available - (n - 1) * kGap) / n, kMinBar, kMaxBar);
    const int used = kScaleWidth + 2 + n * bar + (n - 1) * kGap;
    return std::max(0, (width() - used) / 2 - kScaleWidth / 4);
}

QRect LevelMeter::grooveRect(int channel) const {
    const int n = barCount();
    const int available = width() - kScaleWidth - 4;
    const int bar = std::clamp((available - (n - 1) * kGap) / n, kMinBar, kMaxBar);
    const int top = kTop + kClipLightHeight + 4;
    const int bottom = height() - kReadoutHeight - 2;
    return {scaleLeft() + kScaleWidth + 2 + channel * (bar + kGap), top, bar,
            std::max(10, bottom - top)};
}

QRect LevelMeter::clipLightRect(int channel) const {
    const QRect g = grooveRect(channel);
    return {g.left(), kTop, g.width(), kClipLightHeight};
}

QSize LevelMeter::sizeHint() const {
    return {kScaleWidth + 2 * (kMaxBar + kGap) + 8, 260};
}
QSize LevelMeter::minimumSizeHint() const {
    return {kScaleWidth + 2 * (kMinBar + kGap) + 4, 120};
}

void LevelMeter::setLevels(const core::LevelSnapshot& levels) {
    const bool layoutChanged = levels.channelCount != levels_.channelCount;
    levels_ = levels;
    hasSignal_ = true;
    if (layoutChanged) {
        updateGeometry();
        update();
    }
    repaintChanged();
}

void LevelMeter::clear() {
    hasSignal_ = false;
    for (auto& c : levels_.channels) {
        c = {-INFINITY, -INFINITY, -INFINITY, 0};
    }
    repaintChanged();
}

int LevelMeter::yFor(float db) const {
    const QRect first = grooveRect(0);
    return first.bottom() + 1 - static_cast<int>(std::lround(levelFraction(db) * first.height()));
}

QRect LevelMeter::readoutRect(int channel) const {
    const QRect g = grooveRect(channel);
    return {g.left() - kGap / 2, g.bottom() + 3, g.width() + kGap, kReadoutHeight};
}

LevelMeter::ChannelShown LevelMeter::shownFor(int channel) const {
    const core::ChannelLevel& level = levels_.channels[static_cast<size_t>(channel)];
    ChannelShown shown;
    if (!hasSignal_) {
        shown.readout = QStringLiteral("–");
        shown.peakY = shown.rmsY = shown.holdY = yFor(-INFINITY);
        return shown;
    }
    shown.peakY = yFor(level.peakDb);
    shown.rmsY = yFor(std::min(level.rmsDb, level.peakDb));
    const bool hold = std::isfinite(level.peakHoldDb) && level.peakHoldDb > kFloorDb;
    shown.holdY = hold ? yFor(level.peakHoldDb) : -1;
    shown.holdHot = level.peakHoldDb >= 0.0f;
    shown.clipped = level.clipCount > 0;
    shown.readout = formatDb(level.peakHoldDb);
    return shown;
}

void LevelMeter::repaintChanged() {
    // One rectangle around what changed, not a region of several: Qt's raster engine blits
    // through a rectangular clip, but fills a many-rectangle clip span by span on its thread pool
    // (several hundred thread hand-overs a second for two meters).
    QRect changed;
    bool readoutsChanged = false;
    for (int c = 0; c < barCount(); ++c) {
        const ChannelShown now = shownFor(c);
        ChannelShown& before = shown_[static_cast<size_t>(c)];
        // Only the rows whose look changed: a bar's pixel is lit by the peak (dim), the RMS
        // (bright) or neither by where it lies against those tops, and the hold is a 2-row line.
        const QRect g = grooveRect(c);
        const auto rowsBetween = [&g](int a, int b) {
            // (A null rectangle when nothing moved: an empty one would still widen a union.)
            return a == b ? QRect() : QRect(g.left(), std::min(a, b), g.width(), std::abs(a - b));
        };
        QRect rows = rowsBetween(before.peakY, now.peakY) | rowsBetween(before.rmsY, now.rmsY);
        if (now.holdY != before.holdY || now.holdHot != before.holdHot) {
            for (int y : {before.holdY, now.holdY}) {
                if (y >= 0) {
                    rows |= QRect(g.left(), y, g.width(), 2);
                }
            }
        }
        changed |= rows.intersected(g);
        if (now.clipped != before.clipped) {
            changed |= clipLightRect(c);
        }
        if (now.readout != before.readout || now.holdHot != before.holdHot) {
            readoutsChanged = true;
        }
        before = now;
    }
    // A readout's text may be wider than its bar and run into its neighbour's: they are
    // repainted together, so no half-drawn figures stay behind.
    if (readoutsChanged) {
        for (int c = 0; c < barCount(); ++c) {
            changed |= readoutRect(c).adjusted(-kGap, 0, kGap, 0);
        }
    }
    if (!changed.isEmpty()) {
        update(changed);
    }
}

void LevelMeter::drawBackground() {
    background_ = QPixmap(size());
    backgroundBars_ = barCount();
    QPainter p(&background_);
    p.fillRect(rect(), ThemeColours::panel());
    const QRect first = grooveRect(0);
    // Scale: labels on the left, ticks next to the bars.
    QFont small = font();
    small.setPointSizeF(std::max(6.5, small.pointSizeF() * 0.78));
    p.setFont(small);
    const QFontMetrics fm(small);
    for (float db :
         {0.0f, -3.0f, -6.0f, -9.0f, -12.0f, -18.0f, -24.0f, -30.0f, -40.0f, -50.0f, -60.0f}) {
        const int y = yFor(db);
        // -3 and -9 sit too close to their neighbours for a label; every other mark has room.
        const bool major = db != -3.0f && db != -9.0f;
        p.setPen(ThemeColours::dimText());
        const int x0 = scaleLeft();
        p.drawLine(x0 + kScaleWidth - (major ? 6 : 3), y, x0 + kScaleWidth - 1, y);
        if (major && first.height() > 110) {
            const QString label = QString::number(static_cast<int>(db)).replace('-', QChar(0x2212));
            p.drawText(QRect(x0, y - fm.height() / 2, kScaleWidth - 8, fm.height()),
                       Qt::AlignRight | Qt::AlignVCenter, label);
        }
    }
    for (int c = 0; c < backgroundBars_; ++c) {
        p.fillRect(grooveRect(c), ThemeColours::groove());
    }
    // The readouts' font: as large as lets the widest figure fit under its bar.
    readoutFont_ = font();
    const int room = readoutRect(0).width() - 2;
    const QString widest = QStringLiteral("−88.8");
    while (QFontMetrics(readoutFont_).horizontalAdvance(widest) > room &&
           readoutFont_.pointSizeF() > 6.0) {
        readoutFont_.setPointSizeF(readoutFont_.pointSizeF() - 0.5);
    }
}

void LevelMeter::paintEvent(QPaintEvent* event) {
    if (background_.size() != size() || backgroundBars_ != barCount()) {
        drawBackground();
    }
    QPainter p(this);
    const QRect area = event->rect();
    p.drawPixmap(area, background_, area);
    for (int c = 0; c < barCount(); ++c) {
        const QRect g = grooveRect(c);
        const ChannelShown& shown = shown_[static_cast<size_t>(c)];
        if (g.intersects(area) && hasSignal_) {
            // Peak (dim) and RMS (bright) bars, coloured by zone.
            const auto fillBar = [&](int top, bool bright) {
                for (auto [lo, hi] : {std::pair{kFloorDb, kWarnDb}, std::pair{kWarnDb, kHotDb},
                                      std::pair{kHotDb, 0.0f}}) {
                    const int zoneTop = std::max(top, yFor(hi));
                    const int zoneBottom = yFor(lo);
                    if (zoneTop < zoneBottom) {
                        p.fillRect(QRect(g.left(), zoneTop, g.width(), zoneBottom - zoneTop),
                                   zoneColour(lo, bright));
                    }
                }
            };
            fillBar(shown.peakY, false);
            fillBar(shown.rmsY, true);
            if (shown.holdY >= 0) {
                p.fillRect(QRect(g.left(), shown.holdY, g.width(), 2),
                           shown.holdHot ? ThemeColours::bad() : QColor(0xf2, 0xf2, 0xf2));
            }
        }
        if (g.intersects(area)) {
            // Faint grid across the bar at the major marks.
            p.setPen(QColor(255, 255, 255, 18));
            for (float db : {-6.0f, -12.0f, -18.0f, -24.0f, -30.0f, -40.0f, -50.0f}) {
                p.drawLine(g.left(), yFor(db), g.right(), yFor(db));
            }
        }
        const QRect light = clipLightRect(c);
        if (light.intersects(area)) {
            p.fillRect(light, shown.clipped ? ThemeColours::bad() : QColor(0x3a, 0x1e, 0x1e));
        }
        const QRect readout = readoutRect(c);
        if (readout.adjusted(-kGap, 0, kGap, 0).intersects(area)) {
            p.setFont(readoutFont_);
            p.setPen(shown.holdHot && hasSignal_ ? ThemeColours::bad() : ThemeColours::text());
            p.drawText(readout, Qt::AlignCenter, shown.readout);
        }
    }
}

void LevelMeter::resizeEvent(QResizeEvent*) {
    // Every pixel position moves: work the shown state out again (the resize repaints it all).
    for (int c = 0; c < barCount(); ++c) {
        shown_[static_cast<size_t>(c)] = shownFor(c);
    }
}

void LevelMeter::mousePressEvent(QMouseEvent* event) {
    for (int c = 0; c < barCount(); ++c) {
        if (clipLightRect(c).adjusted(-2, -2, 2, 2).contains(event->position().toPoint())) {
            Q_EMIT clipResetRequested();
            return;
        }
    }
    QWidget::mousePressEvent(event);
}

}  // namespace liverack::ui
