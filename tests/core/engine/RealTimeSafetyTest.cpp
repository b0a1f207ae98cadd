// Proves the audio callback is real-time safe: while LiveRack streams on a real JACK server for
// 3 s with the gain moving constantly and a chain swap every 100 ms, every call to malloc, free,
// realloc, calloc, operator new/delete and pthread_mutex_lock made on the audio thread is
// counted. The count must be zero.
//
// The allocator functions are replaced in this executable, so every library in the process
// (libjack, RtAudio, libstdc++) calls these; they forward to glibc's __libc_* entry points
// (dlsym itself may allocate, so it cannot be used to find malloc). pthread_mutex_lock forwards
// through dlsym(RTLD_NEXT), resolved once before streaming.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <pthread.h>

#include <array>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <chrono>
#include <cstdlib>
#include <new>
#include <random>
#include <thread>

#include "core/analysis/AnalysisEngine.h"
#include "core/dsp/effects/GainEffect.h"
#include "core/engine/AudioEngine.h"
#include "core/io/FileSource.h"
#include "core/io/Recorder.h"
#include "core/net/EngineWebSources.h"
#include "core/net/ListenEncoder.h"
#include "core/net/RtpSource.h"
#include "core/net/RtpStreamer.h"
#include "core/net/WebServer.h"
#include "tests/support/AudioThreadProbe.h"
#include "tests/support/JackServer.h"
#include "tests/support/JackTestClient.h"
#include "tests/support/PacedRtpSender.h"
#include "tests/support/ReferenceProbe.h"
#include "tests/support/SndfileIo.h"
#include "tests/support/TempFolder.h"
#include "tests/support/WebTestClient.h"

extern "C" {
void* __libc_malloc(size_t);
void __libc_free(void*);
void* __libc_realloc(void*, size_t);
void* __libc_calloc(size_t, size_t);
}

namespace {

std::atomic<bool> counting{false};
std::atomic<pthread_t> audioThread{};
std::atomic<bool> audioThreadKnown{false};
std::atomic<uint64_t> allocations{0};
std::atomic<uint64_t> deallocations{0};
std::atomic<uint64_t> mutexLocks{0};

inline bool onAudioThread() {
    return counting.load(std::memory_order_relaxed) &&
           audioThreadKnown.load(std::memory_order_relaxed) &&
           pthread_equal(pthread_self(), audioThread.load(std::memory_order_relaxed));
}

using MutexLock = int (*)(pthread_mutex_t*);
MutexLock realMutexLock = nullptr;

}  // namespace

extern "C" void* malloc(size_t size) {
    if (onAudioThread()) {
        allocations.fetch_add(1);
    }
    return __libc_malloc(size);
}
extern "C" void free(void* p) {
    if (p != nullptr && onAudioThread()) {
        deallocations.fetch_add(1);
    }
    __libc_free(p);
}
extern "C" void* realloc(void* p, size_t size) {
    if (onAudioThread()) {
        allocations.fetch_add(1);
    }
    return __libc_realloc(p, size);
}
extern "C" void* calloc(size_t n, size_t size) {
    if (onAudioThread()) {
        allocations.fetch_add(1);
    }
    return __libc_calloc(n, size);
}
extern "C" int pthread_mutex_lock(pthread_mutex_t* mutex) {
    if (onAudioThread()) {
        mutexLocks.fetch_add(1);
    }
    if (realMutexLock == nullptr) {
        realMutexLock = reinterpret_cast<MutexLock>(dlsym(RTLD_NEXT, "pthread_mutex_lock"));
    }
    return realMutexLock(mutex);
}

void* operator new(size_t size) {
    if (onAudioThread()) {
        allocations.fetch_add(1);
    }
    if (void* p = __libc_malloc(size == 0 ? 1 : size)) {
        return p;
    }
    throw std::bad_alloc();
}
void* operator new[](size_t size) {
    return operator new(size);
}
void operator delete(void* p) noexcept {
    if (p != nullptr && onAudioThread()) {
        deallocations.fetch_add(1);
    }
    __libc_free(p);
}
void operator delete[](void* p) noexcept {
    operator delete(p);
}
void operator delete(void* p, size_t) noexcept {
    operator delete(p);
}
void operator delete[](void* p, size_t) noexcept {
    operator delete(p);
}

