#include "core/preset/FactoryPresets.h"

#include "core/util/ShippedFolder.h"

namespace liverack::core {

std::string FactoryPresets::folder() {
#ifdef LIVERACK_SOURCE_PRESET_DIR
    const char* sourceTree = LIVERACK_SOURCE_PRESET_DIR;
#else
    const char* sourceTree = nullptr;
#endif
    return ShippedFolder::find("LIVERACK_FACTORY_PRESETS", "presets", sourceTree);
}

}  // namespace liverack::core
