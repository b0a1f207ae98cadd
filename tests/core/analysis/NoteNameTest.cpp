// NoteName against equal temperament: note = 69 + 12 log2(f / A4), cents the remainder.
#include "core/analysis/NoteName.h"

#include <gtest/gtest.h>

#include <cmath>

namespace liverack::core {
namespace {

TEST(NoteNameTest, ReferenceFrequencyIsA4WithZeroCents) {
    const NoteReading a4 = NoteName::fromHz(440.0);
    EXPECT_EQ(a4.midiNote, 69);
    EXPECT_STREQ(a4.name.data(), "A4");
    EXPECT_NEAR(a4.cents, 0.0, 1e-4);
}

TEST(NoteNameTest, EqualTemperedNotesNameThemselvesAcrossOctaves) {
    struct Case {
        double hz;
        const char* name;
        int midi;
    };
    // f = 440 * 2^((midi - 69) / 12)
    const Case cases[] = {{27.5, "A0", 21},       {261.6255653, "C4", 60}, {138.5913155, "C#3", 49},
                          {1760.0, "A6", 93},     {32.70319566, "C1", 24}, {4186.009045, "C8", 108},
                          {8.175798916, "C-1", 0}};
    for (const auto& c : cases) {
        const NoteReading reading = NoteName::fromHz(c.hz);
        EXPECT_STREQ(reading.name.data(), c.name) << c.hz;
        EXPECT_EQ(reading.midiNote, c.midi) << c.hz;
        EXPECT_NEAR(reading.cents, 0.0, 1e-3) << c.hz;
    }
}

TEST(NoteNameTest, CentsAreTheOffsetFromTheNearestNote) {
    // 1000 Hz: 69 + 12 log2(1000/440) = 83.2131 -> B5 + 21.31 cents (DESIGN.md's example).
    const NoteReading reading = NoteName::fromHz(1000.0);
    EXPECT_STREQ(reading.name.data(), "B5");
    EXPECT_NEAR(reading.cents, 21.31, 0.01);
    // 40 cents below A4 rounds to A4; 60 below to G#4 (+40).
    EXPECT_STREQ(NoteName::fromHz(440.0 * std::pow(2.0, -40.0 / 1200.0)).name.data(), "A4");
    EXPECT_NEAR(NoteName::fromHz(440.0 * std::pow(2.0, -40.0 / 1200.0)).cents, -40.0, 1e-3);
    const NoteReading below = NoteName::fromHz(440.0 * std::pow(2.0, -60.0 / 1200.0));
    EXPECT_STREQ(below.name.data(), "G#4");
    EXPECT_NEAR(below.cents, 40.0, 1e-3);
}

TEST(NoteNameTest, ReferenceA4MovesEveryNote) {
    const NoteReading a = NoteName::fromHz(432.0, 432.0);
    EXPECT_STREQ(a.name.data(), "A4");
    EXPECT_NEAR(a.cents, 0.0, 1e-4);
    // 440 Hz against A4 = 432 Hz: 1200 log2(440/432) = 31.77 cents sharp.
    EXPECT_NEAR(NoteName::fromHz(440.0, 432.0).cents, 31.77, 0.01);
}

TEST(NoteNameTest, ReferenceIsClampedTo400To480Hz) {
    EXPECT_NEAR(NoteName::fromHz(400.0, 100.0).cents, 0.0, 1e-4);
    EXPECT_NEAR(NoteName::fromHz(480.0, 1000.0).cents, 0.0, 1e-4);
}

}  // namespace
}  // namespace liverack::core
