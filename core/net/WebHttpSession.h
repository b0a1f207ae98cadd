// One HTTP connection to the web monitor: the page's files, /api/snapshot, /api/chain and its
// writes, and the upgrade to /ws. Requests are bounded (8 KiB of header, 64 KiB of body, 30 s to
// arrive): a malformed or oversized one is answered 400/413/431 and the connection closed. Runs on
// the server thread only.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <optional>

#include "core/net/WebConnection.h"

namespace liverack::core {

class WebHub;

class WebHttpSession : public std::enable_shared_from_this<WebHttpSession>, public WebConnection {
public:
    static constexpr size_t kMaxHeaderBytes = 8 * 1024;
    static constexpr size_t kMaxBodyBytes = 64 * 1024;
    static constexpr int kRequestTimeoutSeconds = 30;

    using Request = boost::beast::http::request<boost::beast::http::string_body>;
    using Response = boost::beast::http::response<boost::beast::http::string_body>;

    WebHttpSession(boost::asio::ip::tcp::socket&& socket, WebHub& hub);
    ~WebHttpSession();
    void start();
    void close() override;

private:
    void readNext();
    void handle(Request request);
    void upgrade(Request request);
    void send(Response response, bool closeAfter);

    boost::beast::tcp_stream stream_;
    WebHub& hub_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    std::shared_ptr<Response> pending_;
    bool upgraded_ = false;
};

}  // namespace liverack::core