namespace liverack::core {
namespace {

// Two channels of white noise at -6 dBFS peak, the same for the same seed.
std::vector<std::vector<float>> noise(unsigned seed, size_t frames) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> uniform(-0.5f, 0.5f);
    std::vector<std::vector<float>> play(2, std::vector<float>(frames));
    for (auto& channel : play) {
        for (float& s : channel) {
            s = uniform(rng);
        }
    }
    return play;
}

std::unique_ptr<EffectChain> probedChain(GainEffect*& gainOut) {
    std::vector<std::shared_ptr<EffectSlot>> slots;
    slots.push_back(std::make_shared<EffectSlot>(
        std::make_unique<test::AudioThreadProbe>(audioThread, audioThreadKnown)));
    auto gain = std::make_unique<GainEffect>();
    gainOut = gain.get();
    slots.push_back(std::make_shared<EffectSlot>(std::move(gain)));
    return std::make_unique<EffectChain>(std::move(slots));
}

// Polls (yielding, no sleep) until `condition` holds or `seconds` pass; the condition's value.
template <typename Condition>
bool waitUntil(Condition condition, double seconds) {
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(seconds));
    while (!condition() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::yield();
    }
    return condition();
}

TEST(RealTimeSafetyTest, AudioThreadNeitherAllocatesNorLocksWhileStreamingAndSwapping) {
    realMutexLock = reinterpret_cast<MutexLock>(dlsym(RTLD_NEXT, "pthread_mutex_lock"));
    test::JackServer server(48000, 256);
    ASSERT_TRUE(server.isRunning()) << server.error();

    AudioEngine engine;
    StreamConfig config;
    config.api = "jack";
    config.sampleRate = 0;
    config.autoConnect = false;
    ASSERT_TRUE(engine.open(config));
    GainEffect* gain = nullptr;
    ASSERT_TRUE(engine.setChain(probedChain(gain)));

    // Real input: noise from a test client into LiveRack, LiveRack's output recorded.
    test::JackTestClient tester("tester", 2);
    const std::vector<std::vector<float>> play = noise(7, 48000 * 6);
    tester.setPlayback(play);
    tester.setRecordCapacity(48000 * 5);
    ASSERT_TRUE(engine.start());
    ASSERT_TRUE(tester.activate());
    ASSERT_TRUE(tester.connectOutputsTo(tester.ports("liverack", JackPortIsInput)));
    ASSERT_TRUE(tester.connectInputsFrom(tester.ports("liverack", JackPortIsOutput)));

    ASSERT_TRUE(waitUntil([] { return audioThreadKnown.load(); }, 10.0));

    const uint64_t callbacksBefore = engine.stats().callbacks;
    counting = true;
    const auto begin = std::chrono::steady_clock::now();
    auto nextSwap = begin + std::chrono::milliseconds(100);
    size_t swapsSubmitted = 0;
    size_t chainsFreed = 0;
    float db = 0.0f;
    while (std::chrono::steady_clock::now() - begin < std::chrono::seconds(3)) {
        // Far faster than the 5.3 ms block: the gain changes every block.
        db = db <= -40.0f ? 0.0f : db - 0.5f;
        gain->parameters().set(GainEffect::kGainDb, db);
        if (std::chrono::steady_clock::now() >= nextSwap) {
            GainEffect* newGain = nullptr;
            if (engine.setChain(probedChain(newGain))) {
                gain = newGain;  // the old gain lives until its chain is freed below
                ++swapsSubmitted;
            }
            nextSwap += std::chrono::milliseconds(100);
        }
        chainsFreed += engine.processor().collectGarbage();
        std::this_thread::sleep_for(std::chrono::microseconds(500));  // pacing, not synchronisation
    }
    counting = false;
    const uint64_t callbacksDuring = engine.stats().callbacks - callbacksBefore;
    engine.stop();
    chainsFreed += engine.processor().collectGarbage();

    EXPECT_EQ(allocations.load(), 0u) << "allocations on the audio thread";
    EXPECT_EQ(deallocations.load(), 0u) << "frees on the audio thread";
    EXPECT_EQ(mutexLocks.load(), 0u) << "mutex locks on the audio thread";
    // The test exercised what it claims: ~560 callbacks at full speed (the floor allows for a
    // loaded machine, where the dummy server runs slow), ~30 swaps taken by the audio thread.
    EXPECT_GT(callbacksDuring, 200u);
    EXPECT_GE(swapsSubmitted, 25u);
    EXPECT_GE(chainsFreed, 20u);
}

