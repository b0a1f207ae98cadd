#include "tests/support/PipeWireSession.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "core/engine/PipeWireJack.h"
#include "tests/support/Subprocess.h"

extern char** environ;

namespace liverack::test {
namespace {

constexpr const char* kTestMarker = "LIVERACK_TEST_ON_PIPEWIRE_JACK";

bool isSocket(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

// Polls for `paths` to be sockets, every 20 ms for at most `seconds`.
bool waitForSockets(const std::vector<std::string>& paths, double seconds) {
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(seconds));
    while (std::chrono::steady_clock::now() < deadline) {
        bool all = true;
        for (const auto& p : paths) {
            all = all && isSocket(p);
        }
        if (all) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling a file system
    }
    return false;
}

}  // namespace

PipeWireSession::PipeWireSession() {
    char pattern[] = "/tmp/liverack-pipewire-XXXXXX";
    if (mkdtemp(pattern) == nullptr) {
        error_ = "cannot make a runtime folder";
        return;
    }
    folder_ = pattern;
    chmod(folder_.c_str(), 0700);
    setenv("XDG_RUNTIME_DIR", folder_.c_str(), 1);
    unsetenv("PIPEWIRE_RUNTIME_DIR");
    unsetenv("PIPEWIRE_REMOTE");
    unsetenv("PULSE_SERVER");
    // A configuration of its own, so a user's settings never leak in; and without systemd (a
    // container, a chroot) WirePlumber's logind plugin fails and takes WirePlumber down with it:
    // the session needs no seat arbitration, so it is switched off.
    const std::string config = folder_ + "/config";
    setenv("XDG_CONFIG_HOME", config.c_str(), 1);
    std::error_code made;
    std::filesystem::create_directories(config + "/wireplumber/bluetooth.lua.d", made);
    if (std::FILE* f =
            std::fopen((config + "/wireplumber/bluetooth.lua.d/51-no-logind.lua").c_str(), "w")) {
        std::fputs("bluez_monitor.properties[\"with-logind\"] = false\n", f);
        std::fclose(f);
    }
    const std::string bus = "unix:path=" + folder_ + "/bus";
    setenv("DBUS_SESSION_BUS_ADDRESS", bus.c_str(), 1);

    if (spawn({"dbus-daemon", "--session", "--nofork", "--nopidfile", "--address=" + bus}) <= 0 ||
        !waitForSockets({folder_ + "/bus"}, 10.0)) {
        error_ = "the session D-Bus did not start (is dbus installed?)";
        return;
    }
    if (spawn({"pipewire"}) <= 0 || !waitForSockets({folder_ + "/pipewire-0"}, 10.0)) {
        error_ = "pipewire did not start (is pipewire installed?)";
        return;
    }
    if (spawn({"wireplumber"}) <= 0 || spawn({"pipewire-pulse"}) <= 0 ||
        !waitForSockets({folder_ + "/pulse/native"}, 10.0)) {
        error_ = "wireplumber or pipewire-pulse did not start";
        return;
    }
}

PipeWireSession::~PipeWireSession() {
    for (auto it = children_.rbegin(); it != children_.rend(); ++it) {
        kill(*it, SIGTERM);
        waitpid(*it, nullptr, 0);
    }
    if (!folder_.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(folder_, ignored);
    }
}

pid_t PipeWireSession::spawn(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    if (posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) {
        pid = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    if (pid > 0) {
        children_.push_back(pid);
    }
    return pid;
}

bool PipeWireSession::forceQuantum(unsigned frames) {
    Subprocess metadata({"/usr/bin/pw-metadata", "-n", "settings", "0", "clock.force-quantum",
                         std::to_string(frames)});
    return metadata.started() && metadata.wait(10.0) == 0;
}

bool PipeWireSession::waitForSink(double seconds) const {
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(seconds));
    while (isRunning() && std::chrono::steady_clock::now() < deadline) {
        if (!findNode(dump(), "media.class", "Audio/Sink").is_null()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the session starting
    }
    return false;
}

nlohmann::json PipeWireSession::dump() {
    Subprocess pwDump({"/usr/bin/pw-dump"});
    if (!pwDump.started() || pwDump.wait(10.0) != 0) {
        return nlohmann::json::array();
    }
    auto parsed = nlohmann::json::parse(pwDump.out(), nullptr, false);
    return parsed.is_array() ? parsed : nlohmann::json::array();
}

nlohmann::json PipeWireSession::findNode(const nlohmann::json& graph, const std::string& key,
                                         const std::string& value) {
    for (const auto& object : graph) {
        if (object.value("type", "") != "PipeWire:Interface:Node") {
            continue;
        }
        const auto props = object["info"]["props"];
        if (props.is_object() && props.value(key, "") == value) {
            return props;
        }
    }
    return nullptr;
}

bool runOnPipeWireJack(int /*argc*/, char** argv) {
    if (std::getenv(kTestMarker) == nullptr) {
        const std::string folder = core::PipeWireJack::libraryFolder();
        if (folder.empty()) {
            return false;
        }
        const char* path = std::getenv("LD_LIBRARY_PATH");
        setenv("LIVERACK_TEST_SAVED_LD_LIBRARY_PATH", path == nullptr ? "" : path, 1);
        setenv("LD_LIBRARY_PATH", folder.c_str(), 1);
        setenv(kTestMarker, "1", 1);
        execv("/proc/self/exe", argv);
        return false;
    }
    // Loaded: what this program starts chooses its own libjack.
    const char* saved = std::getenv("LIVERACK_TEST_SAVED_LD_LIBRARY_PATH");
    if (saved == nullptr || *saved == '\0') {
        unsetenv("LD_LIBRARY_PATH");
    } else {
        setenv("LD_LIBRARY_PATH", saved, 1);
    }
    return core::PipeWireJack::inUse();
}

}  // namespace liverack::test
