// EBU R128 readouts of the output: momentary, short-term and integrated loudness, loudness range
// and true peak, with a reset that starts a new integration.
#pragma once

#include <QWidget>

#include "core/analysis/AnalysisSnapshots.h"

class QLabel;

namespace liverack::ui {

class ReadoutLabel;

class LoudnessPanel : public QWidget {
    Q_OBJECT

public:
    explicit LoudnessPanel(QWidget* parent = nullptr);

    void setLoudness(const core::LoudnessSnapshot& loudness);
    void clear();

    QString integratedText() const;

Q_SIGNALS:
    void resetRequested();

private:
    ReadoutLabel* momentary_;
    ReadoutLabel* shortTerm_;
    ReadoutLabel* integrated_;
    ReadoutLabel* range_;
    ReadoutLabel* truePeak_;
};

}  // namespace liverack::ui
