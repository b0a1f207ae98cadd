// A private JACK server (dummy backend) for one test: started under a unique server name, made
// the process's default server (JACK_DEFAULT_SERVER) so RtAudio and test clients find it, and
// stopped again. Real server, real clients: no mocks.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

namespace liverack::test {

class JackServer {
public:
    // Starts `jackd -n <unique> --realtime -d dummy -r rate -p period` and waits until a client
    // can connect (bounded). Check isRunning() / error().
    JackServer(unsigned sampleRate = 48000, unsigned period = 256);
    ~JackServer();
    // Other test programs start their own servers at the same time, and jackd occasionally gives
    // up while they all register: up to `attempts` tries. Check isRunning() on the result.
    static std::unique_ptr<JackServer> startWithRetries(int attempts = 3);
    JackServer(const JackServer&) = delete;
    JackServer& operator=(const JackServer&) = delete;

    bool isRunning() const { return pid_ > 0 && error_.empty(); }
    const std::string& error() const { return error_; }
    const std::string& name() const { return name_; }
    unsigned sampleRate() const { return sampleRate_; }
    unsigned period() const { return period_; }

    // Kills the server the hard way, as a crash would (for stream-loss tests). The registry slot
    // it leaves behind is freed when this object is destroyed, after the test's clients.
    void kill();
    // Stops the server's process (SIGSTOP) as a hung server would be, and lets it go on (SIGCONT).
    void freeze();
    void thaw();
    // Stops the server politely and waits for it.
    void stop();

private:
    void launch();

    std::string name_;
    std::string error_;
    pid_t pid_ = -1;
    bool killed_ = false;
    unsigned sampleRate_;
    unsigned period_;
};

}  // namespace liverack::test
