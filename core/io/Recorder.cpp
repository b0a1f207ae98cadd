#include "core/io/Recorder.h"

#include <sys/stat.h>

#include <chrono>
#include <cmath>
#include <cstdio>

namespace liverack::core {
namespace {

uint64_t sizeOf(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

std::string secondsText(double seconds) {
    char text[32];
    std::snprintf(text, sizeof(text), "%.1f s", seconds);
    return text;
}

}  // namespace

Recorder::Recorder(SampleTaps& taps) : taps_(taps) {}

Recorder::~Recorder() {
    (void)stop();
}

Result<RecordTaps> Recorder::parseTaps(const std::string& name) {
    if (name == "pre") {
        return RecordTaps::Pre;
    }
    if (name == "post") {
        return RecordTaps::Post;
    }
    if (name == "both") {
        return RecordTaps::Both;
    }
    return Error{
        "the record tap must be pre (the input, before the chain), post (the output) "
        "or both, not '" +
        name + "'"};
}

std::vector<std::string> Recorder::pathsFor(const std::string& path, RecordTaps taps) {
    if (taps != RecordTaps::Both) {
        return {path};
    }
    const auto dot = path.find_last_of('.');
    const auto slash = path.find_last_of('/');
    const bool hasExtension =
        dot != std::string::npos && (slash == std::string::npos || dot > slash);
    const std::string stem = hasExtension ? path.substr(0, dot) : path;
    const std::string extension = hasExtension ? path.substr(dot) : "";
    return {stem + ".pre" + extension, stem + ".post" + extension};
}

Status Recorder::start(const std::string& path, RecordTaps taps) {
    if (isRecording()) {
        return Error{"already recording to '" + paths_.front() + "'; stop that recording first"};
    }
    (void)stop();  // collects a recording that failed on its own
    const auto refuse = [&](const std::string& message) -> Status {
        std::lock_guard lock(mutex_);
        message_ = message;
        state_.store(RecorderStatus::State::Failed);
        return Error{message};
    };
    auto format = AudioFileWriter::formatForPath(path);
    if (!format) {
        return refuse(format.error());
    }
    const double rate = taps_.sampleRate();
    const uint32_t channels = taps_.channels();
    if (rate <= 0.0 || channels == 0) {
        return refuse("nothing to record: no audio stream is open");
    }

    std::vector<Track> tracks;
    std::vector<std::string> paths = pathsFor(path, taps);
    const std::vector<Tap> order = taps == RecordTaps::Pre ? std::vector<Tap>{Tap::Pre}
                                   : taps == RecordTaps::Post
                                       ? std::vector<Tap>{Tap::Post}
                                       : std::vector<Tap>{Tap::Pre, Tap::Post};
    for (size_t i = 0; i < order.size(); ++i) {
        auto writer =
            AudioFileWriter::create(paths[i], rate, channels, *format, WriteMode::Growing);
        if (!writer) {
            for (auto& made : tracks) {
                made.writer->abandon();
                std::remove(made.writer->path().c_str());  // empty: nothing was recorded yet
            }
            return refuse(writer.error());
        }
        Track track;
        track.tap = order[i];
        track.ring = &taps_.record(order[i]);
        track.writer = std::move(writer.value());
        tracks.push_back(std::move(track));
    }

    buffer_.resize(channels, kChunkFrames);
    sampleRate_ = rate;
    integerFormat_ = *format != AudioFileFormat::WavFloat32;
    clippedSamples_.store(0);
    for (auto& track : tracks) {
        track.ring->discard();  // left over from an earlier recording; the taps are off
        track.droppedAtStart = track.ring->droppedFrames();
    }
    tracks_ = std::move(tracks);
    paths_ = std::move(paths);
    framesRecorded_.store(0);
    droppedTotal_.store(0);
    uint64_t bytes = 0;
    for (const auto& p : paths_) {
        bytes += sizeOf(p);
    }
    fileBytes_.store(bytes);
    {
        std::lock_guard lock(mutex_);
        message_.clear();
        stopRequested_ = false;
    }
    state_.store(RecorderStatus::State::Recording);
    setTapsEnabled(true);
    thread_ = std::thread([this] { diskLoop(); });
    return {};
}

void Recorder::setTapsEnabled(bool enabled) noexcept {
    // Both taps in one store: the audio thread reads them once per block, so the two files of a
    // "both" recording start and end on the same block.
    bool pre = false;
    bool post = false;
    for (const auto& track : tracks_) {
        (track.tap == Tap::Pre ? pre : post) = enabled;
    }
    taps_.setRecordEnabled(pre, post);
}

void Recorder::waitForInFlightBlocks() {
    // A callback that saw the taps on just before they went off may still be pushing. Two more
    // callbacks complete means it has finished. A stopped or lost stream makes none: bounded.
    const uint64_t before = taps_.blocksBegun();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(250);
    while (taps_.blocksBegun() < before + 2 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

Status Recorder::stop() {
    if (!thread_.joinable()) {
        const std::string message = errorMessage();
        return message.empty() ? Status{} : Status{Error{message}};
    }
    if (isRecording()) {
        setTapsEnabled(false);
        waitForInFlightBlocks();
    }
    {
        std::lock_guard lock(mutex_);
        stopRequested_ = true;
    }
    wake_.notify_all();
    thread_.join();  // the disk thread writes everything the rings still hold, then returns
    closeFiles();
    if (isRecording()) {
        state_.store(RecorderStatus::State::Stopped);
    }
    const std::string message = errorMessage();
    return message.empty() ? Status{} : Status{Error{message}};
}

void Recorder::closeFiles() {
    uint64_t dropped = 0;
    for (auto& track : tracks_) {
        if (track.ring != nullptr) {
            dropped += track.ring->droppedFrames() - track.droppedAtStart;
            track.ring = nullptr;  // the processor may replace its rings after this
        }
        if (track.writer) {
            // Not commit(): its failure path deletes the file, and a recording must survive.
            // In Growing mode every write already left a valid header; closing finishes it.
            track.writer->abandon();
        }
    }
    if (!tracks_.empty()) {
        droppedTotal_.store(dropped);
    }
    uint64_t bytes = 0;
    for (const auto& p : paths_) {
        bytes += sizeOf(p);
    }
    fileBytes_.store(bytes);
}

void Recorder::diskLoop() {
    while (true) {
        size_t moved = 0;
        if (!drainOnce(moved)) {
            return;
        }
        std::unique_lock lock(mutex_);
        if (moved == 0) {
            if (stopRequested_) {
                return;  // the taps are off and the rings are empty: all is on disk
            }
            wake_.wait_for(lock, std::chrono::milliseconds(kPollMilliseconds),
                           [&] { return stopRequested_; });
        }
    }
}

bool Recorder::drainOnce(size_t& framesMoved) {
    uint64_t fewest = UINT64_MAX;
    for (auto& track : tracks_) {
        const size_t frames = track.ring->pop(buffer_.block().channels(), kChunkFrames);
        if (frames > 0) {
            if (integerFormat_) {
                clipToFullScale(static_cast<uint32_t>(frames));
            }
            if (beforeWrite_) {
                beforeWrite_();
            }
            const Status written =
                track.writer->write(buffer_.block(static_cast<uint32_t>(frames)));
            if (!written) {
                fail(written.error());
                return false;
            }
            framesMoved += frames;
        }
        fewest = std::min<uint64_t>(fewest, static_cast<uint64_t>(track.writer->framesWritten()));
    }
    if (framesMoved > 0) {
        framesRecorded_.store(fewest);
        uint64_t bytes = 0;
        for (const auto& p : paths_) {
            bytes += sizeOf(p);
        }
        fileBytes_.store(bytes);
    }
    return true;
}

void Recorder::clipToFullScale(uint32_t frames) {
    uint64_t clipped = 0;
    for (uint32_t c = 0; c < buffer_.channelCount(); ++c) {
        float* x = buffer_.channel(c);
        for (uint32_t i = 0; i < frames; ++i) {
            if (!(std::abs(x[i]) <= 1.0f)) {
                x[i] = std::isnan(x[i]) ? 0.0f : std::copysign(1.0f, x[i]);
                ++clipped;
            }
        }
    }
    if (clipped != 0) {
        clippedSamples_.fetch_add(clipped);
    }
}

void Recorder::fail(const std::string& message) {
    // The audio goes on; only the recording stops. Closing keeps what is on disk playable.
    setTapsEnabled(false);
    uint64_t dropped = 0;
    for (auto& track : tracks_) {
        track.writer->abandon();
        dropped += track.ring->droppedFrames() - track.droppedAtStart;
    }
    droppedTotal_.store(dropped);
    std::string where;
    for (const auto& p : paths_) {
        where += (where.empty() ? "'" : " and '") + p + "'";
    }
    std::lock_guard lock(mutex_);
    message_ = "recording stopped after " + secondsText(elapsedSeconds()) + ": " + message +
               "; what was recorded until then is in " + where;
    state_.store(RecorderStatus::State::Failed);
}

std::string Recorder::errorMessage() const {
    std::lock_guard lock(mutex_);
    return message_;
}

uint64_t Recorder::droppedFrames() const noexcept {
    if (!isRecording()) {
        return droppedTotal_.load();
    }
    uint64_t dropped = 0;
    for (const auto& track : tracks_) {
        if (track.ring != nullptr) {
            dropped += track.ring->droppedFrames() - track.droppedAtStart;
        }
    }
    return dropped;
}

double Recorder::elapsedSeconds() const noexcept {
    return sampleRate_ > 0.0 ? double(framesRecorded_.load()) / sampleRate_ : 0.0;
}

RecorderStatus Recorder::status() const {
    RecorderStatus s;
    s.state = state_.load();
    s.message = errorMessage();
    s.paths = paths_;
    s.framesRecorded = framesRecorded();
    s.droppedFrames = droppedFrames();
    s.elapsedSeconds = elapsedSeconds();
    s.fileBytes = fileBytes();
    s.clippedSamples = clippedSamples();
    return s;
}

}  // namespace liverack::core
