// The meters dock: input (pre-chain) and output (post-chain) level meters side by side, and the
// output's loudness readouts beside them.
#pragma once

#include <QWidget>

#include "core/analysis/AnalysisSnapshots.h"

namespace liverack::ui {

class LevelMeter;
class LoudnessPanel;

class MetersView : public QWidget {
    Q_OBJECT

public:
    explicit MetersView(QWidget* parent = nullptr);

    LevelMeter& inputMeter() noexcept { return *input_; }
    LevelMeter& outputMeter() noexcept { return *output_; }
    LoudnessPanel& loudness() noexcept { return *loudness_; }
    void clear();

private:
    LevelMeter* input_;
    LevelMeter* output_;
    LoudnessPanel* loudness_;
};

}  // namespace liverack::ui
