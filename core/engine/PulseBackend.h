// LiveRack on a PulseAudio server (or PipeWire's pulse server), with libpulse's own streams: one
// thread reads a block from the record stream, runs the processor, and writes the block to the
// playback stream. RtAudio's PulseAudio path does the same through pa_simple but hides it: it
// could neither say how late the sound is (it reported one block; a loop measured seven or
// eight), nor count an underrun, nor offer any device but the server's default, and a stream the
// server stopped serving blocked its stop for ever. Here the latency shown is computed from the
// server's timing reports for both streams, underruns and overruns are counted as xruns, every
// sink and source can be chosen, and stop() wakes the audio thread wherever it waits.
#pragma once

#include <pulse/context.h>
#include <pulse/stream.h>
#include <pulse/thread-mainloop.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/dsp/AudioBuffer.h"
#include "core/engine/AudioBackend.h"
#include "core/engine/DeviceInfo.h"
#include "core/util/Result.h"

namespace liverack::core {

class EngineProcessor;

class PulseBackend final : public AudioBackend {
public:
    struct Request {
        std::string clientName = "liverack";
        unsigned sampleRate = 48000;
        unsigned blockFrames = 256;
        std::optional<DeviceInfo> input;  // from PulseServer::listDevices
        std::optional<DeviceInfo> output;
        unsigned inputChannels = 0;
        unsigned outputChannels = 0;
        bool inputNamed = false;  // the person chose the input (a monitor is then allowed)
    };

    static Result<std::unique_ptr<PulseBackend>> open(const Request& request,
                                                      EngineProcessor& processor);
    ~PulseBackend() override;
    PulseBackend(const PulseBackend&) = delete;
    PulseBackend& operator=(const PulseBackend&) = delete;

    std::string start() override;
    void stop() override;
    bool isRunning() const override;
    bool isAlive() const override { return alive_.load(std::memory_order_acquire); }
    std::string lostReason() const override;
    bool abandoned() const override { return abandoned_; }
    unsigned blockFrames() const override { return blockFrames_; }
    // From the server's timing reports, 20 a second: the median of the last kLatencyReports since
    // the last xrun (which may move the loop), once there are kLatencyReportsToPublish: how long a
    // sample waits in the record stream plus how long one written waits in the playback stream and
    // the sink. Before the first report, the buffering asked for.
    unsigned deviceLatencyFrames() const override;

private:
    PulseBackend(EngineProcessor& processor, const Request& request, unsigned blockFrames);
    std::string connect(const std::string& clientName);
    std::string openStream(bool record, const DeviceInfo& device, unsigned channels);
    bool waitReady(pa_stream* stream);

    void run() noexcept;
    bool readBlock() noexcept;
    bool takeRecorded(uint8_t* to, size_t bytes) noexcept;
    void catchUpIfBehind() noexcept;
    bool writeBlock() noexcept;
    void measureLatency() noexcept;
    void lose(const char* why) noexcept;
    bool streamsGood() const noexcept;

    static void onContextState(pa_context* context, void* self);
    static void onStreamState(pa_stream* stream, void* self);
    static void onStreamRequest(pa_stream* stream, size_t bytes, void* self);
    static void onXrun(pa_stream* stream, void* self);

    EngineProcessor& processor_;
    unsigned sampleRate_;
    unsigned blockFrames_;
    unsigned inputChannels_;
    unsigned outputChannels_;
    pa_threaded_mainloop* loop_ = nullptr;
    pa_context* context_ = nullptr;
    pa_stream* record_ = nullptr;
    pa_stream* playback_ = nullptr;

    std::vector<float> interleavedInput_;
    std::vector<float> interleavedOutput_;
    AudioBuffer input_;
    AudioBuffer output_;
    std::vector<const float*> inputPointers_;
    std::vector<float*> outputPointers_;
    // The record fragment being read: the server's fragments need not match the block.
    const uint8_t* fragment_ = nullptr;
    size_t fragmentLength_ = 0;
    size_t fragmentLeft_ = 0;
    bool fragmentPeeked_ = false;

    // Written by the audio thread; the median is read by the control thread.
    static constexpr unsigned kLatencyReports = 16;
    // Reports are taken every 9 or so blocks, so their phase against the server's quantum walks
    // round in about four: fewer would let one taken at a bad phase stand for the whole.
    static constexpr unsigned kLatencyReportsToPublish = 4;
    std::array<uint32_t, kLatencyReports> latencyReports_{};
    unsigned latencyReportCount_ = 0;
    std::atomic<uint32_t> typicalLatencyFrames_{0};
    unsigned requestedLatencyFrames_ = 0;
    // The smallest record queue seen after a read in the current window (audio thread only).
    unsigned backlogWindowBlocks_;
    size_t backlogMinimum_ = SIZE_MAX;
    unsigned backlogBlocks_ = 0;
    bool caughtUp_ = false;  // a standing backlog was thrown away this cycle
    unsigned blocksSinceReport_ = 0;

    std::atomic<bool> running_{false};
    std::atomic<bool> alive_{true};
    std::atomic<bool> xrunPending_{false};  // an underrun or overrun the processor has not heard of
    const char* lostWhy_ = "";              // static text, written before alive_ turns false
    bool abandoned_ = false;
    std::thread thread_;
};

}  // namespace liverack::core
