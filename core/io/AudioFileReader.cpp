#include "core/io/AudioFileReader.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace liverack::core {

Result<std::unique_ptr<AudioFileReader>> AudioFileReader::open(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return Error{"cannot open '" + path + "': " + std::strerror(errno)};
    }
    if (S_ISDIR(st.st_mode)) {
        return Error{"cannot open '" + path + "': it is a folder, not an audio file"};
    }
    SF_INFO info{};
    SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
    if (file == nullptr) {
        return Error{"cannot read '" + path + "' as audio: " + sf_strerror(nullptr)};
    }
    if (info.channels <= 0 || info.samplerate <= 0) {
        sf_close(file);
        return Error{"cannot read '" + path + "' as audio: it has no channels or no sample rate"};
    }
    return std::unique_ptr<AudioFileReader>(new AudioFileReader(file, info, path));
}

AudioFileReader::AudioFileReader(SNDFILE* file, const SF_INFO& info, std::string path)
    : file_(file), info_(info), path_(std::move(path)) {}

AudioFileReader::~AudioFileReader() {
    sf_close(file_);
}

std::string AudioFileReader::formatName() const {
    SF_FORMAT_INFO format{};
    format.format = info_.format & SF_FORMAT_TYPEMASK;
    if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &format, sizeof(format)) == 0 && format.name) {
        return format.name;
    }
    return "audio";
}

int64_t AudioFileReader::read(const AudioBlock& block) {
    const auto channels = static_cast<size_t>(info_.channels);
    const size_t wanted = block.frameCount();
    interleaved_.resize(wanted * channels);
    const sf_count_t got =
        sf_readf_float(file_, interleaved_.data(), static_cast<sf_count_t>(wanted));
    if (got < 0 || (got == 0 && sf_error(file_) != SF_ERR_NO_ERROR)) {
        error_ = "reading '" + path_ + "' failed: " + sf_strerror(file_);
        return -1;
    }
    for (uint32_t c = 0; c < block.channelCount(); ++c) {
        const size_t source = std::min<size_t>(c, channels - 1);
        float* dest = block.channel(c);
        for (sf_count_t i = 0; i < got; ++i) {
            dest[i] = interleaved_[static_cast<size_t>(i) * channels + source];
        }
    }
    return got;
}

bool AudioFileReader::seek(int64_t frame) {
    return sf_seek(file_, frame, SEEK_SET) >= 0;
}

}  // namespace liverack::core
