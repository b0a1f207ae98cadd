// A tuner readout: the nearest note in large type, a needle from -50 to +50 cents with an in-tune
// zone, the frequency in Hz, confidence shown by dimming, and the A4 reference to tune against.
#pragma once

#include <QWidget>

#include "core/analysis/AnalysisSnapshots.h"

class QSpinBox;

namespace liverack::ui {

class TunerView : public QWidget {
    Q_OBJECT

public:
    static constexpr float kInTuneCents = 5.0f;

    explicit TunerView(QWidget* parent = nullptr);

    void setPitch(const core::PitchSnapshot& pitch);
    void clear();
    float referenceA4() const;
    void setReferenceA4(float hz);

    QSize sizeHint() const override { return {300, 220}; }

Q_SIGNALS:
    void referenceA4Changed(float hz);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    core::PitchSnapshot pitch_{};
    core::PitchSnapshot lastVoiced_{};
    bool hasVoiced_ = false;
    QSpinBox* reference_;
};

}  // namespace liverack::ui
