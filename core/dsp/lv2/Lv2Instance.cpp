#include "core/dsp/lv2/Lv2Instance.h"

#include <lv2/atom/atom.h>
#include <lv2/state/state.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "core/dsp/lv2/Lv2World.h"

namespace liverack::core {
namespace {

// True while this thread is inside a plugin's run(): work scheduled then is queued for the
// housekeeping thread; scheduled anywhere else it is done at once, as the worker spec asks.
thread_local bool tlsInRun = false;

LV2_Worker_Status scheduleWork(LV2_Worker_Schedule_Handle handle, uint32_t size, const void* data) {
    return static_cast<Lv2Instance*>(handle)->schedule(size, data);
}

LV2_Worker_Status respondToWork(LV2_Worker_Respond_Handle handle, uint32_t size, const void* data) {
    return static_cast<Lv2Instance*>(handle)->respond(size, data);
}

// Pushes a size-prefixed message in one push, so the reader sees all of it or none.
bool pushMessage(boost::lockfree::spsc_queue<uint8_t>& ring, std::vector<uint8_t>& scratch,
                 uint32_t size, const void* data) noexcept {
    const size_t total = sizeof(uint32_t) + size;
    if (total > scratch.size() || ring.write_available() < total) {
        return false;
    }
    std::memcpy(scratch.data(), &size, sizeof(uint32_t));
    std::memcpy(scratch.data() + sizeof(uint32_t), data, size);
    ring.push(scratch.data(), total);
    return true;
}

// Pops one message into scratch; returns its size, or -1 when there is none.
long popMessage(boost::lockfree::spsc_queue<uint8_t>& ring,
                std::vector<uint8_t>& scratch) noexcept {
    if (ring.read_available() < sizeof(uint32_t)) {
        return -1;
    }
    uint32_t size = 0;
    ring.pop(reinterpret_cast<uint8_t*>(&size), sizeof(uint32_t));
    const size_t kept = std::min<size_t>(size, scratch.size());
    ring.pop(scratch.data(), kept);
    return static_cast<long>(kept);
}

struct StateSink {
    Lv2World* world;
    PluginState* state;
};

LV2_State_Status storeProperty(LV2_State_Handle handle, uint32_t key, const void* value,
                               size_t size, uint32_t type, uint32_t /*flags*/) {
    auto* sink = static_cast<StateSink*>(handle);
    const char* keyUri = sink->world->unmap(key);
    const char* typeUri = sink->world->unmap(type);
    if (keyUri == nullptr || typeUri == nullptr) {
        return LV2_STATE_ERR_BAD_TYPE;
    }
    const auto* bytes = static_cast<const uint8_t*>(value);
    (*sink->state)[keyUri] =
        PluginStateProperty{typeUri, std::vector<uint8_t>(bytes, bytes + size)};
    return LV2_STATE_SUCCESS;
}

struct StateSource {
    Lv2World* world;
    const PluginState* state;
    std::vector<uint32_t> typeIds;  // mapped once per property, kept for the restore
};

const void* retrieveProperty(LV2_State_Handle handle, uint32_t key, size_t* size, uint32_t* type,
                             uint32_t* flags) {
    auto* source = static_cast<StateSource*>(handle);
    const char* keyUri = source->world->unmap(key);
    if (keyUri == nullptr) {
        return nullptr;
    }
    const auto found = source->state->find(keyUri);
    if (found == source->state->end()) {
        return nullptr;
    }
    *size = found->second.value.size();
    *type = source->world->map(found->second.type.c_str());
    *flags = LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE;
    return found->second.value.data();
}

}  // namespace

Result<std::unique_ptr<Lv2Instance>> Lv2Instance::create(
    const Lv2PluginInfo& plugin, double sampleRate, uint32_t maxFrames,
    const std::vector<const LV2_Feature*>& features, sem_t* wake) {
    std::unique_ptr<Lv2Instance> made(new Lv2Instance());
    Lv2World& world = Lv2World::shared();
    made->wake_ = wake;
    made->schedule_.handle = made.get();
    made->schedule_.schedule_work = &scheduleWork;
    made->scheduleFeature_ = {LV2_WORKER__schedule, &made->schedule_};
    for (const LV2_Feature* feature : features) {
        if (feature != nullptr) {
            made->features_.push_back(feature);
        }
    }
    made->features_.push_back(&made->scheduleFeature_);
    made->features_.push_back(nullptr);
    made->atomSequenceUrid_ = world.map(LV2_ATOM__Sequence);
    made->atomChunkUrid_ = world.map(LV2_ATOM__Chunk);
    {
        std::lock_guard lock(world.lilvMutex());
        world.pinLibrary(plugin.plugin);
        made->instance_ =
            lilv_plugin_instantiate(plugin.plugin, sampleRate, made->features_.data());
    }
    if (made->instance_ == nullptr) {
        return Error{"the plugin \"" + plugin.name + "\" (" + plugin.uri + ") failed to start at " +
                     std::to_string(static_cast<int>(sampleRate)) +
                     " Hz (its library did not load or it refused the rate)"};
    }
    if (plugin.hasWorker) {
        made->worker_ = static_cast<const LV2_Worker_Interface*>(
            lilv_instance_get_extension_data(made->instance_, LV2_WORKER__interface));
        made->requests_ = std::make_unique<ByteRing>(kRingBytes);
        made->responses_ = std::make_unique<ByteRing>(kRingBytes);
        made->requestOut_.resize(kRingBytes);
        made->responseIn_.resize(kRingBytes);
        made->workScratch_.resize(kRingBytes);
        made->workReply_.resize(kRingBytes);
    }
    made->audio_.resize(plugin.ports.size());
    made->control_.assign(plugin.ports.size(), 0.0f);
    for (const Lv2Port& port : plugin.ports) {
        void* buffer = nullptr;
        switch (port.kind) {
            case Lv2Port::Kind::Audio:
            case Lv2Port::Kind::Cv:
                made->audio_[port.index].assign(maxFrames, 0.0f);
                buffer = made->audio_[port.index].data();
                break;
            case Lv2Port::Kind::Control:
                made->control_[port.index] = port.defaultValue;
                buffer = &made->control_[port.index];
                break;
            case Lv2Port::Kind::Atom: {
                AtomBuffer atom{port.index, port.isInput,
                                std::vector<uint64_t>((port.atomBytes + 7) / 8, 0)};
                made->atoms_.push_back(std::move(atom));
                buffer = made->atoms_.back().storage.data();
                break;
            }
            case Lv2Port::Kind::Other:
                break;
        }
        lilv_instance_connect_port(made->instance_, port.index, buffer);
    }
    made->run(0);  // prime nothing: atoms get their headers before the first real run
    return made;
}

bool Lv2Instance::inRun() noexcept {
    return tlsInRun;
}

Lv2Instance::~Lv2Instance() {
    if (instance_ == nullptr) {
        return;
    }
    deactivate();
    // Freeing closes the plugin's library, which is world state.
    std::lock_guard lock(Lv2World::shared().lilvMutex());
    lilv_instance_free(instance_);
}

void Lv2Instance::activate() {
    if (!active_) {
        lilv_instance_activate(instance_);
        active_ = true;
    }
}

void Lv2Instance::deactivate() {
    if (active_) {
        lilv_instance_deactivate(instance_);
        active_ = false;
    }
}

void Lv2Instance::connectAudio(uint32_t port, float* buffer) noexcept {
    lilv_instance_connect_port(instance_, port, buffer);
}

void Lv2Instance::run(uint32_t frames) noexcept {
    for (AtomBuffer& atom : atoms_) {
        auto* header = reinterpret_cast<LV2_Atom_Sequence*>(atom.storage.data());
        if (atom.isInput) {
            // An empty sequence: the rack feeds no MIDI or events.
            header->atom.size = sizeof(LV2_Atom_Sequence_Body);
            header->atom.type = atomSequenceUrid_;
            header->body.unit = 0;
            header->body.pad = 0;
        } else {
            // Room for the plugin to write into, as the atom spec asks of output ports.
            header->atom.size = static_cast<uint32_t>(atom.storage.size() * 8 - sizeof(LV2_Atom));
            header->atom.type = atomChunkUrid_;
        }
    }
    if (frames == 0 || !active_) {
        return;
    }
    tlsInRun = true;
    lilv_instance_run(instance_, frames);
    if (worker_ != nullptr) {
        long size = 0;
        while ((size = popMessage(*responses_, responseIn_)) >= 0) {
            if (worker_->work_response != nullptr) {
                worker_->work_response(lilv_instance_get_handle(instance_),
                                       static_cast<uint32_t>(size), responseIn_.data());
            }
        }
        if (worker_->end_run != nullptr) {
            worker_->end_run(lilv_instance_get_handle(instance_));
        }
    }
    tlsInRun = false;
}

LV2_Worker_Status Lv2Instance::schedule(uint32_t size, const void* data) noexcept {
    if (worker_ == nullptr || worker_->work == nullptr) {
        return LV2_WORKER_ERR_UNKNOWN;
    }
    if (tlsInRun) {
        if (!pushMessage(*requests_, requestOut_, size, data)) {
            return LV2_WORKER_ERR_NO_SPACE;
        }
        sem_post(wake_);  // async-signal-safe, no lock
        return LV2_WORKER_SUCCESS;
    }
    // Not in run(): instantiation, activation or state restore, on a thread that may wait.
    return worker_->work(lilv_instance_get_handle(instance_), &respondToWork, this, size, data);
}

LV2_Worker_Status Lv2Instance::respond(uint32_t size, const void* data) noexcept {
    return pushMessage(*responses_, workReply_, size, data) ? LV2_WORKER_SUCCESS
                                                            : LV2_WORKER_ERR_NO_SPACE;
}

void Lv2Instance::doScheduledWork() {
    if (worker_ == nullptr) {
        return;
    }
    long size = 0;
    while ((size = popMessage(*requests_, workScratch_)) >= 0) {
        worker_->work(lilv_instance_get_handle(instance_), &respondToWork, this,
                      static_cast<uint32_t>(size), workScratch_.data());
    }
}

void Lv2Instance::dropScheduledWork() noexcept {
    if (worker_ != nullptr) {
        requests_->reset();
        responses_->reset();
    }
}

PluginState Lv2Instance::saveState() const {
    PluginState state;
    const auto* iface = static_cast<const LV2_State_Interface*>(
        lilv_instance_get_extension_data(instance_, LV2_STATE__interface));
    if (iface == nullptr || iface->save == nullptr) {
        return state;
    }
    StateSink sink{&Lv2World::shared(), &state};
    iface->save(lilv_instance_get_handle(instance_), &storeProperty, &sink,
                LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE, features_.data());
    return state;
}

void Lv2Instance::restoreState(const PluginState& state) {
    const auto* iface = static_cast<const LV2_State_Interface*>(
        lilv_instance_get_extension_data(instance_, LV2_STATE__interface));
    if (iface == nullptr || iface->restore == nullptr || state.empty()) {
        return;
    }
    StateSource source{&Lv2World::shared(), &state, {}};
    iface->restore(lilv_instance_get_handle(instance_), &retrieveProperty, &source,
                   LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE, features_.data());
}

void Lv2Instance::loadDefaultState(const Lv2PluginInfo& plugin) {
    Lv2World& world = Lv2World::shared();
    LilvState* state = nullptr;
    {
        std::lock_guard lock(world.lilvMutex());
        state = lilv_state_new_from_world(world.world(), world.mapFeature(),
                                          lilv_plugin_get_uri(plugin.plugin));
    }
    if (state != nullptr) {
        // Port values are the rack's parameters; only the plugin's own properties are restored.
        lilv_state_restore(state, instance_, nullptr, nullptr, 0, features_.data());
        lilv_state_free(state);
    }
}

}  // namespace liverack::core
