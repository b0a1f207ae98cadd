// A plain HTTP and WebSocket client for the web monitor's tests (Boost.Beast's client side, over
// real loopback sockets), with deadlines so a test waits for events, never for a fixed time.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace liverack::test {

struct HttpReply {
    int status = 0;  // 0: no answer (refused, closed, timed out)
    std::string body;
    std::map<std::string, std::string> headers;  // names in lower case
};

// One request on its own connection.
HttpReply httpRequest(uint16_t port, const std::string& method, const std::string& target,
                      const std::string& body = {},
                      const std::map<std::string, std::string>& headers = {});
// Raw bytes to the port; what comes back until the server closes (or 5 s pass).
std::string rawExchange(uint16_t port, const std::string& bytes);

class WebSocketTestClient {
public:
    struct Message {
        bool binary = false;
        std::string data;
    };

    WebSocketTestClient();
    ~WebSocketTestClient();

    // The handshake to /ws; false when refused (refusedStatus() says with which HTTP status).
    bool connect(uint16_t port, const std::string& origin = {});
    int refusedStatus() const noexcept { return refusedStatus_; }
    bool sendText(const std::string& text);
    bool sendBinary(const std::string& bytes);
    // The next message within `timeout`; nullopt on timeout or when the connection ended (then
    // closed() is true and closeCode() says why).
    std::optional<Message> read(std::chrono::milliseconds timeout);
    // Skips messages until one whose text contains `needle` (or binary when needle is empty).
    std::optional<Message> readUntil(const std::string& needle, std::chrono::milliseconds timeout,
                                     bool binary = false);
    bool closed() const noexcept { return closed_; }
    int closeCode() const noexcept { return closeCode_; }
    void abort();  // the socket closed with no handshake, as a vanished client

private:
    boost::asio::io_context io_;
    std::unique_ptr<boost::beast::websocket::stream<boost::beast::tcp_stream>> ws_;
    boost::beast::flat_buffer buffer_;
    bool reading_ = false;
    bool done_ = false;
    boost::beast::error_code result_;
    bool closed_ = false;
    int closeCode_ = 0;
    int refusedStatus_ = 0;
};

}  // namespace liverack::test
