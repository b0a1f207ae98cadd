// Renders an audio file through an effect chain, block by block, with the very EffectChain code
// the live engine runs. The chain's latency is compensated (its first latency frames are dropped
// and the tail flushed with silence) so the output lines up with the input and is as long.
// No fades and no clamping: float output keeps the headroom; only NaN/Inf become 0. Integer
// formats (FLAC) are clipped at full scale, as they must be.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/dsp/EffectChain.h"
#include "core/util/Result.h"

namespace liverack::core {

struct RenderOptions {
    static constexpr uint32_t kMaxBlockFrames = 65536;

    uint32_t blockFrames = 1024;
    // Called every few blocks and at the end with the input frames done and the file's length.
    std::function<void(int64_t framesDone, int64_t framesTotal)> progress;
};

struct RenderSummary {
    int64_t frames = 0;  // written, equal to the frames read
    double sampleRate = 0.0;
    uint32_t channels = 0;
    uint32_t latencyFrames = 0;    // the chain's, compensated
    int64_t nonFiniteSamples = 0;  // NaN/Inf samples the chain produced, written as 0
    int64_t clippedSamples = 0;    // beyond full scale, clipped for an integer format (FLAC)
};

class OfflineRenderer {
public:
    // Reads `inputPath` (anything libsndfile reads), prepares `chain` for the file's rate and
    // channels, and writes `outputPath` atomically: 32-bit float WAV for .wav, 24-bit FLAC for
    // .flac. On failure nothing is left at `outputPath` and error() says what went wrong.
    static Result<RenderSummary> render(EffectChain& chain, const std::string& inputPath,
                                        const std::string& outputPath,
                                        const RenderOptions& options = {});
};

}  // namespace liverack::core
