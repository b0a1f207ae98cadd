#include "core/engine/VirtualMicrophone.h"

#include <pipewire/pipewire.h>
#include <spa/param/audio/format-utils.h>
#include <spa/pod/builder.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <list>
#include <mutex>
#include <vector>

namespace liverack::core {
namespace {

constexpr uint32_t kMaxChannels = SPA_AUDIO_MAX_CHANNELS;

std::string environment(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
}

bool isSocket(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

const char* stateName(pw_stream_state state) {
    return pw_stream_state_as_string(state);
}

}  // namespace

// The events of the node, the stream and the connection, as plain functions PipeWire can call.
struct VirtualMicrophoneCallbacks {
    static void bound(void* data, uint32_t globalId);
    static void linkBound(void* data, uint32_t globalId);
    static void global(void* data, uint32_t id, uint32_t permissions, const char* type,
                       uint32_t version, const spa_dict* props);
    static void coreError(void* data, uint32_t id, int seq, int res, const char* message);
    static void stateChanged(void* data, pw_stream_state old, pw_stream_state state,
                             const char* error);
    static void process(void* data) noexcept;
};

struct VirtualMicrophone::PipeWire {
    pw_thread_loop* loop = nullptr;
    pw_context* context = nullptr;
    pw_core* core = nullptr;
    spa_hook coreListener{};
    pw_core_events coreEvents{};
    // Watched for the node's ports and the feed's links, to know when the device is usable.
    pw_registry* registry = nullptr;
    spa_hook registryListener{};
    pw_registry_events registryEvents{};
    // The input device itself: a null sink made a virtual source, owned by this connection.
    pw_proxy* node = nullptr;
    spa_hook nodeListener{};
    pw_proxy_events nodeEvents{};
    // What feeds it: LiveRack's output as a playback stream linked to the node's inputs.
    pw_stream* stream = nullptr;
    spa_hook streamListener{};
    pw_stream_events streamEvents{};
    uint32_t channels = 0;
    // Written on the loop's thread under its lock, read by start() under the same lock.
    uint32_t nodeId = SPA_ID_INVALID;
    uint32_t feedId = SPA_ID_INVALID;
    struct Port {
        uint32_t id;
        uint32_t node;
        bool input;
        std::string channel;  // audio.channel: FL, FR, MONO, AUX0...
    };
    std::vector<Port> ports;  // every port on the server, as the registry announces them
    std::vector<pw_proxy*> links;
    std::list<spa_hook> linkListeners;  // a list: hooks must not move once added
    pw_proxy_events linkEvents{};
    uint32_t linksMade = 0;
    uint32_t portsOf(uint32_t node, bool input) const {
        return static_cast<uint32_t>(std::count_if(ports.begin(), ports.end(), [&](const Port& p) {
            return p.node == node && p.input == input;
        }));
    }
    pw_stream_state state = PW_STREAM_STATE_CONNECTING;
    std::string error;
    VirtualMicrophone* owner = nullptr;

