// Equal temperament: note = 69 + 12 log2(hz / A4), rounded; the remainder times 100 is the cents.
#include "core/analysis/NoteName.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace liverack::core {

NoteReading NoteName::fromHz(double hz, double referenceA4Hz) noexcept {
    NoteReading reading;
    const double reference =
        std::clamp(referenceA4Hz, double(kMinReferenceA4), double(kMaxReferenceA4));
    if (!(hz > 0.0) || !std::isfinite(hz)) {
        return reading;
    }
    const double semitones = 69.0 + 12.0 * std::log2(hz / reference);
    // floor(x + 0.5) so that exactly +50 cents belongs to the note above: cents stay in [-50, 50).
    const double nearest = std::floor(semitones + 0.5);
    reading.midiNote = static_cast<int>(std::clamp(nearest, -1000.0, 1000.0));
    reading.cents = static_cast<float>((semitones - nearest) * 100.0);
    reading.name = nameOf(reading.midiNote);
    return reading;
}

std::array<char, 8> NoteName::nameOf(int midiNote) noexcept {
    static constexpr const char* kNames[12] = {"C",  "C#", "D",  "D#", "E",  "F",
                                               "F#", "G",  "G#", "A",  "A#", "B"};
    std::array<char, 8> name{};
    const int pitchClass = ((midiNote % 12) + 12) % 12;
    // Octave numbers change at C; floor division keeps notes below MIDI 0 right (C-1 = 0).
    const int octave = (midiNote - pitchClass) / 12 - 1;
    std::snprintf(name.data(), name.size(), "%s%d", kNames[pitchClass],
                  std::clamp(octave, -99, 99));
    return name;
}

}  // namespace liverack::core
