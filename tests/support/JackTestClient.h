// A plain libjack client for engine tests: plays prepared signals out of its output ports and
// records its input ports into preallocated buffers. Optionally a pass-through ("thru") client,
// the reference for measuring the latency LiveRack adds.
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

    JackTestClient(const std::string& name, unsigned channels, Mode mode = Mode::PlayAndRecord);
    ~JackTestClient();

    bool isOpen() const { return client_ != nullptr; }
    const std::string& error() const { return error_; }
    std::string fullName() const;  // as JACK knows it ("tester")
    double sampleRate() const;

    // Before activate(): what to play per channel (plays once, then silence) and how much to record.
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

    // Output ports of a client, e.g. ports("liverack", JackPortIsInput).
    std::vector<std::string> ports(const std::string& clientName, unsigned long flags) const;

private:
    static int processTrampoline(jack_nframes_t frames, void* self);
    int process(jack_nframes_t frames);

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
    std::mutex mutex_;
    std::condition_variable recordedEnough_;
};

}  // namespace liverack::test
