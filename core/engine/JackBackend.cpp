#include "core/engine/JackBackend.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "core/engine/BoundedCall.h"
#include "core/engine/EngineProcessor.h"
#include "core/engine/PipeWireJack.h"

namespace liverack::core {
namespace {

// How long stop and close may wait for libjack before the client is abandoned.
constexpr auto kStopBound = std::chrono::seconds(1);

// libjack writes "Cannot connect to server socket ..." to stderr by default; whether a server
// answers is reported in LiveRack's own sentences instead.
void silent(const char* /*message*/) {}

jack_client_t* openClient(const std::string& name) {
    static const bool quiet = [] {
        jack_set_error_function(&silent);
        jack_set_info_function(&silent);
        return true;
    }();
    (void)quiet;
    jack_status_t status{};
    return jack_client_open(name.c_str(), JackNoStartServer, &status);
}

// Every audio port, by the client that owns it (the part of its name before ':').
struct PortOwner {
    std::string client;
    // What feeds LiveRack's inputs; a sink's monitor ports (PipeWire's "monitor_FL") last, so
    // that a device with both takes its capture ports.
    std::vector<std::string> outputPorts;
    std::vector<std::string> inputPorts;  // what LiveRack's outputs feed
    bool physicalOutputs = false;
    bool physicalInputs = false;
};

bool isMonitorPort(const std::string& port) {
    const size_t colon = port.find(':');
    return colon != std::string::npos && port.compare(colon + 1, 8, "monitor_") == 0;
}

std::vector<PortOwner> portOwners(jack_client_t* client) {
    std::vector<PortOwner> owners;
    const char** names = jack_get_ports(client, nullptr, JACK_DEFAULT_AUDIO_TYPE, 0);
    for (const char** p = names; p != nullptr && *p != nullptr; ++p) {
        const std::string name = *p;
        const size_t colon = name.find(':');
        jack_port_t* port = jack_port_by_name(client, *p);
        if (colon == std::string::npos || port == nullptr) {
            continue;
        }
        const std::string owner = name.substr(0, colon);
        auto it = std::find_if(owners.begin(), owners.end(),
                               [&](const PortOwner& o) { return o.client == owner; });
        if (it == owners.end()) {
            owners.push_back({owner, {}, {}, false, false});
            it = owners.end() - 1;
        }
        const int flags = jack_port_flags(port);
        const bool physical = (flags & JackPortIsPhysical) != 0;
        if ((flags & JackPortIsOutput) != 0) {
            it->outputPorts.push_back(name);
            it->physicalOutputs = it->physicalOutputs || physical;
        } else if ((flags & JackPortIsInput) != 0) {
            it->inputPorts.push_back(name);
            it->physicalInputs = it->physicalInputs || physical;
        }
    }
    jack_free(static_cast<void*>(names));
    for (auto& owner : owners) {
        std::stable_partition(owner.outputPorts.begin(), owner.outputPorts.end(),
                              [](const std::string& port) { return !isMonitorPort(port); });
    }
    std::stable_partition(owners.begin(), owners.end(),
                          [](const PortOwner& o) { return o.physicalInputs || o.physicalOutputs; });
    return owners;
}

// On PipeWire, unless the person set PIPEWIRE_LATENCY (read once, before LiveRack sets it).
bool asksPipeWireForItsBlock() {
    static const bool setByThePerson = std::getenv("PIPEWIRE_LATENCY") != nullptr;
    return !setByThePerson && PipeWireJack::inUse();
}

const PortOwner* findOwner(const std::vector<PortOwner>& owners, const std::string& client) {
    auto it = std::find_if(owners.begin(), owners.end(),
                           [&](const PortOwner& o) { return o.client == client; });
    return it == owners.end() ? nullptr : &*it;
}

// The first `count` ports of `device`, or why there are not that many.
Result<std::vector<std::string>> peerPorts(const std::vector<PortOwner>& owners,
                                           const std::string& device, unsigned count,
                                           bool feedsInputs) {
    if (count == 0) {
        return std::vector<std::string>{};
    }
    const PortOwner* owner = findOwner(owners, device);
    const auto& ports = owner == nullptr ? std::vector<std::string>{}
                                         : (feedsInputs ? owner->outputPorts : owner->inputPorts);
    if (ports.size() < count) {
        return Error{"the JACK client '" + device + "' has " + std::to_string(ports.size()) +
                     (feedsInputs ? " output" : " input") + " ports now, not " +
                     std::to_string(count) + " (did it go away?)"};
    }
    return std::vector<std::string>(ports.begin(), ports.begin() + count);
}

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// The `count` ports the reference ports connect to, by the rule StreamConfig::reference states,
// or why none match. LiveRack's own ports are never its reference.
Result<std::vector<std::string>> referencePorts(jack_client_t* client, const std::string& wanted,
                                                unsigned count) {
    const std::string own = std::string(jack_get_client_name(client)) + ":";
    std::vector<std::string> candidates;
    const char** names = jack_get_ports(client, nullptr, JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput);
    for (const char** p = names; p != nullptr && *p != nullptr; ++p) {
        if (std::string name = *p; name.rfind(own, 0) != 0) {
            candidates.push_back(std::move(name));
        }
    }
    jack_free(static_cast<void*>(names));

    std::vector<std::string> found;
    if (std::find(candidates.begin(), candidates.end(), wanted) != candidates.end()) {
        found.push_back(wanted);
    }
    if (found.empty()) {
        for (const auto& name : candidates) {
            if (name.compare(0, wanted.size() + 1, wanted + ":") == 0) {
                found.push_back(name);
            }
        }
        // On PipeWire a sink with capture ports too would otherwise give the microphone.
        if (std::any_of(found.begin(), found.end(), isMonitorPort)) {
            std::erase_if(found, [](const std::string& port) { return !isMonitorPort(port); });
        }
    }
    if (found.empty()) {
        const std::string needle = lowercase(wanted);
        for (const auto& name : candidates) {
            if (lowercase(name).find(needle) != std::string::npos) {
                found.push_back(name);
            }
        }
    }
    if (found.empty()) {
        std::vector<std::string> clients;
        for (const auto& name : candidates) {
            std::string owner = "'" + name.substr(0, name.find(':')) + "'";
            if (std::find(clients.begin(), clients.end(), owner) == clients.end()) {
                clients.push_back(std::move(owner));
            }
        }
        std::string list;
        for (const auto& owner : clients) {
            list += (list.empty() ? "" : ", ") + owner;
        }
        return Error{"no JACK output port matches the reference '" + wanted + "'; " +
                     (list.empty() ? std::string("no client has output ports now")
                                   : "the clients with output ports are " + list)};
    }
    found.resize(std::min<size_t>(found.size(), count));
    found.resize(count, found.back());  // a mono far end feeds every channel
    return found;
}

// The largest latency JACK reports for any of `ports` in `mode` (0 for none).
unsigned largestLatency(jack_client_t* client, const std::vector<std::string>& ports,
                        jack_latency_callback_mode_t mode) {
    unsigned largest = 0;
    for (const auto& name : ports) {
        jack_port_t* port = jack_port_by_name(client, name.c_str());
        if (port != nullptr) {
            jack_latency_range_t range{};
            jack_port_get_latency_range(port, mode, &range);
            largest = std::max<unsigned>(largest, range.max);
        }
    }
    return largest;
}

std::vector<std::string> connectionsOf(jack_client_t* client, jack_port_t* port) {
    std::vector<std::string> names;
    const char** connected = jack_port_get_all_connections(client, port);
    for (const char** p = connected; p != nullptr && *p != nullptr; ++p) {
        names.emplace_back(*p);
    }
    jack_free(static_cast<void*>(connected));
    return names;
}

}  // namespace

std::string JackBackend::noServerProblem() {
    return "no JACK server is running; start one (for example with qjackctl) or choose "
           "ALSA or PulseAudio with --api alsa or --api pulse";
}

ApiInfo JackBackend::listDevices() {
    ApiInfo info;
    info.id = "jack";
    info.displayName = "JACK";
    jack_client_t* client = openClient("liverack-devices");
    if (client == nullptr) {
        info.problem = noServerProblem();
        return info;
    }
    const unsigned rate = jack_get_sample_rate(client);
    info.blockFrames = jack_get_buffer_size(client);
    const std::vector<PortOwner> owners = portOwners(client);
    jack_client_close(client);

    for (const auto& owner : owners) {
        DeviceInfo d;
        d.id = static_cast<unsigned>(info.devices.size());
        d.name = owner.client;
        d.inputChannels = static_cast<unsigned>(owner.outputPorts.size());
        d.outputChannels = static_cast<unsigned>(owner.inputPorts.size());
        d.sampleRates = {rate};
        d.preferredSampleRate = rate;
        info.devices.push_back(std::move(d));
    }
    // The defaults are the physical ports (the sound card), else the first of each kind.
    const auto pickDefault = [&](bool input) {
        for (size_t i = 0; i < owners.size(); ++i) {
            if (input ? owners[i].physicalOutputs : owners[i].physicalInputs) {
                return static_cast<long>(i);
            }
        }
        for (size_t i = 0; i < owners.size(); ++i) {
            if (!(input ? owners[i].outputPorts : owners[i].inputPorts).empty()) {
                return static_cast<long>(i);
            }
        }
        return -1L;
    };
    if (const long i = pickDefault(true); i >= 0) {
        info.devices[static_cast<size_t>(i)].isDefaultInput = true;
    }
    if (const long i = pickDefault(false); i >= 0) {
        info.devices[static_cast<size_t>(i)].isDefaultOutput = true;
    }
    if (info.devices.empty()) {
        info.problem = "the JACK server has no audio ports";
    }
    return info;
}

Result<std::unique_ptr<JackBackend>> JackBackend::open(const Request& request,
                                                       EngineProcessor& processor) {
    // On PipeWire the graph's quantum follows what its nodes ask for: ask for the chosen block
    // (unless the person set the variable). jackd's period is the server's configuration.
    if (asksPipeWireForItsBlock()) {
        const std::string latency =
            std::to_string(request.blockFrames) + "/" + std::to_string(request.sampleRate);
        setenv("PIPEWIRE_LATENCY", latency.c_str(), 1);
    }
    jack_client_t* client = openClient(request.clientName);
    if (client == nullptr) {
        return Error{"cannot open the JACK stream: " + noServerProblem()};
    }
    std::unique_ptr<JackBackend> backend(new JackBackend(client, request, processor));
    if (const unsigned rate = jack_get_sample_rate(client); rate != request.sampleRate) {
        return Error{"the JACK server runs at " + std::to_string(rate) + " Hz, not " +
                     std::to_string(request.sampleRate) + " Hz"};
    }
    const std::vector<PortOwner> owners = portOwners(client);
    if (request.autoConnect) {
        auto inputs = peerPorts(owners, request.inputDevice, request.inputChannels, true);
        auto outputs = peerPorts(owners, request.outputDevice, request.outputChannels, false);
        if (!inputs) {
            return Error{inputs.error()};
        }
        if (!outputs) {
            return Error{outputs.error()};
        }
        // PipeWire offers a sink's monitor as an input: by default that would feed LiveRack's
        // output straight back into its input.
        if (!request.inputNamed && !inputs->empty() &&
            request.inputDevice == request.outputDevice &&
            std::all_of(inputs->begin(), inputs->end(), isMonitorPort)) {
            return Error{"the default input is the monitor of '" + request.outputDevice +
                         "', the output LiveRack plays to, so its output would feed back into "
                         "its input; choose an input with --input (naming the monitor allows it), "
                         "play a test signal with --input none --source sine:440, or route by "
                         "hand with --no-autoconnect"};
        }
        backend->inputPeers_ = std::move(*inputs);
        backend->outputPeers_ = std::move(*outputs);
    }
    if (request.referenceChannels > 0 && !request.reference.empty()) {
        auto references = referencePorts(client, request.reference, request.referenceChannels);
        if (!references) {
            return Error{references.error()};
        }
        backend->referencePeers_ = std::move(*references);
    }
    if (std::string error = backend->registerPorts(); !error.empty()) {
        return Error{error};
    }
    backend->registerCallbacks();
    return backend;
}

JackBackend::JackBackend(jack_client_t* client, const Request& request, EngineProcessor& processor)
    : client_(client), request_(request), processor_(processor) {
    period_.store(jack_get_buffer_size(client));
    publishedChainLatency_.store(processor.chainLatencyFrames());
}

JackBackend::~JackBackend() {
    stop();
    if (!abandoned_) {
        runBounded([](jack_client_t* c) { jack_client_close(c); });
    }
}

std::string JackBackend::registerPorts() {
    for (unsigned c = 0; c < request_.inputChannels; ++c) {
        const std::string name = "inport " + std::to_string(c);
        jack_port_t* port =
            jack_port_register(client_, name.c_str(), JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
        if (port == nullptr) {
            return "JACK refused to register the port '" + name + "'";
        }
        inputs_.push_back(port);
    }
    for (unsigned c = 0; c < request_.outputChannels; ++c) {
        const std::string name = "outport " + std::to_string(c);
        jack_port_t* port =
            jack_port_register(client_, name.c_str(), JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput, 0);
        if (port == nullptr) {
            return "JACK refused to register the port '" + name + "'";
        }
        outputs_.push_back(port);
    }
    // Numbered from 1 like the channels a person names ("refport 1" is the left of the far end).
    for (unsigned c = 0; c < request_.referenceChannels; ++c) {
        const std::string name = "refport " + std::to_string(c + 1);
        jack_port_t* port =
            jack_port_register(client_, name.c_str(), JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
        if (port == nullptr) {
            return "JACK refused to register the port '" + name + "'";
        }
        references_.push_back(port);
    }
    inputBuffers_.assign(std::max<size_t>(1, inputs_.size()), nullptr);
    outputBuffers_.assign(std::max<size_t>(1, outputs_.size()), nullptr);
    referenceBuffers_.assign(std::max<size_t>(1, references_.size()), nullptr);
    return {};
}

void JackBackend::registerCallbacks() {
    jack_set_process_callback(client_, &JackBackend::processTrampoline, this);
    jack_set_buffer_size_callback(client_, &JackBackend::bufferSizeChanged, this);
    jack_set_sample_rate_callback(client_, &JackBackend::sampleRateChanged, this);
    jack_set_xrun_callback(client_, &JackBackend::xrunHappened, this);
    jack_set_latency_callback(client_, &JackBackend::latencyRequested, this);
    jack_on_info_shutdown(client_, &JackBackend::shutDown, this);
}

std::string JackBackend::start() {
    if (!isAlive()) {
        return lostReason();
    }
    if (active_) {
        return {};
    }
    if (jack_activate(client_) != 0) {
        return "the JACK server refused to activate LiveRack's client";
    }
    active_ = true;
    // PipeWire may have settled its quantum before our request counted (seen under load: 1024
    // for seconds while LiveRack asked for 128). Asking with jack_set_buffer_size pins the
    // graph's quantum to the block while LiveRack runs (PipeWire's node force-quantum); a quantum
    // forced for the whole graph (clock.force-quantum) still wins, and is followed.
    if (asksPipeWireForItsBlock() && request_.blockFrames != 0) {
        jack_set_buffer_size(client_, request_.blockFrames);
    }
    std::string failed;
    const auto connect = [&](const std::string& from, const std::string& to) {
        const int code = jack_connect(client_, from.c_str(), to.c_str());
        if (code != 0 && code != EEXIST && failed.empty()) {
            failed = "cannot connect '" + from + "' to '" + to + "'";
        }
    };
    for (size_t c = 0; c < inputPeers_.size(); ++c) {
        connect(inputPeers_[c], jack_port_name(inputs_[c]));
    }
    for (size_t c = 0; c < outputPeers_.size(); ++c) {
        connect(jack_port_name(outputs_[c]), outputPeers_[c]);
    }
    for (size_t c = 0; c < referencePeers_.size(); ++c) {
        connect(referencePeers_[c], jack_port_name(references_[c]));
    }
    if (!failed.empty()) {
        stop();
        return failed;
    }
    return {};
}

void JackBackend::stop() {
    if (!active_ || abandoned_) {
        return;
    }
    active_ = false;
    if (static_cast<Loss>(loss_.load()) == Loss::Shutdown) {
        return;  // the server is gone: there is nothing left to deactivate
    }
    runBounded([](jack_client_t* c) { jack_deactivate(c); });
}

bool JackBackend::runBounded(void (*fn)(jack_client_t*)) {
    if (callWithin(kStopBound, [client = client_, fn] { fn(client); })) {
        return true;
    }
    abandoned_ = true;
    return false;
}

bool JackBackend::isRunning() const {
    return active_ && isAlive();
}

bool JackBackend::isAlive() const {
    return static_cast<Loss>(loss_.load(std::memory_order_acquire)) == Loss::None;
}

std::string JackBackend::lostReason() const {
    switch (static_cast<Loss>(loss_.load(std::memory_order_acquire))) {
        case Loss::Shutdown:
            return "the JACK server shut down or disconnected LiveRack; the stream stopped";
        case Loss::RateChanged:
            return "the JACK server changed its sample rate from " +
                   std::to_string(request_.sampleRate) + " to " +
                   std::to_string(changedRate_.load()) +
                   " Hz; the stream stopped (start it again to run at the new rate)";
        case Loss::None:
            break;
    }
    return {};
}

unsigned JackBackend::deviceLatencyFrames() const {
    if (!isAlive()) {
        return 0;
    }
    if (!active_) {
        return largestLatency(client_, inputPeers_, JackCaptureLatency) +
               largestLatency(client_, outputPeers_, JackPlaybackLatency);
    }
    std::vector<std::string> feeding;
    std::vector<std::string> fed;
    for (jack_port_t* port : inputs_) {
        for (auto& name : connectionsOf(client_, port)) {
            feeding.push_back(std::move(name));
        }
    }
    for (jack_port_t* port : outputs_) {
        for (auto& name : connectionsOf(client_, port)) {
            fed.push_back(std::move(name));
        }
    }
    return largestLatency(client_, feeding, JackCaptureLatency) +
           largestLatency(client_, fed, JackPlaybackLatency);
}

void JackBackend::publishChainLatency(uint32_t frames) {
    if (publishedChainLatency_.exchange(frames) != frames && active_ && isAlive()) {
        jack_recompute_total_latencies(client_);
    }
}

std::optional<unsigned> JackBackend::expectedDeviceLatencyFrames(const Request& request) {
    jack_client_t* client = openClient(request.clientName + "-latency");
    if (client == nullptr) {
        return std::nullopt;
    }
    unsigned frames = 0;
    if (request.autoConnect) {
        const std::vector<PortOwner> owners = portOwners(client);
        auto inputs = peerPorts(owners, request.inputDevice, request.inputChannels, true);
        auto outputs = peerPorts(owners, request.outputDevice, request.outputChannels, false);
        if (inputs) {
            frames += largestLatency(client, *inputs, JackCaptureLatency);
        }
        if (outputs) {
            frames += largestLatency(client, *outputs, JackPlaybackLatency);
        }
    }
    jack_client_close(client);
    return frames;
}

// ---------------------------------------------------------------------------------------------
// Callbacks. process() runs on JACK's real-time thread; the others on its notification thread
// and only store atomics.

int JackBackend::processTrampoline(jack_nframes_t frames, void* self) {
    return static_cast<JackBackend*>(self)->process(frames);
}

int JackBackend::process(jack_nframes_t frames) noexcept {
    for (size_t c = 0; c < inputs_.size(); ++c) {
        inputBuffers_[c] = static_cast<const float*>(jack_port_get_buffer(inputs_[c], frames));
    }
    for (size_t c = 0; c < outputs_.size(); ++c) {
        outputBuffers_[c] = static_cast<float*>(jack_port_get_buffer(outputs_[c], frames));
    }
    for (size_t c = 0; c < references_.size(); ++c) {
        referenceBuffers_[c] =
            static_cast<const float*>(jack_port_get_buffer(references_[c], frames));
    }
    if (!isAlive()) {  // the rate changed under the chain: silence until the stream is restarted
        for (size_t c = 0; c < outputs_.size(); ++c) {
            std::memset(outputBuffers_[c], 0, sizeof(float) * frames);
        }
        return 0;
    }
    // The cycle's deadline (when the next one begins), read before the work: PipeWire's driver
    // moves the shared position on at the next cycle, a late client would read the new one.
    jack_nframes_t cycleFrame = 0;
    jack_time_t cycleStart = 0;
    jack_time_t deadline = 0;
    float periodUsecs = 0.0f;
    const bool timed =
        jack_get_cycle_times(client_, &cycleFrame, &cycleStart, &deadline, &periodUsecs) == 0;
    const uint64_t xruns = xruns_.load(std::memory_order_acquire);
    const bool late = xruns != xrunsSeen_;
    xrunsSeen_ = xruns;
    processor_.process(inputs_.empty() ? nullptr : inputBuffers_.data(),
                       static_cast<uint32_t>(inputs_.size()),
                       references_.empty() ? nullptr : referenceBuffers_.data(),
                       static_cast<uint32_t>(references_.size()),
                       outputs_.empty() ? nullptr : outputBuffers_.data(),
                       static_cast<uint32_t>(outputs_.size()), frames, late);
    if (timed && deadline > cycleStart && jack_get_time() > deadline) {
        processor_.stats().recordLateCycle();
    }
    return 0;
}

int JackBackend::bufferSizeChanged(jack_nframes_t frames, void* self) {
    static_cast<JackBackend*>(self)->period_.store(frames, std::memory_order_relaxed);
    return 0;
}

int JackBackend::sampleRateChanged(jack_nframes_t rate, void* self) {
    auto* backend = static_cast<JackBackend*>(self);
    if (rate != backend->request_.sampleRate) {
        backend->changedRate_.store(rate);
        int none = static_cast<int>(Loss::None);
        backend->loss_.compare_exchange_strong(none, static_cast<int>(Loss::RateChanged));
    }
    return 0;
}

int JackBackend::xrunHappened(void* self) {
    static_cast<JackBackend*>(self)->xruns_.fetch_add(1, std::memory_order_release);
    return 0;
}

void JackBackend::shutDown(jack_status_t /*code*/, const char* /*reason*/, void* self) {
    static_cast<JackBackend*>(self)->loss_.store(static_cast<int>(Loss::Shutdown),
                                                 std::memory_order_release);
}

// JACK asks for the latency of one direction: what reaches LiveRack's outputs has the capture
// latency of what feeds its inputs plus the chain's; what leaves its inputs will be heard after
// the playback latency of what its outputs feed plus the chain's.
void JackBackend::latencyRequested(jack_latency_callback_mode_t mode, void* self) {
    auto* backend = static_cast<JackBackend*>(self);
    const uint32_t chain = backend->publishedChainLatency_.load();
    const auto& from = mode == JackCaptureLatency ? backend->inputs_ : backend->outputs_;
    const auto& to = mode == JackCaptureLatency ? backend->outputs_ : backend->inputs_;
    jack_latency_range_t range{std::numeric_limits<jack_nframes_t>::max(), 0};
    for (jack_port_t* port : from) {
        jack_latency_range_t r{};
        jack_port_get_latency_range(port, mode, &r);
        range.min = std::min(range.min, r.min);
        range.max = std::max(range.max, r.max);
    }
    if (from.empty()) {
        range = {0, 0};
    }
    range.min += chain;
    range.max += chain;
    for (jack_port_t* port : to) {
        jack_port_set_latency_range(port, mode, &range);
    }
}

}  // namespace liverack::core
