// Names a frequency as the nearest equal-tempered note and its offset in cents, for a chosen A4.
#pragma once

#include <array>
#include <string>

namespace liverack::core {

struct NoteReading {
    int midiNote = 69;           // 69 = A4
    float cents = 0.0f;          // from midiNote, in [-50, +50)
    std::array<char, 8> name{};  // "A4", "C#3", NUL-terminated
};

class NoteName {
public:
    static constexpr float kMinReferenceA4 = 400.0f;
    static constexpr float kMaxReferenceA4 = 480.0f;

    // hz must be positive; referenceA4Hz is clamped to 400..480.
    static NoteReading fromHz(double hz, double referenceA4Hz = 440.0) noexcept;
    // "C#3" for MIDI note 49 (middle C = C4 = 60; sharps, no flats).
    static std::array<char, 8> nameOf(int midiNote) noexcept;
    static std::string toString(const std::array<char, 8>& name) {
        return std::string(name.data());
    }
};

}  // namespace liverack::core
