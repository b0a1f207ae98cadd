#include "core/net/WebSocketSession.h"

#include <chrono>
#include <nlohmann/json.hpp>

#include "core/net/WebHub.h"

namespace liverack::core {
namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
using Json = nlohmann::json;

}  // namespace

WebSocketSession::WebSocketSession(beast::tcp_stream&& stream, WebHub& hub)
    : ws_(std::move(stream)), hub_(hub) {
    hub_.track(this);
}

WebSocketSession::~WebSocketSession() {
    if (joined_) {
        hub_.leave(this);
    }
    hub_.untrack(this);
}

void WebSocketSession::start(beast::http::request<beast::http::string_body> request) {
    // The WebSocket keeps its own time: a handshake must finish in 10 s, and a client that does
    // not answer pings for the idle timeout is gone.
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout timeout{};
    timeout.handshake_timeout = std::chrono::seconds(10);
    timeout.idle_timeout = std::chrono::seconds(hub_.options().idleTimeoutSeconds);
    timeout.keep_alive_pings = true;
    ws_.set_option(timeout);
    ws_.read_message_max(kMaxMessageBytes);
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
        response.set(beast::http::field::server, "LiveRack");
    }));
    ws_.async_accept(request, [self = shared_from_this()](beast::error_code error) {
        if (error) {
            return;
        }
        self->joined_ = true;
        if (!self->hub_.admit(self.get())) {
            // Full since the HTTP session looked: say so, then close.
            self->joined_ = false;
            self->ws_.async_close({websocket::close_code::try_again_later,
                                   "LiveRack's web monitor is serving its maximum of clients"},
                                  [self](beast::error_code) {});
            return;
        }
        self->sendText(std::make_shared<const std::string>(self->hub_.helloJson(false)));
        self->readNext();
    });
}

void WebSocketSession::readNext() {
    ws_.async_read(readBuffer_, [self = shared_from_this()](beast::error_code error, size_t) {
        if (error) {
            // Closed, timed out, or a frame over kMaxMessageBytes (Beast answers that one with
            // close code 1009, "too big", itself). The session ends with its last handler.
            if (error != beast::websocket::error::closed &&
                error != beast::websocket::error::message_too_big) {
                self->close();
            } else {
                self->closing_ = true;
            }
            return;
        }
        const std::string text = beast::buffers_to_string(self->readBuffer_.data());
        self->readBuffer_.consume(self->readBuffer_.size());
        if (!self->ws_.got_text()) {
            self->sendError("this monitor takes JSON text messages only");
        } else {
            self->handle(text);
        }
        if (!self->closing_) {
            self->readNext();
        }
    });
}

void WebSocketSession::handle(const std::string& text) {
    const Json request = Json::parse(text, nullptr, false);
    if (!request.is_object() || !request.contains("type") || !request["type"].is_string()) {
        sendError("a request is a JSON object with a \"type\"");
        return;
    }
    const std::string type = request["type"].get<std::string>();
    if (type == "auth") {
        const auto token = request.find("token");
        authorized_ = token != request.end() && token->is_string() &&
                      hub_.tokenMatches(token->get<std::string>());
        sendText(std::make_shared<const std::string>(
            Json{{"type", "auth"}, {"authorized", authorized_}}.dump()));
    } else if (type == "listen") {
        const std::string tap = request.value("tap", std::string("post"));
        const std::string codec = request.value("codec", std::string("opus"));
        if ((tap != "pre" && tap != "post") || (codec != "opus" && codec != "pcm")) {
            sendError(
                "listen takes \"tap\": \"pre\" or \"post\" and \"codec\": \"opus\" or \"pcm\"");
            return;
        }
        auto answer = hub_.listen(this, tap == "pre" ? Tap::Pre : Tap::Post,
                                  codec == "opus" ? ListenCodec::Opus : ListenCodec::Pcm16);
        if (!answer) {
            sendError(answer.error());
            return;
        }
        sendText(std::make_shared<const std::string>(std::move(*answer)));
    } else if (type == "stop_listening") {
        hub_.stopListening(this);
        sendText(std::make_shared<const std::string>(Json{{"type", "stopped"}}.dump()));
    } else {
        sendError("unknown request type \"" + type + "\" (auth, listen, stop_listening)");
    }
}

void WebSocketSession::sendError(const std::string& sentence) {
    sendText(
        std::make_shared<const std::string>(Json{{"type", "error"}, {"message", sentence}}.dump()));
}

void WebSocketSession::sendText(std::shared_ptr<const std::string> message) {
    enqueue({std::move(message), false, false});
}

void WebSocketSession::sendSnapshot(std::shared_ptr<const std::string> message) {
    // A snapshot still waiting is out of date: the newest takes its place (not the one in flight).
    for (size_t i = writing_ ? 1 : 0; i < queue_.size(); ++i) {
        if (queue_[i].snapshot) {
            queuedBytes_ -= queue_[i].data->size();
            queuedBytes_ += message->size();
            queue_[i].data = std::move(message);
            return;
        }
    }
    enqueue({std::move(message), false, true});
}

void WebSocketSession::sendAudio(std::shared_ptr<const std::string> message) {
    enqueue({std::move(message), true, false});
}

void WebSocketSession::enqueue(Outgoing outgoing) {
    if (closing_ || !joined_) {
        return;
    }
    queuedBytes_ += outgoing.data->size();
    queue_.push_back(std::move(outgoing));
    if (queuedBytes_ > kMaxQueuedBytes) {
        close();  // stuck or too slow: dropped, not buffered on
        return;
    }
    if (!writing_) {
        writeNext();
    }
}

void WebSocketSession::writeNext() {
    if (queue_.empty() || closing_) {
        writing_ = false;
        return;
    }
    writing_ = true;
    const Outgoing& next = queue_.front();
    ws_.binary(next.binary);
    ws_.async_write(boost::asio::buffer(*next.data),
                    [self = shared_from_this()](beast::error_code error, size_t) {
                        self->queuedBytes_ -= self->queue_.front().data->size();
                        self->queue_.pop_front();
                        if (error) {
                            self->closing_ = true;
                            self->writing_ = false;
                            return;
                        }
                        self->writeNext();
                    });
}

void WebSocketSession::close() {
    if (!closing_ && joined_) {
        hub_.stopListening(this);
    }
    closing_ = true;
    // Abrupt on purpose: a client that cannot take data cannot take a close handshake either.
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both,
                                                   ignored);
    beast::get_lowest_layer(ws_).socket().close(ignored);
}

}  // namespace liverack::core
