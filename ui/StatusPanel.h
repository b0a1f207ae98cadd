// The status bar's readouts: API, sample rate, block, latency, DSP load (average and peak),
// xruns (click to reset) and analysis samples dropped.
#pragma once

#include <QWidget>

#include "core/engine/AudioEngine.h"

class QLabel;
class QToolButton;

namespace liverack::ui {

class StatusPanel : public QWidget {
    Q_OBJECT

public:
    explicit StatusPanel(QWidget* parent = nullptr);

    void showRunning(const core::StreamInfo& info, uint32_t chainLatencyFrames,
                     const core::EngineStatsSnapshot& stats);
    void showStopped();

Q_SIGNALS:
    void xrunResetRequested();

private:
    QLabel* api_;
    QLabel* format_;
    QLabel* latency_;
    QLabel* load_;
    QToolButton* xruns_;
    QLabel* dropped_;
};

}  // namespace liverack::ui