    ~PipeWire() {
        if (loop != nullptr) {
            pw_thread_loop_lock(loop);
        }
        if (stream != nullptr) {
            pw_stream_disconnect(stream);
            pw_stream_destroy(stream);
        }
        if (node != nullptr) {
            // The node leaves the graph here: other programs see the input device go.
            pw_proxy_destroy(node);
        }
        for (pw_proxy* link : links) {
            pw_proxy_destroy(link);
        }
        if (registry != nullptr) {
            pw_proxy_destroy(reinterpret_cast<pw_proxy*>(registry));
        }
        if (core != nullptr) {
            pw_core_disconnect(core);
        }
        if (loop != nullptr) {
            pw_thread_loop_unlock(loop);
            pw_thread_loop_stop(loop);
        }
        if (context != nullptr) {
            pw_context_destroy(context);
        }
        if (loop != nullptr) {
            pw_thread_loop_destroy(loop);
        }
    }
};

void VirtualMicrophoneCallbacks::bound(void* data, uint32_t globalId) {
    auto& pipeWire = *static_cast<VirtualMicrophone::PipeWire*>(data);
    pipeWire.nodeId = globalId;
    pw_thread_loop_signal(pipeWire.loop, false);
}

void VirtualMicrophoneCallbacks::global(void* data, uint32_t id, uint32_t /*permissions*/,
                                        const char* type, uint32_t /*version*/,
                                        const spa_dict* props) {
    auto& pipeWire = *static_cast<VirtualMicrophone::PipeWire*>(data);
    if (props == nullptr) {
        return;
    }
    const auto number = [props](const char* key) {
        const char* value = spa_dict_lookup(props, key);
        return value == nullptr ? SPA_ID_INVALID : static_cast<uint32_t>(std::atol(value));
    };
    if (std::strcmp(type, PW_TYPE_INTERFACE_Port) == 0) {
        const char* direction = spa_dict_lookup(props, PW_KEY_PORT_DIRECTION);
        const char* channel = spa_dict_lookup(props, PW_KEY_AUDIO_CHANNEL);
        pipeWire.ports.push_back({id, number(PW_KEY_NODE_ID),
                                  direction != nullptr && std::strcmp(direction, "in") == 0,
                                  channel != nullptr ? channel : ""});
        pw_thread_loop_signal(pipeWire.loop, false);
    }
}

void VirtualMicrophoneCallbacks::linkBound(void* data, uint32_t /*globalId*/) {
    auto& pipeWire = *static_cast<VirtualMicrophone::PipeWire*>(data);
    ++pipeWire.linksMade;
    pw_thread_loop_signal(pipeWire.loop, false);
}

void VirtualMicrophoneCallbacks::coreError(void* data, uint32_t /*id*/, int /*seq*/, int res,
                                           const char* message) {
    auto& pipeWire = *static_cast<VirtualMicrophone::PipeWire*>(data);
    if (pipeWire.error.empty()) {
        pipeWire.error = message != nullptr ? message : std::strerror(-res);
    }
    pw_thread_loop_signal(pipeWire.loop, false);
}

void VirtualMicrophoneCallbacks::stateChanged(void* data, pw_stream_state /*old*/,
                                              pw_stream_state state, const char* error) {
    auto& pipeWire = *static_cast<VirtualMicrophone::PipeWire*>(data);
    pipeWire.state = state;
    if (state == PW_STREAM_STATE_ERROR && error != nullptr) {
        pipeWire.error = error;
    }
    pw_thread_loop_signal(pipeWire.loop, false);
}

// PipeWire's real-time thread (PW_STREAM_FLAG_RT_PROCESS): no allocation, lock or I/O, as on the
// engine's audio thread.
void VirtualMicrophoneCallbacks::process(void* data) noexcept {
    auto& pipeWire = *static_cast<VirtualMicrophone::PipeWire*>(data);
    VirtualMicrophone& mic = *pipeWire.owner;
    if (mic.observer_ != nullptr) {
        mic.observer_->entering();
    }
    if (pw_buffer* buffer = pw_stream_dequeue_buffer(pipeWire.stream); buffer != nullptr) {
        spa_buffer* spa = buffer->buffer;
        // Planar float: one data block per channel, as negotiated.
        uint32_t frames = UINT32_MAX;
        bool complete = spa->n_datas == pipeWire.channels;
        std::array<float*, kMaxChannels> out{};
        for (uint32_t c = 0; complete && c < pipeWire.channels; ++c) {
            out[c] = static_cast<float*>(spa->datas[c].data);
            complete = out[c] != nullptr;
            frames = std::min<uint32_t>(frames, spa->datas[c].maxsize / sizeof(float));
        }
        if (!complete) {
            frames = 0;
        } else if (buffer->requested > 0) {
            frames = static_cast<uint32_t>(std::min<uint64_t>(frames, buffer->requested));
        }
        if (frames > 0) {
            mic.fill(out.data(), frames);
        }
        for (uint32_t c = 0; c < spa->n_datas; ++c) {
            spa->datas[c].chunk->offset = 0;
            spa->datas[c].chunk->stride = sizeof(float);
            spa->datas[c].chunk->size = frames * sizeof(float);
        }
        pw_stream_queue_buffer(pipeWire.stream, buffer);
    }
    if (mic.observer_ != nullptr) {
        mic.observer_->leaving();
    }
}

VirtualMicrophone::VirtualMicrophone(SampleTaps& taps) : taps_(taps) {}

VirtualMicrophone::~VirtualMicrophone() {
    stop();
}

std::string VirtualMicrophone::nodeNameFor(const std::string& name) {
    std::string node;
    for (const char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) != 0) {
            node += static_cast<char>(std::tolower(c));
        } else if (!node.empty() && node.back() != '_') {
            node += '_';
        }
    }
    while (!node.empty() && node.back() == '_') {
        node.pop_back();
    }
    return node.empty() ? std::string("liverack_microphone") : node;
}

