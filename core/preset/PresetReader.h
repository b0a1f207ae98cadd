// Reads a version-1 preset file and validates it completely against the effects' metadata.
// Every problem becomes a sentence naming the file, the place (chain index, effect type,
// parameter id) and what is wrong. Out-of-range numbers are clamped and reported as warnings;
// anything else that is not exactly right is an error, and an error means no preset at all.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/preset/Preset.h"
#include "core/util/Result.h"

namespace liverack::core {

// A preset that passed validation, with what was adjusted on the way (clamped values...).
struct ReadPreset {
    Preset preset;
    std::vector<std::string> warnings;
};

class PresetReader {
public:
    // At most this many errors are listed; the rest are counted.
    static constexpr size_t kMaxListedErrors = 20;

    // On failure error() holds every error found, one sentence per line.
    static Result<ReadPreset> readFile(const std::string& path);
    // `sourceName` stands for the file in messages. Size and UTF-8 are checked as for a file.
    static Result<ReadPreset> readText(std::string_view text, const std::string& sourceName);
};

}  // namespace liverack::core
