// The status bar's readouts: API, sample rate, block, latency, DSP load (average and peak),
// xruns (click to reset) and analysis samples dropped.
#pragma once

#include <QWidget>

#include "core/engine/AudioEngine.h"

class QLabel;
class QToolButton;

namespace liverack::ui {

class ReadoutLabel;

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
    ReadoutLabel* load_;  // changes at 10 Hz
    QToolButton* xruns_;
    QLabel* dropped_;
};

}  // namespace liverack::ui
