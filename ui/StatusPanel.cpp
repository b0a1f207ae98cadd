#include "ui/StatusPanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

#include "ui/ReadoutLabel.h"

namespace liverack::ui {

namespace {

QLabel* makeField(QWidget* parent, const QString& tip) {
    auto* label = new QLabel(parent);
    label->setToolTip(tip);
    label->setStyleSheet("padding: 0 6px; color: #b8bdc5;");
    return label;
}

QFrame* separator(QWidget* parent) {
    auto* line = new QFrame(parent);
    line->setFrameShape(QFrame::VLine);
    line->setStyleSheet("color: #3a3f46;");
    return line;
}

// A style sheet is parsed and the widget re-polished on every call, even with the same text.
void setStyleSheetIfChanged(QWidget& widget, const QString& sheet) {
    if (widget.styleSheet() != sheet) {
        widget.setStyleSheet(sheet);
    }
}

}  // namespace

StatusPanel::StatusPanel(QWidget* parent) : QWidget(parent) {
    api_ = makeField(this, tr("Audio API and devices"));
    format_ = makeField(this, tr("Sample rate and block size"));
    latency_ = makeField(this, tr("Input-to-output latency: device buffering, one block and the "
                                  "rack's own latency"));
    ReadoutLabel::Look look;
    look.text = QColor(0xb8, 0xbd, 0xc5);
    look.paddingY = 0;
    load_ = new ReadoutLabel(look, tr("DSP 100.0 % avg · 100.0 % peak"), this);
    load_->setToolTip(
        tr("Time spent in the audio callback as a share of the block period: "
           "average, and the worst single block of the last 5 to 10 s"));
    xruns_ = new QToolButton(this);
    xruns_->setAutoRaise(true);
    xruns_->setToolTip(tr("Buffer under- and overruns since the last reset; click to reset"));
    connect(xruns_, &QToolButton::clicked, this, &StatusPanel::xrunResetRequested);
    dropped_ = makeField(this, tr("Samples the analysis could not keep up with (meters and "
                                  "plots only; the audio is not affected)"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    for (QWidget* w : std::initializer_list<QWidget*>{api_, format_, latency_, load_}) {
        layout->addWidget(w);
        layout->addWidget(separator(this));
    }
    layout->addWidget(xruns_);
    layout->addWidget(separator(this));
    layout->addWidget(dropped_);
    showStopped();
}

void StatusPanel::showRunning(const core::StreamInfo& info, uint32_t chainLatencyFrames,
                              const core::EngineStatsSnapshot& stats) {
    api_->setText(QString::fromStdString(info.apiDisplayName));
    format_->setText(
        tr("%1 kHz · %2 frames").arg(info.sampleRate / 1000.0, 0, 'g', 4).arg(info.blockFrames));
    const double ms = info.sampleRate > 0
                          ? 1000.0 * (info.latencyFrames() + chainLatencyFrames) / info.sampleRate
                          : 0.0;
    latency_->setText(tr("latency %1 ms").arg(ms, 0, 'f', 1));
    load_->setText(tr("DSP %1 % avg · %2 % peak")
                       .arg(stats.dspLoadAverage, 0, 'f', 1)
                       .arg(stats.dspLoadMax, 0, 'f', 1));
    load_->setTextColour(stats.dspLoadMax > 80.0 ? QColor(0xff, 0x7a, 0x7a)
                                                 : QColor(0xb8, 0xbd, 0xc5));
    xruns_->setText(tr("xruns %1").arg(stats.xruns));
    setStyleSheetIfChanged(
        *xruns_, stats.xruns > 0 ? "color: #ff7a7a; font-weight: 600;" : "color: #b8bdc5;");
    dropped_->setText(tr("analysis dropped %1").arg(stats.droppedAnalysisFrames));
}

void StatusPanel::showStopped() {
    api_->setText(tr("Stopped"));
    format_->setText(QStringLiteral("–"));
    latency_->setText(QStringLiteral("–"));
    load_->setText(tr("DSP –"));
    xruns_->setText(tr("xruns –"));
    dropped_->clear();
}

}  // namespace liverack::ui
