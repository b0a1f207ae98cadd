// Shaping an eq on the spectrum with synthesised mouse events: a dragged handle takes the
// frequency and gain under the pointer (within one pixel's worth), the sliders follow, the drag
// is one undo step that puts both back; Alt-drag and the wheel change Q; a double-click on a
// free spot adds a peaking band there; the right-click menu switches a band off. The audio of a
// drag's change moves smoothly (the effect's own smoothing): no sample steps further than a
// sine's steepest slope allows.
#include <QApplication>
#include <QDoubleSpinBox>
#include <QMenu>
#include <QMouseEvent>
#include <QTest>
#include <QTimer>
#include <QUndoStack>
#include <QWheelEvent>

#include <cmath>
#include <memory>
#include <numbers>
#include <vector>

#include "core/dsp/EffectFactory.h"
#include "core/dsp/EffectSlot.h"
#include "core/dsp/effects/EqEffect.h"
#include "ui/EqHandleEditor.h"
#include "ui/EqOverlayFeed.h"
#include "ui/ParameterPanel.h"
#include "ui/SpectrumView.h"

using namespace liverack;
using core::EqEffect;

namespace {

constexpr double kRate = 48000.0;

size_t at(int band, EqEffect::BandParam param) {
    return EqEffect::parameterIndex(band, param);
}

void send(QWidget& target, QEvent::Type type, QPointF pos, Qt::MouseButton button,
          Qt::MouseButtons buttons, Qt::KeyboardModifiers modifiers = Qt::NoModifier) {
    QMouseEvent event(type, pos, target.mapToGlobal(pos), button, buttons, modifiers);
    QApplication::sendEvent(&target, &event);
}

// Press on `from`, move in steps to `to`, release: as a hand would.
void dragFromTo(QWidget& plot, QPointF from, QPointF to, Qt::KeyboardModifiers modifiers = {}) {
    send(plot, QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton, modifiers);
    for (int i = 1; i <= 10; ++i) {
        send(plot, QEvent::MouseMove, from + (to - from) * (i / 10.0), Qt::NoButton, Qt::LeftButton,
             modifiers);
    }
    send(plot, QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton, modifiers);
}

struct Rig {
    ui::SpectrumView spectrum;
    ui::ParameterPanel panel;
    QUndoStack undo;
    ui::EqOverlayFeed feed{spectrum};
    std::shared_ptr<core::EffectSlot> eq =
        std::make_shared<core::EffectSlot>(core::EffectFactory::create("eq"));
    ui::EqHandleEditor editor{spectrum, panel};

    Rig() {
        auto& p = eq->effect().parameters();
        p.set(at(2, EqEffect::kType), static_cast<float>(EqEffect::BandType::Peak));
        p.set(at(2, EqEffect::kFrequencyHz), 1000.0f);
        p.set(at(2, EqEffect::kGainDb), 6.0f);
        panel.setUndoStack(&undo);
        panel.setSlot(eq);
        const auto show = [this] {
            feed.invalidate();
            feed.refresh(eq.get(), kRate);
            panel.refresh();
        };
        QObject::connect(&editor, &ui::EqHandleEditor::edited, show);
        QObject::connect(&undo, &QUndoStack::indexChanged, show);
        spectrum.resize(1000, 560);
        spectrum.show();
        feed.refresh(eq.get(), kRate);
        spectrum.plot().replot();  // lays the axes out: pixels mean frequencies from here
    }
    ~Rig() {
        // The stack announces its clearing as it goes; nobody is left to show it.
        QObject::disconnect(&undo, nullptr, nullptr, nullptr);
        panel.setUndoStack(nullptr);
    }
    QCustomPlot& plot() { return spectrum.plot(); }
    float get(int band, EqEffect::BandParam param) const {
        return eq->effect().parameters().get(at(band, param));
    }
    QPointF handleOf(int band) {
        return {plot().xAxis->coordToPixel(get(band, EqEffect::kFrequencyHz)),
                plot().yAxis2->coordToPixel(get(band, EqEffect::kGainDb))};
    }
    // What one pixel is worth at `pos`, in Hz and in dB.
    double hzPerPixel(QPointF pos) {
        return std::abs(plot().xAxis->pixelToCoord(pos.x() + 1) -
                        plot().xAxis->pixelToCoord(pos.x()));
    }
    double dbPerPixel() {
        return std::abs(plot().yAxis2->pixelToCoord(1) - plot().yAxis2->pixelToCoord(0));
    }
};

}  // namespace

class EqHandleEditorTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void draggingAHandleSetsFrequencyAndGainUnderThePointerAndUndoPutsThemBack() {
        Rig rig;
        QVERIFY(QTest::qWaitForWindowExposed(&rig.spectrum));
        const QPointF from = rig.handleOf(2);
        QCOMPARE(rig.spectrum.eqHandleAt(from, ui::EqHandleEditor::kGrabRadius), 2);
        const QPointF to = from + QPointF(140.0, -70.0);
        const double wantHz = rig.plot().xAxis->pixelToCoord(to.x());
        const double wantDb = rig.plot().yAxis2->pixelToCoord(to.y());
        dragFromTo(rig.plot(), from, to);
        QVERIFY2(
            std::abs(rig.get(2, EqEffect::kFrequencyHz) - wantHz) <= rig.hzPerPixel(to),
            qPrintable(
                QString("%1 Hz, wanted %2").arg(rig.get(2, EqEffect::kFrequencyHz)).arg(wantHz)));
        QVERIFY(std::abs(rig.get(2, EqEffect::kGainDb) - wantDb) <= rig.dbPerPixel());
        QVERIFY(wantHz > 1500.0 && wantDb > 9.0);  // it really moved
        // The handle follows the pointer, and so do the sliders.
        QVERIFY(std::hypot(rig.handleOf(2).x() - to.x(), rig.handleOf(2).y() - to.y()) <= 1.0);
        QCOMPARE(rig.spectrum.eqHandleAt(to, 2.0), 2);
        QVERIFY(std::abs(rig.panel.spinBoxFor(at(2, EqEffect::kGainDb))->value() - wantDb) < 0.06);
        // Eleven moves, one step.
        QCOMPARE(rig.undo.count(), 1);
        rig.undo.undo();
        QCOMPARE(rig.get(2, EqEffect::kFrequencyHz), 1000.0f);
        QCOMPARE(rig.get(2, EqEffect::kGainDb), 6.0f);
        QCOMPARE(rig.panel.spinBoxFor(at(2, EqEffect::kGainDb))->value(), 6.0);
        rig.undo.redo();
        QVERIFY(std::abs(rig.get(2, EqEffect::kGainDb) - wantDb) <= rig.dbPerPixel());
        // Away from every handle a press does nothing to the eq.
        dragFromTo(rig.plot(), from + QPointF(0, 150), from + QPointF(60, 150));
        QCOMPARE(rig.undo.count(), 1);
    }

    void altDragAndTheWheelChangeQ() {
        Rig rig;
        QVERIFY(QTest::qWaitForWindowExposed(&rig.spectrum));
        const float q0 = rig.get(2, EqEffect::kQ);
        const QPointF handle = rig.handleOf(2);
        // One Q octave per kPixelsPerQOctave pixels upwards; frequency and gain stay.
        dragFromTo(rig.plot(), handle, handle - QPointF(0, ui::EqHandleEditor::kPixelsPerQOctave),
                   Qt::AltModifier);
        QVERIFY(std::abs(rig.get(2, EqEffect::kQ) - 2.0f * q0) < 1e-3f * q0);
        QCOMPARE(rig.get(2, EqEffect::kFrequencyHz), 1000.0f);
        QCOMPARE(rig.get(2, EqEffect::kGainDb), 6.0f);
        // kNotchesPerQOctave notches down halve it again, as one undo step.
        const int steps = rig.undo.count();
        for (int i = 0; i < int(ui::EqHandleEditor::kNotchesPerQOctave); ++i) {
            QWheelEvent wheel(handle, rig.plot().mapToGlobal(handle), QPoint(), QPoint(0, -120),
                              Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
            QApplication::sendEvent(&rig.plot(), &wheel);
        }
        QVERIFY(std::abs(rig.get(2, EqEffect::kQ) - q0) < 1e-3f * q0);
        QCOMPARE(rig.undo.count(), steps + 1);
    }

    void doubleClickAddsAPeakingBandAndTheMenuSwitchesItOff() {
        Rig rig;
        QVERIFY(QTest::qWaitForWindowExposed(&rig.spectrum));
        const QPointF spot(rig.plot().xAxis->coordToPixel(200.0),
                           rig.plot().yAxis2->coordToPixel(-9.0));
        QCOMPARE(rig.spectrum.eqHandleAt(spot, ui::EqHandleEditor::kGrabRadius), -1);
        send(rig.plot(), QEvent::MouseButtonDblClick, spot, Qt::LeftButton, Qt::LeftButton);
        // Band 1 (index 0) was the first one off.
        QCOMPARE(static_cast<EqEffect::BandType>(
                     rig.eq->effect().parameters().getChoice(at(0, EqEffect::kType))),
                 EqEffect::BandType::Peak);
        QVERIFY(std::abs(rig.get(0, EqEffect::kFrequencyHz) - 200.0) <= rig.hzPerPixel(spot));
        QVERIFY(std::abs(rig.get(0, EqEffect::kGainDb) + 9.0) <= rig.dbPerPixel());
        QCOMPARE(rig.spectrum.eqOverlay().handleBand.size(), size_t(2));
        QVERIFY(rig.spectrum.eqHandleAt(spot, ui::EqHandleEditor::kGrabRadius) == 0);
        // Hovering shows its values.
        send(rig.plot(), QEvent::MouseMove, spot, Qt::NoButton, Qt::NoButton);
        QVERIFY2(rig.spectrum.hoverText().startsWith("Band 1 · peak · 200 Hz"),
                 qPrintable(rig.spectrum.hoverText()));
        // Leaving the plot takes the readout with it.
        QEvent leave(QEvent::Leave);
        QApplication::sendEvent(&rig.plot(), &leave);
        QVERIFY(rig.spectrum.hoverText().isEmpty());
        // Right-click, "Off": the menu is modal, so it is answered from the event loop.
        QTimer::singleShot(0, [] {
            auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
            QVERIFY(menu != nullptr);
            for (QAction* action : menu->actions()) {
                if (action->text() == "Off") {
                    action->trigger();
                }
            }
            menu->close();
        });
        send(rig.plot(), QEvent::MouseButtonPress, spot, Qt::RightButton, Qt::RightButton);
        QCOMPARE(static_cast<EqEffect::BandType>(
                     rig.eq->effect().parameters().getChoice(at(0, EqEffect::kType))),
                 EqEffect::BandType::Off);
        QCOMPARE(rig.spectrum.eqOverlay().handleBand.size(), size_t(1));
        rig.undo.undo();  // back on
        QCOMPARE(rig.spectrum.eqOverlay().handleBand.size(), size_t(2));
    }

    void aDraggedChangeReachesTheAudioWithoutAStep() {
        // A 1 kHz cosine through the eq while its 1 kHz band is dragged from +6 to +12 dB
        // between two blocks, at a crest of the wave: the output's steepest sample-to-sample
        // change stays what a sine of the larger amplitude allows (2 pi f A / fs), plus 10 %.
        Rig rig;
        QVERIFY(QTest::qWaitForWindowExposed(&rig.spectrum));
        core::Effect& eq = rig.eq->effect();
        eq.prepare({kRate, 96, 1});
        eq.reset();
        constexpr uint32_t kBlock = 96;  // two periods: every block starts on a crest
        std::vector<float> out;
        std::vector<float> block(kBlock);
        uint64_t n = 0;
        const auto run = [&](int blocks) {
            for (int b = 0; b < blocks; ++b) {
                for (float& s : block) {
                    s = 0.1f * static_cast<float>(
                                   std::cos(2.0 * std::numbers::pi * 1000.0 * double(n++) / kRate));
                }
                float* channels[] = {block.data()};
                eq.process(core::AudioBlock(channels, 1, kBlock));
                out.insert(out.end(), block.begin(), block.end());
            }
        };
        run(100);  // settled at +6 dB
        const QPointF from = rig.handleOf(2);
        const QPointF to(from.x(), rig.plot().yAxis2->coordToPixel(12.0));
        dragFromTo(rig.plot(), from, to);
        QVERIFY(std::abs(rig.get(2, EqEffect::kGainDb) - 12.0) <= rig.dbPerPixel());
        run(100);
        float steepest = 0.0f;
        float loudest = 0.0f;
        for (size_t i = 1; i < out.size(); ++i) {
            steepest = std::max(steepest, std::abs(out[i] - out[i - 1]));
            loudest = std::max(loudest, std::abs(out[i]));
        }
        const double allowed = 1.1 * 2.0 * std::numbers::pi * 1000.0 / kRate * loudest;
        QVERIFY2(steepest <= allowed, qPrintable(QString("%1 > %2").arg(steepest).arg(allowed)));
        QVERIFY(loudest > 0.1f * std::pow(10.0f, 11.5f / 20.0f));  // the +12 dB arrived
    }
};

QTEST_MAIN(EqHandleEditorTest)
#include "EqHandleEditorTest.moc"
