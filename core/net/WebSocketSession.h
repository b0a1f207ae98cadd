// One browser's WebSocket to the monitor (/ws): snapshots out at display rate (only the newest
// waits when the client is slow), listen audio out, small JSON requests in. A client whose queue
// passes kMaxQueuedBytes is stuck or too slow and is dropped, never buffered without bound; one
// that stops answering pings is dropped after WebServerOptions::idleTimeoutSeconds. Runs on the
// server thread only.
#pragma once

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <memory>
#include <string>

#include "core/net/WebConnection.h"

namespace liverack::core {

class WebHub;

class WebSocketSession : public std::enable_shared_from_this<WebSocketSession>,
                         public WebConnection {
public:
    static constexpr size_t kMaxMessageBytes = 4096;        // from the client
    static constexpr size_t kMaxQueuedBytes = 1024 * 1024;  // to the client: ~2.5 s of PCM

    WebSocketSession(boost::beast::tcp_stream&& stream, WebHub& hub);
    ~WebSocketSession();

    // Completes the upgrade the HTTP session read; joins the hub once accepted.
    void start(boost::beast::http::request<boost::beast::http::string_body> request);

    void sendText(std::shared_ptr<const std::string> message);
    void sendSnapshot(
        std::shared_ptr<const std::string> message);  // the newest replaces a waiting one
    void sendAudio(std::shared_ptr<const std::string> message);
    void close() override;

private:
    struct Outgoing {
        std::shared_ptr<const std::string> data;
        bool binary = false;
        bool snapshot = false;
    };
    void enqueue(Outgoing outgoing);
    void writeNext();
    void readNext();
    void handle(const std::string& text);
    void sendError(const std::string& sentence);

    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    WebHub& hub_;
    bool joined_ = false;
    bool closing_ = false;
    bool writing_ = false;
    bool authorized_ = false;
    std::deque<Outgoing> queue_;
    size_t queuedBytes_ = 0;
    boost::beast::flat_buffer readBuffer_;
};

}  // namespace liverack::core
