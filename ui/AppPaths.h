// Where the window keeps and finds its files: the factory presets shipped with the program, the
// user's presets and the session, in the platform's app-data folder.
#pragma once

#include <QString>

namespace liverack::ui {

class AppPaths {
public:
    // $LIVERACK_FACTORY_PRESETS if set; else the installed folder (<prefix>/share/liverack/presets
    // beside the binary's bin/); else the source tree's resources/presets for a build that was
    // never installed. Empty when none exists.
    static QString factoryPresets();
    // QStandardPaths::AppDataLocation/presets (created by the first save).
    static QString userPresets();
    // QStandardPaths::AppDataLocation/session.json
    static QString sessionFile();
};

}  // namespace liverack::ui
