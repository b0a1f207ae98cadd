#include "core/engine/PulseServer.h"

#include <pulse/context.h>
#include <pulse/introspect.h>
#include <pulse/mainloop.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>

namespace liverack::core {
namespace {

constexpr auto kBound = std::chrono::seconds(2);
constexpr int kPollMicroseconds = 20000;

struct Listing {
    std::string defaultSink;
    std::string defaultSource;
    unsigned rate = 0;
    struct Device {
        uint32_t index = 0;
        std::string name;
        std::string description;
        unsigned channels = 0;
        uint32_t monitorOfSink = PA_INVALID_INDEX;
    };
    std::vector<Device> sinks;
    std::vector<Device> sources;
    int pending = 0;  // introspection calls not yet finished
};

// One connection on a private main loop, run by hand with a deadline.
class Connection {
public:
    explicit Connection(const std::string& clientName)
        : loop_(pa_mainloop_new()),
          context_(loop_ != nullptr ? pa_context_new(pa_mainloop_get_api(loop_), clientName.c_str())
                                    : nullptr),
          deadline_(std::chrono::steady_clock::now() + kBound) {}
    ~Connection() {
        if (context_ != nullptr) {
            pa_context_disconnect(context_);
            pa_context_unref(context_);
        }
        if (loop_ != nullptr) {
            pa_mainloop_free(loop_);
        }
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    pa_context* context() const { return context_; }

    // Connects without starting a server; false when none answers in time.
    bool connect() {
        if (context_ == nullptr ||
            pa_context_connect(context_, nullptr, PA_CONTEXT_NOAUTOSPAWN, nullptr) < 0) {
            return false;
        }
        return runUntil([this] {
                   const auto state = pa_context_get_state(context_);
                   return state == PA_CONTEXT_READY || !PA_CONTEXT_IS_GOOD(state);
               }) &&
               pa_context_get_state(context_) == PA_CONTEXT_READY;
    }

    // Runs the loop until `done`, the deadline, or the connection failing.
    bool runUntil(const std::function<bool()>& done) {
        while (!done()) {
            if (std::chrono::steady_clock::now() > deadline_ ||
                !PA_CONTEXT_IS_GOOD(pa_context_get_state(context_))) {
                return false;
            }
            if (pa_mainloop_prepare(loop_, kPollMicroseconds) < 0 || pa_mainloop_poll(loop_) < 0 ||
                pa_mainloop_dispatch(loop_) < 0) {
                return false;
            }
        }
        return true;
    }

private:
    pa_mainloop* loop_;
    pa_context* context_;
    std::chrono::steady_clock::time_point deadline_;
};

void keep(pa_operation* operation, Listing& listing) {
    if (operation != nullptr) {
        ++listing.pending;
        pa_operation_unref(operation);
    }
}

void onServer(pa_context* /*context*/, const pa_server_info* info, void* user) {
    auto& listing = *static_cast<Listing*>(user);
    if (info != nullptr) {
        listing.defaultSink = info->default_sink_name != nullptr ? info->default_sink_name : "";
        listing.defaultSource =
            info->default_source_name != nullptr ? info->default_source_name : "";
        listing.rate = info->sample_spec.rate;
    }
    --listing.pending;
}

void onSink(pa_context* /*context*/, const pa_sink_info* info, int eol, void* user) {
    auto& listing = *static_cast<Listing*>(user);
    if (eol != 0) {
        --listing.pending;
        return;
    }
    listing.sinks.push_back(
        {info->index, info->name, info->description, info->sample_spec.channels, PA_INVALID_INDEX});
}

void onSource(pa_context* /*context*/, const pa_source_info* info, int eol, void* user) {
    auto& listing = *static_cast<Listing*>(user);
    if (eol != 0) {
        --listing.pending;
        return;
    }
    listing.sources.push_back({info->index, info->name, info->description,
                               info->sample_spec.channels, info->monitor_of_sink});
}

}  // namespace

std::string PulseServer::noServerProblem() {
    return "no PulseAudio (or PipeWire) server is running";
}

ApiInfo PulseServer::listDevices(const std::string& clientName) {
    ApiInfo api;
    api.id = "pulse";
    api.displayName = "PulseAudio";
    Connection connection(clientName);
    if (!connection.connect()) {
        api.problem = noServerProblem();
        return api;
    }
    Listing listing;
    keep(pa_context_get_server_info(connection.context(), onServer, &listing), listing);
    keep(pa_context_get_sink_info_list(connection.context(), onSink, &listing), listing);
    keep(pa_context_get_source_info_list(connection.context(), onSource, &listing), listing);
    if (!connection.runUntil([&] { return listing.pending <= 0; })) {
        api.problem = "the PulseAudio server did not answer within two seconds";
        return api;
    }
    std::map<uint32_t, std::string> sinkNames;
    for (const auto& sink : listing.sinks) {
        sinkNames[sink.index] = sink.description;
    }
    const auto device = [&](const Listing::Device& d, bool input) {
        DeviceInfo info;
        info.id = d.index;
        info.name = d.description.empty() ? d.name : d.description;
        info.systemName = d.name;
        (input ? info.inputChannels : info.outputChannels) = d.channels;
        info.preferredSampleRate = listing.rate;
        info.isDefaultInput = input && d.name == listing.defaultSource;
        info.isDefaultOutput = !input && d.name == listing.defaultSink;
        if (auto it = sinkNames.find(d.monitorOfSink); input && it != sinkNames.end()) {
            info.monitorOf = it->second;
        }
        return info;
    };
    for (const auto& sink : listing.sinks) {
        api.devices.push_back(device(sink, false));
    }
    for (const auto& source : listing.sources) {
        api.devices.push_back(device(source, true));
    }
    if (api.devices.empty()) {
        api.problem = "the PulseAudio server offers no sinks or sources";
    }
    return api;
}

}  // namespace liverack::core
