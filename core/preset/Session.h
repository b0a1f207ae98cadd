// What the program restores on start: the devices, the chain, the autoload rules and the
// window's own view settings (opaque to core). Plain data plus its JSON form; SessionStore
// saves and loads it.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/engine/StreamConfig.h"
#include "core/preset/AutoloadRules.h"
#include "core/preset/Preset.h"
#include "core/util/Result.h"

namespace liverack::core {

struct Session;

// A session read from JSON, with the parts that had to fall back to defaults.
struct ParsedSession;

struct Session {
    static constexpr const char* kFormat = "liverack-session";
    static constexpr int kVersion = 1;
    static constexpr size_t kMaxFileBytes = 4u << 20;  // a full chain is at most 1 MiB

    // api, inputDevice, outputDevice, sampleRate, blockFrames, channels and source are kept;
    // the rest are per-run choices.
    StreamConfig devices;
    // The virtual microphone for other programs (kept with the devices in the file); an empty
    // name is the default one.
    bool virtualMicrophone = false;
    std::string virtualMicrophoneName;
    Preset chain;
    AutoloadRules autoload;
    // The window's layout and view choices, saved and restored without core looking inside.
    std::map<std::string, std::string> view;

    nlohmann::ordered_json toJson() const;
    // Errors (the file is not a session at all: not an object, foreign "format", newer
    // "version") mean no session. A part that is wrong (a device field of the wrong type, a
    // chain that does not validate) falls back to its default and becomes a warning.
    static Result<ParsedSession> fromJson(const nlohmann::json& json);

    friend bool operator==(const Session& a, const Session& b);
};

struct ParsedSession {
    Session session;
    std::vector<std::string> warnings;
};

}  // namespace liverack::core
