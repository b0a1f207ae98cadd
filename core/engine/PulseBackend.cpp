#include "core/engine/PulseBackend.h"

#include <pthread.h>
#include <pulse/error.h>
#include <pulse/proplist.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <thread>

#include "core/engine/BoundedCall.h"
#include "core/engine/EngineProcessor.h"
#include "core/engine/StreamConfig.h"

namespace liverack::core {
namespace {

constexpr auto kStopBound = std::chrono::seconds(1);
constexpr auto kOpenBound = std::chrono::seconds(3);
// The playback stream holds this many blocks: one being played, one written ahead. The server
// grants what its graph allows (PipeWire rounds up to its quantum); the latency shown is what
// the server's timing says, not this.
constexpr unsigned kPlaybackBlocks = 2;
constexpr double kLatencyReportSeconds = 0.05;
// Longer than any quantum a server uses (PipeWire's largest is 8192 frames, 171 ms at 48 kHz),
// so a queue that did not empty over it is standing, not a burst being worked through.
constexpr double kBacklogWindowSeconds = 0.5;

pa_sample_spec sampleSpec(unsigned rate, unsigned channels) {
    pa_sample_spec spec{};
    spec.format = PA_SAMPLE_FLOAT32NE;
    spec.rate = rate;
    spec.channels = static_cast<uint8_t>(channels);
    return spec;
}

// Control thread: polls `done` under the main loop's lock until it holds or the bound passes.
bool waitUntil(pa_threaded_mainloop* loop, const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + kOpenBound;
    pa_threaded_mainloop_lock(loop);
    bool held = done();
    while (!held && std::chrono::steady_clock::now() < deadline) {
        pa_threaded_mainloop_unlock(loop);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));  // the server answering
        pa_threaded_mainloop_lock(loop);
        held = done();
    }
    pa_threaded_mainloop_unlock(loop);
    return held;
}

void forget(pa_operation* operation) {
    if (operation != nullptr) {
        pa_operation_unref(operation);
    }
}

}  // namespace

Result<std::unique_ptr<PulseBackend>> PulseBackend::open(const Request& request,
                                                         EngineProcessor& processor) {
    if (request.input && request.output && !request.inputNamed &&
        !request.input->monitorOf.empty() && request.input->monitorOf == request.output->name) {
        return Error{"the default input is the monitor of '" + request.output->name +
                     "', the output LiveRack plays to, so its output would feed back into "
                     "its input; choose an input with --input (naming the monitor allows it), "
                     "or play a test signal with --input none --source sine:440"};
    }
    if (request.inputChannels > PA_CHANNELS_MAX || request.outputChannels > PA_CHANNELS_MAX) {
        return Error{"PulseAudio streams carry at most " + std::to_string(PA_CHANNELS_MAX) +
                     " channels"};
    }
    const unsigned block = std::clamp(request.blockFrames, StreamConfig::kMinBlockFrames,
                                      StreamConfig::kMaxBlockFrames);
    std::unique_ptr<PulseBackend> backend(new PulseBackend(processor, request, block));
    std::string error = backend->connect(request.clientName);
    if (error.empty() && backend->inputChannels_ > 0) {
        error = backend->openStream(true, *request.input, backend->inputChannels_);
    }
    if (error.empty() && backend->outputChannels_ > 0) {
        error = backend->openStream(false, *request.output, backend->outputChannels_);
    }
    if (error.empty() && backend->record_ == nullptr && backend->playback_ == nullptr) {
        error = "nothing to open: no input or output channels";
    }
    if (!error.empty()) {
        return Error{"cannot open the PulseAudio stream: " + error +
                     " (is a PulseAudio or PipeWire server running? try --api alsa or --api jack)"};
    }
    return backend;
}

