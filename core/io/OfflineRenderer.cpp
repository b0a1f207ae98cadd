#include "core/io/OfflineRenderer.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/dsp/AudioBuffer.h"
#include "core/io/AudioFileReader.h"
#include "core/io/AudioFileWriter.h"

namespace liverack::core {
namespace {

// Progress about every this many input frames (and once at the end).
constexpr int64_t kProgressIntervalFrames = 1 << 18;
// Reading, processing and writing overlap on three threads, handing chunks of about this many
// frames around a small pool: the chain never waits on the disk, nor the disk on the chain.
constexpr uint32_t kChunkTargetFrames = 16384;
constexpr size_t kChunkPoolSize = 4;

// A hand-over of chunk indices between the render's threads. None of them is an audio thread,
// so a mutex and a condition variable are the right tools.
class ChunkQueue {
public:
    void push(size_t index) {
        {
            std::lock_guard lock(mutex_);
            items_.push_back(index);
        }
        ready_.notify_one();
    }
    // The next index; nothing once the queue is closed and empty.
    std::optional<size_t> pop() {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return !items_.empty() || closed_; });
        if (items_.empty()) {
            return std::nullopt;
        }
        const size_t index = items_.front();
        items_.pop_front();
        return index;
    }
    void close() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
        }
        ready_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<size_t> items_;
    bool closed_ = false;
};

struct Chunk {
    AudioBuffer audio;
    uint32_t frames = 0;
    int64_t framesReadSoFar = 0;  // input frames read up to and including this chunk
};

int64_t replaceNonFinite(const AudioBlock& block) noexcept {
    int64_t replaced = 0;
    for (uint32_t c = 0; c < block.channelCount(); ++c) {
        float* samples = block.channel(c);
        for (uint32_t i = 0; i < block.frameCount(); ++i) {
            if (!std::isfinite(samples[i])) {
                samples[i] = 0.0f;
                ++replaced;
            }
        }
    }
    return replaced;
}

// Integer formats cannot hold the headroom float keeps: beyond full scale is clipped here, and
// counted, rather than left to wrap around (libsndfile's FLAC encoder refuses such samples).
int64_t clipToFullScale(const AudioBlock& block) noexcept {
    int64_t clipped = 0;
    for (uint32_t c = 0; c < block.channelCount(); ++c) {
        float* samples = block.channel(c);
        for (uint32_t i = 0; i < block.frameCount(); ++i) {
            if (std::abs(samples[i]) > 1.0f) {
                samples[i] = std::clamp(samples[i], -1.0f, 1.0f);
                ++clipped;
            }
        }
    }
    return clipped;
}

}  // namespace

