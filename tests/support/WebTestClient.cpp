#include "tests/support/WebTestClient.h"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>
#include <cctype>

namespace liverack::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

}  // namespace

HttpReply httpRequest(uint16_t port, const std::string& method, const std::string& target,
                      const std::string& body, const std::map<std::string, std::string>& headers) {
    HttpReply reply;
    asio::io_context io;
    beast::tcp_stream stream(io);
    beast::error_code error;
    stream.expires_after(std::chrono::seconds(10));
    stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), error);
    if (error) {
        return reply;
    }
    http::request<http::string_body> request{http::string_to_verb(method), target, 11};
    request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    for (const auto& [name, value] : headers) {
        request.set(name, value);
    }
    request.body() = body;
    request.prepare_payload();
    http::write(stream, request, error);
    if (error) {
        return reply;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::read(stream, buffer, parser, error);
    if (error) {
        return reply;
    }
    const auto& response = parser.get();
    reply.status = static_cast<int>(response.result_int());
    reply.body = response.body();
    for (const auto& field : response) {
        reply.headers[lower(std::string(field.name_string()))] = std::string(field.value());
    }
    return reply;
}

std::string rawExchange(uint16_t port, const std::string& bytes) {
    asio::io_context io;
    tcp::socket socket(io);
    beast::error_code error;
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), error);
    if (error) {
        return {};
    }
    asio::write(socket, asio::buffer(bytes), error);
    std::string received;
    beast::tcp_stream stream(std::move(socket));
    stream.expires_after(std::chrono::seconds(5));
    char chunk[4096];
    while (true) {
        const size_t n = stream.read_some(asio::buffer(chunk), error);
        received.append(chunk, n);
        if (error) {
            break;
        }
    }
    return received;
}

WebSocketTestClient::WebSocketTestClient() = default;

WebSocketTestClient::~WebSocketTestClient() {
    abort();
}

bool WebSocketTestClient::connect(uint16_t port, const std::string& origin) {
    ws_ = std::make_unique<beast::websocket::stream<beast::tcp_stream>>(io_);
    beast::error_code error;
    auto& lowest = beast::get_lowest_layer(*ws_);
    lowest.expires_after(std::chrono::seconds(10));
    lowest.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), error);
    if (error) {
        closed_ = true;
        return false;
    }
    if (!origin.empty()) {
        ws_->set_option(beast::websocket::stream_base::decorator(
            [origin](beast::websocket::request_type& request) {
                request.set(http::field::origin, origin);
            }));
    }
    beast::websocket::response_type response;
    ws_->handshake(response, "127.0.0.1:" + std::to_string(port), "/ws", error);
    lowest.expires_never();
    if (error) {
        // Beast keeps the refusal's status to itself: the same upgrade request, asked again as
        // plain HTTP, gets the same answer from the same server state.
        std::map<std::string, std::string> upgrade = {
            {"Connection", "Upgrade"},
            {"Upgrade", "websocket"},
            {"Sec-WebSocket-Version", "13"},
            {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}};
        if (!origin.empty()) {
            upgrade["Origin"] = origin;
        }
        refusedStatus_ = httpRequest(port, "GET", "/ws", {}, upgrade).status;
        closed_ = true;
        return false;
    }
    // The client's side answers pings by itself while a read is pending.
    ws_->set_option(beast::websocket::stream_base::timeout::suggested(beast::role_type::client));
    return true;
}

bool WebSocketTestClient::sendText(const std::string& text) {
    beast::error_code error;
    ws_->text(true);
    ws_->write(asio::buffer(text), error);
    return !error;
}

bool WebSocketTestClient::sendBinary(const std::string& bytes) {
    beast::error_code error;
    ws_->binary(true);
    ws_->write(asio::buffer(bytes), error);
    return !error;
}

std::optional<WebSocketTestClient::Message> WebSocketTestClient::read(
    std::chrono::milliseconds timeout) {
    if (closed_ || !ws_) {
        return std::nullopt;
    }
    if (!reading_) {
        reading_ = true;
        done_ = false;
        ws_->async_read(buffer_, [this](beast::error_code error, size_t) {
            result_ = error;
            done_ = true;
        });
    }
    io_.restart();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done_ && std::chrono::steady_clock::now() < deadline) {
        io_.run_one_until(deadline);
    }
    if (!done_) {
        return std::nullopt;
    }
    reading_ = false;
    if (result_) {
        closed_ = true;
        closeCode_ = ws_->reason().code;
        return std::nullopt;
    }
    Message message{ws_->got_binary(), beast::buffers_to_string(buffer_.data())};
    buffer_.consume(buffer_.size());
    return message;
}

std::optional<WebSocketTestClient::Message> WebSocketTestClient::readUntil(
    const std::string& needle, std::chrono::milliseconds timeout, bool binary) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return std::nullopt;
        }
        auto message = read(left);
        if (!message) {
            return std::nullopt;
        }
        if (binary ? message->binary
                   : (!message->binary && message->data.find(needle) != std::string::npos)) {
            return message;
        }
    }
}

void WebSocketTestClient::abort() {
    if (ws_) {
        beast::error_code ignored;
        beast::get_lowest_layer(*ws_).socket().close(ignored);
        io_.restart();
        io_.poll();  // the pending read completes (aborted) while `this` is alive
        ws_.reset();
    }
    closed_ = true;
}

}  // namespace liverack::test