// The same proof with files in and out: the source is a 44.1 kHz file resampled to the 48 kHz
// stream by the reader thread, seeked every 100 ms, paused and resumed, its looping switched; the
// recorder takes both taps to disk all the while.
TEST(RealTimeSafetyTest, AudioThreadNeitherAllocatesNorLocksWithAFileSourceAndTheRecorderRunning) {
    realMutexLock = reinterpret_cast<MutexLock>(dlsym(RTLD_NEXT, "pthread_mutex_lock"));
    audioThreadKnown = false;  // another test in this process may have seen another thread
    allocations = 0;
    deallocations = 0;
    mutexLocks = 0;
    test::JackServer server(48000, 256);
    ASSERT_TRUE(server.isRunning()) << server.error();
    test::TempFolder folder;
    const std::vector<std::vector<float>> clip = noise(11, 44100 * 3);
    std::mt19937 rng(11);  // where the control thread seeks
    const std::string clipPath = folder.file("clip.wav");
    ASSERT_TRUE(test::writeFloatWav(clipPath, 44100, clip));

    AudioEngine engine;
    StreamConfig config;
    config.api = "jack";
    config.sampleRate = 0;
    config.autoConnect = false;
    config.source = "file:" + clipPath;
    ASSERT_TRUE(engine.open(config));
    auto* file = dynamic_cast<FileSource*>(engine.processor().source());
    ASSERT_NE(file, nullptr);
    ASSERT_TRUE(file->isResampling());
    GainEffect* gain = nullptr;
    ASSERT_TRUE(engine.setChain(probedChain(gain)));
    Recorder recorder(engine.processor().taps());
    ASSERT_TRUE(recorder.start(folder.file("take.wav"), RecordTaps::Both));
    ASSERT_TRUE(engine.start());

    ASSERT_TRUE(waitUntil([] { return audioThreadKnown.load(); }, 10.0));

    const uint64_t callbacksBefore = engine.stats().callbacks;
    counting = true;
    const auto begin = std::chrono::steady_clock::now();
    auto nextSeek = begin + std::chrono::milliseconds(100);
    std::uniform_real_distribution<double> place(0.0, file->lengthSeconds());
    size_t seeks = 0;
    while (std::chrono::steady_clock::now() - begin < std::chrono::seconds(3)) {
        if (std::chrono::steady_clock::now() >= nextSeek) {
            file->seek(place(rng));
            ++seeks;
            if (seeks % 5 == 0) {
                file->pause();
            } else if (seeks % 5 == 1) {
                file->play();
            }
            if (seeks % 7 == 0) {
                file->setLooping(!file->isLooping());
            }
            nextSeek += std::chrono::milliseconds(100);
        }
        (void)file->positionSeconds();  // the window's transport display asks all the time
        (void)recorder.status();
        engine.poll();
        std::this_thread::sleep_for(std::chrono::microseconds(500));  // pacing, not synchronisation
    }
    counting = false;
    const uint64_t callbacksDuring = engine.stats().callbacks - callbacksBefore;
    ASSERT_TRUE(recorder.stop()) << recorder.errorMessage();
    engine.stop();

    EXPECT_EQ(allocations.load(), 0u) << "allocations on the audio thread";
    EXPECT_EQ(deallocations.load(), 0u) << "frees on the audio thread";
    EXPECT_EQ(mutexLocks.load(), 0u) << "mutex locks on the audio thread";
    // The test exercised what it claims: ~560 callbacks, ~30 seeks, audio reached the disk.
    EXPECT_GT(callbacksDuring, 200u);
    EXPECT_GE(seeks, 25u);
    EXPECT_GT(recorder.framesRecorded(), 48000u * 2);
    EXPECT_EQ(recorder.droppedFrames(), 0u);
}