Result<RenderSummary> OfflineRenderer::render(EffectChain& chain, const std::string& inputPath,
                                              const std::string& outputPath,
                                              const RenderOptions& options) {
    if (options.blockFrames < 1 || options.blockFrames > RenderOptions::kMaxBlockFrames) {
        return Error{"the block size must be 1 to " +
                     std::to_string(RenderOptions::kMaxBlockFrames) + " frames, not " +
                     std::to_string(options.blockFrames)};
    }
    auto format = AudioFileWriter::formatForPath(outputPath);
    if (!format) {
        return Error{format.error()};
    }
    auto opened = AudioFileReader::open(inputPath);
    if (!opened) {
        return Error{opened.error()};
    }
    AudioFileReader& reader = **opened;

    RenderSummary summary;
    summary.sampleRate = reader.sampleRate();
    summary.channels = reader.channelCount();
    const ProcessSpec spec{summary.sampleRate, options.blockFrames, summary.channels};
    chain.prepare(spec);
    chain.reset();  // a chain prepared before may hold another file's tail
    summary.latencyFrames = chain.latencyFrames();

    auto created = AudioFileWriter::create(outputPath, summary.sampleRate, summary.channels,
                                           *format, WriteMode::Atomic);
    if (!created) {
        return Error{created.error()};
    }
    AudioFileWriter& writer = **created;  // deleting the partial file unless committed

    const bool integerOutput = *format != AudioFileFormat::WavFloat32;
    const uint32_t blockFrames = options.blockFrames;
    // A whole number of blocks, so the chain sees exactly the blocks a one-thread loop would.
    const uint32_t chunkFrames = blockFrames * std::max(1u, kChunkTargetFrames / blockFrames);
    std::vector<Chunk> chunks(kChunkPoolSize);
    for (auto& chunk : chunks) {
        chunk.audio.resize(summary.channels, chunkFrames);
    }
    ChunkQueue freeChunks;
    ChunkQueue readChunks;
    ChunkQueue processedChunks;
    for (size_t i = 0; i < chunks.size(); ++i) {
        freeChunks.push(i);
    }

    std::string readError;
    std::thread readThread([&] {
        while (const auto index = freeChunks.pop()) {
            Chunk& chunk = chunks[*index];
            const int64_t got = reader.read(chunk.audio.block(chunkFrames));
            if (got <= 0) {
                if (got < 0) {
                    readError = reader.error();
                }
                break;
            }
            chunk.frames = static_cast<uint32_t>(got);
            readChunks.push(*index);
        }
        readChunks.close();
    });

    // Writes each processed chunk minus what latency compensation drops, and never more than was
    // read: the output is exactly as long as the input.
    std::string writeError;
    std::atomic<bool> writeFailed{false};
    std::thread writeThread([&] {
        std::vector<float*> offsetChannels(summary.channels);
        int64_t toDrop = summary.latencyFrames;
        while (const auto index = processedChunks.pop()) {
            Chunk& chunk = chunks[*index];
            const AudioBlock block = chunk.audio.block(chunk.frames);
            summary.nonFiniteSamples += replaceNonFinite(block);
            const auto dropped = static_cast<uint32_t>(std::min<int64_t>(toDrop, chunk.frames));
            toDrop -= dropped;
            const auto wanted = static_cast<uint32_t>(std::min<int64_t>(
                chunk.frames - dropped, chunk.framesReadSoFar - writer.framesWritten()));
            if (wanted > 0 && !writeFailed.load()) {
                for (uint32_t c = 0; c < summary.channels; ++c) {
                    offsetChannels[c] = block.channel(c) + dropped;
                }
                const AudioBlock out(offsetChannels.data(), summary.channels, wanted);
                if (integerOutput) {
                    summary.clippedSamples += clipToFullScale(out);
                }
                if (auto written = writer.write(out); !written) {
                    writeError = written.error();
                    writeFailed.store(true);
                }
            }
            freeChunks.push(*index);  // back to the reader (or to the tail below)
        }
    });

    // This thread runs the chain, block by block, exactly as the live engine would.
    std::vector<float*> offsetPointers(summary.channels);
    const auto processChunk = [&](Chunk& chunk) {
        for (uint32_t offset = 0; offset < chunk.frames; offset += blockFrames) {
            const uint32_t n = std::min(blockFrames, chunk.frames - offset);
            for (uint32_t c = 0; c < summary.channels; ++c) {
                offsetPointers[c] = chunk.audio.channel(c) + offset;
            }
            chain.process(AudioBlock(offsetPointers.data(), summary.channels, n));
        }
    };
    int64_t framesRead = 0;
    int64_t nextProgress = kProgressIntervalFrames;
    while (const auto index = readChunks.pop()) {
        Chunk& chunk = chunks[*index];
        processChunk(chunk);
        framesRead += chunk.frames;
        chunk.framesReadSoFar = framesRead;
        processedChunks.push(*index);
        if (options.progress && framesRead >= nextProgress) {
            options.progress(framesRead, reader.frameCount());
            nextProgress = framesRead + kProgressIntervalFrames;
        }
        if (writeFailed.load()) {
            break;
        }
    }
    // Flush the latency tail with silence: as many whole blocks as cover the latency.
    int64_t tailFrames =
        static_cast<int64_t>((summary.latencyFrames + blockFrames - 1) / blockFrames) * blockFrames;
    while (tailFrames > 0 && readError.empty() && !writeFailed.load()) {
        const auto index = freeChunks.pop();
        if (!index) {
            break;
        }
        Chunk& chunk = chunks[*index];
        chunk.frames = static_cast<uint32_t>(std::min<int64_t>(tailFrames, chunkFrames));
        chunk.audio.block(chunk.frames).clear();
        processChunk(chunk);
        chunk.framesReadSoFar = framesRead;
        tailFrames -= chunk.frames;
        processedChunks.push(*index);
    }
    freeChunks.close();  // stops the reader if the render ended early
    processedChunks.close();
    readThread.join();
    writeThread.join();
    if (!readError.empty()) {
        return Error{readError};
    }
    if (writeFailed.load()) {
        return Error{writeError};
    }
    if (auto committed = writer.commit(); !committed) {
        return Error{committed.error()};
    }
    if (options.progress) {
        options.progress(framesRead, framesRead);
    }
    summary.frames = framesRead;
    return summary;
}

}  // namespace liverack::core
