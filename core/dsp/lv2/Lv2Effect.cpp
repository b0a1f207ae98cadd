#include "core/dsp/lv2/Lv2Effect.h"

#include <lv2/atom/atom.h>
#include <lv2/buf-size/buf-size.h>
#include <lv2/core/lv2.h>
#include <lv2/parameters/parameters.h>
#include <lv2/state/state.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdio>

#include "core/dsp/lv2/Lv2Catalogue.h"
#include "core/dsp/lv2/Lv2World.h"
#include "core/rt/RealTimeThread.h"

namespace liverack::core {

Status Lv2Effect::checkAvailable(std::string_view uri, std::string_view savedName) {
    auto plugin = Lv2Catalogue::shared().find(uri);
    if (!plugin) {
        std::string sentence = "the LV2 plugin ";
        sentence += savedName.empty() ? "" : "\"" + std::string(savedName) + "\" ";
        sentence += "(" + std::string(uri) + ") is not installed";
        const std::string package = Lv2Catalogue::debianPackageFor(uri);
        if (!package.empty()) {
            sentence += "; on Debian it comes with " + package + " (apt install " + package + ")";
        }
        return Error{sentence};
    }
    if (!plugin->supported()) {
        return Error{"the LV2 plugin \"" + plugin->name + "\" (" + plugin->uri + ") " +
                     plugin->unsupportedReason};
    }
    return {};
}

Result<std::unique_ptr<Lv2Effect>> Lv2Effect::create(std::string_view uri,
                                                     std::string_view savedName) {
    if (Status available = checkAvailable(uri, savedName); !available) {
        return Error{available.error()};
    }
    auto plugin = Lv2Catalogue::shared().find(uri);
    auto effect = std::make_unique<Lv2Effect>(plugin);
    // Prove that it starts, so a broken plugin is a sentence now rather than silence later.
    effect->spec_ = ProcessSpec{48000.0, 512, 1};
    effect->prepare(effect->spec_);
    if (!effect->problem_.empty()) {
        return Error{effect->problem_};
    }
    return effect;
}

Lv2Effect::Lv2Effect(std::shared_ptr<const Lv2PluginInfo> plugin)
    : Effect(plugin->effectInfo), plugin_(std::move(plugin)) {
    sem_init(&wake_, 0, 0);
    log_.handle = this;
    log_.printf = &Lv2Effect::logPrintf;
    log_.vprintf = &Lv2Effect::logVprintf;
    for (const Lv2Port& port : plugin_->ports) {
        if (port.kind == Lv2Port::Kind::Audio && port.isInput) {
            (port.role == Lv2Port::Role::SideChain ? sideInputs_ : mainInputs_)
                .push_back(port.index);
        } else if (port.kind == Lv2Port::Kind::Audio && port.role == Lv2Port::Role::Main) {
            mainOutputs_.push_back(port.index);
        } else if (port.parameter >= 0) {
            const ParameterInfo& info =
                plugin_->effectInfo.parameters[static_cast<size_t>(port.parameter)];
            parameterBindings_.push_back(
                {port.index, static_cast<size_t>(port.parameter),
                 info.choiceValues.empty() ? nullptr : &info.choiceValues});
        } else if (port.output >= 0) {
            outputBindings_.push_back({port.index, static_cast<size_t>(port.output)});
        }
    }
    // One channel per instance only for a mono plugin; anything stereo takes channel pairs.
    channelsPerInstance_ = mainInputs_.size() == 1 && mainOutputs_.size() == 1 ? 1 : 2;
}

Lv2Effect::~Lv2Effect() {
    stopHousekeeper();
    for (InstanceSet& set : sets_) {
        set.instances.clear();  // deactivates and frees, here, off the audio thread
    }
    sem_destroy(&wake_);
}

void Lv2Effect::prepare(const ProcessSpec& spec) {
    stopHousekeeper();
    if (prepared_ && plugin_->hasState) {
        pendingState_ = state();  // a re-prepared slot keeps what the plugin held
    }
    for (InstanceSet& set : sets_) {
        set.instances.clear();
        set.ready.store(false);
        set.recycle.store(false);
    }
    prepared_ = false;
    problem_.clear();
    spec_ = spec;

    Lv2World& world = Lv2World::shared();
    maxBlock_ = static_cast<int32_t>(spec.maxBlockFrames);
    sampleRate_ = static_cast<float>(spec.sampleRate);
    const LV2_URID atomInt = world.map(LV2_ATOM__Int);
    const LV2_URID atomFloat = world.map(LV2_ATOM__Float);
    options_ = {
        {LV2_OPTIONS_INSTANCE, 0, world.map(LV2_BUF_SIZE__minBlockLength), sizeof(int32_t), atomInt,
         &minBlock_},
        {LV2_OPTIONS_INSTANCE, 0, world.map(LV2_BUF_SIZE__maxBlockLength), sizeof(int32_t), atomInt,
         &maxBlock_},
        {LV2_OPTIONS_INSTANCE, 0, world.map(LV2_BUF_SIZE__nominalBlockLength), sizeof(int32_t),
         atomInt, &maxBlock_},
        {LV2_OPTIONS_INSTANCE, 0, world.map(LV2_BUF_SIZE__sequenceSize), sizeof(int32_t), atomInt,
         &sequenceSize_},
        {LV2_OPTIONS_INSTANCE, 0, world.map(LV2_PARAMETERS__sampleRate), sizeof(float), atomFloat,
         &sampleRate_},
        {LV2_OPTIONS_INSTANCE, 0, 0, 0, 0, nullptr},
    };
    featureStorage_ = {
        {LV2_URID__map, world.mapFeature()},
        {LV2_URID__unmap, world.unmapFeature()},
        {LV2_OPTIONS__options, options_.data()},
        {LV2_BUF_SIZE__boundedBlockLength, nullptr},
        {LV2_LOG__log, &log_},
        {LV2_STATE__loadDefaultState, nullptr},
    };
    features_.clear();
    for (const LV2_Feature& feature : featureStorage_) {
        features_.push_back(&feature);
    }

    for (InstanceSet& set : sets_) {
        if (Status built = buildSet(set); !built) {
            problem_ = built.error();
            for (InstanceSet& s : sets_) {
                s.instances.clear();
            }
            latency_.store(0);
            return;  // passes audio through; problem() says why
        }
    }
    active_ = &sets_[0];
    spare_ = &sets_[1];

    // Learn the latency the plugin reports from the spare set's first blocks of silence, then
    // make that set anew. Some plugins publish it from their second run on (x42 nodelay).
    if (plugin_->latencyPort >= 0) {
        const auto port = static_cast<uint32_t>(plugin_->latencyPort);
        for (int block = 0; block < 4; ++block) {
            for (auto& instance : spare_->instances) {
                instance->run(spec.maxBlockFrames);
            }
        }
        const float reported = spare_->instances.front()->control(port);
        latency_.store(std::isfinite(reported) && reported > 0.0f
                           ? static_cast<uint32_t>(std::lround(reported))
                           : 0u);
        rebuild(*spare_);
    } else {
        latency_.store(0);
    }
    active_->ready.store(false);
    spare_->ready.store(true);
    prepared_ = true;
    dirty_ = false;
    resetPending_ = false;
    startHousekeeper();
}

Status Lv2Effect::buildSet(InstanceSet& set) {
    const uint32_t channels = std::max<uint32_t>(1, spec_.channels);
    const uint32_t count = (channels + channelsPerInstance_ - 1) / channelsPerInstance_;
    for (uint32_t i = 0; i < count; ++i) {
        auto made = Lv2Instance::create(*plugin_, spec_.sampleRate, spec_.maxBlockFrames, features_,
                                        &wake_);
        if (!made) {
            set.instances.clear();
            return Error{made.error()};
        }
        Lv2Instance& instance = **made;
        for (const Lv2Port& port : plugin_->ports) {
            if (port.role == Lv2Port::Role::Enabled) {
                instance.control(port.index) = 1.0f;  // the rack's bypass does the bypassing
            } else if (port.role == Lv2Port::Role::FreeWheeling) {
                instance.control(port.index) = 0.0f;
            }
        }
        // Side chain j hears main input j (left on left, right on right) or the last one.
        for (size_t j = 0; j < sideInputs_.size(); ++j) {
            const uint32_t main = mainInputs_[std::min(j, mainInputs_.size() - 1)];
            instance.connectAudio(sideInputs_[j], instance.audio(main));
        }
        if (plugin_->loadsDefaultState) {
            instance.loadDefaultState(*plugin_);
        }
        instance.restoreState(pendingState_);
        set.instances.push_back(std::move(*made));
    }
    applyControls(set);
    for (auto& instance : set.instances) {
        instance->activate();
    }
    return {};
}

void Lv2Effect::rebuild(InstanceSet& set) {
    // New instances rather than deactivate/activate: not every plugin's activate() returns it
    // to exactly the state of a new instance (x42 fil4 keeps its parameter glide), and reset()
    // promises exactly that.
    std::vector<std::unique_ptr<Lv2Instance>> used = std::move(set.instances);
    set.instances.clear();
    if (Status built = buildSet(set); !built) {
        set.instances = std::move(used);  // the next best thing: the same instances, reactivated
        for (auto& instance : set.instances) {
            instance->deactivate();
            instance->dropScheduledWork();
            instance->activate();
        }
    }
}

void Lv2Effect::applyControls(InstanceSet& set) noexcept {
    const ParameterSet& values = parameters();
    for (const ParameterBinding& binding : parameterBindings_) {
        float value = values.get(binding.parameter);
        if (binding.choiceValues != nullptr) {
            const auto last = static_cast<long>(binding.choiceValues->size()) - 1;
            value = (*binding.choiceValues)[static_cast<size_t>(
                std::clamp<long>(std::lround(value), 0, last))];
        }
        for (auto& instance : set.instances) {
            instance->control(binding.port) = value;
        }
    }
}

bool Lv2Effect::swapInSpare() noexcept {
    if (!spare_->ready.load(std::memory_order_acquire)) {
        return false;
    }
    std::swap(active_, spare_);
    active_->ready.store(false, std::memory_order_relaxed);
    spare_->recycle.store(true, std::memory_order_release);
    sem_post(&wake_);
    dirty_ = false;
    resetPending_ = false;
    return true;
}

void Lv2Effect::reset() noexcept {
    if (!prepared_ || !dirty_) {
        return;  // the active set is fresh already
    }
    if (!RealTimeThread::isCurrent()) {
        // Render and tests: wait for the spare being made (milliseconds), so every reset is
        // exact. Bounded, in case the housekeeping thread cannot make one.
        for (int waited = 0; waited < 10000 && !spare_->ready.load(std::memory_order_acquire);
             ++waited) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    if (!swapInSpare()) {
        // On the audio thread two resets came within the time it takes to make a set: the
        // output stays silent until the new set is ready (nothing of the old audio comes out).
        resetPending_ = true;
    }
}

void Lv2Effect::process(AudioBlock block) noexcept {
    if (!prepared_) {
        return;  // a plugin that did not start passes audio through
    }
    if (resetPending_ && !swapInSpare()) {
        block.clear();  // nothing of the audio before the reset may come out
        return;
    }
    applyControls(*active_);
    const uint32_t frames = std::min(block.frameCount(), spec_.maxBlockFrames);
    const uint32_t channels = std::min(block.channelCount(), spec_.channels);
    const auto ins = static_cast<uint32_t>(mainInputs_.size());
    const auto outs = static_cast<uint32_t>(mainOutputs_.size());
    for (size_t k = 0; k < active_->instances.size(); ++k) {
        Lv2Instance& instance = *active_->instances[k];
        const auto base = static_cast<uint32_t>(k) * channelsPerInstance_;
        if (base >= channels) {
            break;
        }
        const uint32_t group = std::min(channelsPerInstance_, channels - base);
        for (uint32_t j = 0; j < ins; ++j) {
            float* to = instance.audio(mainInputs_[j]);
            if (ins == group || group == 1) {
                std::copy_n(block.channel(base + std::min(j, group - 1)), frames, to);
            } else {  // a mono input fed by a channel pair hears their mean
                const float* left = block.channel(base);
                const float* right = block.channel(base + 1);
                for (uint32_t i = 0; i < frames; ++i) {
                    to[i] = 0.5f * (left[i] + right[i]);
                }
            }
        }
        instance.run(frames);
        if (outs == group || outs == 1) {
            for (uint32_t c = 0; c < group; ++c) {
                std::copy_n(instance.audio(mainOutputs_[std::min(c, outs - 1)]), frames,
                            block.channel(base + c));
            }
        } else {  // a stereo output into one channel gives their mean
            const float* left = instance.audio(mainOutputs_[0]);
            const float* right = instance.audio(mainOutputs_[1]);
            float* to = block.channel(base);
            for (uint32_t i = 0; i < frames; ++i) {
                to[i] = 0.5f * (left[i] + right[i]);
            }
        }
    }
    // A plugin is not bound by the Effect contract: whatever it does, what leaves the slot is
    // finite, so one plugin's NaN cannot poison the filters after it.
    for (uint32_t c = 0; c < channels; ++c) {
        float* samples = block.channel(c);
        for (uint32_t i = 0; i < frames; ++i) {
            if (!std::isfinite(samples[i])) {
                samples[i] = 0.0f;
                nonFinite_.fetch_add(1, std::memory_order_relaxed);
            }
        }
    }
    Lv2Instance& first = *active_->instances.front();
    for (const OutputBinding& binding : outputBindings_) {
        outputs().store(binding.output, first.control(binding.port));
    }
    if (plugin_->latencyPort >= 0) {
        const float reported = first.control(static_cast<uint32_t>(plugin_->latencyPort));
        if (std::isfinite(reported) && reported >= 0.0f && reported < 1.0e7f) {
            latency_.store(static_cast<uint32_t>(reported + 0.5f), std::memory_order_relaxed);
        }
    }
    dirty_ = true;
}

PluginState Lv2Effect::state() const {
    if (!prepared_ || !plugin_->hasState || !housekeeper_.joinable()) {
        return pendingState_;
    }
    // Saved on the housekeeping thread, so it never overlaps an instance's recycling (LV2 lets
    // save run beside run(), not beside activate).
    std::unique_lock lock(saveMutex_);
    saveRequested_ = true;
    sem_post(&wake_);
    saveDone_.wait(lock, [this] { return !saveRequested_; });
    return saved_;
}

void Lv2Effect::startHousekeeper() {
    stopping_.store(false);
    housekeeper_ = std::thread([this] { housekeep(); });
}

void Lv2Effect::stopHousekeeper() {
    if (housekeeper_.joinable()) {
        stopping_.store(true);
        sem_post(&wake_);
        housekeeper_.join();
    }
}

void Lv2Effect::housekeep() {
    while (true) {
        while (sem_wait(&wake_) != 0) {
            // interrupted by a signal: wait again
        }
        if (stopping_.load()) {
            return;
        }
        {
            std::lock_guard lock(saveMutex_);
            if (saveRequested_) {
                saved_ = sets_[0].instances.front()->saveState();
                saveRequested_ = false;
                saveDone_.notify_all();
            }
        }
        for (InstanceSet& set : sets_) {
            for (auto& instance : set.instances) {
                instance->doScheduledWork();
            }
            if (set.recycle.exchange(false, std::memory_order_acquire)) {
                rebuild(set);
                set.ready.store(true, std::memory_order_release);
            }
        }
    }
}

int Lv2Effect::logPrintf(LV2_Log_Handle handle, LV2_URID type, const char* format, ...) {
    va_list args;
    va_start(args, format);
    const int written = logVprintf(handle, type, format, args);
    va_end(args);
    return written;
}

int Lv2Effect::logVprintf(LV2_Log_Handle handle, LV2_URID /*type*/, const char* format,
                          va_list args) {
    auto* self = static_cast<Lv2Effect*>(handle);
    if (Lv2Instance::inRun()) {
        self->droppedLog_.fetch_add(1, std::memory_order_relaxed);  // no I/O on the audio thread
        return 0;
    }
    std::fprintf(stderr, "liverack: LV2 plugin \"%s\": ", self->plugin_->name.c_str());
    return std::vfprintf(stderr, format, args);
}

}  // namespace liverack::core
