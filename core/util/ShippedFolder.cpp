#include "core/util/ShippedFolder.h"

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

std::string ShippedFolder::find(const char* environmentVariable, const char* name,
                                const char* sourceTreeFolder) {
    if (const char* fromEnvironment = std::getenv(environmentVariable);
        fromEnvironment != nullptr && *fromEnvironment != '\0') {
        return fromEnvironment;
    }
    const fs::path binary = executableFolder();
    if (!binary.empty()) {
        const fs::path installed = (binary / ".." / "share" / "liverack" / name).lexically_normal();
        if (isFolder(installed)) {
            return installed.string();
        }
    }
    if (sourceTreeFolder != nullptr && isFolder(sourceTreeFolder)) {
        return sourceTreeFolder;
    }
    return {};
}

}  // namespace liverack::core