// The same proof over the network: the input is an Opus RTP stream (a paced sender in this
// process, received by RtpSource: jitter buffer, decoder and drift steering on its own thread),
// and the output goes out as two RTP streams (Opus and L24) through RtpStreamer.
TEST(RealTimeSafetyTest, AudioThreadNeitherAllocatesNorLocksWhileSendingAndReceivingRtp) {
    realMutexLock = reinterpret_cast<MutexLock>(dlsym(RTLD_NEXT, "pthread_mutex_lock"));
    audioThreadKnown = false;
    allocations = 0;
    deallocations = 0;
    mutexLocks = 0;
    test::JackServer server(48000, 256);
    ASSERT_TRUE(server.isRunning()) << server.error();

    // Where the engine's streams go: a socket of the test's, so every datagram has a taker.
    boost::asio::io_context io;
    boost::asio::ip::udp::socket sink(
        io, boost::asio::ip::udp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
    const unsigned sinkPort = sink.local_endpoint().port();
    unsigned sourcePort = 0;
    {
        boost::asio::ip::udp::socket probe(
            io, boost::asio::ip::udp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
        sourcePort = probe.local_endpoint().port();
    }

    AudioEngine engine;
    StreamConfig config;
    config.api = "jack";
    config.sampleRate = 0;
    config.autoConnect = false;
    config.source = "rtp://@:" + std::to_string(sourcePort) + "?codec=opus";
    ASSERT_TRUE(engine.open(config));
    auto* rtp = dynamic_cast<RtpSource*>(engine.processor().source());
    ASSERT_NE(rtp, nullptr);
    GainEffect* gain = nullptr;
    ASSERT_TRUE(engine.setChain(probedChain(gain)));
    RtpStreamer streamer(engine.processor().taps());
    std::vector<RtpSendTarget> targets(2);
    for (auto& target : targets) {
        target.host = "127.0.0.1";
        target.port = static_cast<uint16_t>(sinkPort);
    }
    targets[1].codec = RtpCodec::L24;
    ASSERT_TRUE(streamer.start(targets));
    ASSERT_TRUE(engine.start());

    RtpSendTarget incoming;
    incoming.host = "127.0.0.1";
    incoming.port = static_cast<uint16_t>(sourcePort);
    test::PacedRtpSender sender(incoming, 0.0, 1000.0, 0.25f, 30.0);
    ASSERT_TRUE(sender.error().empty()) << sender.error();
    sender.start();
    ASSERT_TRUE(waitUntil([] { return audioThreadKnown.load(); }, 10.0));
    ASSERT_TRUE(waitUntil([&] { return rtp->stats().playing; }, 10.0));

    const uint64_t callbacksBefore = engine.stats().callbacks;
    const uint64_t packetsBefore = rtp->stats().packets;
    counting = true;
    const auto begin = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - begin < std::chrono::seconds(3)) {
        (void)rtp->stats();  // the window's Network dock asks all the time
        (void)streamer.stats();
        engine.poll();
        // Taken off the socket so it never fills; what arrives is not this test's question.
        boost::system::error_code error;
        sink.non_blocking(true);
        std::array<uint8_t, 2048> datagram{};
        while (sink.receive(boost::asio::buffer(datagram), 0, error) > 0 && !error) {
        }
        std::this_thread::sleep_for(std::chrono::microseconds(500));  // pacing, not synchronisation
    }
    counting = false;
    const uint64_t callbacksDuring = engine.stats().callbacks - callbacksBefore;
    const RtpReceiverStats received = rtp->stats();
    streamer.stop();
    sender.stop();
    engine.stop();

    EXPECT_EQ(allocations.load(), 0u) << "allocations on the audio thread";
    EXPECT_EQ(deallocations.load(), 0u) << "frees on the audio thread";
    EXPECT_EQ(mutexLocks.load(), 0u) << "mutex locks on the audio thread";
    // It exercised what it claims: ~560 callbacks, ~300 packets in, both streams out.
    EXPECT_GT(callbacksDuring, 200u);
    EXPECT_GT(received.packets - packetsBefore, 150u);
    EXPECT_TRUE(received.playing);
    for (const RtpStreamStats& stream : streamer.stats()) {
        EXPECT_GT(stream.sender.packets, 150u) << stream.destination;
        EXPECT_EQ(stream.sender.sendErrors, 0u) << stream.destination;
    }
}

// The same proof with the web monitor serving ten browsers: the analysis thread on the taps, the
// server attached to the engine, five listening to the post tap as Opus and five to the pre tap
// as PCM. The audio thread's only part in it is feeding the listen rings.
TEST(RealTimeSafetyTest, AudioThreadNeitherAllocatesNorLocksWhileTenBrowsersListen) {
    realMutexLock = reinterpret_cast<MutexLock>(dlsym(RTLD_NEXT, "pthread_mutex_lock"));
    audioThreadKnown = false;
    allocations = 0;
    deallocations = 0;
    mutexLocks = 0;
    test::JackServer server(48000, 256);
    ASSERT_TRUE(server.isRunning()) << server.error();

    AudioEngine engine;
    StreamConfig config;
    config.api = "jack";
    config.sampleRate = 0;
    config.autoConnect = false;
    ASSERT_TRUE(engine.open(config));
    GainEffect* gain = nullptr;
    ASSERT_TRUE(engine.setChain(probedChain(gain)));

    // Noise in, so the Opus encoder and the meters have real work.
    test::JackTestClient tester("tester", 2);
    const std::vector<std::vector<float>> play = noise(13, 48000 * 10);
    tester.setPlayback(play);
    ASSERT_TRUE(engine.start());
    ASSERT_TRUE(tester.activate());
    ASSERT_TRUE(tester.connectOutputsTo(tester.ports("liverack", JackPortIsInput)));

    SampleTaps& taps = engine.processor().taps();
    AnalysisEngine analysis(taps.analysis(Tap::Pre), taps.analysis(Tap::Post));
    analysis.start(engine.streamInfo().sampleRate, engine.streamInfo().channels);
    WebServerOptions options;
    options.address.port = 0;
    auto started = WebServer::start(options, nullptr);
    ASSERT_TRUE(started) << started.error();
    std::unique_ptr<WebServer> web = std::move(*started);
    web->attach(engineWebSources(engine, analysis));

    constexpr size_t kBrowsers = 10;
    std::vector<std::unique_ptr<test::WebSocketTestClient>> browsers;
    for (size_t i = 0; i < kBrowsers; ++i) {
        browsers.push_back(std::make_unique<test::WebSocketTestClient>());
        ASSERT_TRUE(browsers.back()->connect(web->port())) << i;
        browsers.back()->sendText(i % 2 == 0 ? R"({"type":"listen","tap":"post","codec":"opus"})"
                                             : R"({"type":"listen","tap":"pre","codec":"pcm"})");
        ASSERT_TRUE(browsers.back()->readUntil(R"("type":"listen")", std::chrono::seconds(5))) << i;
    }
    ASSERT_TRUE(waitUntil([] { return audioThreadKnown.load(); }, 10.0));

    // Every browser is read all the while (one short wait each, in turn), so none falls behind
    // far enough to be dropped; the reads also pace the loop.
    std::vector<size_t> audioMessages(kBrowsers, 0);
    const auto readAll = [&](std::vector<size_t>* counts) {
        for (size_t i = 0; i < kBrowsers; ++i) {
            while (auto message = browsers[i]->read(std::chrono::milliseconds(1))) {
                if (counts != nullptr && message->binary) {
                    ++(*counts)[i];
                }
            }
        }
    };
    readAll(nullptr);  // what waited since each listen began is not the streamed window's

    const uint64_t callbacksBefore = engine.stats().callbacks;
    counting = true;
    const auto begin = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - begin < std::chrono::seconds(3)) {
        readAll(&audioMessages);
        engine.poll();
    }
    counting = false;
    const uint64_t callbacksDuring = engine.stats().callbacks - callbacksBefore;
    const WebClientCounts served = web->counts();
    web->detach();
    web.reset();
    analysis.stop();
    engine.stop();

    EXPECT_EQ(allocations.load(), 0u) << "allocations on the audio thread";
    EXPECT_EQ(deallocations.load(), 0u) << "frees on the audio thread";
    EXPECT_EQ(mutexLocks.load(), 0u) << "mutex locks on the audio thread";
    // It exercised what it claims: ~560 callbacks, ten browsers listening throughout, each given
    // one 10 ms message per 10 ms streamed (what the window streamed, however fast the dummy
    // server ran; the factor of two allows for audio in flight at either end of the window).
    EXPECT_GT(callbacksDuring, 200u);
    EXPECT_EQ(served.clients, kBrowsers);
    EXPECT_EQ(served.listeners, kBrowsers);
    const double streamedSeconds =
        double(callbacksDuring) * engine.streamInfo().blockFrames / engine.streamInfo().sampleRate;
    const double expectedMessages = streamedSeconds / (ListenEncoder::kFrameMs / 1000.0);
    for (size_t i = 0; i < kBrowsers; ++i) {
        EXPECT_FALSE(browsers[i]->closed()) << i;
        EXPECT_GT(audioMessages[i], 0u) << i;
        EXPECT_GT(double(audioMessages[i]), expectedMessages / 2.0) << i;
        EXPECT_LT(double(audioMessages[i]), expectedMessages * 2.0) << i;
    }
}

