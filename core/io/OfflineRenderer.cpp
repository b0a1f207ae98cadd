#include "core/io/OfflineRenderer.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/dsp/AudioBuffer.h"
#include "core/io/AudioFileReader.h"
#include "core/io/AudioFileWriter.h"

namespace liverack::core {
namespace {

// Progress about every this many input frames (and once at the end).
constexpr int64_t kProgressIntervalFrames = 1 << 18;

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
    AudioBuffer buffer(summary.channels, options.blockFrames);
    std::vector<float*> offsetChannels(summary.channels);
    int64_t framesRead = 0;
    int64_t toDrop = summary.latencyFrames;
    int64_t nextProgress = kProgressIntervalFrames;

    // Writes the processed block minus what latency compensation drops, and never more than was
    // read: the output is exactly as long as the input.
    auto emit = [&](AudioBlock block) -> Status {
        summary.nonFiniteSamples += replaceNonFinite(block);
        const auto dropped = static_cast<uint32_t>(std::min<int64_t>(toDrop, block.frameCount()));
        toDrop -= dropped;
        const auto wanted = static_cast<uint32_t>(
            std::min<int64_t>(block.frameCount() - dropped, framesRead - writer.framesWritten()));
        if (wanted == 0) {
            return {};
        }
        for (uint32_t c = 0; c < summary.channels; ++c) {
            offsetChannels[c] = block.channel(c) + dropped;
        }
        const AudioBlock out(offsetChannels.data(), summary.channels, wanted);
        if (integerOutput) {
            summary.clippedSamples += clipToFullScale(out);
        }
        return writer.write(out);
    };

    for (;;) {
        const int64_t got = reader.read(buffer.block(options.blockFrames));
        if (got < 0) {
            return Error{reader.error()};
        }
        if (got == 0) {
            break;
        }
        framesRead += got;
        const AudioBlock block = buffer.block(static_cast<uint32_t>(got));
        chain.process(block);
        if (auto written = emit(block); !written) {
            return Error{written.error()};
        }
        if (options.progress && framesRead >= nextProgress) {
            options.progress(framesRead, reader.frameCount());
            nextProgress = framesRead + kProgressIntervalFrames;
        }
    }
    // Flush the latency tail with silence.
    while (writer.framesWritten() < framesRead) {
        const AudioBlock block = buffer.block(options.blockFrames);
        block.clear();
        chain.process(block);
        if (auto written = emit(block); !written) {
            return Error{written.error()};
        }
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
