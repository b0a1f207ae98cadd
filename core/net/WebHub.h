// The web monitor's shared state on its server thread: the open WebSocket sessions, who listens to
// what, the listen encoders, the latest snapshot. Every member function runs on the server thread
// (the io_context's), except attach/detach, which any thread may call: they take the one lock,
// which the server thread holds only while it reads the sources. The audio thread never meets it.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/dsp/AudioBuffer.h"
#include "core/engine/SampleTaps.h"
#include "core/net/ListenEncoder.h"
#include "core/net/MonitorJson.h"
#include "core/net/WebConnection.h"
#include "core/net/WebServerOptions.h"

namespace liverack::core {

class ChainControl;
class WebSocketSession;

struct WebStaticFile {
    std::string contentType;
    std::string body;
};

class WebHub {
public:
    // More HTTP connections than this at once are closed at accept (WebSockets count apart).
    static constexpr size_t kMaxHttpConnections = 128;
    static constexpr size_t kAudioChunkFrames = 1024;

    WebHub(WebServerOptions options, std::string token, ChainControl* chain,
           std::map<std::string, WebStaticFile> files);
    ~WebHub();

    // Any thread.
    void attach(WebSources sources);
    void detach();
    WebClientCounts counts() const noexcept;

    // Server thread.
    const WebServerOptions& options() const noexcept { return options_; }
    ChainControl* chain() const noexcept { return chain_; }
    const std::string& token() const noexcept { return token_; }
    // The token, compared in constant time (its length is not secret).
    bool tokenMatches(std::string_view candidate) const noexcept;
    const WebStaticFile* file(const std::string& path) const;
    // The latest snapshot as /api/snapshot answers it; nullopt before the first measurement.
    std::optional<std::string> snapshotJson();
    std::string helloJson(bool authorized) const;

    // Every connection, HTTP or WebSocket, from its start to its end: closeAll() reaches them.
    void track(WebConnection* connection);
    void untrack(WebConnection* connection);
    bool admitHttp() noexcept;  // false when full
    void leaveHttp() noexcept;
    bool admit(WebSocketSession* session);  // false when maxClients are open
    void leave(WebSocketSession* session);
    // The listen message (JSON) on success, a sentence otherwise.
    Result<std::string> listen(WebSocketSession* session, Tap tap, ListenCodec codec);
    void stopListening(WebSocketSession* session);

    void tickSnapshots();  // ~60 Hz: the newest snapshot to every session, if there is one
    void tickAudio();      // every few ms: the listen rings drained, encoded, fanned out
    void closeAll();       // shutdown: every connection closed

private:
    struct Listening {
        Tap tap;
        ListenCodec codec;
    };
    std::string buildSnapshotLocked(std::string_view typeField);
    void applyListenTapsLocked();
    void endListeningIfReattached();
    ListenEncoder* encoderLocked(Tap tap, ListenCodec codec, std::string& error);

    WebServerOptions options_;
    std::string token_;
    ChainControl* chain_;
    std::map<std::string, WebStaticFile> files_;

    mutable std::mutex sourcesMutex_;
    WebSources sources_;
    uint64_t sourcesGeneration_ = 0;  // bumped by attach: encoders are rebuilt for a new stream

    std::vector<WebSocketSession*> sessions_;
    std::map<WebSocketSession*, Listening> listeners_;
    std::map<std::pair<int, int>, std::unique_ptr<ListenEncoder>> encoders_;  // (tap, codec)
    uint64_t encoderGeneration_ = 0;
    uint64_t listenGeneration_ = 0;  // the sources the listeners asked under
    bool listenTapsOn_[2] = {false, false};
    AudioBuffer chunk_;
    std::vector<const float*> chunkPointers_;
    std::vector<std::shared_ptr<const std::string>> messages_;
    MonitorSnapshot latest_{};
    uint64_t lastBroadcastSequence_ = 0;

    std::set<WebConnection*> connections_;
    size_t httpConnections_ = 0;
    std::atomic<size_t> clientCount_{0};
    std::atomic<size_t> listenerCount_{0};
};

}  // namespace liverack::core
