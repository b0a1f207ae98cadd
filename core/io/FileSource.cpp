#include "core/io/FileSource.h"

#include <soxr.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace liverack::core {

Result<std::unique_ptr<FileSource>> FileSource::open(const std::string& path, bool loop) {
    auto reader = AudioFileReader::open(path);
    if (!reader) {
        return Error{reader.error()};
    }
    if ((*reader)->frameCount() <= 0) {
        return Error{"cannot play '" + path + "': it holds no audio"};
    }
    return std::unique_ptr<FileSource>(new FileSource(std::move(reader.value()), loop));
}

FileSource::FileSource(std::unique_ptr<AudioFileReader> reader, bool loop)
    : reader_(std::move(reader)),
      path_(reader_->path()),
      fileRate_(reader_->sampleRate()),
      fileChannels_(reader_->channelCount()),
      fileFrames_(reader_->frameCount()),
      lengthSeconds_(reader_->durationSeconds()),
      looping_(loop) {}

FileSource::~FileSource() {
    stopReader();
    soxr_delete(resampler_);
}

std::string FileSource::description() const {
    return "file " + fileName();
}

std::string FileSource::fileName() const {
    const auto slash = path_.find_last_of('/');
    return slash == std::string::npos ? path_ : path_.substr(slash + 1);
}

std::string FileSource::error() const {
    std::lock_guard lock(mutex_);
    return error_;
}

void FileSource::prepare(const ProcessSpec& spec) {
    stopReader();
    // A second prepare (new block size, new device) carries on from where playback was.
    const int64_t resumeAt =
        std::clamp<int64_t>(std::llround(positionSeconds() * fileRate_), 0, fileFrames_);
    {
        std::lock_guard lock(mutex_);
        seekRequested_ = false;
        restartRequested_ = false;
        targetPending_ = false;
        error_.clear();
        streamRate_ = spec.sampleRate;  // positionSeconds() reads it under the lock
    }
    channels_ = spec.channels;
    ringCapacity_ = std::max<size_t>({static_cast<size_t>(kRingSeconds * spec.sampleRate),
                                      4 * size_t{spec.maxBlockFrames}, 4 * size_t{kChunkFrames}});
    ring_ = std::make_unique<SampleRing>(channels_, ringCapacity_);
    decoded_.resize(channels_, kChunkFrames);
    inPointers_.resize(channels_);
    outPointers_.resize(channels_);
    resampled_.resize(channels_, kChunkFrames);
    discard_.resize(channels_, std::max<uint32_t>(spec.maxBlockFrames, kChunkFrames));
    produced_.store(0);
    consumed_.store(0);
    staleUntil_.store(0);
    endIndex_.store(kNever);
    seekPending_.store(false);
    inputError_ = false;

    applySeek(resumeAt);
    fill();  // the first callback finds a full ring
    startReader();
}

void FileSource::startReader() {
    thread_ = std::thread([this] { readerLoop(); });
}

void FileSource::stopReader() {
    if (!thread_.joinable()) {
        return;
    }
    {
        std::lock_guard lock(mutex_);
        quit_ = true;
    }
    wake_.notify_all();
    thread_.join();
    std::lock_guard lock(mutex_);
    quit_ = false;
}

void FileSource::readerLoop() {
    // The ring holds seconds of audio, so a 10 ms look is plenty; seeks and quitting wake it.
    constexpr auto kPoll = std::chrono::milliseconds(10);
    while (true) {
        bool seeking = false;
        bool restarting = false;
        int64_t target = 0;
        {
            std::unique_lock lock(mutex_);
            if (quit_) {
                return;
            }
            if (seekRequested_) {
                seekRequested_ = false;
                restartRequested_ = false;  // the jump replaces it
                seeking = true;
                target = seekTarget_;
            } else if (restartRequested_) {
                restartRequested_ = false;
                restarting = true;
            }
        }
        if (seeking) {
            applySeek(target);
        } else if (restarting && fileEnded_ && !inputError_ && looping_.load()) {
            applySeek(0, true);
        }
        fill();
        std::unique_lock lock(mutex_);
        if ((seeking || restarting) && !seekRequested_ && !restartRequested_) {
            targetPending_ = false;
            seekPending_.store(false, std::memory_order_release);
        }
        wake_.wait_for(lock, kPoll, [&] { return quit_ || seekRequested_ || restartRequested_; });
    }
}

