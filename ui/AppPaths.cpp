#include "ui/AppPaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace liverack::ui {

namespace {

QString appData() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

}  // namespace

QString AppPaths::factoryPresets() {
    const QString fromEnvironment = qEnvironmentVariable("LIVERACK_FACTORY_PRESETS");
    if (!fromEnvironment.isEmpty()) {
        return fromEnvironment;
    }
    const QString installed =
        QDir(QCoreApplication::applicationDirPath()).filePath("../share/liverack/presets");
    if (QFileInfo(installed).isDir()) {
        return QDir::cleanPath(installed);
    }
    const QString sourceTree = QStringLiteral(LIVERACK_SOURCE_PRESET_DIR);
    if (QFileInfo(sourceTree).isDir()) {
        return sourceTree;
    }
    return {};
}

QString AppPaths::userPresets() {
    return QDir(appData()).filePath("presets");
}

QString AppPaths::sessionFile() {
    return QDir(appData()).filePath("session.json");
}

}  // namespace liverack::ui
