// The web monitor (--web): an HTTP + WebSocket server (Boost.Beast) on its own thread, serving the
// page in resources/web, /api/snapshot, the chain's controls (--web-control, with the token) and
// the listen audio. It reads what it is attached to (the analysis engine's monitor snapshot, the
// taps' listen rings) and never blocks or touches the audio thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/net/MonitorJson.h"
#include "core/net/WebServerOptions.h"
#include "core/util/Result.h"

namespace liverack::core {

class ChainControl;

class WebServer {
public:
    static constexpr int kSnapshotIntervalMicroseconds = 16'667;  // 60 Hz
    static constexpr int kAudioIntervalMicroseconds = 5'000;

    // Binds the address (a sentence if it is taken or not this machine's) and starts the thread.
    // `chain` (may be nullptr: no chain to show) must outlive the server.
    static Result<std::unique_ptr<WebServer>> start(const WebServerOptions& options,
                                                    ChainControl* chain);
    ~WebServer();  // stops: every connection closed, the thread joined
    WebServer(const WebServer&) = delete;
    WebServer& operator=(const WebServer&) = delete;

    // Any thread. After detach() returns, the server no longer reads the sources.
    void attach(WebSources sources);
    void detach();

    uint16_t port() const noexcept;
    const std::string& token() const noexcept;
    std::string url() const;         // http://ADDR:PORT/
    std::string controlUrl() const;  // with ?token=..., what --web-control prints
    // True when the page files were found (the API works without them).
    bool hasPage() const noexcept;
    WebClientCounts counts() const noexcept;

private:
    struct Impl;
    explicit WebServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace liverack::core