PulseBackend::PulseBackend(EngineProcessor& processor, const Request& request, unsigned blockFrames)
    : processor_(processor),
      sampleRate_(request.sampleRate),
      blockFrames_(blockFrames),
      inputChannels_(request.input ? request.inputChannels : 0),
      outputChannels_(request.output ? request.outputChannels : 0),
      interleavedInput_(static_cast<size_t>(inputChannels_) * blockFrames),
      interleavedOutput_(static_cast<size_t>(outputChannels_) * blockFrames),
      input_(std::max(1u, inputChannels_), blockFrames),
      output_(std::max(1u, outputChannels_), blockFrames),
      inputPointers_(std::max(1u, inputChannels_)),
      outputPointers_(std::max(1u, outputChannels_)),
      requestedLatencyFrames_((inputChannels_ > 0 ? blockFrames : 0) +
                              (outputChannels_ > 0 ? kPlaybackBlocks * blockFrames : 0)),
      backlogWindowBlocks_(std::max(
          1u, static_cast<unsigned>(kBacklogWindowSeconds * request.sampleRate / blockFrames))) {
    for (unsigned c = 0; c < inputPointers_.size(); ++c) {
        inputPointers_[c] = input_.channel(c);
    }
    for (unsigned c = 0; c < outputPointers_.size(); ++c) {
        outputPointers_[c] = output_.channel(c);
    }
}

PulseBackend::~PulseBackend() {
    stop();
    if (abandoned_ || loop_ == nullptr) {
        return;  // abandoned: the audio thread may still be inside the streams
    }
    pa_threaded_mainloop_lock(loop_);
    for (pa_stream* stream : {record_, playback_}) {
        if (stream != nullptr) {
            pa_stream_set_state_callback(stream, nullptr, nullptr);
            pa_stream_disconnect(stream);
            pa_stream_unref(stream);
        }
    }
    if (context_ != nullptr) {
        pa_context_set_state_callback(context_, nullptr, nullptr);
        pa_context_disconnect(context_);
        pa_context_unref(context_);
    }
    pa_threaded_mainloop_unlock(loop_);
    pa_threaded_mainloop_stop(loop_);
    pa_threaded_mainloop_free(loop_);
}

std::string PulseBackend::connect(const std::string& clientName) {
    loop_ = pa_threaded_mainloop_new();
    if (loop_ == nullptr) {
        return "cannot make a PulseAudio main loop";
    }
    pa_proplist* properties = pa_proplist_new();
    pa_proplist_sets(properties, PA_PROP_APPLICATION_NAME, "LiveRack");
    pa_proplist_sets(properties, PA_PROP_APPLICATION_ID, "io.github.liverack.LiveRack");
    pa_proplist_sets(properties, PA_PROP_APPLICATION_ICON_NAME, "io.github.liverack.LiveRack");
    context_ = pa_context_new_with_proplist(pa_threaded_mainloop_get_api(loop_), clientName.c_str(),
                                            properties);
    pa_proplist_free(properties);
    if (context_ == nullptr) {
        return "cannot make a PulseAudio context";
    }
    pa_context_set_state_callback(context_, &PulseBackend::onContextState, this);
    if (pa_context_connect(context_, nullptr, PA_CONTEXT_NOAUTOSPAWN, nullptr) < 0 ||
        pa_threaded_mainloop_start(loop_) < 0) {
        return pa_strerror(pa_context_errno(context_));
    }
    const bool settled = waitUntil(loop_, [this] {
        const auto state = pa_context_get_state(context_);
        return state == PA_CONTEXT_READY || !PA_CONTEXT_IS_GOOD(state);
    });
    pa_threaded_mainloop_lock(loop_);
    const bool ready = pa_context_get_state(context_) == PA_CONTEXT_READY;
    const std::string why = pa_strerror(pa_context_errno(context_));
    pa_threaded_mainloop_unlock(loop_);
    if (!ready) {
        return settled ? why : "the server did not answer within three seconds";
    }
    return {};
}

