// The compressor's static curve in its parameter panel: output level against input level
// (-60...0 dBFS), computed by the very function the effect runs (CompressorEffect's
// gainReductionDb) from the slot's live parameters, with the live detector level as a dot on it.
// Repaints only when a parameter or the dot moved enough to show.
#pragma once

#include <QWidget>

#include <memory>
#include <optional>

namespace liverack::core {
class EffectSlot;
}

namespace liverack::ui {

class CompressorCurveView : public QWidget {
    Q_OBJECT

public:
    static constexpr double kMinDb = -60.0;
    static constexpr double kMaxDb = 0.0;

    explicit CompressorCurveView(std::shared_ptr<core::EffectSlot> slot, QWidget* parent = nullptr);

    // Reads the parameters and outputs; schedules a repaint and returns true only if what is
    // drawn changed (by a tenth of a dB or more).
    bool refresh();
    // The curve for the current parameters: output level (dBFS) at an input level.
    double outputDbAt(double inputDb) const;
    // Where the dot is drawn (input dBFS, output dBFS); empty while the input is below the plot.
    std::optional<QPointF> dot() const;

    QSize sizeHint() const override { return {220, 170}; }
    QSize minimumSizeHint() const override { return {160, 120}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    struct Shown {
        int threshold, ratio, knee, makeup, detector, reduction;  // tenths
        bool operator==(const Shown&) const = default;
    };
    Shown read() const;
    QRectF plotRect() const;

    std::shared_ptr<core::EffectSlot> slot_;
    Shown shown_{};
};

}  // namespace liverack::ui
