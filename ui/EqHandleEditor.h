// Shaping the selected eq slot on the spectrum: drag a band's handle for frequency and gain,
// the wheel (or Alt-drag) for Q, double-click a free spot for a new peaking band, right-click
// for its type, slope or off, hover for its values. Every change goes through the parameter
// panel's undo stack as the sliders' do (a drag is one step), into the same parameters (the
// effect smooths them), and the sliders follow.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointF>

#include <memory>
#include <vector>

#include "ui/ParameterEditCommand.h"

namespace liverack::core {
class EffectSlot;
}

namespace liverack::ui {

class ParameterPanel;
class SpectrumView;

class EqHandleEditor : public QObject {
    Q_OBJECT

public:
    // Within this many pixels of a handle the pointer takes it.
    static constexpr double kGrabRadius = 9.0;
    // Pixels of Alt-drag per doubling of Q, and wheel notches per doubling.
    static constexpr double kPixelsPerQOctave = 60.0;
    static constexpr double kNotchesPerQOctave = 6.0;
    static constexpr float kNewBandQ = 1.0f;

    EqHandleEditor(SpectrumView& spectrum, ParameterPanel& panel, QObject* parent = nullptr);

    // The values a handle shows on hover, e.g. "Band 3 · peak · 350 Hz · −3.0 dB · Q 1.20".
    static QString describeBand(const core::EffectSlot& slot, int band);

Q_SIGNALS:
    // A parameter of the shown eq changed from here: the curve and the sliders follow at once.
    void edited();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    std::shared_ptr<core::EffectSlot> eqSlot() const;
    // The band whose handle is under `pos`, or -1 (also when no eq is shown).
    int handleAt(QPointF pos) const;
    void push(const std::vector<ParameterEditCommand::Change>& changes, int gesture,
              const QString& text);
    void drag(QPointF pos, bool changeQ);
    void addBand(QPointF pos);
    void showMenu(int band, QPoint globalPos);
    void hover(QPointF pos);

    SpectrumView& spectrum_;
    ParameterPanel& panel_;
    int dragBand_ = -1;
    int dragGesture_ = 0;
    QPointF dragStart_;
    float dragStartQ_ = 1.0f;
    int wheelBand_ = -1;
    int wheelGesture_ = 0;
    QElapsedTimer sinceWheel_;
};

}  // namespace liverack::ui
