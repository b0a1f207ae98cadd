// Plays an audio file (anything libsndfile reads) as the engine's input, looped or once,
// resampled to the stream rate with libsoxr. A reader thread decodes ahead into a lock-free ring;
// the audio thread only copies out of it (silence, counted, when the ring runs dry).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/dsp/AudioBuffer.h"
#include "core/io/AudioFileReader.h"
#include "core/io/InputSource.h"
#include "core/rt/SampleRing.h"
#include "core/util/Result.h"

struct soxr;

namespace liverack::core {

class FileSource final : public InputSource {
public:
    // Decoded audio held ahead of the audio thread: long enough for any disk hiccup, short
    // enough that a seek never has much to throw away.
    static constexpr double kRingSeconds = 2.0;
    // Frames decoded (at the stream rate) per reader step.
    static constexpr uint32_t kChunkFrames = 2048;

    // Opens the file now, so a missing or unreadable file is a sentence before any stream opens.
    static Result<std::unique_ptr<FileSource>> open(const std::string& path, bool loop = true);
    ~FileSource() override;
    FileSource(const FileSource&) = delete;
    FileSource& operator=(const FileSource&) = delete;

    std::string description() const override;
    // Control thread, stream stopped: stops the reader, sets up the resampler for the stream's
    // rate, fills the ring and starts the reader thread again.
    void prepare(const ProcessSpec& spec) override;
    // Audio thread: copies from the ring; silence while paused, after the end or on underrun.
    void process(AudioBlock block) noexcept override;
    // Back to the start of the file (nothing happens when already there).
    void reset() noexcept override;

    // Transport, from any thread but the audio thread.
    void play() noexcept;
    void pause() noexcept;
    bool isPlaying() const noexcept { return playing_.load(std::memory_order_relaxed); }
    void setLooping(bool loop) noexcept;
    bool isLooping() const noexcept { return looping_.load(std::memory_order_relaxed); }
    // Jumps to `seconds` (clamped to the file). The reader thread does the work: it throws away
    // what it had decoded ahead and refills from the new place.
    void seek(double seconds) noexcept;
    // Where the audio thread is in the file, in seconds (the seek target while a seek is pending).
    double positionSeconds() const noexcept;
    double lengthSeconds() const noexcept { return lengthSeconds_; }
    // True from seek() until the reader thread has refilled from the new place.
    bool isSeeking() const noexcept { return seekPending_.load(std::memory_order_acquire); }
    // True when playing once and the last sample has gone out.
    bool hasEnded() const noexcept;

    const std::string& path() const noexcept { return path_; }
    std::string fileName() const;  // the name without its folder
    double fileSampleRate() const noexcept { return fileRate_; }
    uint32_t fileChannels() const noexcept { return fileChannels_; }
    bool isResampling() const noexcept { return resampler_ != nullptr; }

    // Frames of silence the audio thread played because the reader had fallen behind.
    uint64_t underrunFrames() const noexcept { return underruns_.load(std::memory_order_relaxed); }
    // A read error that stopped playback, as a sentence; empty when all is well.
    std::string error() const;

private:
    static constexpr uint64_t kNever = std::numeric_limits<uint64_t>::max();

    FileSource(std::unique_ptr<AudioFileReader> reader, bool loop);

    void startReader();
    void stopReader();
    void readerLoop();
    // Reader thread: decodes up to `frames` (at the stream rate) into resampled_; returns the
    // frames produced (0 at the end of a file played once, or on an error).
    size_t decode(size_t frames);
    // Reader thread: reads file frames into decoded_, wrapping at the end when looping.
    size_t readFile(size_t frames);
    void fill();  // reader thread (or prepare): decode until the ring is full or the file ends
    // Reader thread: reads from `fileFrame` on. A jump throws away what was decoded ahead; a
    // seamless restart (looping switched on after the end was read) plays it out first.
    void applySeek(int64_t fileFrame, bool seamless = false);
    void fail(const std::string& message);

    std::unique_ptr<AudioFileReader> reader_;
    std::string path_;
    double fileRate_;
    uint32_t fileChannels_;
    int64_t fileFrames_;
    double lengthSeconds_;

    // Set by prepare().
    double streamRate_ = 0.0;
    uint32_t channels_ = 0;
    std::unique_ptr<SampleRing> ring_;
    size_t ringCapacity_ = 0;
    AudioBuffer decoded_;    // file frames, the stream's channel count
    AudioBuffer resampled_;  // stream-rate frames ready for the ring
    AudioBuffer discard_;    // audio thread: where stale frames go after a seek
    soxr* resampler_ = nullptr;
    size_t pendingOffset_ = 0;  // reader thread: file frames in decoded_ not yet resampled
    size_t pendingFrames_ = 0;
    bool inputDone_ = false;  // the resampler has been told the file (played once) is over
    std::vector<const float*> inPointers_;
    std::vector<float*> outPointers_;
    bool fileEnded_ = false;  // reader thread: playing once and the file is exhausted
    bool inputError_ = false;

    // Ring accounting in frames since prepare(); free space = capacity - (produced - consumed).
    std::atomic<uint64_t> produced_{0};       // written by the reader
    std::atomic<uint64_t> consumed_{0};       // written by the audio thread (discards included)
    std::atomic<uint64_t> staleUntil_{0};     // frames before this index are from before a seek
    std::atomic<uint64_t> endIndex_{kNever};  // the file (played once) ends at this index

    std::atomic<bool> playing_{true};
    std::atomic<bool> looping_;
    std::atomic<bool> seekPending_{false};
    std::atomic<uint64_t> underruns_{0};

    mutable std::mutex mutex_;  // guards the fields below; never taken by the audio thread
    std::condition_variable wake_;
    bool quit_ = false;
    bool seekRequested_ = false;       // seek() asked, the reader has not taken it yet
    bool restartRequested_ = false;    // looping switched on after the end of the file was read
    bool targetPending_ = false;       // positionSeconds() shows seekTarget_ until the seek is done
    int64_t seekTarget_ = 0;           // file frame asked for by seek()
    uint64_t segmentStart_ = 0;        // ring index where the current stretch of file begins
    double segmentSeconds_ = 0.0;      // and its place in the file
    uint64_t previousStart_ = kNever;  // the stretch before a seamless restart, still playing
    double previousSeconds_ = 0.0;
    std::string error_;
    std::thread thread_;
};

}  // namespace liverack::core
