// Where the audio callbacks come from: RtAudio (ALSA, PulseAudio, other systems), libjack
// directly, or the null device. A backend only moves samples between the system and the one
// callback body, EngineProcessor; what the engine shows and the tests measure does not depend on
// which. Every member is called from the control thread, and none waits without a bound.
#pragma once

#include <cstdint>
#include <string>

namespace liverack::core {

class AudioBackend {
public:
    virtual ~AudioBackend() = default;

    // "" once streaming, otherwise why not.
    virtual std::string start() = 0;
    // Returns within about a second even when the server or device hangs; the stream is then
    // abandoned (see abandoned()).
    virtual void stop() = 0;
    virtual bool isRunning() const = 0;
    // False once the stream has been torn down under us (server gone, device unplugged).
    virtual bool isAlive() const = 0;
    // Why the stream was lost, when the backend knows better than "the device went away".
    virtual std::string lostReason() const { return {}; }
    // True when stop() gave up waiting for the system: the objects the system may still call
    // into must outlive the process, and the process should exit.
    virtual bool abandoned() const { return false; }

    // The current period: on JACK it follows the server's buffer size while streaming.
    virtual unsigned blockFrames() const = 0;
    // Input-to-output latency outside LiveRack's chain, in frames: what feeds the inputs plus what
    // the outputs feed plus the backend's own buffering. The engine adds the chain's latency.
    virtual unsigned deviceLatencyFrames() const = 0;

    // Control thread, ~10 Hz: the chain's latency now, for backends that publish it (JACK ports).
    virtual void publishChainLatency(uint32_t /*frames*/) {}
};

}  // namespace liverack::core
