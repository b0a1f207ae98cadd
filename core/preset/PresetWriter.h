// Writes presets as version-1 JSON (DESIGN.md): parameters by id in the effect's own order,
// choices by name, switches as JSON booleans, numbers in the shortest text that reads back as the
// very same float. Saving is atomic and keeps the previous file as "<file>.bak".
#pragma once

#include <string>

#include "core/preset/AtomicFile.h"
#include "core/preset/Preset.h"
#include "core/util/Result.h"

namespace liverack::core {

class PresetWriter {
public:
    // Fails only for a preset that no reader would accept (unknown effect type or parameter id,
    // a choice index out of range).
    static Result<std::string> toJson(const Preset& preset);

    // Writes "<path>.tmp-<pid>-<n>" in the same folder, flushes it to disk, keeps the file it
    // replaces as backupPath(path), then renames it over `path`. On any failure `path` is untouched
    // and the temporary file is removed.
    static Status save(const Preset& preset, const std::string& path);

    static std::string backupPath(const std::string& path) { return AtomicFile::backupPath(path); }
};

}  // namespace liverack::core
