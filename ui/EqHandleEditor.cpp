#include "ui/EqHandleEditor.h"

#include <QMenu>
#include <QMouseEvent>
#include <QUndoStack>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

#include "core/dsp/EffectSlot.h"
#include "core/dsp/effects/EqEffect.h"
#include "ui/EqOverlayFeed.h"
#include "ui/ParameterPanel.h"
#include "ui/SpectrumView.h"

namespace liverack::ui {

using core::EqEffect;

namespace {

size_t at(int band, EqEffect::BandParam param) {
    return EqEffect::parameterIndex(band, param);
}

QString signedNumber(double value, int decimals) {
    return QString::number(value, 'f', decimals).replace('-', QChar(0x2212));
}

constexpr double kWheelGestureSeconds = 1.0;

}  // namespace

EqHandleEditor::EqHandleEditor(SpectrumView& spectrum, ParameterPanel& panel, QObject* parent)
    : QObject(parent), spectrum_(spectrum), panel_(panel) {
    spectrum_.plot().installEventFilter(this);
    spectrum_.plot().setMouseTracking(true);
}

std::shared_ptr<core::EffectSlot> EqHandleEditor::eqSlot() const {
    const std::shared_ptr<core::EffectSlot>& slot = panel_.sharedSlot();
    if (!slot || !spectrum_.eqOverlayShown() ||
        slot->effect().info().typeId != EqEffect::staticInfo().typeId) {
        return nullptr;
    }
    return slot;
}

QString EqHandleEditor::describeBand(const core::EffectSlot& slot, int band) {
    const core::ParameterSet& p = slot.effect().parameters();
    const core::ParameterInfo& type = p.info(at(band, EqEffect::kType));
    const auto choice = static_cast<size_t>(p.getChoice(at(band, EqEffect::kType)));
    const double hz = p.get(at(band, EqEffect::kFrequencyHz));
    QString text = tr("Band %1 · %2 · %3 Hz")
                       .arg(band + 1)
                       .arg(QString::fromStdString(type.choices.at(choice)))
                       .arg(QString::number(hz, 'f', hz < 100.0 ? 1 : 0));
    const auto kind = static_cast<EqEffect::BandType>(choice);
    if (EqOverlayFeed::hasGain(band, p)) {
        text += tr(" · %1 dB").arg(signedNumber(p.get(at(band, EqEffect::kGainDb)), 1));
    }
    if (kind == EqEffect::BandType::LowPass || kind == EqEffect::BandType::HighPass) {
        text += tr(" · %1 dB/oct").arg(std::lround(p.get(at(band, EqEffect::kSlopeDb))));
    } else {
        text += tr(" · Q %1").arg(p.get(at(band, EqEffect::kQ)), 0, 'f', 2);
    }
    return text;
}

void EqHandleEditor::push(const std::vector<ParameterEditCommand::Change>& changes, int gesture,
                          const QString& text) {
    const std::shared_ptr<core::EffectSlot> slot = eqSlot();
    if (!slot || changes.empty()) {
        return;
    }
    auto* command = new ParameterEditCommand(slot, changes, gesture, text);
    if (QUndoStack* undo = panel_.undoStack()) {
        undo->push(command);  // applies it
    } else {
        command->redo();
        delete command;
    }
    Q_EMIT edited();
}

void EqHandleEditor::drag(QPointF pos, bool changeQ) {
    const std::shared_ptr<core::EffectSlot> slot = eqSlot();
    if (!slot) {
        return;
    }
    const core::ParameterSet& p = slot->effect().parameters();
    const int band = dragBand_;
    std::vector<ParameterEditCommand::Change> changes;
    // (ParameterSet::set keeps every value in its range.)
    const auto change = [&](EqEffect::BandParam param, float value) {
        changes.push_back({at(band, param), p.get(at(band, param)), value});
    };
    if (changeQ) {
        const double octaves = (dragStart_.y() - pos.y()) / kPixelsPerQOctave;
        change(EqEffect::kQ, dragStartQ_ * static_cast<float>(std::exp2(octaves)));
    } else {
        const QCustomPlot& plot = spectrum_.plot();
        change(EqEffect::kFrequencyHz, static_cast<float>(plot.xAxis->pixelToCoord(pos.x())));
        if (EqOverlayFeed::hasGain(band, p)) {
            change(EqEffect::kGainDb, static_cast<float>(plot.yAxis2->pixelToCoord(pos.y())));
        }
    }
    push(changes, dragGesture_, tr("Drag EQ band %1").arg(band + 1));
    spectrum_.setHoverOverride(describeBand(*slot, band));
}

void EqHandleEditor::addBand(QPointF pos) {
    const std::shared_ptr<core::EffectSlot> slot = eqSlot();
    if (!slot) {
        return;
    }
    const core::ParameterSet& p = slot->effect().parameters();
    for (int band = 0; band < EqEffect::kBands; ++band) {
        if (static_cast<EqEffect::BandType>(p.getChoice(at(band, EqEffect::kType))) !=
            EqEffect::BandType::Off) {
            continue;
        }
        const QCustomPlot& plot = spectrum_.plot();
        push({{at(band, EqEffect::kType), p.get(at(band, EqEffect::kType)),
               static_cast<float>(EqEffect::BandType::Peak)},
              {at(band, EqEffect::kFrequencyHz), p.get(at(band, EqEffect::kFrequencyHz)),
               static_cast<float>(plot.xAxis->pixelToCoord(pos.x()))},
              {at(band, EqEffect::kGainDb), p.get(at(band, EqEffect::kGainDb)),
               static_cast<float>(plot.yAxis2->pixelToCoord(pos.y()))},
              {at(band, EqEffect::kQ), p.get(at(band, EqEffect::kQ)), kNewBandQ}},
             panel_.newGesture(), tr("Add EQ band %1").arg(band + 1));
        return;
    }
    spectrum_.setHoverOverride(
        tr("All %1 bands are in use: switch one off first (right-click it)").arg(EqEffect::kBands));
}

void EqHandleEditor::showMenu(int band, QPoint globalPos) {
    const std::shared_ptr<core::EffectSlot> slot = eqSlot();
    if (!slot) {
        return;
    }
    const core::ParameterSet& p = slot->effect().parameters();
    const size_t typeIndex = at(band, EqEffect::kType);
    const core::ParameterInfo& type = p.info(typeIndex);
    const int current = p.getChoice(typeIndex);
    QMenu menu;
    menu.setObjectName(QStringLiteral("eqBandMenu"));
    menu.addSection(tr("Band %1").arg(band + 1));
    for (size_t choice = 1; choice < type.choices.size(); ++choice) {  // "off" goes last
        QAction* action = menu.addAction(QString::fromStdString(type.choices[choice]));
        action->setCheckable(true);
        action->setChecked(static_cast<int>(choice) == current);
        connect(action, &QAction::triggered, this, [this, band, choice, typeIndex, slot] {
            push({{typeIndex, slot->effect().parameters().get(typeIndex),
                   static_cast<float>(choice)}},
                 panel_.newGesture(), tr("EQ band %1 type").arg(band + 1));
        });
    }
    const auto kind = static_cast<EqEffect::BandType>(current);
    if (kind == EqEffect::BandType::LowPass || kind == EqEffect::BandType::HighPass) {
        QMenu* slopes = menu.addMenu(tr("Slope"));
        const size_t slopeIndex = at(band, EqEffect::kSlopeDb);
        for (int db : {12, 24, 36, 48}) {
            QAction* action = slopes->addAction(tr("%1 dB/oct").arg(db));
            action->setCheckable(true);
            action->setChecked(std::lround(p.get(slopeIndex)) == db);
            connect(action, &QAction::triggered, this, [this, band, db, slopeIndex, slot] {
                push({{slopeIndex, slot->effect().parameters().get(slopeIndex), float(db)}},
                     panel_.newGesture(), tr("EQ band %1 slope").arg(band + 1));
            });
        }
    }
    menu.addSeparator();
    QAction* off = menu.addAction(tr("Off"));
    connect(off, &QAction::triggered, this, [this, band, typeIndex, slot] {
        push({{typeIndex, slot->effect().parameters().get(typeIndex), 0.0f}}, panel_.newGesture(),
             tr("Switch EQ band %1 off").arg(band + 1));
    });
    menu.exec(globalPos);
}

int EqHandleEditor::handleAt(QPointF pos) const {
    return eqSlot() ? spectrum_.eqHandleAt(pos, kGrabRadius) : -1;
}

void EqHandleEditor::hover(QPointF pos) {
    const int band = handleAt(pos);
    const std::shared_ptr<core::EffectSlot> slot = eqSlot();
    spectrum_.plot().setCursor(band >= 0 ? Qt::SizeAllCursor : Qt::ArrowCursor);
    spectrum_.setHoverOverride(band >= 0 ? describeBand(*slot, band) : QString());
}

bool EqHandleEditor::eventFilter(QObject* watched, QEvent* event) {
    if (watched != &spectrum_.plot()) {
        return false;
    }
    switch (event->type()) {
        case QEvent::MouseButtonPress: {
            auto* e = static_cast<QMouseEvent*>(event);
            const int band = handleAt(e->position());
            if (band < 0) {
                return false;
            }
            const std::shared_ptr<core::EffectSlot> slot = eqSlot();
            if (e->button() == Qt::RightButton) {
                showMenu(band, e->globalPosition().toPoint());
                return true;
            }
            if (e->button() == Qt::LeftButton) {
                dragBand_ = band;
                dragGesture_ = panel_.newGesture();
                dragStart_ = e->position();
                dragStartQ_ = slot->effect().parameters().get(at(band, EqEffect::kQ));
                return true;
            }
            return false;
        }
        case QEvent::MouseMove: {
            auto* e = static_cast<QMouseEvent*>(event);
            if (dragBand_ >= 0 && (e->buttons() & Qt::LeftButton)) {
                drag(e->position(), e->modifiers() & Qt::AltModifier);
                return true;
            }
            hover(e->position());
            return false;
        }
        case QEvent::MouseButtonRelease:
            if (dragBand_ >= 0 && static_cast<QMouseEvent*>(event)->button() == Qt::LeftButton) {
                dragBand_ = -1;
                return true;
            }
            return false;
        case QEvent::MouseButtonDblClick: {
            auto* e = static_cast<QMouseEvent*>(event);
            if (e->button() != Qt::LeftButton || !eqSlot() || handleAt(e->position()) >= 0 ||
                !spectrum_.plot().axisRect()->rect().contains(e->position().toPoint())) {
                return false;
            }
            addBand(e->position());
            return true;
        }
        case QEvent::Wheel: {
            auto* e = static_cast<QWheelEvent*>(event);
            const int band = handleAt(e->position());
            if (band < 0) {
                return false;
            }
            const std::shared_ptr<core::EffectSlot> slot = eqSlot();
            // Turning the wheel on one handle for a moment is one undo step.
            if (band != wheelBand_ || !sinceWheel_.isValid() ||
                sinceWheel_.elapsed() > kWheelGestureSeconds * 1000) {
                wheelBand_ = band;
                wheelGesture_ = panel_.newGesture();
            }
            sinceWheel_.start();
            const size_t qIndex = at(band, EqEffect::kQ);
            const core::ParameterSet& p = slot->effect().parameters();
            const double notches = e->angleDelta().y() / 120.0;
            const float q =
                p.get(qIndex) * static_cast<float>(std::exp2(notches / kNotchesPerQOctave));
            push({{qIndex, p.get(qIndex), q}}, wheelGesture_, tr("EQ band %1 Q").arg(band + 1));
            spectrum_.setHoverOverride(describeBand(*slot, band));
            return true;
        }
        case QEvent::Leave:
            spectrum_.setHoverOverride({});
            return false;
        default:
            return false;
    }
}

}  // namespace liverack::ui
