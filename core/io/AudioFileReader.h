// Reads any file libsndfile reads (WAV, FLAC, OGG/Opus, MP3, AIFF...) as planar float blocks.
// Off the audio thread only.
#pragma once

#include <sndfile.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/dsp/AudioBlock.h"
#include "core/util/Result.h"

namespace liverack::core {

class AudioFileReader {
public:
    // A sentence for a person on failure: missing file, a directory, not audio, corrupt.
    static Result<std::unique_ptr<AudioFileReader>> open(const std::string& path);
    ~AudioFileReader();

    const std::string& path() const noexcept { return path_; }
    double sampleRate() const noexcept { return info_.samplerate; }
    uint32_t channelCount() const noexcept { return static_cast<uint32_t>(info_.channels); }
    int64_t frameCount() const noexcept { return info_.frames; }
    double durationSeconds() const noexcept { return double(info_.frames) / info_.samplerate; }
    std::string formatName() const;

    // Reads up to block.frameCount() frames into the block's channels (extra block channels get
    // the file's last channel). Returns the frames read: 0 at the end. -1 on a read error, with
    // error() saying what happened.
    int64_t read(const AudioBlock& block);
    bool seek(int64_t frame);
    const std::string& error() const noexcept { return error_; }

private:
    AudioFileReader(SNDFILE* file, const SF_INFO& info, std::string path);

    SNDFILE* file_;
    SF_INFO info_;
    std::string path_;
    std::string error_;
    std::vector<float> interleaved_;
};

}  // namespace liverack::core
