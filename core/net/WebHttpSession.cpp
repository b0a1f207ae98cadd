#include "core/net/WebHttpSession.h"

#include <boost/beast/websocket.hpp>
#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/net/ChainControl.h"
#include "core/net/WebHub.h"
#include "core/net/WebSocketSession.h"

namespace liverack::core {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using Json = nlohmann::ordered_json;

// Nothing the monitor sends may be cached (it is live), framed by another site, or sniffed.
void commonHeaders(WebHttpSession::Response& response) {
    response.set(http::field::server, "LiveRack");
    response.set(http::field::cache_control, "no-store");
    response.set("X-Content-Type-Options", "nosniff");
    response.set("X-Frame-Options", "DENY");
    // The token may be in the page's address: it must not travel on in a Referer.
    response.set("Referrer-Policy", "no-referrer");
}

WebHttpSession::Response textResponse(http::status status, unsigned version, std::string body,
                                      const char* contentType) {
    WebHttpSession::Response response{status, version};
    commonHeaders(response);
    response.set(http::field::content_type, contentType);
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

WebHttpSession::Response jsonResponse(http::status status, unsigned version, const Json& body) {
    return textResponse(status, version, body.dump() + "\n", "application/json");
}

WebHttpSession::Response errorResponse(http::status status, unsigned version,
                                       const std::string& sentence) {
    return jsonResponse(status, version, Json{{"error", sentence}});
}

// "/api/chain/3/bypass" -> 3 and "bypass"; false for any other shape.
bool splitChainTarget(std::string_view target, size_t& index, std::string_view& action) {
    constexpr std::string_view prefix = "/api/chain/";
    if (target.substr(0, prefix.size()) != prefix) {
        return false;
    }
    target.remove_prefix(prefix.size());
    const size_t slash = target.find('/');
    if (slash == std::string_view::npos || slash == 0) {
        return false;
    }
    const std::string_view number = target.substr(0, slash);
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), index);
    if (error != std::errc{} || end != number.data() + number.size()) {
        return false;
    }
    action = target.substr(slash + 1);
    return action == "bypass" || action == "params";
}

std::string_view pathOf(std::string_view target) {
    const size_t query = target.find('?');
    return query == std::string_view::npos ? target : target.substr(0, query);
}

}  // namespace

WebHttpSession::WebHttpSession(boost::asio::ip::tcp::socket&& socket, WebHub& hub)
    : stream_(std::move(socket)), hub_(hub) {
    hub_.track(this);
}

WebHttpSession::~WebHttpSession() {
    hub_.leaveHttp();
    hub_.untrack(this);
}

void WebHttpSession::close() {
    if (!upgraded_) {
        beast::error_code ignored;
        stream_.socket().close(ignored);
    }
}

void WebHttpSession::start() {
    readNext();
}

void WebHttpSession::readNext() {
    parser_.emplace();
    parser_->header_limit(kMaxHeaderBytes);
    parser_->body_limit(kMaxBodyBytes);
    stream_.expires_after(std::chrono::seconds(kRequestTimeoutSeconds));
    http::async_read(
        stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code error, size_t) {
            if (error == http::error::end_of_stream || error == beast::error::timeout ||
                error == boost::asio::error::operation_aborted ||
                error == boost::asio::error::connection_reset) {
                beast::error_code ignored;
                self->stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both,
                                                ignored);
                return;
            }
            if (error) {
                // Not HTTP, or more of it than the monitor takes: say which, then hang up.
                if (error == http::error::body_limit) {
                    self->send(errorResponse(http::status::payload_too_large, 11,
                                             "a request body holds at most 64 KiB"),
                               true);
                } else if (error == http::error::header_limit) {
                    self->send(errorResponse(http::status::request_header_fields_too_large, 11,
                                             "a request's header holds at most 8 KiB"),
                               true);
                } else {
                    self->send(
                        errorResponse(http::status::bad_request, 11,
                                      "this is not an HTTP request the monitor understands (" +
                                          error.message() + ")"),
                        true);
                }
                return;
            }
            self->handle(self->parser_->release());
        });
}

void WebHttpSession::send(Response response, bool closeAfter) {
    if (closeAfter) {
        response.keep_alive(false);
    }
    pending_ = std::make_shared<Response>(std::move(response));
    http::async_write(stream_, *pending_,
                      [self = shared_from_this()](beast::error_code error, size_t) {
                          const bool close = error || !self->pending_->keep_alive();
                          self->pending_.reset();
                          if (close) {
                              beast::error_code ignored;
                              self->stream_.socket().shutdown(
                                  boost::asio::ip::tcp::socket::shutdown_both, ignored);
                              return;
                          }
                          self->readNext();
                      });
}

