#include "tests/support/JackServer.h"

#include <fcntl.h>
#include <jack/jack.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

extern char** environ;

namespace liverack::test {
namespace {

void silentJackErrors(const char*) {}

}  // namespace

JackServer::JackServer(unsigned sampleRate, unsigned period)
    : sampleRate_(sampleRate), period_(period) {
    static std::atomic<int> counter{0};
    name_ = "liverack-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
    setenv("JACK_NO_AUDIO_RESERVATION", "1", 1);
    setenv("JACK_NO_START_SERVER", "1", 1);
    setenv("JACK_DEFAULT_SERVER", name_.c_str(), 1);
    jack_set_error_function(silentJackErrors);  // "cannot connect" while it boots is expected
    jack_set_info_function(silentJackErrors);
    launch();
}

void JackServer::launch() {
    error_.clear();
    const std::string rate = std::to_string(sampleRate_);
    const std::string frames = std::to_string(period_);
    // Real-time scheduling where the system allows it (jackd carries on without it where it does
    // not): on a busy 2-core machine a non-real-time dummy server drops cycles, and the tests
    // would measure the machine's load instead of LiveRack.
    std::vector<std::string> args = {"jackd", "-n", name_, "--realtime", "-P", "70", "-d", "dummy",
                                     "-r",    rate, "-p",  frames,       "-C", "2",  "-P", "2"};
    std::vector<char*> argv;
    for (auto& a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    const int rc = posix_spawnp(&pid_, "jackd", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        pid_ = -1;
        error_ = "could not start jackd (is jackd2 installed?)";
        return;
    }

    // Wait until the server accepts a client: each attempt is a real connection, bounded to 10 s.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        jack_status_t status{};
        jack_client_t* probe = jack_client_open(
            "probe", static_cast<jack_options_t>(JackNoStartServer | JackServerName), &status,
            name_.c_str());
        if (probe != nullptr) {
            jack_client_close(probe);
            return;
        }
        int exitStatus = 0;
        if (waitpid(pid_, &exitStatus, WNOHANG) == pid_) {
            pid_ = -1;
            error_ = "jackd exited while starting";
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    error_ = "jackd did not accept clients within 10 s";
}

std::unique_ptr<JackServer> JackServer::startWithRetries(int attempts) {
    auto server = std::make_unique<JackServer>();
    for (int attempt = 1; attempt < attempts && !server->isRunning(); ++attempt) {
        server.reset();  // frees its name and registry slot before the next try
        server = std::make_unique<JackServer>();
    }
    return server;
}

JackServer::~JackServer() {
    stop();
    if (killed_) {
        // A killed server leaves its slot taken in JACK's shared registry, which holds only 8.
        // Starting a server under the same name and stopping it politely frees the slot. Only
        // here, once the test's clients are gone: a new server under that name while the old
        // one's clients are still closing confuses their client library.
        launch();
        stop();
    }
}

void JackServer::kill() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
        killed_ = true;
    }
}

void JackServer::freeze() {
    if (pid_ > 0) {
        ::kill(pid_, SIGSTOP);
    }
}

void JackServer::thaw() {
    if (pid_ > 0) {
        ::kill(pid_, SIGCONT);
    }
}

void JackServer::stop() {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }
}

}  // namespace liverack::test
