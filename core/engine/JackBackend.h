// LiveRack as a native JACK client. RtAudio's JACK callback hands the user callback the previous
// cycle's input (it copies the ports after calling it), which costs every JACK user one period;
// here the process callback reads this cycle's input ports and writes this cycle's output ports,
// so the loop through LiveRack is the server's own period plus the chain's latency.
//
// It also uses what a native client gets: xruns counted from JACK's xrun callback, period changes
// followed while streaming (the processor is prepared for the largest block and splits larger
// ones, so nothing is re-prepared), a sample-rate change or server shutdown reported as a lost
// stream, and the chain's latency published on the ports so JACK-aware recorders compensate it.
// Asked for, it reads a second set of inputs in the same cycle, the reference (the far end of a
// call, for echo cancellation), and hands it to the effects with the input it belongs with.
#pragma once

#include <jack/jack.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/engine/AudioBackend.h"
#include "core/engine/DeviceInfo.h"
#include "core/util/Result.h"

namespace liverack::core {

class EngineProcessor;

class JackBackend final : public AudioBackend {
public:
    struct Request {
        std::string clientName = "liverack";
        unsigned sampleRate = 48000;
        unsigned blockFrames = 256;   // asked of PipeWire's graph; jackd's period is its own
        unsigned inputChannels = 0;   // ports "<client>:inport 0" ...
        unsigned outputChannels = 0;  // ports "<client>:outport 0" ...
        std::string inputDevice;      // the JACK client whose output ports feed the inputs
        std::string outputDevice;     // the JACK client whose input ports the outputs feed
        bool autoConnect = true;
        bool inputNamed = false;  // the person chose the input (a monitor is then allowed)
        // Ports "<client>:refport 1" ... (0: none), read in the same cycle as the inputs and
        // handed to the effects as the reference; connected at start to what `reference` names
        // (see StreamConfig::reference), whether or not autoConnect is on.
        unsigned referenceChannels = 0;
        std::string reference;
    };

    // Devices are the clients that own audio ports ("system" and any other), physical ones first;
    // each offers the server's one rate.
    static ApiInfo listDevices();
    static std::string noServerProblem();

    // Opens the client and registers the ports; nothing runs before start().
    static Result<std::unique_ptr<JackBackend>> open(const Request& request,
                                                     EngineProcessor& processor);
    ~JackBackend() override;
    JackBackend(const JackBackend&) = delete;
    JackBackend& operator=(const JackBackend&) = delete;

    std::string start() override;
    void stop() override;
    bool isRunning() const override;
    bool isAlive() const override;
    std::string lostReason() const override;
    bool abandoned() const override { return abandoned_; }
    unsigned blockFrames() const override { return period_.load(std::memory_order_relaxed); }
    // Capture latency of what feeds the inputs + playback latency of what the outputs feed, from
    // JACK's latency ranges (what `jack_lsp -l` prints): the ports connected now, or before
    // start() the ones autoconnect will connect.
    unsigned deviceLatencyFrames() const override;
    void publishChainLatency(uint32_t frames) override;
    // The ports the reference ports are connected to at start, one per reference port; empty when
    // there is no reference or it is left unconnected.
    const std::vector<std::string>& referencePeers() const noexcept { return referencePeers_; }

    // The round trip a stream opened with `request` would have outside its chain, without
    // opening it: what the window shows before Start. Empty when no server answers.
    static std::optional<unsigned> expectedDeviceLatencyFrames(const Request& request);

private:
    JackBackend(jack_client_t* client, const Request& request, EngineProcessor& processor);
    std::string registerPorts();
    void registerCallbacks();

    static int processTrampoline(jack_nframes_t frames, void* self);
    int process(jack_nframes_t frames) noexcept;
    static int bufferSizeChanged(jack_nframes_t frames, void* self);
    static int sampleRateChanged(jack_nframes_t rate, void* self);
    static int xrunHappened(void* self);
    static void shutDown(jack_status_t code, const char* reason, void* self);
    static void latencyRequested(jack_latency_callback_mode_t mode, void* self);

    // Whether `fn` returned within the bound; if not, the client is abandoned.
    bool runBounded(void (*fn)(jack_client_t*));

    enum class Loss : int { None, Shutdown, RateChanged };

    jack_client_t* client_;
    Request request_;
    EngineProcessor& processor_;
    std::vector<jack_port_t*> inputs_;
    std::vector<jack_port_t*> outputs_;
    std::vector<jack_port_t*> references_;
    // The ports autoconnect connects, one per LiveRack port, found at open.
    std::vector<std::string> inputPeers_;
    std::vector<std::string> outputPeers_;
    std::vector<std::string> referencePeers_;
    // Filled on the audio thread from the port buffers; sized at open.
    std::vector<const float*> inputBuffers_;
    std::vector<float*> outputBuffers_;
    std::vector<const float*> referenceBuffers_;

    bool active_ = false;
    bool abandoned_ = false;
    std::atomic<unsigned> period_{0};
    std::atomic<uint64_t> xruns_{0};
    uint64_t xrunsSeen_ = 0;  // audio thread only
    std::atomic<int> loss_{static_cast<int>(Loss::None)};
    std::atomic<unsigned> changedRate_{0};
    std::atomic<uint32_t> publishedChainLatency_{0};
};

}  // namespace liverack::core
