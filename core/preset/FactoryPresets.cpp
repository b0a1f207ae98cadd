#include "core/preset/FactoryPresets.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace liverack::core {
namespace {

namespace fs = std::filesystem;

bool isFolder(const fs::path& path) {
    std::error_code error;
    return fs::is_directory(path, error);
}

// The running binary's own path (Linux): what a package or an unpacked tree is found from.
fs::path executableFolder() {
    std::error_code error;
    const fs::path self = fs::read_symlink("/proc/self/exe", error);
    return error ? fs::path{} : self.parent_path();
}

}  // namespace

std::string FactoryPresets::folder() {
    if (const char* fromEnvironment = std::getenv("LIVERACK_FACTORY_PRESETS");
        fromEnvironment != nullptr && *fromEnvironment != '\0') {
        return fromEnvironment;
    }
    const fs::path binary = executableFolder();
    if (!binary.empty()) {
        const fs::path installed =
            (binary / ".." / "share" / "liverack" / "presets").lexically_normal();
        if (isFolder(installed)) {
            return installed.string();
        }
    }
#ifdef LIVERACK_SOURCE_PRESET_DIR
    const fs::path sourceTree = LIVERACK_SOURCE_PRESET_DIR;
    if (isFolder(sourceTree)) {
        return sourceTree.string();
    }
#endif
    return {};
}

}  // namespace liverack::core