std::string PulseBackend::openStream(bool record, const DeviceInfo& device, unsigned channels) {
    const pa_sample_spec spec = sampleSpec(sampleRate_, channels);
    const auto blockBytes = static_cast<uint32_t>(pa_frame_size(&spec) * blockFrames_);
    pa_buffer_attr attributes{};
    attributes.maxlength = static_cast<uint32_t>(-1);
    attributes.tlength = record ? static_cast<uint32_t>(-1) : blockBytes * kPlaybackBlocks;
    attributes.prebuf = static_cast<uint32_t>(-1);
    attributes.minreq = record ? static_cast<uint32_t>(-1) : blockBytes;
    attributes.fragsize = record ? blockBytes : static_cast<uint32_t>(-1);
    // Corked until start(): a record stream would gather audio that would then be heard late.
    const auto flags =
        static_cast<pa_stream_flags_t>(PA_STREAM_ADJUST_LATENCY | PA_STREAM_AUTO_TIMING_UPDATE |
                                       PA_STREAM_INTERPOLATE_TIMING | PA_STREAM_START_CORKED);

    pa_proplist* properties = pa_proplist_new();
    pa_proplist_sets(properties, PA_PROP_MEDIA_ROLE, "production");
    pa_threaded_mainloop_lock(loop_);
    pa_stream* stream = pa_stream_new_with_proplist(context_, record ? "input" : "output", &spec,
                                                    nullptr, properties);
    pa_proplist_free(properties);
    if (stream == nullptr) {
        const std::string why = pa_strerror(pa_context_errno(context_));
        pa_threaded_mainloop_unlock(loop_);
        return why;
    }
    (record ? record_ : playback_) = stream;
    pa_stream_set_state_callback(stream, &PulseBackend::onStreamState, this);
    pa_stream_set_read_callback(stream, &PulseBackend::onStreamRequest, this);
    pa_stream_set_write_callback(stream, &PulseBackend::onStreamRequest, this);
    pa_stream_set_overflow_callback(stream, &PulseBackend::onXrun, this);
    pa_stream_set_underflow_callback(stream, &PulseBackend::onXrun, this);
    const char* name = device.systemName.empty() ? nullptr : device.systemName.c_str();
    const int connected =
        record ? pa_stream_connect_record(stream, name, &attributes, flags)
               : pa_stream_connect_playback(stream, name, &attributes, flags, nullptr, nullptr);
    const std::string why = pa_strerror(pa_context_errno(context_));
    pa_threaded_mainloop_unlock(loop_);
    if (connected < 0) {
        return why;
    }
    const bool settled = waitUntil(loop_, [stream] {
        const auto state = pa_stream_get_state(stream);
        return state == PA_STREAM_READY || !PA_STREAM_IS_GOOD(state);
    });
    pa_threaded_mainloop_lock(loop_);
    const bool ready = pa_stream_get_state(stream) == PA_STREAM_READY;
    const std::string failure = pa_strerror(pa_context_errno(context_));
    pa_threaded_mainloop_unlock(loop_);
    if (!ready) {
        return std::string(record ? "the record stream on '" : "the playback stream on '") +
               device.name + "' " +
               (settled ? "failed: " + failure : "did not start within three seconds");
    }
    return {};
}

std::string PulseBackend::start() {
    if (!isAlive()) {
        return lostReason();
    }
    if (running_.exchange(true)) {
        return {};
    }
    pa_threaded_mainloop_lock(loop_);
    if (record_ != nullptr) {
        if (fragmentPeeked_) {
            pa_stream_drop(record_);
            fragmentPeeked_ = false;
        }
        fragment_ = nullptr;
        fragmentLeft_ = 0;
        backlogMinimum_ = SIZE_MAX;
        backlogBlocks_ = 0;
        forget(pa_stream_flush(record_, nullptr, nullptr));
        forget(pa_stream_cork(record_, 0, nullptr, nullptr));
    }
    if (playback_ != nullptr) {
        forget(pa_stream_flush(playback_, nullptr, nullptr));
        forget(pa_stream_cork(playback_, 0, nullptr, nullptr));
    }
    pa_threaded_mainloop_unlock(loop_);
    thread_ = std::thread([this] { run(); });
    return {};
}

