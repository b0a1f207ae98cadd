#include "tests/support/JackTestClient.h"

#include <algorithm>
#include <chrono>
#include <cstring>

namespace liverack::test {

JackTestClient::JackTestClient(const std::string& name, unsigned channels, Mode mode)
    : mode_(mode) {
    jack_status_t status{};
    client_ = jack_client_open(name.c_str(), JackNoStartServer, &status);
    if (client_ == nullptr) {
        error_ = "cannot open JACK client " + name;
        return;
    }
    for (unsigned c = 1; c <= channels; ++c) {
        inputs_.push_back(jack_port_register(client_, ("in_" + std::to_string(c)).c_str(),
                                             JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0));
        outputs_.push_back(jack_port_register(client_, ("out_" + std::to_string(c)).c_str(),
                                              JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput, 0));
    }
    recorded_.assign(channels, {});
    jack_set_process_callback(client_, &JackTestClient::processTrampoline, this);
    jack_set_xrun_callback(client_, &JackTestClient::xrunTrampoline, this);
}

JackTestClient::~JackTestClient() {
    if (client_ != nullptr) {
        jack_deactivate(client_);
        jack_client_close(client_);
    }
}

std::string JackTestClient::fullName() const {
    return jack_get_client_name(client_);
}
double JackTestClient::sampleRate() const {
    return jack_get_sample_rate(client_);
}

void JackTestClient::setPlayback(std::vector<std::vector<float>> signal) {
    playback_ = std::move(signal);
}

void JackTestClient::setRecordCapacity(size_t frames) {
    for (auto& channel : recorded_) {
        channel.assign(frames, 0.0f);
    }
}

bool JackTestClient::activate() {
    return jack_activate(client_) == 0;
}
void JackTestClient::deactivate() {
    jack_deactivate(client_);
}

bool JackTestClient::connectOutputsTo(const std::vector<std::string>& ports) {
    for (size_t i = 0; i < outputs_.size() && i < ports.size(); ++i) {
        if (jack_connect(client_, jack_port_name(outputs_[i]), ports[i].c_str()) != 0) {
            return false;
        }
    }
    return ports.size() >= outputs_.size();
}

bool JackTestClient::connectInputsFrom(const std::vector<std::string>& ports) {
    for (size_t i = 0; i < inputs_.size() && i < ports.size(); ++i) {
        if (jack_connect(client_, ports[i].c_str(), jack_port_name(inputs_[i])) != 0) {
            return false;
        }
    }
    return ports.size() >= inputs_.size();
}

std::vector<std::string> JackTestClient::connections(const std::string& port) const {
    std::vector<std::string> result;
    jack_port_t* p = jack_port_by_name(client_, port.c_str());
    const char** names = p == nullptr ? nullptr : jack_port_get_all_connections(client_, p);
    for (const char** n = names; n != nullptr && *n != nullptr; ++n) {
        result.emplace_back(*n);
    }
    jack_free(static_cast<void*>(names));
    return result;
}

bool JackTestClient::disconnectAll(const std::string& port) {
    jack_port_t* p = jack_port_by_name(client_, port.c_str());
    if (p == nullptr) {
        return false;
    }
    const bool isOutput = (jack_port_flags(p) & JackPortIsOutput) != 0;
    bool all = true;
    for (const auto& other : connections(port)) {
        all = all && (isOutput ? jack_disconnect(client_, port.c_str(), other.c_str())
                               : jack_disconnect(client_, other.c_str(), port.c_str())) == 0;
    }
    return all;
}

std::vector<std::string> JackTestClient::ports(const std::string& clientName,
                                               unsigned long flags) const {
    std::vector<std::string> result;
    const std::string pattern = "^" + clientName + ":";
    const char** names = jack_get_ports(client_, pattern.c_str(), JACK_DEFAULT_AUDIO_TYPE, flags);
    for (const char** p = names; p != nullptr && *p != nullptr; ++p) {
        result.emplace_back(*p);
    }
    jack_free(names);
    std::sort(result.begin(), result.end(), [](const std::string& a, const std::string& b) {
        return a.size() != b.size() ? a.size() < b.size() : a < b;  // "x 2" before "x 10"
    });
    return result;
}

bool JackTestClient::waitForRecorded(size_t frames, double timeoutSeconds) {
    notifyAt_.store(frames);
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(timeoutSeconds));
    std::unique_lock lock(mutex_);
    return recordedEnough_.wait_until(lock, deadline,
                                      [&] { return recordedCount_.load() >= frames; });
}

int JackTestClient::processTrampoline(jack_nframes_t frames, void* self) {
    return static_cast<JackTestClient*>(self)->process(frames);
}

int JackTestClient::xrunTrampoline(void* self) {
    auto* client = static_cast<JackTestClient*>(self);
    const size_t n = client->xrunCount_.load();
    if (n < kMaxXruns) {
        client->xrunTimes_[n] = jack_frame_time(client->client_);
        client->xrunCount_.store(n + 1);
    }
    return 0;
}

