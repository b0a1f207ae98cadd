#include "ui/ParameterSlider.h"

#include <QMouseEvent>

#include <cmath>

namespace liverack::ui {

ParameterSlider::ParameterSlider(QWidget* parent) : QSlider(Qt::Horizontal, parent) {
    setRange(0, kSteps);
    setSingleStep(1);  // arrow keys and wheel: 0.1 % of the travel per step
    setPageStep(kSteps / 20);
    setFocusPolicy(Qt::StrongFocus);
    setToolTip(tr("Drag, scroll or use the arrow keys; double-click for the default"));
}

void ParameterSlider::setNormalisedValue(double normalised) {
    setValue(static_cast<int>(std::lround(normalised * kSteps)));
}

void ParameterSlider::mouseDoubleClickEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        Q_EMIT resetRequested();
        event->accept();
        return;
    }
    QSlider::mouseDoubleClickEvent(event);
}

}  // namespace liverack::ui
