// Records the engine's pre-chain input, post-chain output or both to WAV (32-bit float) or FLAC
// (24-bit), chosen by the extension. The audio thread feeds the record taps (SampleTaps); a disk
// thread drains them and writes growing files whose header stays current, so a crash, a full
// disk or a pulled cable leaves a valid, playable file. A write failure stops the recording with
// a sentence, never the audio.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/dsp/AudioBuffer.h"
#include "core/engine/SampleTaps.h"
#include "core/io/AudioFileWriter.h"
#include "core/util/Result.h"

namespace liverack::core {

enum class RecordTaps { Pre, Post, Both };

struct RecorderStatus {
    enum class State { Idle, Recording, Stopped, Failed };
    State state = State::Idle;
    std::string message;  // why it failed, for people; empty otherwise
    std::vector<std::string> paths;
    uint64_t framesRecorded = 0;
    uint64_t droppedFrames = 0;
    double elapsedSeconds = 0.0;
    uint64_t fileBytes = 0;
    uint64_t clippedSamples = 0;
};

class Recorder {
public:
    // Frames the disk thread writes at a time (and its look every kPollMilliseconds).
    static constexpr uint32_t kChunkFrames = 8192;
    static constexpr int kPollMilliseconds = 20;

    explicit Recorder(SampleTaps& taps);
    ~Recorder();  // stops and closes the files
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    // "pre", "post" or "both"; a sentence otherwise.
    static Result<RecordTaps> parseTaps(const std::string& name);
    // The files a recording to `path` makes: `path` itself for one tap; for both taps
    // "take.wav" becomes "take.pre.wav" and "take.post.wav" (they start on the same block).
    static std::vector<std::string> pathsFor(const std::string& path, RecordTaps taps);

    // Control thread, with the processor prepared (the stream open, running or not): creates
    // the files and starts taking audio from the next block on.
    Status start(const std::string& path, RecordTaps taps);
    // Takes every block recorded up to now, writes it and closes the files. Safe to call at any
    // time, also after a failure or when the stream is gone. Returns the failure, if any.
    Status stop();

    bool isRecording() const noexcept { return state_.load() == RecorderStatus::State::Recording; }
    bool hasFailed() const noexcept { return state_.load() == RecorderStatus::State::Failed; }
    std::string errorMessage() const;
    // Frames in each file so far (with both taps, in both files).
    uint64_t framesRecorded() const noexcept { return framesRecorded_.load(); }
    // Frames the audio thread could not hand over because the disk thread was too far behind.
    uint64_t droppedFrames() const noexcept;
    double elapsedSeconds() const noexcept;
    uint64_t fileBytes() const noexcept { return fileBytes_.load(); }
    // FLAC holds integers: samples beyond full scale (possible before the chain) are clipped to
    // it, and NaN written as silence, rather than refused by the encoder. Counted here.
    uint64_t clippedSamples() const noexcept { return clippedSamples_.load(); }
    const std::vector<std::string>& paths() const noexcept { return paths_; }
    RecorderStatus status() const;

    // Tests: called on the disk thread before each write (to stall it, as a slow disk would).
    void setBeforeWriteHook(std::function<void()> hook) { beforeWrite_ = std::move(hook); }

private:
    struct Track {
        Tap tap;
        SampleRing* ring = nullptr;
        std::unique_ptr<AudioFileWriter> writer;
        uint64_t droppedAtStart = 0;
    };

    void diskLoop();
    // Disk thread: writes what the rings hold now; false on a write failure.
    bool drainOnce(size_t& framesMoved);
    void fail(const std::string& message);
    void clipToFullScale(uint32_t frames);  // disk thread, on buffer_
    void closeFiles();
    void setTapsEnabled(bool enabled) noexcept;
    void waitForInFlightBlocks();

    SampleTaps& taps_;
    std::vector<Track> tracks_;
    std::vector<std::string> paths_;
    AudioBuffer buffer_;
    double sampleRate_ = 0.0;
    bool integerFormat_ = false;
    std::function<void()> beforeWrite_;

    std::atomic<RecorderStatus::State> state_{RecorderStatus::State::Idle};
    std::atomic<uint64_t> framesRecorded_{0};
    std::atomic<uint64_t> fileBytes_{0};
    std::atomic<uint64_t> clippedSamples_{0};
    std::atomic<uint64_t> droppedTotal_{0};  // frozen when the taps are switched off

    mutable std::mutex mutex_;  // guards the fields below
    std::condition_variable wake_;
    bool stopRequested_ = false;
    std::string message_;
    std::thread thread_;
};

}  // namespace liverack::core