// The same proof with the reference input: LiveRack's refport 1 and 2 fed by the tester in the
// same cycles as its inputs, every block's reference copied and handed to each slot, one slot's
// bypass switched every 100 ms (its crossfades, and the hand-over to a bypassed slot).
TEST(RealTimeSafetyTest, AudioThreadNeitherAllocatesNorLocksWithAReferenceInput) {
    realMutexLock = reinterpret_cast<MutexLock>(dlsym(RTLD_NEXT, "pthread_mutex_lock"));
    audioThreadKnown = false;
    allocations = 0;
    deallocations = 0;
    mutexLocks = 0;
    test::JackServer server(48000, 256);
    ASSERT_TRUE(server.isRunning()) << server.error();

    AudioEngine engine;
    StreamConfig config;
    config.api = "jack";
    config.sampleRate = 0;
    config.autoConnect = false;
    config.referenceInput = true;
    ASSERT_TRUE(engine.open(config));
    std::vector<std::shared_ptr<EffectSlot>> slots;
    slots.push_back(std::make_shared<EffectSlot>(
        std::make_unique<test::AudioThreadProbe>(audioThread, audioThreadKnown)));
    auto owned = std::make_unique<test::ReferenceProbe>();
    test::ReferenceProbe* probe = owned.get();
    slots.push_back(std::make_shared<EffectSlot>(std::move(owned)));
    slots.push_back(std::make_shared<EffectSlot>(std::make_unique<test::ReferenceProbe>(), true));
    std::shared_ptr<EffectSlot> switched = slots.back();
    ASSERT_TRUE(engine.setChain(std::make_unique<EffectChain>(std::move(slots))));

    test::JackTestClient tester("tester", 4);
    const std::vector<std::vector<float>> pair = noise(13, 48000 * 6);
    tester.setPlayback({pair[0], pair[1], pair[1], pair[0]});
    tester.setRecordCapacity(48000);
    ASSERT_TRUE(engine.start());
    ASSERT_TRUE(tester.activate());
    ASSERT_TRUE(tester.connectOutputsTo(
        {"liverack:inport 0", "liverack:inport 1", "liverack:refport 1", "liverack:refport 2"}));
    ASSERT_TRUE(waitUntil([] { return audioThreadKnown.load(); }, 10.0));

    const uint64_t callbacksBefore = engine.stats().callbacks;
    const uint64_t referencesBefore = probe->referencesWithChannels();
    counting = true;
    const auto begin = std::chrono::steady_clock::now();
    auto nextSwitch = begin + std::chrono::milliseconds(100);
    size_t switches = 0;
    while (std::chrono::steady_clock::now() - begin < std::chrono::seconds(3)) {
        if (std::chrono::steady_clock::now() >= nextSwitch) {
            switched->setBypassed(!switched->isBypassed());
            ++switches;
            nextSwitch += std::chrono::milliseconds(100);
        }
        engine.poll();
        std::this_thread::sleep_for(std::chrono::microseconds(500));  // pacing, not synchronisation
    }
    counting = false;
    const uint64_t callbacksDuring = engine.stats().callbacks - callbacksBefore;
    const uint64_t referencesDuring = probe->referencesWithChannels() - referencesBefore;
    engine.stop();

    EXPECT_EQ(allocations.load(), 0u) << "allocations on the audio thread";
    EXPECT_EQ(deallocations.load(), 0u) << "frees on the audio thread";
    EXPECT_EQ(mutexLocks.load(), 0u) << "mutex locks on the audio thread";
    // It exercised what it claims: ~560 callbacks, each handing a reference with channels (the
    // tester's noise reached it), ~30 bypass switches.
    EXPECT_GT(callbacksDuring, 200u);
    EXPECT_GE(referencesDuring, callbacksDuring / 2);
    EXPECT_GT(probe->referencePeak(), 0.4f);
    EXPECT_GE(switches, 25u);
}

}  // namespace
}  // namespace liverack::core