void WebHttpSession::upgrade(Request request) {
    // A page from another site must not reach the monitor through a visitor's browser: the
    // Origin a browser sends must be this server's own. Scripts that send none are let in.
    const auto origin = request.find(http::field::origin);
    const auto host = request.find(http::field::host);
    if (origin != request.end()) {
        const std::string expected =
            host == request.end() ? std::string() : "http://" + std::string(host->value());
        if (origin->value() != expected) {
            send(errorResponse(http::status::forbidden, request.version(),
                               "the WebSocket's origin '" + std::string(origin->value()) +
                                   "' is not this monitor's page"),
                 true);
            return;
        }
    }
    if (hub_.counts().clients >= hub_.options().maxClients) {
        Response response = errorResponse(http::status::service_unavailable, request.version(),
                                          "LiveRack's web monitor serves at most " +
                                              std::to_string(hub_.options().maxClients) +
                                              " clients at once; try again when one has left");
        response.set(http::field::retry_after, "10");
        send(std::move(response), true);
        return;
    }
    upgraded_ = true;
    std::make_shared<WebSocketSession>(std::move(stream_), hub_)->start(std::move(request));
}

void WebHttpSession::handle(Request request) {
    const unsigned version = request.version();
    const std::string_view path =
        pathOf(std::string_view(request.target().data(), request.target().size()));
    if (path == "/ws") {
        if (beast::websocket::is_upgrade(request)) {
            upgrade(std::move(request));
        } else {
            send(errorResponse(http::status::upgrade_required, version,
                               "/ws is the monitor's WebSocket; open it as one"),
                 false);
        }
        return;
    }
    const bool get = request.method() == http::verb::get;
    if (path == "/api/snapshot" || path == "/api/chain") {
        if (!get) {
            send(errorResponse(http::status::method_not_allowed, version,
                               std::string(path) + " is read with GET"),
                 false);
            return;
        }
        if (path == "/api/chain") {
            Json chain = hub_.chain() != nullptr ? Json(hub_.chain()->describe())
                                                 : Json{{"slots", Json::array()}};
            Json body = {{"control", hub_.options().control}};
            body.update(chain);
            send(jsonResponse(http::status::ok, version, body), false);
            return;
        }
        auto snapshot = hub_.snapshotJson();
        if (!snapshot) {
            send(errorResponse(http::status::service_unavailable, version,
                               "nothing has been measured yet: the stream is starting or stopped"),
                 false);
            return;
        }
        send(textResponse(http::status::ok, version, *snapshot + "\n", "application/json"), false);
        return;
    }
    size_t slot = 0;
    std::string_view action;
    if (splitChainTarget(path, slot, action)) {
        if (request.method() != http::verb::post) {
            send(errorResponse(http::status::method_not_allowed, version,
                               std::string(path) + " is written with POST"),
                 false);
            return;
        }
        if (!hub_.options().control || hub_.chain() == nullptr) {
            send(errorResponse(http::status::forbidden, version,
                               "control from the web is off; start LiveRack with --web-control "
                               "to allow it"),
                 false);
            return;
        }
        const auto authorization = request.find(http::field::authorization);
        constexpr std::string_view bearer = "Bearer ";
        const std::string_view given =
            authorization == request.end()
                ? std::string_view()
                : std::string_view(authorization->value().data(), authorization->value().size());
        if (given.substr(0, bearer.size()) != bearer ||
            !hub_.tokenMatches(given.substr(bearer.size()))) {
            Response response =
                errorResponse(http::status::unauthorized, version,
                              authorization == request.end()
                                  ? "writes need the token LiveRack printed at start, in an "
                                    "'Authorization: Bearer TOKEN' header"
                                  : "the token is not the one LiveRack printed at start");
            response.set(http::field::www_authenticate, "Bearer");
            send(std::move(response), false);
            return;
        }
        const ChainWrite result = action == "bypass"
                                      ? hub_.chain()->setBypass(slot, request.body())
                                      : hub_.chain()->setParameters(slot, request.body());
        if (result.status != 200) {
            send(errorResponse(static_cast<http::status>(result.status), version, result.error),
                 false);
            return;
        }
        send(jsonResponse(http::status::ok, version,
                          Json{{"ok", true}, {"warnings", result.warnings}}),
             false);
        return;
    }
    std::string name(path == "/" ? std::string_view("/index.html") : path);
    if (const WebStaticFile* file = hub_.file(name)) {
        if (!get) {
            send(errorResponse(http::status::method_not_allowed, version,
                               "the page's files are read with GET"),
                 false);
            return;
        }
        Response response =
            textResponse(http::status::ok, version, file->body, file->contentType.c_str());
        if (name == "/index.html") {
            // Only the page's own scripts, styles and connections back to this server.
            response.set("Content-Security-Policy",
                         "default-src 'self'; img-src 'self' data:; connect-src 'self'; "
                         "frame-ancestors 'none'");
        }
        send(std::move(response), false);
        return;
    }
    if (name == "/index.html") {
        send(errorResponse(http::status::not_found, version,
                           "the monitor page is not installed (resources/web); the API still "
                           "answers at /api/snapshot"),
             false);
        return;
    }
    send(
        errorResponse(http::status::not_found, version, "there is nothing at " + std::string(path)),
        false);
}

}  // namespace liverack::core
