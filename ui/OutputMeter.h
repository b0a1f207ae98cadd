// A small horizontal bar showing one value an effect reports (an LV2 plugin's control output:
// gain reduction, pitch error, a level) within its declared range. The bar grows from zero when
// the range spans it (a bipolar value), otherwise from the range's low end.
#pragma once

#include <QWidget>

#include "core/dsp/ParameterInfo.h"

namespace liverack::ui {

class OutputMeter : public QWidget {
    Q_OBJECT

public:
    explicit OutputMeter(const core::ParameterInfo& info, QWidget* parent = nullptr);

    // Schedules a repaint only when the bar would move by a pixel or more.
    void setValue(float value);
    float value() const noexcept { return value_; }
    // Where the bar ends, 0..1 of the travel (the declared range is a hint: values beyond it
    // pin the bar at its end).
    double fraction() const noexcept { return fraction_; }

    QSize sizeHint() const override { return {120, 8}; }
    QSize minimumSizeHint() const override { return {30, 6}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    const core::ParameterInfo info_;
    float value_;
    double fraction_ = 0.0;
    double origin_ = 0.0;
    int paintedPixels_ = -1;
};

}  // namespace liverack::ui
