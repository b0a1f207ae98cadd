#include "app/PresetArgument.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include "core/preset/FactoryPresets.h"
#include "core/preset/PresetLibrary.h"

namespace liverack::app {

QString resolvePresetArgument(const QString& value) {
    if (value.isEmpty() || QFileInfo::exists(value)) {
        return value;
    }
    // The same user folder the window's preset browser keeps (ui::AppPaths::userPresets).
    const QString userFolder =
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath("presets");
    const core::PresetLibrary library(core::FactoryPresets::folder(), userFolder.toStdString());
    if (const auto entry = library.find(value.toStdString())) {
        return QString::fromStdString(entry->path);
    }
    return value;
}

}  // namespace liverack::app
