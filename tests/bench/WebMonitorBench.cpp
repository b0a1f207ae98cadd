// The CPU the web monitor costs: ListenEncoder::push making one 10 ms listen message (Opus, PCM,
// and Opus from a 44.1 kHz stream, which is resampled first), MonitorJson turning a full snapshot
// into text, and the server thread end to end while 0, 1 and 10 browsers listen to a stream fed
// at the pace of 48 kHz. core_fraction is the share of one core the work takes in real time
// (printed with SI prefixes: 7.6m is 0.0076, under 1 % of a core).
#include <benchmark/benchmark.h>
#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/dsp/AudioBuffer.h"
#include "core/engine/SampleTaps.h"
#include "core/net/ListenEncoder.h"
#include "core/net/MonitorJson.h"
#include "core/net/WebServer.h"
#include "core/rt/LatestValue.h"
#include "tests/bench/BenchMusic.h"
#include "tests/support/WebTestClient.h"

namespace liverack::core {
namespace {

constexpr double kFrameSeconds = ListenEncoder::kFrameMs / 1000.0;

using bench::music;

// Every field measured and finite (nothing collapses to null), stereo on both taps, a voiced
// pitch and all 256 bands: the largest snapshot the server sends.
MonitorSnapshot fullSnapshot(uint64_t sequence) {
    MonitorSnapshot m{};
    m.sequence = sequence;
    for (LevelSnapshot* levels : {&m.preLevels, &m.postLevels}) {
        levels->sequence = sequence;
        levels->streamTimeSeconds = 12.345678;
        levels->channelCount = 2;
        levels->channels[0] = {-6.123f, -14.987f, -3.456f, 2};
        levels->channels[1] = {-7.891f, -15.432f, -4.567f, 0};
    }
    m.loudness = {sequence, 12.3, -14.21f, -15.77f, -16.03f, 7.91f, -2.87f};
    m.pitch.sequence = sequence;
    m.pitch.voiced = true;
    m.pitch.hz = 220.0137f;
    m.pitch.confidence = 0.973f;
    m.pitch.midiNote = 57;
    m.pitch.cents = 0.1f;
    m.pitch.referenceA4Hz = 440.0f;
    std::strcpy(m.pitch.noteName.data(), "A3");
    m.spectrumSampleRate = 48000.0;
    m.spectrumFftSize = 8192;
    m.spectrumPeakHz = 220.013f;
    m.spectrumPeakDb = -9.54f;
    m.spectrumMinHz = kMonitorSpectrumMinHz;
    m.spectrumMaxHz = kMonitorSpectrumMaxHz;
    for (size_t i = 0; i < m.spectrumDb.size(); ++i) {
        m.spectrumDb[i] = float(-30.0 - 0.2 * double(i) + 7.3 * std::sin(0.37 * double(i)));
    }
    return m;
}

WebStreamFacts streamFacts() {
    WebStreamFacts facts;
    facts.api = "JACK";
    facts.source = "input";
    facts.sampleRate = 48000.0;
    facts.blockFrames = 256;
    facts.channels = 2;
    facts.latencyMs = 10.67;
    facts.dspLoad = 3.2;
    facts.dspLoadMax = 7.9;
    facts.running = true;
    return facts;
}

// One push of 10 ms of stereo audio at the stream's rate: one message at 48 kHz; from 44.1 kHz,
// 441 frames resampled to 480 (one message, give or take the resampler's own delay).
void BM_ListenEncoderPushTenMs(benchmark::State& state) {
    const auto codec = static_cast<ListenCodec>(state.range(0));
    const double rate = static_cast<double>(state.range(1));
    auto encoder = ListenEncoder::open(codec, rate, 2);
    if (!encoder) {
        state.SkipWithError(encoder.error().c_str());
        return;
    }
    const auto frames = static_cast<size_t>(std::lround(rate * kFrameSeconds));
    const auto audio = music(rate, static_cast<size_t>(rate));
    std::vector<std::shared_ptr<const std::string>> out;
    out.reserve(4);
    size_t at = 0;
    size_t messages = 0;
    const auto begin = std::chrono::steady_clock::now();
    for (auto _ : state) {
        const float* channels[2] = {audio[0].data() + at, audio[1].data() + at};
        out.clear();
        (*encoder)->push(channels, frames, 0.0, out);
        messages += out.size();
        benchmark::DoNotOptimize(out.data());
        at = at + 2 * frames <= audio[0].size() ? at + frames : 0;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    state.counters["messages_per_push"] = double(messages) / double(state.iterations());
    // Wall time per 10 ms of audio over 10 ms (the loop's own cost is nanoseconds). Benchmark's
    // kIsRate | kInvert would give the same figure but print it as a time ("7.2ms").
    state.counters["core_fraction"] = seconds / (double(state.iterations()) * kFrameSeconds);
}
BENCHMARK(BM_ListenEncoderPushTenMs)
    ->ArgNames({"codec", "rate"})
    ->Args({static_cast<int>(ListenCodec::Opus), 48000})
    ->Args({static_cast<int>(ListenCodec::Pcm16), 48000})
    ->Args({static_cast<int>(ListenCodec::Opus), 44100})
    ->Unit(benchmark::kMicrosecond);

// The JSON of one full snapshot, as text: what the server builds 60 times a second (once for all
// sessions).
void BM_MonitorJsonSnapshotDump(benchmark::State& state) {
    const MonitorSnapshot monitor = fullSnapshot(1);
    const WebStreamFacts facts = streamFacts();
    const WebClientCounts web{10, 10, false};
    size_t bytes = 0;
    const auto begin = std::chrono::steady_clock::now();
    for (auto _ : state) {
        const std::string text = MonitorJson::snapshot(monitor, facts, web).dump();
        bytes = text.size();
        benchmark::DoNotOptimize(text.data());
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    state.counters["bytes"] = double(bytes);
    // The time of 60 snapshots: the share of a core at 60 Hz.
    state.counters["core_fraction_60hz"] = 60.0 * seconds / double(state.iterations());
}
BENCHMARK(BM_MonitorJsonSnapshotDump)->Unit(benchmark::kMicrosecond);

// --- End to end: the server's thread, measured from outside by its CPU clock in /proc. ---

constexpr double kRate = 48000.0;
constexpr uint32_t kFeedBlock = 256;
// Clock ticks are 10 ms: 5 s resolve 0.2 % of a core.
constexpr double kIdleSeconds = 2.0;
constexpr double kWarmUpSeconds = 0.5;
constexpr double kMeasureSeconds = 5.0;

std::set<int> taskIds() {
    std::set<int> ids;
    if (DIR* tasks = opendir("/proc/self/task")) {
        while (const dirent* entry = readdir(tasks)) {
            if (entry->d_name[0] != '.') {
                ids.insert(std::atoi(entry->d_name));
            }
        }
        closedir(tasks);
    }
    return ids;
}

// A thread's CPU time in seconds: utime + stime from its stat (clock ticks, as top counts), and
// sum_exec_runtime from its schedstat (nanoseconds: a thread that runs for tens of microseconds
// every 5 ms is seen exactly, where ticks only sample it). Negative when unreadable.
struct ThreadCpu {
    double ticksSeconds = -1.0;
    double execSeconds = -1.0;
};

ThreadCpu threadCpu(int tid) {
    ThreadCpu cpu;
    const std::string task = "/proc/self/task/" + std::to_string(tid);
    std::ifstream statFile(task + "/stat");
    std::string stat((std::istreambuf_iterator<char>(statFile)), std::istreambuf_iterator<char>());
    // The name (field 2) may hold spaces: fields are counted from its closing parenthesis, which
    // field 3 (state) follows; utime and stime are fields 14 and 15.
    const size_t close = stat.rfind(')');
    if (close != std::string::npos) {
        std::istringstream fields(stat.substr(close + 1));
        std::string field;
        unsigned long long utime = 0;
        unsigned long long stime = 0;
        for (int number = 3; number <= 15 && (fields >> field); ++number) {
            if (number == 14) {
                utime = std::strtoull(field.c_str(), nullptr, 10);
            } else if (number == 15) {
                stime = std::strtoull(field.c_str(), nullptr, 10);
                cpu.ticksSeconds = double(utime + stime) / double(sysconf(_SC_CLK_TCK));
            }
        }
    }
    std::ifstream schedstat(task + "/schedstat");
    unsigned long long ns = 0;
    if (schedstat >> ns) {
        cpu.execSeconds = double(ns) * 1e-9;
    }
    return cpu;
}

// The audio thread's part: blocks of kFeedBlock frames into both taps at the pace of 48 kHz, and
// a new monitor snapshot after each (as the analysis thread publishes after every pass).
class Feeder {
public:
    Feeder(SampleTaps& taps, LatestValue<MonitorSnapshot>& monitor)
        : taps_(taps), monitor_(monitor), audio_(music(kRate, size_t(kRate))) {
        block_.resize(2, kFeedBlock);
        thread_ = std::thread([this] { run(); });
    }
    ~Feeder() {
        stop_ = true;
        thread_.join();
    }
    Feeder(const Feeder&) = delete;
    Feeder& operator=(const Feeder&) = delete;

private:
    void run() {
        const auto period = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::duration<double>(kFeedBlock / kRate));
        auto next = std::chrono::steady_clock::now();
        size_t at = 0;
        uint64_t sequence = 0;
        MonitorSnapshot snapshot = fullSnapshot(0);
        while (!stop_) {
            for (uint32_t c = 0; c < 2; ++c) {
                std::copy_n(audio_[c].data() + at, kFeedBlock, block_.channel(c));
            }
            at = at + 2 * kFeedBlock <= audio_[0].size() ? at + kFeedBlock : 0;
            taps_.beginBlock();
            taps_.feed(Tap::Pre, block_.block(kFeedBlock));
            taps_.feed(Tap::Post, block_.block(kFeedBlock));
            snapshot.sequence = ++sequence;
            monitor_.publish(snapshot);
            next += period;
            std::this_thread::sleep_until(next);  // the stream's pace
        }
    }

    SampleTaps& taps_;
    LatestValue<MonitorSnapshot>& monitor_;
    std::vector<std::vector<float>> audio_;
    AudioBuffer block_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

using Browsers = std::vector<std::unique_ptr<test::WebSocketTestClient>>;

// Reads every browser (a short wait each, in turn) for `seconds`, as a page does; the binary
// messages each received. With none, it only waits.
size_t readFor(Browsers& browsers, double seconds) {
    const auto end = std::chrono::steady_clock::now() +
                     std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                         std::chrono::duration<double>(seconds));
    size_t audio = 0;
    while (std::chrono::steady_clock::now() < end) {
        if (browsers.empty()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));  // nobody to read
        }
        for (auto& browser : browsers) {
            while (auto message = browser->read(std::chrono::milliseconds(1))) {
                audio += message->binary;
            }
        }
    }
    return audio;
}

// One iteration is one second of stream: its (manual) time is the server thread's CPU time per
// second, so 10 ms is 1 % of a core. Half the listeners take Opus, half PCM, all the post tap.
void BM_WebServerCpuPerListener(benchmark::State& state) {
    const auto listeners = static_cast<size_t>(state.range(0));
    SampleTaps taps;
    taps.prepare(kRate, 2, kFeedBlock);
    LatestValue<MonitorSnapshot> monitor;

    const std::set<int> before = taskIds();
    WebServerOptions options;
    options.address.port = 0;
    auto started = WebServer::start(options, nullptr);
    if (!started) {
        state.SkipWithError(started.error().c_str());
        return;
    }
    std::unique_ptr<WebServer> server = std::move(*started);
    std::vector<int> created;
    for (int id : taskIds()) {
        if (before.count(id) == 0) {
            created.push_back(id);
        }
    }
    if (created.size() != 1) {
        state.SkipWithError("WebServer::start did not create exactly one thread");
        return;
    }
    const int serverThread = created.front();
    WebSources sources;
    sources.monitor = &monitor;
    sources.taps = &taps;
    sources.facts = streamFacts;
    server->attach(sources);
    auto feeder = std::make_unique<Feeder>(taps, monitor);
    Browsers browsers;

    const auto measure = [&](double seconds, size_t* audioMessages) {
        const ThreadCpu start = threadCpu(serverThread);
        const auto wallStart = std::chrono::steady_clock::now();
        const size_t audio = readFor(browsers, seconds);
        const double wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
        const ThreadCpu end = threadCpu(serverThread);
        if (audioMessages != nullptr) {
            *audioMessages = audio;
        }
        return ThreadCpu{(end.ticksSeconds - start.ticksSeconds) / wall,
                         (end.execSeconds - start.execSeconds) / wall};
    };

    ThreadCpu idle;
    ThreadCpu serving;
    size_t audioMessages = 0;
    for (auto _ : state) {
        if (listeners > 0) {
            idle = measure(kIdleSeconds, nullptr);
        }
        for (size_t i = 0; i < listeners; ++i) {
            browsers.push_back(std::make_unique<test::WebSocketTestClient>());
            if (!browsers.back()->connect(server->port())) {
                state.SkipWithError("a browser could not connect");
                return;
            }
            browsers.back()->sendText(i % 2 == 0
                                          ? R"({"type":"listen","tap":"post","codec":"opus"})"
                                          : R"({"type":"listen","tap":"post","codec":"pcm"})");
            if (!browsers.back()->readUntil(R"("type":"listen")", std::chrono::seconds(5))) {
                state.SkipWithError("a browser was not answered its listen");
                return;
            }
        }
        readFor(browsers, kWarmUpSeconds);  // encoders started, sockets' buffers settled
        serving = measure(kMeasureSeconds, &audioMessages);
        state.SetIterationTime(serving.ticksSeconds);
    }
    if (listeners == 0) {
        idle = serving;
    }
    const size_t listening = server->counts().listeners;
    server->detach();
    feeder.reset();
    browsers.clear();
    server.reset();

    state.counters["server_pct"] = 100.0 * serving.ticksSeconds;
    state.counters["server_pct_ns"] = 100.0 * serving.execSeconds;
    state.counters["idle_pct_ns"] = 100.0 * idle.execSeconds;
    if (listeners > 0) {
        // Above the same server with nobody connected, measured just before in the same run.
        state.counters["per_listener_pct"] =
            100.0 * (serving.ticksSeconds - idle.ticksSeconds) / double(listeners);
        state.counters["per_listener_pct_ns"] =
            100.0 * (serving.execSeconds - idle.execSeconds) / double(listeners);
        state.counters["msgs_per_listener_s"] =
            double(audioMessages) / double(listeners) / kMeasureSeconds;
    }
    state.counters["listening"] = double(listening);
}
BENCHMARK(BM_WebServerCpuPerListener)
    ->ArgName("listeners")
    ->Arg(0)
    ->Arg(1)
    ->Arg(10)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace liverack::core
