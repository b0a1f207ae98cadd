#include "ui/NoteNames.h"

#include <cmath>

namespace liverack::ui {

NearestNote nearestNote(double hz, double referenceA4Hz) {
    NearestNote note;
    if (!(hz > 0.0) || !(referenceA4Hz > 0.0)) {
        return note;
    }
    static const char* const kNames[12] = {"C",  "C#", "D",  "D#", "E",  "F",
                                           "F#", "G",  "G#", "A",  "A#", "B"};
    const double semitones = 69.0 + 12.0 * std::log2(hz / referenceA4Hz);
    note.midiNote = static_cast<int>(std::lround(semitones));
    note.cents = 100.0 * (semitones - note.midiNote);
    const int pitchClass = ((note.midiNote % 12) + 12) % 12;
    const int octave = static_cast<int>(std::floor(note.midiNote / 12.0)) - 1;
    note.name = QString("%1%2").arg(kNames[pitchClass]).arg(octave);
    return note;
}

QString formatFrequency(double hz) {
    if (hz >= 1000.0) {
        return QString("%1 kHz").arg(hz / 1000.0, 0, 'f', hz >= 10000.0 ? 1 : 2);
    }
    return QString("%1 Hz").arg(hz, 0, 'f', hz < 100.0 ? 1 : 0);
}

}  // namespace liverack::ui
