#include "core/io/AudioFileWriter.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace liverack::core {
namespace {

std::string lowercaseExtension(const std::string& path) {
    const auto dot = path.find_last_of('.');
    const auto slash = path.find_last_of('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
        return {};
    }
    std::string ext = path.substr(dot + 1);
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return ext;
}

int libsndfileFormat(AudioFileFormat format) {
    switch (format) {
        case AudioFileFormat::WavFloat32:
            return SF_FORMAT_WAV | SF_FORMAT_FLOAT;
        case AudioFileFormat::WavPcm24:
            return SF_FORMAT_WAV | SF_FORMAT_PCM_24;
        case AudioFileFormat::WavPcm16:
            return SF_FORMAT_WAV | SF_FORMAT_PCM_16;
        case AudioFileFormat::Flac24:
            return SF_FORMAT_FLAC | SF_FORMAT_PCM_24;
        case AudioFileFormat::Flac16:
            return SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
    }
    return SF_FORMAT_WAV | SF_FORMAT_FLOAT;
}

}  // namespace

Result<AudioFileFormat> AudioFileWriter::formatForPath(const std::string& path) {
    const std::string ext = lowercaseExtension(path);
    if (ext == "wav") {
        return AudioFileFormat::WavFloat32;
    }
    if (ext == "flac") {
        return AudioFileFormat::Flac24;
    }
    return Error{"cannot write '" + path + "': the name must end in .wav or .flac"};
}

Result<std::unique_ptr<AudioFileWriter>> AudioFileWriter::create(const std::string& path,
                                                                 double sampleRate,
                                                                 uint32_t channels,
                                                                 AudioFileFormat format,
                                                                 WriteMode mode) {
    SF_INFO info{};
    info.samplerate = static_cast<int>(sampleRate);
    info.channels = static_cast<int>(channels);
    info.format = libsndfileFormat(format);
    if (!sf_format_check(&info)) {
        return Error{"cannot write '" + path + "': " + std::to_string(channels) + " channels at " +
                     std::to_string(info.samplerate) + " Hz is not possible in this format"};
    }
    const std::string writingPath =
        mode == WriteMode::Atomic ? path + ".part-" + std::to_string(getpid()) : path;
    SNDFILE* file = sf_open(writingPath.c_str(), SFM_WRITE, &info);
    if (file == nullptr) {
        return Error{"cannot write '" + path + "': " + sf_strerror(nullptr)};
    }
    if (mode == WriteMode::Growing) {
        sf_command(file, SFC_SET_UPDATE_HEADER_AUTO, nullptr, SF_TRUE);
    }
    return std::unique_ptr<AudioFileWriter>(
        new AudioFileWriter(file, path, writingPath, channels, mode));
}

AudioFileWriter::AudioFileWriter(SNDFILE* file, std::string path, std::string writingPath,
                                 uint32_t channels, WriteMode mode)
    : file_(file),
      path_(std::move(path)),
      writingPath_(std::move(writingPath)),
      channels_(channels),
      mode_(mode) {}

AudioFileWriter::~AudioFileWriter() {
    abandon();
}

Status AudioFileWriter::write(const AudioBlock& block) {
    if (file_ == nullptr) {
        return Error{"cannot write '" + path_ + "': the file is already closed"};
    }
    const size_t frames = block.frameCount();
    interleaved_.resize(frames * channels_);
    for (uint32_t c = 0; c < channels_; ++c) {
        const float* source = block.channel(std::min(c, block.channelCount() - 1));
        for (size_t i = 0; i < frames; ++i) {
            interleaved_[i * channels_ + c] = source[i];
        }
    }
    const sf_count_t written =
        sf_writef_float(file_, interleaved_.data(), static_cast<sf_count_t>(frames));
    if (written != static_cast<sf_count_t>(frames)) {
        const std::string reason = sf_strerror(file_);
        return Error{"writing '" + path_ + "' failed: " + reason +
                     " (is the disk full or the file no longer writable?)"};
    }
    framesWritten_ += written;
    return {};
}

Status AudioFileWriter::commit() {
    if (file_ == nullptr) {
        return Error{"cannot finish '" + path_ + "': the file is already closed"};
    }
    const int closeError = sf_close(file_);
    file_ = nullptr;
    if (closeError != 0) {
        if (mode_ == WriteMode::Atomic) {
            std::remove(writingPath_.c_str());  // a growing recording keeps what it has
        }
        return Error{"finishing '" + path_ + "' failed: " + sf_error_number(closeError)};
    }
    if (mode_ == WriteMode::Atomic && std::rename(writingPath_.c_str(), path_.c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        std::remove(writingPath_.c_str());
        return Error{"cannot put '" + path_ + "' in place: " + reason};
    }
    return {};
}

void AudioFileWriter::abandon() {
    if (file_ == nullptr) {
        return;
    }
    sf_close(file_);
    file_ = nullptr;
    if (mode_ == WriteMode::Atomic) {
        std::remove(writingPath_.c_str());
    }
}

}  // namespace liverack::core