void FileSource::applySeek(int64_t fileFrame, bool seamless) {
    const uint64_t produced = produced_.load(std::memory_order_relaxed);
    if (!seamless) {
        // Everything decoded so far belongs to the old place: the audio thread skips it.
        staleUntil_.store(produced, std::memory_order_release);
    }
    endIndex_.store(kNever, std::memory_order_release);
    fileEnded_ = false;
    if (inputError_) {
        return;
    }
    if (!reader_->seek(fileFrame)) {
        fail("cannot jump to " + std::to_string(fileFrame / fileRate_) + " s in '" + path_ +
             "': the file does not allow seeking there");
        return;
    }
    if (fileRate_ != streamRate_) {
        // A fresh resampler: the filter must not smear the old place into the new one.
        soxr_delete(resampler_);
        resampler_ = nullptr;
        const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_S, SOXR_FLOAT32_S);
        const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_VHQ, 0);
        const soxr_runtime_spec_t runtime = soxr_runtime_spec(1);
        soxr_error_t error = nullptr;
        resampler_ =
            soxr_create(fileRate_, streamRate_, channels_, &error, &io, &quality, &runtime);
        if (error != nullptr) {
            fail("cannot convert '" + fileName() + "' from " + std::to_string(int(fileRate_)) +
                 " Hz to " + std::to_string(int(streamRate_)) + " Hz: " + error);
            return;
        }
    }
    pendingOffset_ = 0;
    pendingFrames_ = 0;
    inputDone_ = false;
    std::lock_guard lock(mutex_);
    previousStart_ = seamless ? segmentStart_ : kNever;
    previousSeconds_ = segmentSeconds_;
    segmentStart_ = produced;
    segmentSeconds_ = double(fileFrame) / fileRate_;
}

void FileSource::fail(const std::string& message) {
    {
        std::lock_guard lock(mutex_);
        error_ = message;
    }
    inputError_ = true;
    fileEnded_ = true;
    endIndex_.store(produced_.load(std::memory_order_relaxed), std::memory_order_release);
}

size_t FileSource::readFile(size_t frames) {
    if (inputError_) {
        return 0;
    }
    const AudioBlock block = decoded_.block(static_cast<uint32_t>(frames));
    int64_t got = reader_->read(block);
    if (got == 0 && looping_.load(std::memory_order_relaxed)) {
        // Seamless loop: the resampler's filter runs straight across the seam.
        if (!reader_->seek(0)) {
            fail("cannot loop '" + path_ + "': the file does not allow going back to its start");
            return 0;
        }
        got = reader_->read(block);
    }
    if (got < 0) {
        fail(reader_->error());
        return 0;
    }
    return static_cast<size_t>(got);
}

size_t FileSource::decode(size_t frames) {
    if (inputError_) {
        return 0;
    }
    if (resampler_ == nullptr) {
        size_t total = 0;
        while (total < frames) {
            const size_t got = readFile(frames - total);
            if (got == 0) {
                break;
            }
            for (uint32_t c = 0; c < channels_; ++c) {
                std::copy_n(decoded_.channel(c), got, resampled_.channel(c) + total);
            }
            total += got;
        }
        return total;
    }
    // soxr_process with split channels (soxr_output's input-function path crashes on split
    // output buffers in libsoxr 0.1.3). Passing no input tells it the file is over: it flushes.
    size_t total = 0;
    while (total < frames) {
        if (pendingFrames_ == 0 && !inputDone_) {
            pendingFrames_ = readFile(kChunkFrames);
            pendingOffset_ = 0;
            inputDone_ = pendingFrames_ == 0;
            if (inputError_) {
                return 0;
            }
        }
        for (uint32_t c = 0; c < channels_; ++c) {
            inPointers_[c] = decoded_.channel(c) + pendingOffset_;
            outPointers_[c] = resampled_.channel(c) + total;
        }
        size_t used = 0;
        size_t made = 0;
        const soxr_error_t error =
            soxr_process(resampler_, inputDone_ ? nullptr : inPointers_.data(), pendingFrames_,
                         &used, outPointers_.data(), frames - total, &made);
        if (error != nullptr) {
            fail("resampling '" + fileName() + "' failed: " + error);
            return 0;
        }
        pendingOffset_ += used;
        pendingFrames_ -= used;
        total += made;
        if (made == 0 && (inputDone_ || used == 0)) {
            break;  // flushed to the end (or, defensively, no progress)
        }
    }
    return total;
}

