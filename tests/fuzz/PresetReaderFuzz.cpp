// libFuzzer target: arbitrary bytes through the path a preset file takes in the app (read,
// validate, build the chain), and every accepted preset through the writer and back.
// Anything other than a clean result or a sentence is a bug: a crash, a sanitizer report, a
// preset the writer refuses, or one that does not read back as itself.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "core/preset/PresetLoader.h"
#include "core/preset/PresetReader.h"
#include "core/preset/PresetWriter.h"

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
    std::fprintf(stderr, "PresetReaderFuzz: %s\n%s\n", what, detail.c_str());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace liverack::core;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto read = PresetReader::readText(text, "fuzz.json");
    if (!read) {
        if (read.error().empty()) {
            fail("a rejected preset came without a sentence", "");
        }
        return 0;
    }
    auto chain = PresetLoader::buildChain(read->preset);
    if (!chain) {
        fail("a preset that validated could not be built", chain.error());
    }
    // Saving what was loaded must give a file that loads as the very same preset.
    auto json = PresetWriter::toJson(read->preset);
    if (!json) {
        fail("the writer refused a preset the reader accepted", json.error());
    }
    auto again = PresetReader::readText(*json, "fuzz-rewritten.json");
    if (!again) {
        fail("a written preset does not read back", again.error() + "\n" + *json);
    }
    if (!(again->preset == read->preset) || !again->warnings.empty()) {
        fail("a written preset reads back different", *json);
    }
    return 0;
}