// The audio thread waits only on the main loop, which stop() signals: it returns within a
// block. The bound is for a main loop that no longer runs (a wedged server connection).
void PulseBackend::stop() {
    if (!running_.exchange(false) || !thread_.joinable() || abandoned_) {
        return;
    }
    pa_threaded_mainloop_lock(loop_);
    pa_threaded_mainloop_signal(loop_, 0);
    pa_threaded_mainloop_unlock(loop_);
    std::thread* thread = &thread_;
    if (!callWithin(kStopBound, [thread] { thread->join(); })) {
        abandoned_ = true;
        return;
    }
    pa_threaded_mainloop_lock(loop_);
    for (pa_stream* stream : {record_, playback_}) {
        if (stream != nullptr && pa_stream_get_state(stream) == PA_STREAM_READY) {
            forget(pa_stream_cork(stream, 1, nullptr, nullptr));
        }
    }
    pa_threaded_mainloop_unlock(loop_);
}

bool PulseBackend::isRunning() const {
    return running_.load() && isAlive();
}

std::string PulseBackend::lostReason() const {
    if (isAlive()) {
        return {};
    }
    return "the PulseAudio stream ended: " + std::string(lostWhy_);
}

unsigned PulseBackend::deviceLatencyFrames() const {
    const uint32_t measured = typicalLatencyFrames_.load(std::memory_order_relaxed);
    return measured != 0 ? measured : requestedLatencyFrames_;
}

// Main-loop thread, with its lock held.
void PulseBackend::lose(const char* why) noexcept {
    if (alive_.load(std::memory_order_relaxed)) {
        lostWhy_ = why;
        alive_.store(false, std::memory_order_release);
    }
    pa_threaded_mainloop_signal(loop_, 0);
}

void PulseBackend::onContextState(pa_context* context, void* self) {
    auto* backend = static_cast<PulseBackend*>(self);
    if (!PA_CONTEXT_IS_GOOD(pa_context_get_state(context))) {
        backend->lose(pa_strerror(pa_context_errno(context)));
    }
    pa_threaded_mainloop_signal(backend->loop_, 0);
}

void PulseBackend::onStreamState(pa_stream* stream, void* self) {
    auto* backend = static_cast<PulseBackend*>(self);
    if (!PA_STREAM_IS_GOOD(pa_stream_get_state(stream))) {
        backend->lose(backend->context_ != nullptr
                          ? pa_strerror(pa_context_errno(backend->context_))
                          : "the server closed it");
    }
    pa_threaded_mainloop_signal(backend->loop_, 0);
}

void PulseBackend::onStreamRequest(pa_stream* /*stream*/, size_t /*bytes*/, void* self) {
    pa_threaded_mainloop_signal(static_cast<PulseBackend*>(self)->loop_, 0);
}

void PulseBackend::onXrun(pa_stream* /*stream*/, void* self) {
    static_cast<PulseBackend*>(self)->xrunPending_.store(true, std::memory_order_relaxed);
}

