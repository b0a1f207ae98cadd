// A plain libjack client for engine tests: plays prepared signals out of its output ports and
// records its input ports into preallocated buffers. Optionally a pass-through ("thru") client,
// the reference for measuring the latency LiveRack adds.
//
// A loaded machine can make the server or any client miss a cycle, and then what the ports carry
// is the server's business. So the recorder logs every cycle it sees (the JACK frame time, when it
// ran) and every xrun the server reports, and suspectFrames() names exactly the recorded frames
// such an event could have touched: a check excuses those and nothing else.
#pragma once

#include <jack/jack.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

namespace liverack::test {

class JackTestClient {
public:
    enum class Mode { PlayAndRecord, PassThrough };
    // One process cycle seen while recording.
    struct Cycle {
        size_t firstFrame;         // index into the recording
        jack_nframes_t frameTime;  // jack_last_frame_time
        jack_nframes_t frames;
        jack_time_t startedUsecs;  // jack_get_time at entry
    };

    JackTestClient(const std::string& name, unsigned channels, Mode mode = Mode::PlayAndRecord);
    ~JackTestClient();

    bool isOpen() const { return client_ != nullptr; }
    const std::string& error() const { return error_; }
    std::string fullName() const;  // as JACK knows it ("tester")
    double sampleRate() const;

    // Before activate(): what to play per channel (plays once, then silence) and how much to
    // record.
    void setPlayback(std::vector<std::vector<float>> signal);
    void setRecordCapacity(size_t frames);
    bool activate();
    void deactivate();

    // Connects "<this>:out_<n>" -> ports[n] and ports[n] -> "<this>:in_<n>".
    bool connectOutputsTo(const std::vector<std::string>& ports);
    bool connectInputsFrom(const std::vector<std::string>& ports);

    // Blocks until `frames` have been recorded, or the timeout passes; false on timeout.
    bool waitForRecorded(size_t frames, double timeoutSeconds);
    const std::vector<std::vector<float>>& recording() const { return recorded_; }
    size_t recordedFrames() const { return recordedCount_.load(); }

    // Per recorded frame: whether it lies in a cycle near one the server reported late (an xrun,
    // counted from shortly before its notification arrived), near a cycle this client ran late
    // or early (more than half a period off the beat), or near a jump in the frame time. "Near"
    // is two cycles either side: a signal looped through another client arrives a cycle later.
    std::vector<bool> suspectFrames() const;
    size_t xrunsSeen() const { return xrunCount_.load(); }
    std::vector<Cycle> cycles() const;
    // A port's latency range as JACK reports it (what `jack_lsp -l` prints).
    jack_latency_range_t latencyRange(const std::string& port,
                                      jack_latency_callback_mode_t mode) const;
    jack_nframes_t bufferSize() const;
    // The server's clock in frames: where the current cycle began (jack_last_frame_time, which
    // jackd2 reads from the engine's timer, so any thread may ask). Frames, not an estimate.
    jack_nframes_t frameTime() const;
    int setBufferSize(jack_nframes_t frames);

    // The ports `port` is connected to now; and cutting all those connections (any client's port).
    std::vector<std::string> connections(const std::string& port) const;
    bool disconnectAll(const std::string& port);

    // Output ports of a client, e.g. ports("liverack", JackPortIsInput).
    std::vector<std::string> ports(const std::string& clientName, unsigned long flags) const;

private:
    static int processTrampoline(jack_nframes_t frames, void* self);
    static int xrunTrampoline(void* self);
    int process(jack_nframes_t frames);

    static constexpr size_t kMaxCycles = 1 << 16;
    static constexpr size_t kMaxXruns = 1 << 12;

    jack_client_t* client_ = nullptr;
    std::string error_;
    Mode mode_;
    std::vector<jack_port_t*> inputs_;
    std::vector<jack_port_t*> outputs_;
    std::vector<std::vector<float>> playback_;
    std::vector<std::vector<float>> recorded_;
    size_t playPosition_ = 0;
    std::atomic<size_t> recordedCount_{0};
    std::atomic<size_t> notifyAt_{~size_t{0}};
    std::vector<Cycle> cycles_ = std::vector<Cycle>(kMaxCycles);
    std::atomic<size_t> cycleCount_{0};
    std::vector<jack_nframes_t> xrunTimes_ = std::vector<jack_nframes_t>(kMaxXruns);
    std::atomic<size_t> xrunCount_{0};
    std::mutex mutex_;
    std::condition_variable recordedEnough_;
};

}  // namespace liverack::test
