// Saves the session atomically with the previous version kept as "<file>.bak", and loads it
// back even from a damaged file: the backup first, then defaults, saying which happened.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/preset/Session.h"
#include "core/util/Result.h"

namespace liverack::core {

enum class SessionOrigin {
    Saved,     // the session file itself
    Backup,    // the file was damaged or missing; the previous version was used
    Defaults,  // nothing usable (or nothing saved yet)
};

struct LoadedSession {
    Session session;
    SessionOrigin origin = SessionOrigin::Defaults;
    // For the person, when something was not as saved: "the session file was damaged; restored
    // the previous one from 2026-11-21 05:03". Empty when the session loaded as saved, and on
    // the very first run.
    std::string message;
    std::vector<std::string> warnings;  // parts of the session that fell back to defaults
};

class SessionStore {
public:
    explicit SessionStore(std::string path);

    const std::string& path() const { return path_; }
    std::string backupPath() const { return path_ + ".bak"; }
    // Where a damaged session file is moved, so that the next save does not make it the
    // backup and lose the good one.
    std::string damagedPath() const { return path_ + ".damaged"; }

    // Temporary file, fsync, rename; the file replaced becomes backupPath(). Creates the folder.
    Status save(const Session& session) const;
    // Never fails: falls back to the backup, then to defaults.
    LoadedSession load() const;

    // A session file's text, or why it is damaged ("it is not valid JSON (...)").
    static Result<ParsedSession> parse(std::string_view text);

private:
    std::string path_;
};

}  // namespace liverack::core
