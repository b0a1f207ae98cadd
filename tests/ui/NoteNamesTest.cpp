// Note names against equal temperament: A4 is the reference, 1 kHz is B5 +21.3 cents (DESIGN.md's
// analyze example), octaves change at C.
#include <QTest>

#include <cmath>

#include "ui/NoteNames.h"

using namespace liverack;

class NoteNamesTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void referenceIsA4WithZeroCents() {
        const ui::NearestNote a = ui::nearestNote(440.0);
        QCOMPARE(a.name, QString("A4"));
        QCOMPARE(a.midiNote, 69);
        QVERIFY(std::abs(a.cents) < 1e-9);
        QCOMPARE(ui::nearestNote(432.0, 432.0).name, QString("A4"));
    }

    void oneKilohertzIsB5Plus21Cents() {
        const ui::NearestNote n = ui::nearestNote(1000.0);
        QCOMPARE(n.name, QString("B5"));
        // 1200 * log2(1000 / 987.767) = 21.31 cents
        QVERIFY(std::abs(n.cents - 21.31) < 0.01);
    }

    void octaveNumberChangesAtC() {
        QCOMPARE(ui::nearestNote(261.63).name, QString("C4"));
        QCOMPARE(ui::nearestNote(246.94).name, QString("B3"));
        QCOMPARE(ui::nearestNote(27.5).name, QString("A0"));
        QCOMPARE(ui::nearestNote(277.18).name, QString("C#4"));
    }

    void nonPositiveFrequencyHasNoName() { QVERIFY(ui::nearestNote(0.0).name.isEmpty()); }

    void frequenciesAreWrittenInHzOrKhz() {
        QCOMPARE(ui::formatFrequency(440.0), QString("440 Hz"));
        QCOMPARE(ui::formatFrequency(1250.0), QString("1.25 kHz"));
        QCOMPARE(ui::formatFrequency(12500.0), QString("12.5 kHz"));
    }
};

QTEST_GUILESS_MAIN(NoteNamesTest)
#include "NoteNamesTest.moc"
