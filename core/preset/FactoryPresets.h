// Where the factory presets shipped with the program are, for the window, `render` and
// `--preset NAME` alike, found relative to the running binary so an unpacked package works too.
#pragma once

#include <string>

namespace liverack::core {

class FactoryPresets {
public:
    // $LIVERACK_FACTORY_PRESETS if set; else <binary's folder>/../share/liverack/presets (an
    // installed or unpacked tree); else the source tree's resources/presets for a build that was
    // never installed. Empty when none exists.
    static std::string folder();
};

}  // namespace liverack::core
