// Cost of the analysis: the whole live analysis of a stereo 48 kHz stream (levels pre and post,
// R128 loudness with true peak, an 8192-point spectrum at 75% overlap with spectrogram columns,
// pitch) as a share of one core; true peak alone, TruePeakMeter against libebur128's; the pitch
// detector per frame; and `analyze` of a 10-minute stereo file as a multiple of real time.
#include <benchmark/benchmark.h>
#include <ebur128.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <numbers>
#include <random>
#include <vector>

#include "core/analysis/FileAnalyzer.h"
#include "core/analysis/LevelMeter.h"
#include "core/analysis/LoudnessMeter.h"
#include "core/analysis/PitchDetector.h"
#include "core/analysis/SpectrumAnalyzer.h"
#include "core/analysis/TruePeakMeter.h"
#include "core/io/AudioFileWriter.h"

namespace liverack::core {
namespace {

constexpr double kRate = 48000.0;

// A stereo test programme: a 10-harmonic tone whose note changes every half second, plus noise.
std::vector<float> programme(size_t frames, uint32_t seed) {
    std::vector<float> x(frames);
    std::mt19937 random(seed);
    std::normal_distribution<float> noise(0.0f, 0.01f);
    for (size_t i = 0; i < frames; ++i) {
        const double hz = 110.0 * std::pow(2.0, double((i / 24000) % 24) / 12.0);
        double s = 0.0;
        for (int h = 1; h <= 10; ++h) {
            s += std::sin(2.0 * std::numbers::pi * hz * h * double(i) / kRate) / h;
        }
        x[i] = static_cast<float>(0.2 * s) + noise(random);
    }
    return x;
}

// One second of stream per iteration, in 512-frame chunks as the analysis thread pops them.
void BM_LiveAnalysisOfStereo48kStream(benchmark::State& state) {
    const std::vector<float> left = programme(size_t(kRate), 1);
    const std::vector<float> right = programme(size_t(kRate), 2);
    LevelMeter pre, post;
    pre.prepare(kRate, 2);
    post.prepare(kRate, 2);
    LoudnessMeter loudness;
    (void)loudness.prepare(kRate, 2, LoudnessMeter::History::Bounded);
    SpectrumAnalyzer spectrum;
    (void)spectrum.prepare(kRate);
    spectrum.configure({8192, SpectrumWindow::Hann, 0.75f, 0.1f});
    PitchDetector pitch;
    (void)pitch.prepare(kRate);
    std::vector<float> mono(512);
    SpectrogramColumn column{};
    auto snapshot = std::make_unique<SpectrumSnapshot>();
    constexpr uint32_t kChunk = 512;
    for (auto _ : state) {
        for (size_t done = 0; done + kChunk <= left.size(); done += kChunk) {
            const float* channels[2] = {left.data() + done, right.data() + done};
            pre.process(channels, kChunk);
            post.process(channels, kChunk);
            benchmark::DoNotOptimize(post.level(0));
            loudness.process(channels, kChunk);
            for (uint32_t i = 0; i < kChunk; ++i) {
                mono[i] = 0.5f * (channels[0][i] + channels[1][i]);
            }
            bool fresh = false;
            spectrum.process(mono.data(), kChunk, [&] {
                spectrum.fillColumn(column);
                fresh = true;
            });
            if (fresh) {
                spectrum.fillSnapshot(*snapshot);
            }
            pitch.process(mono.data(), kChunk,
                          [](const PitchEstimate& e) { benchmark::DoNotOptimize(e.hz); });
            // The snapshot's loudness figures, read every 50 ms.
            if ((done / kChunk) % 5 == 0) {
                benchmark::DoNotOptimize(loudness.momentaryLufs());
                benchmark::DoNotOptimize(loudness.shortTermLufs());
                benchmark::DoNotOptimize(loudness.integratedLufs());
                benchmark::DoNotOptimize(loudness.loudnessRangeLu());
                benchmark::DoNotOptimize(loudness.truePeakDbtp());
            }
        }
    }
    // Each iteration is one second of audio, so seconds per iteration x 100 = % of one core:
    // kIsRate | kInvert reports elapsed / value, and value = iterations / 100.
    state.counters["core_percent"] =
        benchmark::Counter(double(state.iterations()) / 100.0,
                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_LiveAnalysisOfStereo48kStream)->Unit(benchmark::kMillisecond)->UseRealTime();

// True peak of a stereo 48 kHz stream in 512-frame chunks, as a share of one core. arg 0 =
// TruePeakMeter (what LiveRack measures with, 8x), 1 = libebur128 in EBUR128_MODE_TRUE_PEAK (what
// it measured with before; the mode also runs the K-weighting filter, ~0.06 % of that).
void BM_TruePeakOfStereo48kStream(benchmark::State& state) {
    constexpr uint32_t kChunk = 512;
    const std::vector<float> left = programme(size_t(kRate), 1);
    const std::vector<float> right = programme(size_t(kRate), 2);
    std::vector<float> interleaved(2 * left.size());
    for (size_t i = 0; i < left.size(); ++i) {
        interleaved[2 * i] = left[i];
        interleaved[2 * i + 1] = right[i];
    }
    TruePeakMeter ours;
    if (!ours.prepare(kRate, 2)) {
        state.SkipWithError("prepare failed");
        return;
    }
    ebur128_state* theirs =
        ebur128_init(2, static_cast<unsigned long>(kRate), EBUR128_MODE_TRUE_PEAK);
    for (auto _ : state) {
        for (size_t at = 0; at + kChunk <= left.size(); at += kChunk) {
            if (state.range(0) == 0) {
                const float* channels[2] = {left.data() + at, right.data() + at};
                ours.process(channels, kChunk);
            } else {
                ebur128_add_frames_float(theirs, interleaved.data() + 2 * at, kChunk);
            }
        }
        benchmark::DoNotOptimize(ours.peak(0));
    }
    ebur128_destroy(&theirs);
    state.counters["core_percent"] =
        benchmark::Counter(double(state.iterations()) / 100.0,
                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_TruePeakOfStereo48kStream)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The pitch detector on one frame (2048 samples at 48 kHz) of a sawtooth. args: 0 = 440 Hz (short
// refinement), 1 = 82.4 Hz (E2: the long refinement), 2 = white noise (unvoiced), 3 = 41.2 Hz (E1,
// under two periods in the frame), 4 = 41.25 Hz from a phase where the long refinement fails and
// the full-band check runs (the slowest path).
void BM_PitchDetectorFrame(benchmark::State& state) {
    PitchDetector pitch;
    (void)pitch.prepare(kRate);
    std::vector<float> x(pitch.historySize());
    std::mt19937 random(3);
    std::normal_distribution<float> noise(0.0f, 0.1f);
    const double hzOf[] = {440.0, 82.4, 0.0, 41.2, 41.25};
    const double hz = hzOf[state.range(0)];
    const double start = state.range(0) == 4 ? 300.0 : 0.0;
    for (size_t i = 0; i < x.size() && hz > 0.0; ++i) {
        double s = 0.0;
        for (int h = 1; h * hz < kRate / 2; ++h) {
            s += std::sin(2.0 * std::numbers::pi * hz * h * (start + double(i)) / kRate) / h;
        }
        x[i] = static_cast<float>(0.3 * s);
    }
    if (hz == 0.0) {
        for (auto& v : x) {
            v = noise(random);
        }
    }
    for (auto _ : state) {
        benchmark::DoNotOptimize(pitch.analyze(x.data()));
    }
    state.SetLabel(std::to_string(pitch.frameSize()) + "-sample frame");
}
BENCHMARK(BM_PitchDetectorFrame)->DenseRange(0, 4)->Unit(benchmark::kMicrosecond);

void BM_SpectrumFrame(benchmark::State& state) {
    SpectrumAnalyzer spectrum;
    (void)spectrum.prepare(kRate);
    const auto size = static_cast<uint32_t>(state.range(0));
    spectrum.configure({size, SpectrumWindow::Hann, 0.75f, 0.1f});
    const std::vector<float> x = programme(spectrum.hopFrames(), 4);
    for (auto _ : state) {
        spectrum.process(x.data(), x.size());  // exactly one frame
    }
}
BENCHMARK(BM_SpectrumFrame)->Arg(2048)->Arg(8192)->Arg(32768)->Unit(benchmark::kMicrosecond);

// FileAnalyzer (the whole of `liverack analyze`) on a 10-minute stereo 48 kHz 16-bit WAV.
void BM_AnalyzeTenMinuteStereoFile(benchmark::State& state) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("liverack-analysis-bench-" + std::to_string(::getpid()) + ".wav");
    {
        auto writer = AudioFileWriter::create(path.string(), kRate, 2, AudioFileFormat::WavPcm16);
        if (!writer) {
            state.SkipWithError(writer.error().c_str());
            return;
        }
        const std::vector<float> left = programme(size_t(kRate * 12), 5);
        const std::vector<float> right = programme(size_t(kRate * 12), 6);
        float* channels[2] = {const_cast<float*>(left.data()), const_cast<float*>(right.data())};
        for (int i = 0; i < 50; ++i) {  // 50 x 12 s
            (void)(*writer)->write(AudioBlock(channels, 2, uint32_t(left.size())));
        }
        (void)(*writer)->commit();
    }
    for (auto _ : state) {
        auto result = FileAnalyzer::analyze(path.string());
        benchmark::DoNotOptimize(result);
    }
    std::filesystem::remove(path);
    state.counters["x_realtime"] =
        benchmark::Counter(600.0 * double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_AnalyzeTenMinuteStereoFile)->Unit(benchmark::kSecond)->Iterations(2)->UseRealTime();

}  // namespace
}  // namespace liverack::core
