// Where the window keeps and finds its files: the factory presets shipped with the program, the
// user's presets and the session, in the platform's app-data folder.
#pragma once

#include <QString>

namespace liverack::ui {

class AppPaths {
public:
    // core::FactoryPresets::folder(): the environment, the installed tree, or the source tree.
    static QString factoryPresets();
    // QStandardPaths::AppDataLocation/presets (created by the first save).
    static QString userPresets();
    // QStandardPaths::AppDataLocation/session.json
    static QString sessionFile();
};

}  // namespace liverack::ui
