#include "tests/support/HeadlessLiveRack.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <csignal>

namespace liverack::test {

std::unique_ptr<Subprocess> startHeadlessLiveRack(const std::string& binary,
                                                  const JackServer& server,
                                                  const std::vector<std::string>& arguments,
                                                  bool autoconnect) {
    std::vector<std::string> argv = {binary, "--headless", "--api", "jack"};
    if (!autoconnect) {
        argv.push_back("--no-autoconnect");
    }
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    auto liverack = std::make_unique<Subprocess>(
        argv, std::map<std::string, std::string>{{"JACK_DEFAULT_SERVER", server.name()}});
    EXPECT_TRUE(liverack->waitForStderr("streaming on JACK", 20.0)) << liverack->err();
    return liverack;
}

nlohmann::json stopHeadlessLiveRack(Subprocess& liverack) {
    liverack.sendSignal(SIGINT);
    EXPECT_EQ(liverack.wait(20.0), 0) << liverack.err();
    auto stats = nlohmann::json::parse(liverack.out(), nullptr, false);
    EXPECT_FALSE(stats.is_discarded()) << liverack.out();
    return stats;
}

unsigned freeUdpPort() {
    boost::asio::io_context io;
    boost::asio::ip::udp::socket socket(
        io, boost::asio::ip::udp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
    return socket.local_endpoint().port();
}

}  // namespace liverack::test
