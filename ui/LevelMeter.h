// A custom-painted vertical level meter for one tap (input or output), one bar per channel: the
// peak as a dim bar, the RMS as a bright bar inside it, a peak-hold tick, a clip light (click to
// reset) and a dBFS scale from -60 to 0 with a numeric peak-hold readout under each bar.
#pragma once

#include <QFont>
#include <QPixmap>
#include <QWidget>

#include <array>

#include "core/analysis/AnalysisSnapshots.h"

namespace liverack::ui {

class LevelMeter : public QWidget {
    Q_OBJECT

public:
    static constexpr float kFloorDb = -60.0f;
    static constexpr int kScaleWidth = 28;
    static constexpr int kClipLightHeight = 10;
    static constexpr int kReadoutHeight = 18;

    explicit LevelMeter(QWidget* parent = nullptr);

    void setLevels(const core::LevelSnapshot& levels);
    // No signal: empty bars, readouts show a dash.
    void clear();

    // The scale: 0 dBFS at the top of the groove, kFloorDb at the bottom, linear in dB.
    static double levelFraction(float db);
    // Where channel `channel`'s bar is drawn (its groove), in widget coordinates.
    QRect grooveRect(int channel) const;
    QRect clipLightRect(int channel) const;
    int channelCount() const noexcept { return static_cast<int>(levels_.channelCount); }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void clipResetRequested();

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    // What one channel shows, in pixels and text: a snapshot that draws the same is not painted,
    // and one that differs repaints only that channel's groove, light or readout.
    struct ChannelShown {
        int peakY = 0;
        int rmsY = 0;
        int holdY = 0;
        bool holdHot = false;
        bool clipped = false;
        QString readout;
        bool operator==(const ChannelShown&) const = default;
    };
    int barCount() const;
    int scaleLeft() const;
    int yFor(float db) const;
    QRect readoutRect(int channel) const;
    ChannelShown shownFor(int channel) const;
    void repaintChanged();
    // Panel, scale, grooves: drawn once per size and channel count.
    void drawBackground();

    core::LevelSnapshot levels_{};
    bool hasSignal_ = false;
    std::array<ChannelShown, core::kMaxMeterChannels> shown_{};
    QPixmap background_;
    QFont readoutFont_;
    int backgroundBars_ = 0;
};

}  // namespace liverack::ui
