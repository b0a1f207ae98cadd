#include "core/net/WebServer.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "core/net/WebHttpSession.h"
#include "core/net/WebHub.h"
#include "core/util/ShippedFolder.h"

namespace liverack::core {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// 128 bits from the system's entropy, as hex: what a person copies from the terminal.
std::string newToken() {
    std::random_device entropy;
    std::string token;
    constexpr char kHex[] = "0123456789abcdef";
    for (int i = 0; i < 8; ++i) {
        const uint32_t word = entropy();
        for (int nibble = 0; nibble < 4; ++nibble) {
            token += kHex[(word >> (4 * nibble)) & 0xf];
        }
    }
    return token;
}

// The page's files are read once at start: serving them costs no disk access, and a page
// missing from an installation is known before anyone asks.
std::map<std::string, WebStaticFile> readPage(const std::string& folder) {
    static const std::pair<const char*, const char*> kFiles[] = {
        {"index.html", "text/html; charset=utf-8"},
        {"monitor.js", "text/javascript; charset=utf-8"},
        {"monitor.css", "text/css; charset=utf-8"},
        {"listen-worklet.js", "text/javascript; charset=utf-8"},
    };
    std::map<std::string, WebStaticFile> files;
    if (folder.empty()) {
        return files;
    }
    for (const auto& [name, type] : kFiles) {
        std::ifstream in(folder + "/" + name, std::ios::binary);
        if (!in) {
            return {};  // half a page is no page
        }
        std::ostringstream body;
        body << in.rdbuf();
        files["/" + std::string(name)] = WebStaticFile{type, body.str()};
    }
    return files;
}

}  // namespace

std::string WebServerOptions::installedPageFolder() {
#ifdef LIVERACK_SOURCE_WEB_DIR
    const char* sourceTree = LIVERACK_SOURCE_WEB_DIR;
#else
    const char* sourceTree = nullptr;
#endif
    return ShippedFolder::find("LIVERACK_WEB_PAGE", "web", sourceTree);
}

struct WebServer::Impl {
    Impl(const WebServerOptions& options, ChainControl* chain)
        : hub(options, newToken(), chain, readPage(options.pageFolder)),
          hasPage(hub.file("/index.html") != nullptr) {}

    void accept() {
        acceptor.async_accept([this](boost::system::error_code error, tcp::socket socket) {
            if (stopping) {
                return;  // accepted just before the stop: closed with `socket`
            }
            if (error) {
                if (error != asio::error::operation_aborted && acceptor.is_open()) {
                    accept();  // out of descriptors or similar: the server goes on
                }
                return;
            }
            if (hub.admitHttp()) {
                std::make_shared<WebHttpSession>(std::move(socket), hub)->start();
            }
            accept();
        });
    }

    void tick(asio::steady_timer& timer, std::chrono::microseconds interval,
              void (WebHub::*work)()) {
        timer.expires_after(interval);
        timer.async_wait([this, &timer, interval, work](boost::system::error_code error) {
            // A wait that had already ended when the timers were cancelled completes without an
            // error: the flag, set on this thread, keeps it from arming again and holding run().
            if (error || stopping) {
                return;
            }
            (hub.*work)();
            tick(timer, interval, work);
        });
    }

    asio::io_context io{1};
    tcp::acceptor acceptor{io};
    asio::steady_timer snapshotTimer{io};
    asio::steady_timer audioTimer{io};
    WebHub hub;
    bool hasPage;
    bool stopping = false;  // server thread only
    WebAddress address;
    uint16_t port = 0;
    std::thread thread;
};

WebServer::WebServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<WebServer>> WebServer::start(const WebServerOptions& options,
                                                    ChainControl* chain) {
    auto impl = std::make_unique<Impl>(options, chain);
    impl->address = options.address;
    boost::system::error_code error;
    tcp::resolver resolver(impl->io);
    const auto endpoints = resolver.resolve(
        options.address.host, std::to_string(options.address.port), tcp::resolver::passive, error);
    const std::string where =
        "the web monitor's address " + options.address.authority(options.address.port);
    if (error || endpoints.empty()) {
        return Error{where + " cannot be used: " + error.message()};
    }
    const tcp::endpoint endpoint = endpoints.begin()->endpoint();
    impl->acceptor.open(endpoint.protocol(), error);
    if (!error) {
        impl->acceptor.set_option(asio::socket_base::reuse_address(true), error);
    }
    if (!error) {
        impl->acceptor.bind(endpoint, error);
    }
    if (!error) {
        impl->acceptor.listen(asio::socket_base::max_listen_connections, error);
    }
    if (error) {
        if (error == asio::error::address_in_use) {
            return Error{where + " is in use by another program; pick another port with --web"};
        }
        return Error{where + " cannot be used: " + error.message()};
    }
    impl->port = impl->acceptor.local_endpoint().port();
    impl->accept();
    impl->tick(impl->snapshotTimer, std::chrono::microseconds(kSnapshotIntervalMicroseconds),
               &WebHub::tickSnapshots);
    impl->tick(impl->audioTimer, std::chrono::microseconds(kAudioIntervalMicroseconds),
               &WebHub::tickAudio);
    Impl* raw = impl.get();
    impl->thread = std::thread([raw] { raw->io.run(); });
    return std::unique_ptr<WebServer>(new WebServer(std::move(impl)));
}

WebServer::~WebServer() {
    // Everything is closed on the server thread itself; its last handlers then end and run()
    // returns with no work left, so every session is gone before the hub is.
    asio::post(impl_->io, [impl = impl_.get()] {
        impl->stopping = true;
        boost::system::error_code ignored;
        impl->acceptor.close(ignored);
        impl->snapshotTimer.cancel();
        impl->audioTimer.cancel();
        impl->hub.closeAll();
    });
    impl_->thread.join();
    impl_->hub.detach();
}

void WebServer::attach(WebSources sources) {
    impl_->hub.attach(std::move(sources));
}

void WebServer::detach() {
    impl_->hub.detach();
}

uint16_t WebServer::port() const noexcept {
    return impl_->port;
}

const std::string& WebServer::token() const noexcept {
    return impl_->hub.token();
}

std::string WebServer::url() const {
    return "http://" + impl_->address.authority(impl_->port) + "/";
}

std::string WebServer::controlUrl() const {
    return url() + "?token=" + token();
}

bool WebServer::hasPage() const noexcept {
    return impl_->hasPage;
}

WebClientCounts WebServer::counts() const noexcept {
    return impl_->hub.counts();
}

}  // namespace liverack::core
