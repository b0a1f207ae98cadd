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
    // Everything the dial shows, at the precision it shows it: a new snapshot that looks the same
    // is not painted (a held note, a steady tone, noise without pitch).
    struct Shown {
        bool voiced = false;
        bool anything = false;
        int noteMidi = 0;
        long hzTenths = 0;  // 0.01 Hz below 100 Hz
        long centsTenths = 0;
        long confidencePercent = 0;
        bool operator==(const Shown&) const = default;
    };
    Shown shownNow() const;
    void repaintDial();

    Shown painted_{};
    bool everPainted_ = false;
    core::PitchSnapshot pitch_{};
    core::PitchSnapshot lastVoiced_{};
    bool hasVoiced_ = false;
    QSpinBox* reference_;
};

}  // namespace liverack::ui
