// The CPU a network stream costs: RtpSender encoding and sending one second of stereo audio
// (Opus at 128 kb/s and 10 ms packets, L24, L16; Opus from a 44.1 kHz stream, which is resampled
// to 48 kHz first), and RtpPayloadDecoder decoding it again. One iteration is one second of
// audio, so its time is the share of a core the stream takes: 10 ms is 1 %.
#include <benchmark/benchmark.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <cmath>
#include <vector>

#include "core/net/RtpPayloadDecoder.h"
#include "core/net/RtpSender.h"
#include "tests/bench/BenchMusic.h"

namespace liverack::core {
namespace {

using bench::music;

// A socket that takes the packets (loopback), so the sends are real and nothing is refused.
boost::asio::ip::udp::socket packetSink(boost::asio::io_context& io) {
    boost::asio::ip::udp::socket sink(
        io, boost::asio::ip::udp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
    sink.set_option(boost::asio::socket_base::receive_buffer_size(1 << 22));
    return sink;
}

RtpSendTarget targetOf(const boost::asio::ip::udp::socket& sink) {
    RtpSendTarget target;
    target.host = "127.0.0.1";
    target.port = sink.local_endpoint().port();
    return target;
}

void BM_SendOneSecond(benchmark::State& state) {
    const auto codec = static_cast<RtpCodec>(state.range(0));
    const double rate = static_cast<double>(state.range(1));
    boost::asio::io_context io;
    auto sink = packetSink(io);
    RtpSendTarget target = targetOf(sink);
    target.codec = codec;
    auto sender = RtpSender::open(target, rate, 2);
    if (!sender) {
        state.SkipWithError(sender.error().c_str());
        return;
    }
    const auto frames = static_cast<size_t>(rate);
    const auto audio = music(rate, frames);
    constexpr size_t kBlock = 256;  // as the network thread gets it: a block at a time
    std::vector<uint8_t> drain(65536);
    for (auto _ : state) {
        for (size_t at = 0; at < frames; at += kBlock) {
            const float* channels[2] = {audio[0].data() + at, audio[1].data() + at};
            (*sender)->send(channels, std::min(kBlock, frames - at));
        }
        state.PauseTiming();
        boost::system::error_code error;
        sink.non_blocking(true);
        while (sink.receive(boost::asio::buffer(drain), 0, error) > 0 && !error) {
        }
        state.ResumeTiming();
    }
}
BENCHMARK(BM_SendOneSecond)
    ->ArgNames({"codec", "rate"})
    ->Args({static_cast<int>(RtpCodec::Opus), 48000})
    ->Args({static_cast<int>(RtpCodec::Opus), 44100})
    ->Args({static_cast<int>(RtpCodec::L24), 48000})
    ->Args({static_cast<int>(RtpCodec::L16), 48000})
    ->Unit(benchmark::kMillisecond);

// Decoding one second of 10 ms Opus packets at 128 kb/s: RtpSender makes them (with its own
// encoder settings) into a socket, read back once before timing.
void BM_DecodeOneSecondOfOpus(benchmark::State& state) {
    boost::asio::io_context io;
    auto sink = packetSink(io);
    const RtpSendTarget target = targetOf(sink);
    auto sender = RtpSender::open(target, 48000.0, 2);
    const auto audio = music(48000.0, 48000);
    for (size_t at = 0; at < 48000; at += 480) {
        const float* channels[2] = {audio[0].data() + at, audio[1].data() + at};
        (*sender)->send(channels, 480);
    }
    std::vector<std::vector<uint8_t>> payloads;
    std::vector<uint8_t> datagram(65536);
    boost::system::error_code error;
    sink.non_blocking(true);
    while (true) {
        const size_t size = sink.receive(boost::asio::buffer(datagram), 0, error);
        if (error || size <= 12) {
            break;
        }
        payloads.emplace_back(datagram.begin() + 12, datagram.begin() + long(size));
    }
    auto decoder = RtpPayloadDecoder::create(RtpCodec::Opus, 48000, 2);
    std::vector<float> out(RtpPayloadDecoder::kMaxFramesPerTurn * 2);
    for (auto _ : state) {
        for (const auto& payload : payloads) {
            benchmark::DoNotOptimize((*decoder)->decode(payload, out.data()));
        }
    }
    state.counters["packets"] = static_cast<double>(payloads.size());
}
BENCHMARK(BM_DecodeOneSecondOfOpus)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace liverack::core