void PulseBackend::run() noexcept {
    // As RtAudio asks for its PulseAudio thread; refused without the privilege, harmlessly.
    sched_param priority{};
    priority.sched_priority = std::max(1, sched_get_priority_max(SCHED_FIFO) / 2);
    pthread_setschedparam(pthread_self(), SCHED_FIFO, &priority);

    const unsigned reportEvery =
        std::max(1u, static_cast<unsigned>(kLatencyReportSeconds * sampleRate_ / blockFrames_));
    while (running_.load(std::memory_order_relaxed)) {
        if (record_ != nullptr) {
            if (!readBlock()) {
                return;
            }
            for (unsigned c = 0; c < inputChannels_; ++c) {
                float* channel = input_.channel(c);
                for (unsigned i = 0; i < blockFrames_; ++i) {
                    channel[i] = interleavedInput_[static_cast<size_t>(i) * inputChannels_ + c];
                }
            }
        }
        const bool xrun = xrunPending_.exchange(false, std::memory_order_relaxed) || caughtUp_;
        caughtUp_ = false;
        if (xrun) {
            // The loop may have moved: the reports before describe a route that is gone.
            latencyReportCount_ = 0;
        }
        processor_.process(record_ != nullptr ? inputPointers_.data() : nullptr, inputChannels_,
                           playback_ != nullptr ? outputPointers_.data() : nullptr, outputChannels_,
                           blockFrames_, xrun);
        if (playback_ != nullptr) {
            for (unsigned c = 0; c < outputChannels_; ++c) {
                const float* channel = output_.channel(c);
                for (unsigned i = 0; i < blockFrames_; ++i) {
                    interleavedOutput_[static_cast<size_t>(i) * outputChannels_ + c] = channel[i];
                }
            }
            if (!writeBlock()) {
                return;
            }
        }
        if (++blocksSinceReport_ >= reportEvery) {
            blocksSinceReport_ = 0;
            measureLatency();
        }
    }
}

// Audio thread, with the lock held.
bool PulseBackend::streamsGood() const noexcept {
    return running_.load(std::memory_order_relaxed) && alive_.load(std::memory_order_relaxed);
}

// A block from the record stream, as pa_simple_read does it: the server's fragments are copied
// out as they come, a hole in the stream is silence, and the wait is for the server's signal.
bool PulseBackend::readBlock() noexcept {
    pa_threaded_mainloop_lock(loop_);
    bool read = takeRecorded(reinterpret_cast<uint8_t*>(interleavedInput_.data()),
                             interleavedInput_.size() * sizeof(float));
    if (read) {
        catchUpIfBehind();
    }
    pa_threaded_mainloop_unlock(loop_);
    return read;
}

// Audio thread, with the lock held: `bytes` from the record stream into `to`, or thrown away
// when `to` is null. False when the streams ended or are stopping.
bool PulseBackend::takeRecorded(uint8_t* to, size_t bytes) noexcept {
    while (bytes > 0) {
        if (!streamsGood()) {
            return false;
        }
        if (fragmentLeft_ == 0) {
            const void* data = nullptr;
            size_t length = 0;
            if (pa_stream_peek(record_, &data, &length) < 0) {
                lose(pa_strerror(pa_context_errno(context_)));
                continue;
            }
            if (length == 0) {
                pa_threaded_mainloop_wait(loop_);
                continue;
            }
            fragment_ = static_cast<const uint8_t*>(data);
            fragmentLength_ = length;
            fragmentLeft_ = length;
            fragmentPeeked_ = true;
        }
        const size_t n = std::min(bytes, fragmentLeft_);
        if (to != nullptr) {
            if (fragment_ != nullptr) {
                std::memcpy(to, fragment_, n);
            } else {
                std::memset(to, 0, n);
            }
            to += n;
        }
        if (fragment_ != nullptr) {
            fragment_ += n;
        }
        bytes -= n;
        fragmentLeft_ -= n;
        if (fragmentLeft_ == 0) {
            pa_stream_drop(record_);
            fragmentPeeked_ = false;
        }
    }
    return true;
}

// Audio thread, with the lock held, after a block was read. The cycle is paced by the playback
// stream, which plays exactly as fast as the source records, so audio that piled up in the record
// stream while the thread was held up (a busy machine, an underrun) would stay there for good,
// and every stall would add its length to the loop. The server delivers in bursts of its own
// quantum, so the queue empties at least once per burst when nothing stands in it: what never
// left it over a whole window is a standing backlog, pure delay, and is thrown away (an xrun:
// the input jumps), as JACK would have lost it.
void PulseBackend::catchUpIfBehind() noexcept {
    const size_t readable = pa_stream_readable_size(record_);
    if (readable == static_cast<size_t>(-1)) {
        return;  // the stream failed; the next peek says why
    }
    const size_t consumed = fragmentPeeked_ ? fragmentLength_ - fragmentLeft_ : 0;
    const size_t queued = readable > consumed ? readable - consumed : 0;
    backlogMinimum_ = std::min(backlogMinimum_, queued);
    if (++backlogBlocks_ < backlogWindowBlocks_) {
        return;
    }
    const size_t frameBytes = inputChannels_ * sizeof(float);
    const size_t standing = backlogMinimum_ / frameBytes * frameBytes;
    backlogBlocks_ = 0;
    backlogMinimum_ = SIZE_MAX;
    // Less than a block is not worth a jump in the input (and a restart of the latency reports).
    if (standing >= blockFrames_ * frameBytes && takeRecorded(nullptr, standing)) {
        caughtUp_ = true;
    }
}

