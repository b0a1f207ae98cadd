// Speed of the file paths: how much faster than real time the FileSource reader decodes (and
// resamples 44.1 -> 48 kHz at libsoxr's very-high quality), what the audio thread pays per block to
// copy out of the ring, and how fast the recorder's growing-file writes go (the header is rewritten
// after every chunk) compared with a plain atomic write.
#include <benchmark/benchmark.h>

#include <random>

#include "core/io/AudioFileWriter.h"
#include "core/io/FileSource.h"
#include "tests/support/SndfileIo.h"
#include "tests/support/TempFolder.h"

namespace liverack::core {
namespace {

std::vector<std::vector<float>> noise(size_t frames) {
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> value(-0.5f, 0.5f);
    std::vector<std::vector<float>> out(2, std::vector<float>(frames));
    for (auto& channel : out) {
        for (float& s : channel) {
            s = value(rng);
        }
    }
    return out;
}

// One iteration fills the whole 2 s ring (prepare() decodes synchronously before starting the
// reader thread). Counter "x_realtime": seconds of stream audio made per second of CPU.
void BM_FileSourceFillRing(benchmark::State& state) {
    const double fileRate = static_cast<double>(state.range(0));
    test::TempFolder folder;
    const std::string path = folder.file("in.wav");
    test::writeFloatWav(path, fileRate, noise(static_cast<size_t>(fileRate * 3)));
    for (auto _ : state) {
        state.PauseTiming();
        auto source = FileSource::open(path, true);
        state.ResumeTiming();
        source.value()->prepare({48000.0, 256, 2});
        state.PauseTiming();
        source.value().reset();  // joins the reader thread: not part of the fill
        state.ResumeTiming();
    }
    state.counters["x_realtime"] =
        benchmark::Counter(FileSource::kRingSeconds * static_cast<double>(state.iterations()),
                           benchmark::Counter::kIsRate);
    state.SetLabel(fileRate == 48000.0 ? "48 kHz file, no resampling"
                                       : "44.1 kHz file, resampled to 48 kHz (soxr VHQ)");
}
BENCHMARK(BM_FileSourceFillRing)->Arg(48000)->Arg(44100)->Unit(benchmark::kMillisecond);

// The audio thread's share: 256-frame stereo blocks copied out of a full ring (each iteration
// plays 300 blocks from a freshly filled ring, so no block is an underrun). items = blocks.
void BM_FileSourceProcessBlock(benchmark::State& state) {
    test::TempFolder folder;
    const std::string path = folder.file("in.wav");
    test::writeFloatWav(path, 48000, noise(48000 * 3));
    AudioBuffer buffer(2, 256);
    uint64_t underruns = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto source = FileSource::open(path, true);
        FileSource& file = *source.value();
        file.prepare({48000.0, 256, 2});
        state.ResumeTiming();
        for (int b = 0; b < 300; ++b) {
            file.process(buffer.block());
            benchmark::DoNotOptimize(buffer.channel(0)[0]);
        }
        state.PauseTiming();
        underruns += file.underrunFrames();
        source.value().reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * 300);
    state.counters["underrun_frames"] = static_cast<double>(underruns);
}
BENCHMARK(BM_FileSourceProcessBlock);

// 8192-frame stereo chunks (what the disk thread writes at a time) to a 32-bit float WAV.
// Counter "x_realtime" is seconds of 48 kHz audio written per second.
void BM_RecorderChunkWrite(benchmark::State& state) {
    const auto mode = state.range(0) == 0 ? WriteMode::Growing : WriteMode::Atomic;
    test::TempFolder folder;
    const auto chunk = noise(8192);
    float* pointers[2] = {const_cast<float*>(chunk[0].data()), const_cast<float*>(chunk[1].data())};
    const AudioBlock block(pointers, 2, 8192);
    auto writer = AudioFileWriter::create(folder.file("out.wav"), 48000, 2,
                                          AudioFileFormat::WavFloat32, mode);
    for (auto _ : state) {
        if (!writer.value()->write(block)) {
            state.SkipWithError("write failed");
            break;
        }
    }
    writer.value()->abandon();
    state.counters["x_realtime"] = benchmark::Counter(
        8192.0 / 48000.0 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * 8192 * 2 * 4);
    state.SetLabel(mode == WriteMode::Growing ? "growing (header kept current)" : "atomic");
}
BENCHMARK(BM_RecorderChunkWrite)->Arg(0)->Arg(1);

}  // namespace
}  // namespace liverack::core
