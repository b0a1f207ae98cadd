#include "ui/AppPaths.h"

#include <QDir>
#include <QStandardPaths>

#include "core/preset/FactoryPresets.h"

namespace liverack::ui {

namespace {

QString appData() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

}  // namespace

QString AppPaths::factoryPresets() {
    return QString::fromStdString(core::FactoryPresets::folder());
}

QString AppPaths::userPresets() {
    return QDir(appData()).filePath("presets");
}

QString AppPaths::sessionFile() {
    return QDir(appData()).filePath("session.json");
}

}  // namespace liverack::ui