std::string VirtualMicrophone::serverSocketPath() {
    // libpipewire's own search (module-protocol-native): an absolute PIPEWIRE_REMOTE, else that
    // name (or "pipewire-0") in PIPEWIRE_RUNTIME_DIR, XDG_RUNTIME_DIR or USERPROFILE.
    std::string remote = environment("PIPEWIRE_REMOTE");
    if (remote.empty()) {
        remote = "pipewire-0";
    }
    if (remote.front() == '/') {
        return remote;
    }
    for (const char* variable : {"PIPEWIRE_RUNTIME_DIR", "XDG_RUNTIME_DIR", "USERPROFILE"}) {
        if (const std::string folder = environment(variable); !folder.empty()) {
            return folder + "/" + remote;
        }
    }
    return {};
}

Status VirtualMicrophone::start(const std::string& name, uint32_t engineBlockFrames,
                                std::string_view requester) {
    stop();
    const std::string who(requester);
    const double rate = taps_.sampleRate();
    const uint32_t channels = taps_.channels();
    if (rate <= 0.0 || channels == 0) {
        return Error{who + " needs the audio stream to be open first"};
    }
    if (channels > kMaxChannels) {
        return Error{who + " takes at most " + std::to_string(kMaxChannels) + " channels, not " +
                     std::to_string(channels)};
    }
    const std::string socket = serverSocketPath();
    if (socket.empty()) {
        return Error{who +
                     " needs a running PipeWire: no PipeWire server can be found (XDG_RUNTIME_DIR "
                     "is not set)"};
    }
    if (!isSocket(socket)) {
        return Error{who + " needs a running PipeWire: no PipeWire server at " + socket};
    }
    static std::once_flag initialised;
    std::call_once(initialised, [] { pw_init(nullptr, nullptr); });

    name_ = name.empty() ? std::string(kDefaultName) : name;
    auto pipeWire = std::make_unique<PipeWire>();
    pipeWire->owner = this;
    pipeWire->channels = channels;
    pipeWire->loop = pw_thread_loop_new("liverack-mic", nullptr);
    if (pipeWire->loop == nullptr) {
        return Error{who + " could not start a PipeWire thread: " + std::strerror(errno)};
    }
    pipeWire->context = pw_context_new(pw_thread_loop_get_loop(pipeWire->loop), nullptr, 0);
    if (pipeWire->context == nullptr || pw_thread_loop_start(pipeWire->loop) < 0) {
        return Error{who + " could not start a PipeWire context: " + std::strerror(errno)};
    }

    // What the callback reads, set before the stream can call it. The cushion covers the
    // engine's scheduling jitter (two of its blocks, at least 10 ms); the slack lets the backlog
    // swing with the two clocks' phase before anything is thrown away.
    cushionFrames_ = std::max(2 * engineBlockFrames, static_cast<uint32_t>(rate * 0.010));
    slackFrames_ = std::max(2 * engineBlockFrames, static_cast<uint32_t>(rate * 0.020));
    primed_ = false;
    everPrimed_ = false;
    playedFrames_ = 0;
    underrunFrames_ = 0;
    rebuffers_ = 0;
    skippedFrames_ = 0;
    // What an earlier run left is old audio.
    taps_.microphone().discard();
    droppedAtStart_ = taps_.microphone().droppedFrames();
    droppedFrames_ = 0;
    taps_.setMicrophoneEnabled(true);

    pw_thread_loop_lock(pipeWire->loop);
    const auto fail = [&](std::string message) -> Status {
        pw_thread_loop_unlock(pipeWire->loop);
        taps_.setMicrophoneEnabled(false);
        pipeWire.reset();
        return Error{std::move(message)};
    };
    pipeWire->core = pw_context_connect(pipeWire->context, nullptr, 0);
    if (pipeWire->core == nullptr) {
        return fail(who + " needs a running PipeWire: the server at " + socket +
                    " does not answer (" + std::strerror(errno) + ")");
    }
    pipeWire->coreEvents.version = PW_VERSION_CORE_EVENTS;
    pipeWire->coreEvents.error = &VirtualMicrophoneCallbacks::coreError;
    pw_core_add_listener(pipeWire->core, &pipeWire->coreListener, &pipeWire->coreEvents,
                         pipeWire.get());
    pipeWire->registry = pw_core_get_registry(pipeWire->core, PW_VERSION_REGISTRY, 0);
    if (pipeWire->registry == nullptr) {
        return fail(who + " could not list PipeWire's objects: " + std::strerror(errno));
    }
    pipeWire->registryEvents.version = PW_VERSION_REGISTRY_EVENTS;
    pipeWire->registryEvents.global = &VirtualMicrophoneCallbacks::global;
    pw_registry_add_listener(pipeWire->registry, &pipeWire->registryListener,
                             &pipeWire->registryEvents, pipeWire.get());
    std::string position;
    std::array<uint32_t, kMaxChannels> positions{};
    for (uint32_t c = 0; c < channels; ++c) {
        // Mono and stereo as players expect them; more channels have no agreed meaning here.
        uint32_t spaPosition = SPA_AUDIO_CHANNEL_AUX0 + c;
        std::string label = "AUX" + std::to_string(c);
        if (channels == 1) {
            spaPosition = SPA_AUDIO_CHANNEL_MONO;
            label = "MONO";
        } else if (channels == 2) {
            spaPosition = c == 0 ? SPA_AUDIO_CHANNEL_FL : SPA_AUDIO_CHANNEL_FR;
            label = c == 0 ? "FL" : "FR";
        }
        positions[c] = spaPosition;
        position += (c == 0 ? "" : ",") + label;
    }
    const std::string rateText = std::to_string(static_cast<long>(std::lround(rate)));
    const std::string channelText = std::to_string(channels);
    const std::string nodeName = nodeNameFor(name_);
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::duration<double>(kConnectTimeoutSeconds);
    // Bounded waits on the loop's signal for what its thread reports.
    const auto waitFor = [&](const auto& done) {
        while (!done() && pipeWire->error.empty() && std::chrono::steady_clock::now() < deadline) {
            pw_thread_loop_timed_wait(pipeWire->loop, 1);
        }
        return done();
    };

    // The device: WirePlumber gives a node of class Audio/Source/Virtual input ports and capture
    // ports, the way `pactl load-module module-null-sink media.class=Audio/Source/Virtual` does. A
    // pw_stream of that class itself is configured the same way and ends up with one stray input
    // port that nothing can link to, so the stream feeds this node instead. Not lingering: the
    // server removes it when this connection ends, even if LiveRack dies.
    pw_properties* nodeProps = pw_properties_new(
        "factory.name", "support.null-audio-sink", PW_KEY_MEDIA_CLASS, kMediaClass,
        PW_KEY_NODE_NAME, nodeName.c_str(), PW_KEY_NODE_DESCRIPTION, name_.c_str(),
        PW_KEY_AUDIO_CHANNELS, channelText.c_str(), PW_KEY_AUDIO_RATE, rateText.c_str(),
        SPA_KEY_AUDIO_POSITION, position.c_str(), PW_KEY_OBJECT_LINGER, "false", PW_KEY_APP_NAME,
        "LiveRack", nullptr);
    pipeWire->node = static_cast<pw_proxy*>(pw_core_create_object(
        pipeWire->core, "adapter", PW_TYPE_INTERFACE_Node, PW_VERSION_NODE, &nodeProps->dict, 0));
    pw_properties_free(nodeProps);
    if (pipeWire->node == nullptr) {
        return fail(who + " could not ask PipeWire for its node: " + std::strerror(errno));
    }
    pipeWire->linkEvents.version = PW_VERSION_PROXY_EVENTS;
    pipeWire->linkEvents.bound = &VirtualMicrophoneCallbacks::linkBound;
    pipeWire->nodeEvents.version = PW_VERSION_PROXY_EVENTS;
    pipeWire->nodeEvents.bound = &VirtualMicrophoneCallbacks::bound;
    pw_proxy_add_listener(pipeWire->node, &pipeWire->nodeListener, &pipeWire->nodeEvents,
                          pipeWire.get());
    // Usable once the session manager has given it its input ports: a feed that came earlier
    // would find no target, and WirePlumber removes a dont-reconnect stream without one.
    if (!waitFor([&] {
            return pipeWire->nodeId != SPA_ID_INVALID &&
                   pipeWire->portsOf(pipeWire->nodeId, true) >= channels;
        })) {
        return fail(who + " was refused by PipeWire: " +
                    (pipeWire->error.empty()
                         ? "no node within " +
                               std::to_string(static_cast<int>(kConnectTimeoutSeconds)) + " s"
                         : pipeWire->error) +
                    (pipeWire->nodeId != SPA_ID_INVALID
                         ? " (the node got no ports: is a session manager such as WirePlumber "
                           "running?)"
                         : ""));
    }

    // The feed, linked here port by port to the node's inputs. Not left to the session manager:
    // WirePlumber sees the node as a source, never as a target for a playback stream, and a
    // stream it cannot place goes to the speakers (or, with dont-reconnect, is destroyed).
    const std::string feedName = nodeName + "_feed";
    const std::string feedDescription = name_ + " (LiveRack's output)";
    pw_properties* props = pw_properties_new(
        PW_KEY_MEDIA_TYPE, "Audio", PW_KEY_MEDIA_CATEGORY, "Playback", PW_KEY_NODE_NAME,
        feedName.c_str(), PW_KEY_NODE_DESCRIPTION, feedDescription.c_str(), PW_KEY_MEDIA_NAME,
        feedDescription.c_str(), PW_KEY_APP_NAME, "LiveRack", PW_KEY_AUDIO_CHANNELS,
        channelText.c_str(), SPA_KEY_AUDIO_POSITION, position.c_str(), nullptr);
    pipeWire->stream = pw_stream_new(pipeWire->core, feedName.c_str(), props);
    if (pipeWire->stream == nullptr) {
        return fail(who + " could not create its PipeWire stream: " + std::strerror(errno));
    }
    pipeWire->streamEvents.version = PW_VERSION_STREAM_EVENTS;
    pipeWire->streamEvents.state_changed = &VirtualMicrophoneCallbacks::stateChanged;
    pipeWire->streamEvents.process = &VirtualMicrophoneCallbacks::process;
    pw_stream_add_listener(pipeWire->stream, &pipeWire->streamListener, &pipeWire->streamEvents,
                           pipeWire.get());

    std::array<uint8_t, 1024> podBuffer{};
    spa_pod_builder builder = SPA_POD_BUILDER_INIT(podBuffer.data(), podBuffer.size());
    spa_audio_info_raw info{};
    info.format = SPA_AUDIO_FORMAT_F32P;
    info.rate = static_cast<uint32_t>(std::lround(rate));
    info.channels = channels;
    std::copy_n(positions.begin(), channels, info.position);
    const spa_pod* params[1] = {spa_format_audio_raw_build(&builder, SPA_PARAM_EnumFormat, &info)};
    const auto flags =
        static_cast<pw_stream_flags>(PW_STREAM_FLAG_MAP_BUFFERS | PW_STREAM_FLAG_RT_PROCESS);
    if (const int connected =
            pw_stream_connect(pipeWire->stream, PW_DIRECTION_OUTPUT, PW_ID_ANY, flags, params, 1);
        connected < 0) {
        return fail(who + " could not connect its PipeWire stream: " + std::strerror(-connected));
    }
    waitFor([&] { return pipeWire->state != PW_STREAM_STATE_CONNECTING; });
    if (pipeWire->state == PW_STREAM_STATE_ERROR ||
        pipeWire->state == PW_STREAM_STATE_UNCONNECTED || !pipeWire->error.empty()) {
        return fail(who + " was refused by PipeWire: " +
                    (pipeWire->error.empty() ? stateName(pipeWire->state) : pipeWire->error));
    }
    if (pipeWire->state == PW_STREAM_STATE_CONNECTING) {
        return fail(who + " got no answer from PipeWire within " +
                    std::to_string(static_cast<int>(kConnectTimeoutSeconds)) + " s");
    }
    // The feed's ports come once the session manager has configured it.
    pipeWire->feedId = pw_stream_get_node_id(pipeWire->stream);
    const auto feedGone = [&] {
        return pipeWire->state == PW_STREAM_STATE_ERROR ||
               pipeWire->state == PW_STREAM_STATE_UNCONNECTED;
    };
    waitFor([&] { return pipeWire->portsOf(pipeWire->feedId, false) >= channels || feedGone(); });
    if (pipeWire->portsOf(pipeWire->feedId, false) < channels) {
        return fail(who + " got no ports for its PipeWire stream within " +
                    std::to_string(static_cast<int>(kConnectTimeoutSeconds)) + " s" +
                    (pipeWire->error.empty() ? "" : ": " + pipeWire->error));
    }
    // Channel to channel by name (FL to FL...), else in the order the ports came.
    std::vector<PipeWire::Port> outs;
    std::vector<PipeWire::Port> ins;
    for (const PipeWire::Port& port : pipeWire->ports) {
        if (port.node == pipeWire->feedId && !port.input) {
            outs.push_back(port);
        } else if (port.node == pipeWire->nodeId && port.input) {
            ins.push_back(port);
        }
    }
    for (size_t i = 0; i < outs.size(); ++i) {
        const auto same = std::find_if(ins.begin(), ins.end(), [&](const PipeWire::Port& in) {
            return !in.channel.empty() && in.channel == outs[i].channel;
        });
        const PipeWire::Port& in = same != ins.end() ? *same : ins[std::min(i, ins.size() - 1)];
        const std::string outNode = std::to_string(pipeWire->feedId);
        const std::string outPort = std::to_string(outs[i].id);
        const std::string inNode = std::to_string(pipeWire->nodeId);
        const std::string inPort = std::to_string(in.id);
        pw_properties* linkProps = pw_properties_new(
            PW_KEY_LINK_OUTPUT_NODE, outNode.c_str(), PW_KEY_LINK_OUTPUT_PORT, outPort.c_str(),
            PW_KEY_LINK_INPUT_NODE, inNode.c_str(), PW_KEY_LINK_INPUT_PORT, inPort.c_str(),
            PW_KEY_OBJECT_LINGER, "false", nullptr);
        auto* link = static_cast<pw_proxy*>(
            pw_core_create_object(pipeWire->core, "link-factory", PW_TYPE_INTERFACE_Link,
                                  PW_VERSION_LINK, &linkProps->dict, 0));
        pw_properties_free(linkProps);
        if (link == nullptr) {
            return fail(who + " could not link its stream to its node: " + std::strerror(errno));
        }
        pipeWire->links.push_back(link);
        auto& hook = pipeWire->linkListeners.emplace_back();
        pw_proxy_add_listener(link, &hook, &pipeWire->linkEvents, pipeWire.get());
    }
    if (!waitFor([&] { return pipeWire->linksMade >= pipeWire->links.size(); })) {
        return fail(
            who + " could not link its stream to its node" +
            (pipeWire->error.empty()
                 ? " within " + std::to_string(static_cast<int>(kConnectTimeoutSeconds)) + " s"
                 : ": " + pipeWire->error));
    }
    pw_thread_loop_unlock(pipeWire->loop);
    pipeWire_ = std::move(pipeWire);
    return {};
}

