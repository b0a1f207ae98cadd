#include "core/preset/SessionStore.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/preset/AtomicFile.h"

namespace liverack::core {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// Deeper than any session is written (the chain's parameters sit at depth 5). A limit keeps a
// hostile file from exhausting the stack in nlohmann's recursive dump() and comparisons.
constexpr int kMaxDepth = 32;

struct TooDeep {};

// A session file read and parsed, or why it could not be.
Result<ParsedSession> readSession(const std::string& path) {
    auto bytes = AtomicFile::read(path, Session::kMaxFileBytes, "session");
    if (!bytes) {
        return Error{bytes.error()};
    }
    return SessionStore::parse(*bytes);
}

// When a file was last written, for a person: "2026-11-21 05:03".
std::string modifiedTime(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        return "an unknown time";
    }
    std::tm local{};
    ::localtime_r(&info.st_mtime, &local);
    char text[32];
    return std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M", &local) > 0 ? text
                                                                           : "an unknown time";
}

}  // namespace

SessionStore::SessionStore(std::string path) : path_(std::move(path)) {}

Status SessionStore::save(const Session& session) const {
    std::string text;
    try {
        text =
            session.toJson().dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
            "\n";
    } catch (const std::exception& e) {
        return Error{"cannot save the session: " + std::string(e.what())};
    }
    std::error_code ec;
    const fs::path folder = fs::path(path_).parent_path();
    if (!folder.empty()) {
        fs::create_directories(folder, ec);
        if (ec) {
            return Error{"cannot save the session: cannot create the folder '" + folder.string() +
                         "': " + ec.message()};
        }
    }
    return AtomicFile::write(path_, text, AtomicFile::Backup::Keep, "session");
}

Result<ParsedSession> SessionStore::parse(std::string_view text) {
    if (text.size() > Session::kMaxFileBytes) {
        return Error{"it is larger than " + std::to_string(Session::kMaxFileBytes >> 20) +
                     " MiB, more than a session can be"};
    }
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return Error{"it is empty"};
    }
    Json json;
    try {
        const Json::parser_callback_t limitDepth = [](int depth, Json::parse_event_t, Json&) {
            if (depth > kMaxDepth) {
                throw TooDeep{};
            }
            return true;
        };
        json = Json::parse(text.begin(), text.end(), limitDepth);
    } catch (const TooDeep&) {
        return Error{"it is nested more than " + std::to_string(kMaxDepth) +
                     " levels deep, which no session is"};
    } catch (const Json::parse_error& e) {
        std::string reason = e.what();
        // "[json.exception.parse_error.101] parse error at line 3, column 5: ..." -> after "] "
        if (const auto bracket = reason.find("] "); bracket != std::string::npos) {
            reason = reason.substr(bracket + 2);
        }
        const bool truncated = e.byte >= text.size();
        return Error{"it is not valid JSON (" + reason + ")" +
                     (truncated ? "; it looks cut short" : "")};
    } catch (const std::exception& e) {
        return Error{std::string("it could not be read (") + e.what() + ")"};
    }
    try {
        return Session::fromJson(json);
    } catch (const std::exception& e) {
        return Error{std::string("it could not be read (") + e.what() + ")"};
    }
}

LoadedSession SessionStore::load() const {
    LoadedSession loaded;
    std::error_code ec;
    const bool fileExists = fs::exists(path_, ec);
    const bool backupExists = fs::exists(backupPath(), ec);
    if (!fileExists && !backupExists) {
        return loaded;  // the first run: defaults, and nothing to tell
    }

    std::string fileProblem = "was missing";
    if (fileExists) {
        auto read = readSession(path_);
        if (read) {
            loaded.session = std::move(read->session);
            loaded.warnings = std::move(read->warnings);
            loaded.origin = SessionOrigin::Saved;
            return loaded;
        }
        fileProblem = "was damaged (" + read.error() + ")";
        // Out of the way, kept for inspection: the next save must not turn it into the backup.
        fs::rename(path_, damagedPath(), ec);
    }

    if (backupExists) {
        auto read = readSession(backupPath());
        if (read) {
            loaded.session = std::move(read->session);
            loaded.warnings = std::move(read->warnings);
            loaded.origin = SessionOrigin::Backup;
            loaded.message = "the session file " + fileProblem +
                             "; restored the previous one from " + modifiedTime(backupPath());
            return loaded;
        }
        loaded.message = "the session file " + fileProblem +
                         " and its backup could not be used either (" + read.error() +
                         "); started with the default devices and an empty chain";
        return loaded;
    }
    loaded.message = "the session file " + fileProblem +
                     " and there is no backup; started with the default devices and an empty "
                     "chain";
    return loaded;
}

}  // namespace liverack::core
