// libFuzzer target: arbitrary bytes as a session file (SessionStore::parse, which load() uses),
// and every accepted session through its JSON form and back. A crash, a sanitizer report, a
// rejection without a sentence or a session that does not survive saving is a bug.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "core/preset/SessionStore.h"

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
    std::fprintf(stderr, "SessionFuzz: %s\n%s\n", what, detail.c_str());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace liverack::core;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto parsed = SessionStore::parse(text);
    if (!parsed) {
        if (parsed.error().empty()) {
            fail("a rejected session came without a sentence", "");
        }
        return 0;
    }
    const std::string saved = parsed->session.toJson().dump(
        2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    auto again = SessionStore::parse(saved);
    if (!again) {
        fail("a saved session does not load", again.error() + "\n" + saved);
    }
    if (!(again->session == parsed->session)) {
        fail("a saved session loads back different", saved);
    }
    return 0;
}