jack_nframes_t JackTestClient::frameTime() const {
    return jack_last_frame_time(client_);
}

jack_nframes_t JackTestClient::bufferSize() const {
    return jack_get_buffer_size(client_);
}
int JackTestClient::setBufferSize(jack_nframes_t frames) {
    return jack_set_buffer_size(client_, frames);
}

std::vector<JackTestClient::Cycle> JackTestClient::cycles() const {
    const size_t n = std::min(cycleCount_.load(), kMaxCycles);
    return {cycles_.begin(), cycles_.begin() + static_cast<long>(n)};
}

jack_latency_range_t JackTestClient::latencyRange(const std::string& port,
                                                  jack_latency_callback_mode_t mode) const {
    jack_latency_range_t range{~0u, ~0u};
    if (jack_port_t* p = jack_port_by_name(client_, port.c_str()); p != nullptr) {
        jack_port_get_latency_range(p, mode, &range);
    }
    return range;
}

std::vector<bool> JackTestClient::suspectFrames() const {
    const size_t recorded = recordedCount_.load();
    const size_t cycles = std::min(cycleCount_.load(), kMaxCycles);
    std::vector<bool> badCycle(cycles, false);
    const double rate = jack_get_sample_rate(client_);
    for (size_t i = 1; i < cycles; ++i) {
        const Cycle& previous = cycles_[i - 1];
        const Cycle& cycle = cycles_[i];
        const double periodUsecs = 1e6 * previous.frames / rate;
        const double gap = double(cycle.startedUsecs) - double(previous.startedUsecs);
        if (cycle.frameTime - previous.frameTime != previous.frames || gap > 1.5 * periodUsecs ||
            gap < 0.5 * periodUsecs) {
            badCycle[i] = true;
        }
    }
    // A notification reaches this client some time after the late cycle: everything from four
    // cycles before it arrived is suspect.
    const size_t xruns = std::min(xrunCount_.load(), kMaxXruns);
    for (size_t x = 0; x < xruns; ++x) {
        size_t at = 0;
        while (at + 1 < cycles &&
               static_cast<int32_t>(cycles_[at + 1].frameTime - xrunTimes_[x]) <= 0) {
            ++at;
        }
        for (size_t i = at >= 4 ? at - 4 : 0; i <= at + 1 && i < cycles; ++i) {
            badCycle[i] = true;
        }
    }
    std::vector<bool> suspect(recorded, false);
    for (size_t i = 0; i < cycles; ++i) {
        bool near = false;
        for (size_t j = i >= 2 ? i - 2 : 0; j <= i + 2 && j < cycles; ++j) {
            near = near || badCycle[j];
        }
        if (!near) {
            continue;
        }
        const size_t end = i + 1 < cycles ? cycles_[i + 1].firstFrame : recorded;
        for (size_t k = cycles_[i].firstFrame; k < end && k < recorded; ++k) {
            suspect[k] = true;
        }
    }
    return suspect;
}

int JackTestClient::process(jack_nframes_t frames) {
    if (mode_ == Mode::PassThrough) {
        for (size_t c = 0; c < inputs_.size(); ++c) {
            std::memcpy(jack_port_get_buffer(outputs_[c], frames),
                        jack_port_get_buffer(inputs_[c], frames), frames * sizeof(float));
        }
        return 0;
    }
    for (size_t c = 0; c < outputs_.size(); ++c) {
        auto* out = static_cast<float*>(jack_port_get_buffer(outputs_[c], frames));
        for (jack_nframes_t i = 0; i < frames; ++i) {
            const size_t at = playPosition_ + i;
            out[i] = c < playback_.size() && at < playback_[c].size() ? playback_[c][at] : 0.0f;
        }
    }
    playPosition_ += frames;
    const size_t already = recordedCount_.load(std::memory_order_relaxed);
    if (const size_t n = cycleCount_.load(std::memory_order_relaxed);
        n < kMaxCycles && !recorded_.empty() && already < recorded_[0].size()) {
        cycles_[n] = {already, jack_last_frame_time(client_), frames, jack_get_time()};
        cycleCount_.store(n + 1, std::memory_order_release);
    }
    const size_t capacity = recorded_.empty() ? 0 : recorded_[0].size();
    const size_t take = std::min<size_t>(frames, capacity - std::min(capacity, already));
    for (size_t c = 0; c < inputs_.size(); ++c) {
        const auto* in = static_cast<const float*>(jack_port_get_buffer(inputs_[c], frames));
        std::copy_n(in, take, recorded_[c].data() + already);
    }
    recordedCount_.store(already + take, std::memory_order_release);
    if (already + take >= notifyAt_.load()) {
        // Test client only: taking the mutex here is fine, this is not LiveRack's audio thread.
        std::lock_guard lock(mutex_);
        recordedEnough_.notify_all();
    }
    return 0;
}

}  // namespace liverack::test