void VirtualMicrophone::stop() {
    if (!pipeWire_) {
        return;
    }
    pipeWire_.reset();  // the node goes; PipeWire's thread is joined
    taps_.setMicrophoneEnabled(false);
    droppedFrames_ = taps_.microphone().droppedFrames() - droppedAtStart_;
}

void VirtualMicrophone::fill(float* const* out, uint32_t frames) noexcept {
    SampleRing& ring = taps_.microphone();
    const uint32_t channels = ring.channelCount();
    const auto silence = [&](size_t from) {
        for (uint32_t c = 0; c < channels; ++c) {
            std::fill(out[c] + from, out[c] + frames, 0.0f);
        }
    };
    size_t available = ring.availableFrames();
    const size_t wanted = static_cast<size_t>(frames) + cushionFrames_;
    playedFrames_.fetch_add(frames, std::memory_order_relaxed);
    if (!primed_) {
        // Starting, or after an underrun: silence until the cushion is there again, so one late
        // block does not become a stutter of many.
        if (available < wanted) {
            silence(0);
            if (everPrimed_) {
                underrunFrames_.fetch_add(frames, std::memory_order_relaxed);
            }
            return;
        }
        primed_ = true;
        everPrimed_ = true;
    }
    if (available > wanted + slackFrames_) {
        // A backlog (nobody was recording, or the engine's clock runs fast): the oldest audio
        // goes, popped through the output, which is overwritten below.
        size_t excess = available - wanted;
        skippedFrames_.fetch_add(excess, std::memory_order_relaxed);
        while (excess > 0) {
            const size_t popped = ring.pop(out, std::min<size_t>(excess, frames));
            if (popped == 0) {
                break;
            }
            excess -= popped;
        }
    }
    const size_t popped = ring.pop(out, frames);
    if (popped < frames) {
        silence(popped);
        underrunFrames_.fetch_add(frames - popped, std::memory_order_relaxed);
        rebuffers_.fetch_add(1, std::memory_order_relaxed);
        primed_ = false;
    }
}

VirtualMicrophoneStats VirtualMicrophone::stats() const noexcept {
    VirtualMicrophoneStats s;
    s.playedFrames = playedFrames_.load(std::memory_order_relaxed);
    s.underrunFrames = underrunFrames_.load(std::memory_order_relaxed);
    s.rebuffers = rebuffers_.load(std::memory_order_relaxed);
    s.skippedFrames = skippedFrames_.load(std::memory_order_relaxed);
    // The rings belong to the stream: once stopped, the count taken then.
    s.droppedFrames =
        pipeWire_ ? taps_.microphone().droppedFrames() - droppedAtStart_ : droppedFrames_;
    return s;
}

}  // namespace liverack::core
