// How the web monitor is served, and what it reads.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "core/analysis/AnalysisSnapshots.h"
#include "core/net/MonitorJson.h"
#include "core/net/WebAddress.h"
#include "core/rt/LatestValue.h"

namespace liverack::core {

class SampleTaps;

struct WebServerOptions {
    static constexpr size_t kDefaultMaxClients = 64;

    // $LIVERACK_WEB_PAGE, else share/liverack/web beside the binary, else the source tree's.
    static std::string installedPageFolder();

    WebAddress address;
    bool control = false;    // --web-control: writes allowed with the token
    std::string pageFolder;  // index.html, monitor.js, monitor.css, listen-worklet.js
    size_t maxClients = kDefaultMaxClients;  // WebSocket connections at once
    // A WebSocket client that answers nothing (not even the server's pings) for this long is gone.
    int idleTimeoutSeconds = 20;
};

// The running stream's parts the server reads, on its own thread. Whoever owns them attaches them
// while they live and detaches them before they go (a stream reopened, the window closing).
struct WebSources {
    LatestValue<MonitorSnapshot>* monitor = nullptr;  // read by the server thread only
    SampleTaps* taps = nullptr;                       // its listen rings
    std::function<WebStreamFacts()> facts;            // called on the server thread
};

}  // namespace liverack::core
