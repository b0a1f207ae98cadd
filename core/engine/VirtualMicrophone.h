// LiveRack's output as an input device for other programs (Discord, OBS, browsers): a PipeWire
// node of class Audio/Source/Virtual, fed by a playback stream that pops the microphone ring of
// SampleTaps. The audio thread only pushes into that ring; PipeWire's own real-time thread pops
// it, keeping the backlog small and bounded. No PipeWire type appears here, so the window can
// hold one.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/engine/SampleTaps.h"
#include "core/util/Result.h"

namespace liverack::core {

struct VirtualMicrophoneStats {
    uint64_t playedFrames = 0;    // handed to PipeWire, silence included
    uint64_t underrunFrames = 0;  // silence because the engine's audio came late (after the start)
    uint64_t rebuffers = 0;       // underruns after which the backlog was built up again
    uint64_t skippedFrames = 0;   // thrown away to bring a backlog that grew back down
    uint64_t droppedFrames = 0;   // the ring overflowed (nobody was recording from the node)
};

class VirtualMicrophone {
public:
    static constexpr const char* kDefaultName = "LiveRack microphone";
    static constexpr const char* kMediaClass = "Audio/Source/Virtual";
    // How long the connection to PipeWire and the stream's negotiation may take.
    static constexpr double kConnectTimeoutSeconds = 5.0;

    // For tests: told on PipeWire's thread as each process callback begins and ends.
    class CallbackObserver {
    public:
        virtual ~CallbackObserver() = default;
        virtual void entering() noexcept = 0;
        virtual void leaving() noexcept = 0;
    };

    explicit VirtualMicrophone(SampleTaps& taps);
    ~VirtualMicrophone();  // stops
    VirtualMicrophone(const VirtualMicrophone&) = delete;
    VirtualMicrophone& operator=(const VirtualMicrophone&) = delete;

    // Control thread, with the processor prepared (the taps know rate and channels): connects to
    // PipeWire and creates the node "name" (its description; the node name is nodeNameFor(name))
    // with the stream's channels at its rate. `engineBlockFrames` sizes the cushion against the
    // engine's jitter. A failure is one sentence that starts with `requester`, as in "--virtual-mic
    // needs a running PipeWire: no PipeWire server at /run/user/1000/pipewire-0".
    Status start(const std::string& name, uint32_t engineBlockFrames,
                 std::string_view requester = "the virtual microphone");
    // Removes the node and disconnects. Safe at any time.
    void stop();
    bool isRunning() const noexcept { return pipeWire_ != nullptr; }
    const std::string& name() const noexcept { return name_; }
    // "LiveRack microphone" -> "liverack_microphone": what PipeWire tools take as a target.
    static std::string nodeNameFor(const std::string& name);
    // Where libpipewire looks for the server's socket, as its own rules say.
    static std::string serverSocketPath();

    VirtualMicrophoneStats stats() const noexcept;
    // Before start().
    void setCallbackObserver(CallbackObserver* observer) noexcept { observer_ = observer; }

    // PipeWire's thread: fills `frames` frames of each planar channel in `out`.
    void fill(float* const* out, uint32_t frames) noexcept;

private:
    struct PipeWire;  // the loop, context, core and stream, and their listeners

    SampleTaps& taps_;
    std::unique_ptr<PipeWire> pipeWire_;
    std::string name_;
    CallbackObserver* observer_ = nullptr;

    // PipeWire's thread only (set up before it runs).
    uint32_t cushionFrames_ = 0;  // kept beyond each request, against the engine's jitter
    uint32_t slackFrames_ = 0;    // how far the backlog may grow past that before it is cut
    bool primed_ = false;
    bool everPrimed_ = false;

    std::atomic<uint64_t> playedFrames_{0};
    std::atomic<uint64_t> underrunFrames_{0};
    std::atomic<uint64_t> rebuffers_{0};
    std::atomic<uint64_t> skippedFrames_{0};
    uint64_t droppedAtStart_ = 0;
    uint64_t droppedFrames_ = 0;  // control thread: as counted at stop()

    friend struct VirtualMicrophoneCallbacks;
};

}  // namespace liverack::core