void FileSource::fill() {
    while (!fileEnded_) {
        const uint64_t produced = produced_.load(std::memory_order_relaxed);
        const uint64_t inRing = produced - consumed_.load(std::memory_order_acquire);
        if (ringCapacity_ - std::min<uint64_t>(inRing, ringCapacity_) < kChunkFrames) {
            return;  // full: the audio thread has seconds to play
        }
        {
            std::lock_guard lock(mutex_);
            if (seekRequested_ || quit_) {
                return;  // no point decoding audio that is about to be thrown away
            }
        }
        const size_t got = decode(kChunkFrames);
        if (got > 0) {
            ring_->push(resampled_.block(static_cast<uint32_t>(got)));
            produced_.store(produced + got, std::memory_order_release);
        }
        if (got < kChunkFrames && (got == 0 || resampler_ == nullptr)) {
            // The end of a file played once (or a read error): what is in the ring plays out.
            fileEnded_ = true;
            if (!inputError_) {
                endIndex_.store(produced + got, std::memory_order_release);
            }
        }
    }
}

void FileSource::process(AudioBlock block) noexcept {
    const uint32_t frames = block.frameCount();
    if (!ring_ || block.channelCount() != channels_) {
        block.clear();
        return;
    }
    uint64_t consumed = consumed_.load(std::memory_order_relaxed);
    const uint64_t stale = staleUntil_.load(std::memory_order_acquire);
    // After a seek: throw away what was decoded for the old place (all of it is in the ring).
    while (consumed < stale) {
        const size_t dropped =
            ring_->pop(discard_.block().channels(),
                       std::min<uint64_t>(stale - consumed, discard_.frameCount()));
        if (dropped == 0) {
            break;
        }
        consumed += dropped;
    }
    size_t got = 0;
    if (playing_.load(std::memory_order_relaxed) && consumed >= stale) {
        got = ring_->pop(block.channels(), frames);
        consumed += got;
    }
    consumed_.store(consumed, std::memory_order_release);
    if (got == frames) {
        return;
    }
    for (uint32_t c = 0; c < channels_; ++c) {
        std::fill(block.channel(c) + got, block.channel(c) + frames, 0.0f);
    }
    const bool ended = consumed >= endIndex_.load(std::memory_order_acquire);
    if (playing_.load(std::memory_order_relaxed) && !ended &&
        !seekPending_.load(std::memory_order_acquire)) {
        underruns_.fetch_add(frames - got, std::memory_order_relaxed);
    }
}

void FileSource::reset() noexcept {
    if (consumed_.load() == 0 && positionSeconds() == 0.0) {
        return;  // already at the start (prepare() has just filled the ring from there)
    }
    seek(0.0);
}

void FileSource::play() noexcept {
    if (hasEnded()) {
        seek(0.0);  // like any player: play after the end starts over
    }
    playing_.store(true);
}

void FileSource::pause() noexcept {
    playing_.store(false);
}

void FileSource::setLooping(bool loop) noexcept {
    looping_.store(loop);
    if (loop && endIndex_.load(std::memory_order_acquire) != kNever) {
        // The reader has already read to the end (it may still be playing out of the ring):
        // it goes on from the start, straight after what is left.
        std::lock_guard lock(mutex_);
        restartRequested_ = true;
        seekPending_.store(true, std::memory_order_release);
    }
    wake_.notify_all();
}

void FileSource::seek(double seconds) noexcept {
    if (!std::isfinite(seconds)) {
        return;
    }
    const int64_t frame = std::clamp<int64_t>(std::llround(seconds * fileRate_), 0,
                                              std::max<int64_t>(0, fileFrames_));
    {
        std::lock_guard lock(mutex_);
        seekTarget_ = frame;
        seekRequested_ = true;
        targetPending_ = true;
        seekPending_.store(true, std::memory_order_release);
    }
    wake_.notify_all();
}

bool FileSource::hasEnded() const noexcept {
    const uint64_t end = endIndex_.load(std::memory_order_acquire);
    return end != kNever && consumed_.load(std::memory_order_acquire) >= end &&
           !seekPending_.load(std::memory_order_acquire);
}

double FileSource::positionSeconds() const noexcept {
    std::lock_guard lock(mutex_);
    if (targetPending_) {
        return double(seekTarget_) / fileRate_;
    }
    const uint64_t consumed = consumed_.load(std::memory_order_acquire);
    if (streamRate_ <= 0.0) {
        return segmentSeconds_;
    }
    if (consumed < segmentStart_) {
        if (previousStart_ != kNever && consumed >= previousStart_) {
            // Still playing out the end of the file read before a seamless restart.
            return std::min(lengthSeconds_,
                            previousSeconds_ + double(consumed - previousStart_) / streamRate_);
        }
        return segmentSeconds_;
    }
    if (hasEnded()) {
        return lengthSeconds_;
    }
    const double t = segmentSeconds_ + double(consumed - segmentStart_) / streamRate_;
    return t < lengthSeconds_ ? t : std::fmod(t, lengthSeconds_);
}

}  // namespace liverack::core
