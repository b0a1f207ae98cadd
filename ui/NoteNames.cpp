#include "ui/NoteNames.h"

#include "core/analysis/NoteName.h"

namespace liverack::ui {

NearestNote nearestNote(double hz, double referenceA4Hz) {
    NearestNote note;
    if (!(hz > 0.0) || !(referenceA4Hz > 0.0)) {
        return note;
    }
    // The same naming as the tuner and `analyze`: one definition, in core.
    const core::NoteReading reading = core::NoteName::fromHz(hz, referenceA4Hz);
    note.midiNote = reading.midiNote;
    note.cents = reading.cents;
    note.name = QString::fromLatin1(reading.name.data());
    return note;
}

QString formatFrequency(double hz) {
    if (hz >= 1000.0) {
        return QString("%1 kHz").arg(hz / 1000.0, 0, 'f', hz >= 10000.0 ? 1 : 2);
    }
    return QString("%1 Hz").arg(hz, 0, 'f', hz < 100.0 ? 1 : 0);
}

}  // namespace liverack::ui
