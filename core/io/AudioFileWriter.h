// Writes planar float blocks to WAV or FLAC with libsndfile. Two ways to finish:
//  - Atomic (render, exports): writes "<path>.part-<pid>" beside the target and renames it over
//    the target on commit(), so the target is never half-written; abandon() or destruction
//    without commit() deletes the partial file.
//  - Growing (recording): writes the target directly and keeps its header current, so whatever
//    was written before a crash or a full disk is a valid, playable file.
#pragma once

#include <sndfile.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/dsp/AudioBlock.h"
#include "core/util/Result.h"

namespace liverack::core {

enum class AudioFileFormat { WavFloat32, WavPcm24, WavPcm16, Flac24, Flac16 };
enum class WriteMode { Atomic, Growing };

class AudioFileWriter {
public:
    // Format from the extension: .wav -> 32-bit float WAV, .flac -> 24-bit FLAC.
    static Result<AudioFileFormat> formatForPath(const std::string& path);

    static Result<std::unique_ptr<AudioFileWriter>> create(const std::string& path,
                                                           double sampleRate, uint32_t channels,
                                                           AudioFileFormat format,
                                                           WriteMode mode = WriteMode::Atomic);
    ~AudioFileWriter();

    Status write(const AudioBlock& block);
    // Closes the file; in Atomic mode renames it into place.
    Status commit();
    // Atomic mode: deletes the partial file. Growing mode: closes what was written.
    void abandon();

    const std::string& path() const noexcept { return path_; }
    int64_t framesWritten() const noexcept { return framesWritten_; }

private:
    AudioFileWriter(SNDFILE* file, std::string path, std::string writingPath, uint32_t channels,
                    WriteMode mode);

    SNDFILE* file_;
    std::string path_;
    std::string writingPath_;
    uint32_t channels_;
    WriteMode mode_;
    int64_t framesWritten_ = 0;
    std::vector<float> interleaved_;
};

}  // namespace liverack::core
