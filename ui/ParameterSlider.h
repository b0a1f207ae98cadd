// A horizontal slider over a parameter's normalised travel (0..1 in kSteps steps, so wheel and
// arrow keys move it in fine increments) that asks for the default value on double-click.
#pragma once

#include <QSlider>

namespace liverack::ui {

class ParameterSlider : public QSlider {
    Q_OBJECT

public:
    static constexpr int kSteps = 1000;

    explicit ParameterSlider(QWidget* parent = nullptr);

    double normalisedValue() const { return static_cast<double>(value()) / kSteps; }
    void setNormalisedValue(double normalised);

Q_SIGNALS:
    void resetRequested();

protected:
    void mouseDoubleClickEvent(QMouseEvent* event) override;
};

}  // namespace liverack::ui
