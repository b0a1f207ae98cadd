// `liverack --headless` as the network tests run it: a child process on a private JACK server,
// started until it says it streams, stopped with SIGINT for its statistics; and a free UDP port
// for it to use.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/JackServer.h"
#include "tests/support/Subprocess.h"

namespace liverack::test {

// `binary --headless --api jack [--no-autoconnect] arguments...`, waited for (gtest expectations)
// until "streaming on JACK" appears on its stderr.
std::unique_ptr<Subprocess> startHeadlessLiveRack(const std::string& binary,
                                                  const JackServer& server,
                                                  const std::vector<std::string>& arguments,
                                                  bool autoconnect = false);
// SIGINT; expects exit 0 and one JSON object on stdout, which it returns.
nlohmann::json stopHeadlessLiveRack(Subprocess& liverack);
// A loopback UDP port nobody uses now (the system picks it, and it is closed again for the
// caller to take).
unsigned freeUdpPort();

}  // namespace liverack::test
