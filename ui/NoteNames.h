// Names of equal-tempered notes for readouts (hover on the spectrum): frequency -> "A4 +3 ¢".
#pragma once

#include <QString>

namespace liverack::ui {

struct NearestNote {
    int midiNote = 0;    // 69 = A4
    double cents = 0.0;  // from that note, -50..+50
    QString name;        // "A4", "C#3"
};

// Invalid (empty name) for frequencies at or below zero.
NearestNote nearestNote(double hz, double referenceA4Hz = 440.0);
// "440 Hz", "1.25 kHz".
QString formatFrequency(double hz);

}  // namespace liverack::ui