// A block into the playback stream, waiting for room as pa_simple_write does.
bool PulseBackend::writeBlock() noexcept {
    const auto* from = reinterpret_cast<const uint8_t*>(interleavedOutput_.data());
    size_t left = interleavedOutput_.size() * sizeof(float);
    pa_threaded_mainloop_lock(loop_);
    while (left > 0) {
        if (!streamsGood()) {
            pa_threaded_mainloop_unlock(loop_);
            return false;
        }
        const size_t room = pa_stream_writable_size(playback_);
        if (room == static_cast<size_t>(-1)) {
            lose(pa_strerror(pa_context_errno(context_)));
            continue;
        }
        if (room == 0) {
            pa_threaded_mainloop_wait(loop_);
            continue;
        }
        const size_t n = std::min(room, left);
        if (pa_stream_write(playback_, from, n, nullptr, 0, PA_SEEK_RELATIVE) < 0) {
            lose(pa_strerror(pa_context_errno(context_)));
            continue;
        }
        from += n;
        left -= n;
    }
    pa_threaded_mainloop_unlock(loop_);
    return true;
}

// Just after a write: how long the oldest sample still in the record stream has waited there, plus
// how long the block just written will wait in the playback stream and the sink; asked of the
// timing reports the server sends on request (auto-updates alone left them stale on PipeWire). At
// this one point of the cycle the sum is the loop a tester measures (asked from the control thread
// at random points of the cycle, it read about a block high). This runs on the audio thread but
// outside the processor, in the libpulse calls that moving the samples takes anyway.
void PulseBackend::measureLatency() noexcept {
    pa_threaded_mainloop_lock(loop_);
    pa_usec_t total = 0;
    bool known = true;
    for (pa_stream* stream : {record_, playback_}) {
        if (stream == nullptr) {
            continue;
        }
        pa_usec_t latency = 0;
        int negative = 0;
        if (pa_stream_get_latency(stream, &latency, &negative) < 0) {
            known = false;
            break;
        }
        total += negative != 0 ? 0 : latency;
    }
    for (pa_stream* stream : {record_, playback_}) {
        if (stream != nullptr) {
            forget(pa_stream_update_timing_info(stream, nullptr, nullptr));
        }
    }
    pa_threaded_mainloop_unlock(loop_);
    if (!known) {
        return;
    }
    const auto frames = static_cast<uint32_t>(total * sampleRate_ / 1000000);
    latencyReports_[latencyReportCount_ % kLatencyReports] = frames;
    ++latencyReportCount_;
    if (latencyReportCount_ < kLatencyReportsToPublish) {
        return;  // too few yet since the last xrun; the figure before stands until then
    }
    // The median, not the mean: a report taken at an unlucky phase of the server's quantum reads
    // up to half a quantum high (one in four on PipeWire at quantum 1024, block 256), and a few
    // such would pull a mean off by more than a block on a busy machine.
    const unsigned count = std::min(latencyReportCount_, kLatencyReports);
    std::array<uint32_t, kLatencyReports> sorted = latencyReports_;
    std::nth_element(sorted.begin(), sorted.begin() + count / 2, sorted.begin() + count);
    typicalLatencyFrames_.store(std::max<uint32_t>(1, sorted[count / 2]),
                                std::memory_order_relaxed);
}

}  // namespace liverack::core
