// A rack slot running an LV2 plugin under the Effect contract: instantiated and activated in
// prepare, run in process, deactivated and freed off the audio thread. A mono plugin in a
// stereo rack runs as two linked instances; side-chain inputs hear the slot's own input. Every
// parameter is a control input port (named by its symbol); control outputs are reported as the
// effect's outputs; the latency port is latencyFrames().
//
// reset() must be exact and real-time safe, but an LV2 plugin only clears itself in
// instantiation, which may not run on the audio thread. So each slot keeps a second, new set of
// instances: reset swaps it in and the slot's housekeeping thread replaces the used set with a
// new one (that thread is also where the plugins' scheduled work runs).
#pragma once

#include <lv2/log/log.h>
#include <lv2/options/options.h>
#include <semaphore.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/dsp/Effect.h"
#include "core/dsp/lv2/Lv2Instance.h"
#include "core/dsp/lv2/Lv2PluginInfo.h"
#include "core/dsp/lv2/PluginState.h"
#include "core/util/Result.h"

namespace liverack::core {

class Lv2Effect final : public Effect {
public:
    // The installed plugin with this URI, started once to prove it runs. The error names the
    // plugin (savedName when it is not installed) and, where known, its Debian package.
    static Result<std::unique_ptr<Lv2Effect>> create(std::string_view uri,
                                                     std::string_view savedName = {});
    // Whether the plugin is installed and can be hosted, without starting it; the same
    // sentences as create().
    static Status checkAvailable(std::string_view uri, std::string_view savedName = {});

    explicit Lv2Effect(std::shared_ptr<const Lv2PluginInfo> plugin);
    ~Lv2Effect() override;

    const EffectInfo& info() const noexcept override { return plugin_->effectInfo; }
    void prepare(const ProcessSpec& spec) override;
    void process(AudioBlock block) noexcept override;
    void reset() noexcept override;
    uint32_t latencyFrames() const noexcept override {
        return latency_.load(std::memory_order_relaxed);
    }

    const Lv2PluginInfo& plugin() const noexcept { return *plugin_; }
    // The state to restore at the next prepare (from a preset).
    void setState(PluginState state) { pendingState_ = std::move(state); }
    // The plugin's state now: saved from the running instance (LV2 allows that while it plays),
    // or the state given to setState before the first prepare.
    PluginState state() const;
    // Non-empty when the last prepare failed; the slot then passes audio through.
    const std::string& problem() const noexcept { return problem_; }
    // Log messages the plugin wrote from its run(), dropped because nothing may print there.
    uint64_t droppedLogMessages() const noexcept { return droppedLog_.load(); }
    // Samples the plugin produced that were not finite, replaced by silence.
    uint64_t nonFiniteSamples() const noexcept { return nonFinite_.load(); }

private:
    struct InstanceSet {
        std::vector<std::unique_ptr<Lv2Instance>> instances;
        std::atomic<bool> ready{false};    // activated and unused: may be swapped in
        std::atomic<bool> recycle{false};  // used: the housekeeper reactivates it
    };
    struct ParameterBinding {
        uint32_t port;
        size_t parameter;
        const std::vector<float>* choiceValues;
    };
    struct OutputBinding {
        uint32_t port;
        size_t output;
    };

    Status buildSet(InstanceSet& set);
    void rebuild(InstanceSet& set);
    void applyControls(InstanceSet& set) noexcept;
    bool swapInSpare() noexcept;
    void startHousekeeper();
    void stopHousekeeper();
    void housekeep();
    static int logPrintf(LV2_Log_Handle handle, LV2_URID type, const char* format, ...);
    static int logVprintf(LV2_Log_Handle handle, LV2_URID type, const char* format, va_list args);

    std::shared_ptr<const Lv2PluginInfo> plugin_;
    ProcessSpec spec_{};
    std::string problem_;
    PluginState pendingState_;

    // Host features shared by the slot's instances (each adds its own worker schedule).
    LV2_Log_Log log_{};
    int32_t minBlock_ = 1;
    int32_t maxBlock_ = 0;
    int32_t sequenceSize_ = 8192;
    float sampleRate_ = 48000.0f;
    std::vector<LV2_Options_Option> options_;
    std::vector<LV2_Feature> featureStorage_;
    std::vector<const LV2_Feature*> features_;

    std::vector<uint32_t> mainInputs_, mainOutputs_, sideInputs_;
    std::vector<ParameterBinding> parameterBindings_;
    std::vector<OutputBinding> outputBindings_;
    uint32_t channelsPerInstance_ = 1;

    std::array<InstanceSet, 2> sets_;
    InstanceSet* active_ = nullptr;  // audio thread (or prepare, while nothing plays)
    InstanceSet* spare_ = nullptr;
    bool prepared_ = false;
    bool dirty_ = false;         // the active set has run since it was fresh
    bool resetPending_ = false;  // reset asked while the spare was still being recycled
    std::atomic<uint32_t> latency_{0};
    std::atomic<uint64_t> droppedLog_{0};
    std::atomic<uint64_t> nonFinite_{0};

    mutable sem_t wake_{};  // mutable: state() posts it
    std::atomic<bool> stopping_{false};
    std::thread housekeeper_;
    mutable std::mutex saveMutex_;
    mutable std::condition_variable saveDone_;
    mutable bool saveRequested_ = false;
    mutable PluginState saved_;
};

}  // namespace liverack::core
