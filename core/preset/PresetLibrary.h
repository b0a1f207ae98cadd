// The presets a person can pick from: the factory set (a read-only folder shipped with the
// program) and their own (a folder the caller chooses), with search, save, rename, delete to a
// trash folder and back, import and export. Every failure is a sentence.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/preset/Preset.h"
#include "core/util/Result.h"

namespace liverack::core {

struct PresetEntry {
    std::string name;  // the preset's "name"; the file's stem when the file cannot be read
    std::string path;
    bool factory = false;
    std::string problem;  // why the file cannot be loaded; empty when it can
    // Debian packages of the LV2 plugins the preset uses that are not installed ("x42-plugins";
    // the plugin's URI where the package is not known). Empty when nothing is missing.
    std::vector<std::string> needs{};
};

// A deleted user preset, as kept in the trash folder until it is restored or emptied.
struct TrashedPreset {
    std::string name;
    std::string path;  // inside the trash folder
};

// What import() made of a file.
struct ImportedPreset {
    PresetEntry entry;
    std::vector<std::string> warnings;  // values the reader clamped or rounded
};

class PresetLibrary {
public:
    static constexpr const char* kTrashFolder = ".trash";
    static constexpr size_t kMaxNameBytes = 120;

    // Neither folder needs to exist yet; the user folder is created by the first save.
    PresetLibrary(std::string factoryFolder, std::string userFolder);

    const std::string& factoryFolder() const { return factoryFolder_; }
    const std::string& userFolder() const { return userFolder_; }

    // Factory presets first, then the user's, each sorted by name (case-insensitively). Read
    // from disk on every call, so files changed behind the library's back show up.
    std::vector<PresetEntry> entries() const;
    // Entries whose name contains `text`, ignoring case; all of them for an empty text.
    std::vector<PresetEntry> search(std::string_view text) const;
    // The user preset of this name if there is one, else the factory one (names ignore case).
    std::optional<PresetEntry> find(std::string_view name) const;

    // Writes the preset under its own name into the user folder, replacing a user preset of
    // that name (its previous file is kept as "<file>.bak"). Refuses a factory preset's name.
    Result<PresetEntry> save(const Preset& preset);
    // Saves under a new name. Refuses a factory preset's name, and a user preset's unless
    // `replaceExisting`.
    Result<PresetEntry> saveAs(const Preset& preset, const std::string& newName,
                               bool replaceExisting = false);
    // Renames a user preset (file and "name" field). Refuses any name already taken.
    Result<PresetEntry> rename(const std::string& oldName, const std::string& newName);
    // Moves a user preset into the trash folder, from which restore() brings it back.
    Result<TrashedPreset> remove(const std::string& name);
    // Puts a trashed preset back; if its name was taken meanwhile, it becomes "Name (2)".
    Result<PresetEntry> restore(const TrashedPreset& trashed);
    // Deleted presets, most recently deleted first.
    std::vector<TrashedPreset> trash() const;
    Status emptyTrash();

    // Validates the file completely (read, check, build the chain) and only then adds it to the
    // user folder; a name already taken becomes "Name (2)", "Name (3)"... Nothing is replaced.
    Result<ImportedPreset> import(const std::string& path);
    // Copies a preset (factory or user) to `path` atomically. Replaces `path` if it exists,
    // keeping the file replaced as "<path>.bak".
    Status exportTo(const std::string& name, const std::string& path) const;

    // The library's rules for names: ASCII case is ignored ("podcast voice" next to "Podcast
    // voice" would only confuse, and on case-insensitive file systems their files would collide).
    static bool sameName(std::string_view a, std::string_view b);
    static bool nameContains(std::string_view name, std::string_view text);

    // The name trimmed of surrounding white space, or a sentence saying why it cannot be a name
    // (empty, control characters, too long, not UTF-8).
    static Result<std::string> checkName(std::string_view name);
    // A file name (without folder or extension) for a preset name: no path separators, no
    // control or reserved characters, no leading dot.
    static std::string fileStemFor(std::string_view name);

private:
    std::vector<PresetEntry> scan(const std::string& folder, bool factory) const;
    std::optional<PresetEntry> findIn(const std::vector<PresetEntry>& entries,
                                      std::string_view name, bool factory) const;
    // `name`, or "name (2)", "name (3)"... whichever no preset has.
    std::string unusedName(const std::string& name) const;
    // A path in the user folder for a new file, not used by any file.
    std::string unusedUserPath(const std::string& name) const;
    Status ensureUserFolder() const;
    Result<PresetEntry> writeUser(Preset preset, const std::string& path);

    std::string factoryFolder_;
    std::string userFolder_;
};

}  // namespace liverack::core
