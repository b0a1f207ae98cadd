// Where a folder shipped with the program is (the factory presets, the web monitor's page), found
// relative to the running binary so an unpacked package works too.
#pragma once

#include <string>

namespace liverack::core {

class ShippedFolder {
public:
    // $<environmentVariable> if set; else <binary's folder>/../share/liverack/<name> (an
    // installed or unpacked tree); else `sourceTreeFolder` (a build that was never installed;
    // nullptr for none). Empty when none exists.
    static std::string find(const char* environmentVariable, const char* name,
                            const char* sourceTreeFolder);
};

}  // namespace liverack::core
