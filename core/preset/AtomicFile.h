// Replaces a file's contents so that a crash or a full disk at any moment leaves either the old
// file or the new one, never a mix: temporary file, fsync, rename, with an optional backup.
#pragma once

#include <string>
#include <string_view>

#include "core/util/Result.h"

namespace liverack::core {

class AtomicFile {
public:
    enum class Backup { Keep, None };

    // Writes "<path>.tmp-<pid>" in the same folder, flushes it to disk, keeps the file it
    // replaces as backupPath(path) when asked, then renames it over `path`. On any failure
    // `path` is untouched and the temporary file is removed. `what` names the file in messages
    // ("session", "preset export").
    static Status write(const std::string& path, std::string_view bytes, Backup backup,
                        const std::string& what);

    // The whole file, refusing anything larger than `maxBytes`.
    static Result<std::string> read(const std::string& path, size_t maxBytes,
                                    const std::string& what);

    static std::string backupPath(const std::string& path) { return path + ".bak"; }
};

}  // namespace liverack::core
