// The tuner tells in tune from out of tune at a glance: a note within the in-tune zone is drawn
// green, one outside it is not; low confidence dims the readout; the A4 reference is adjustable.
#include <QImage>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

#include <cmath>
#include <cstring>

#include "ui/TunerView.h"

using namespace liverack;

namespace {

core::PitchSnapshot note(float cents, float confidence) {
    core::PitchSnapshot p{};
    p.sequence = 1;
    p.voiced = true;
    p.hz = 440.0f * std::pow(2.0f, cents / 1200.0f);
    p.confidence = confidence;
    p.midiNote = 69;
    p.cents = cents;
    p.referenceA4Hz = 440.0f;
    std::strcpy(p.noteName.data(), "A4");
    return p;
}

// The note name sits in the middle band of the view, below the scale and its pointer.
struct NoteArea {
    int greenPixels = 0;
    double brightest = 0.0;
};

NoteArea noteArea(ui::TunerView& view) {
    const QImage image = view.grab().toImage();
    NoteArea area;
    for (int y = image.height() * 30 / 100; y < image.height() * 58 / 100; ++y) {
        for (int x = image.width() / 4; x < image.width() * 3 / 4; ++x) {
            const QColor c(image.pixel(x, y));
            area.brightest =
                std::max(area.brightest, 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue());
            if (c.green() > 150 && c.green() > c.red() + 60 && c.green() > c.blue() + 40) {
                ++area.greenPixels;
            }
        }
    }
    return area;
}

}  // namespace

class TunerViewTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void noteInsideInTuneZoneIsGreenAndOutsideIsNot() {
        ui::TunerView view;
        view.resize(300, 260);
        view.setPitch(note(2.0f, 1.0f));
        const NoteArea inTune = noteArea(view);
        view.setPitch(note(20.0f, 1.0f));
        const NoteArea outOfTune = noteArea(view);
        QVERIFY2(inTune.greenPixels > 200, qPrintable(QString::number(inTune.greenPixels)));
        QCOMPARE(outOfTune.greenPixels, 0);
        QVERIFY(outOfTune.brightest > 150.0);  // the note is still drawn, just not green
    }

    void lowConfidenceDimsTheReadout() {
        ui::TunerView view;
        view.resize(300, 260);
        view.setPitch(note(20.0f, 1.0f));
        const double confident = noteArea(view).brightest;
        view.setPitch(note(20.0f, 0.1f));
        const double doubtful = noteArea(view).brightest;
        QVERIFY2(doubtful < 0.7 * confident,
                 qPrintable(QString("%1 vs %2").arg(doubtful).arg(confident)));
    }

    void referenceSpinBoxAnnouncesNewA4() {
        ui::TunerView view;
        QSignalSpy changed(&view, &ui::TunerView::referenceA4Changed);
        view.findChild<QSpinBox*>()->setValue(432);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toFloat(), 432.0f);
        QCOMPARE(view.referenceA4(), 432.0f);
    }
};

QTEST_MAIN(TunerViewTest)
#include "TunerViewTest.moc"
