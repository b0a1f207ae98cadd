// One running LV2 plugin instance: the lilv instance, a buffer for every port, and the worker
// hand-over (requests from run() to the slot's housekeeping thread and responses back, each an
// SPSC byte ring). Made, activated and freed off the audio thread; run() is real-time safe.
#pragma once

#include <lilv/lilv.h>
#include <lv2/core/lv2.h>
#include <lv2/worker/worker.h>
#include <semaphore.h>

#include <boost/lockfree/spsc_queue.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/dsp/lv2/Lv2PluginInfo.h"
#include "core/dsp/lv2/PluginState.h"
#include "core/util/Result.h"

namespace liverack::core {

class Lv2Instance {
public:
    // Instantiates and connects every port; not yet active. `features` ends with nullptr and
    // must outlive the instance; `wake` is posted when run() schedules work.
    static Result<std::unique_ptr<Lv2Instance>> create(
        const Lv2PluginInfo& plugin, double sampleRate, uint32_t maxFrames,
        const std::vector<const LV2_Feature*>& features, sem_t* wake);
    ~Lv2Instance();
    Lv2Instance(const Lv2Instance&) = delete;
    Lv2Instance& operator=(const Lv2Instance&) = delete;

    // True on a thread that is inside some plugin's run() (and its worker responses) now.
    static bool inRun() noexcept;

    void activate();
    void deactivate();

    float* audio(uint32_t port) noexcept { return audio_[port].data(); }
    float& control(uint32_t port) noexcept { return control_[port]; }
    // Points a port at another buffer of the instance (side chains read the main input).
    void connectAudio(uint32_t port, float* buffer) noexcept;

    // Real time: clears the atom ports, runs, hands worker responses over, ends the run.
    void run(uint32_t frames) noexcept;
    // Housekeeping thread: runs the plugin's work for every request queued so far.
    void doScheduledWork();
    // Drops queued requests and responses (the instance is being recycled).
    void dropScheduledWork() noexcept;

    // LV2 state: save may run while the instance plays; restore only while it does not.
    PluginState saveState() const;
    void restoreState(const PluginState& state);
    void loadDefaultState(const Lv2PluginInfo& plugin);

    // Worker schedule_work, from run() (queued) or from any other thread (done at once).
    LV2_Worker_Status schedule(uint32_t size, const void* data) noexcept;
    LV2_Worker_Status respond(uint32_t size, const void* data) noexcept;

private:
    Lv2Instance() = default;

    using ByteRing = boost::lockfree::spsc_queue<uint8_t>;
    static constexpr size_t kRingBytes = 1 << 16;

    LilvInstance* instance_ = nullptr;
    std::vector<std::vector<float>> audio_;
    std::vector<float> control_;
    struct AtomBuffer {
        uint32_t port;
        bool isInput;
        std::vector<uint64_t> storage;  // 64-bit aligned, as atoms require
    };
    std::vector<AtomBuffer> atoms_;
    uint32_t atomSequenceUrid_ = 0;
    uint32_t atomChunkUrid_ = 0;
    // Worker.
    const LV2_Worker_Interface* worker_ = nullptr;
    LV2_Worker_Schedule schedule_{};
    LV2_Feature scheduleFeature_{};
    std::vector<const LV2_Feature*> features_;
    std::unique_ptr<ByteRing> requests_;
    std::unique_ptr<ByteRing> responses_;
    std::vector<uint8_t> requestOut_;   // audio thread: requests are written here
    std::vector<uint8_t> responseIn_;   // ... and responses read here
    std::vector<uint8_t> workScratch_;  // the housekeeping thread reads requests here
    std::vector<uint8_t> workReply_;    // ... and writes responses here
    sem_t* wake_ = nullptr;
    bool active_ = false;
};

}  // namespace liverack::core
