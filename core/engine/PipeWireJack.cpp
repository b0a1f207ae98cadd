#include "core/engine/PipeWireJack.h"

#include <dlfcn.h>
#include <jack/jack.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string_view>

namespace liverack::core {
namespace {

void silent(const char* /*message*/) {}

bool isFile(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string environment(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
}

// The value of --api on the command line ("" when not given).
std::string apiArgument(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--api" && i + 1 < argc) {
            return argv[i + 1];
        }
        if (arg.substr(0, 6) == "--api=") {
            return std::string(arg.substr(6));
        }
    }
    return {};
}

// Commands that never open a stream have no use for JACK.
bool opensAudio(int argc, char** argv) {
    if (argc > 1) {
        const std::string_view command = argv[1];
        if (command == "render" || command == "analyze") {
            return false;
        }
    }
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h" || arg == "--help-all" || arg == "--version" ||
            arg == "-v") {
            return false;
        }
    }
    return true;
}

}  // namespace

std::string PipeWireJack::libraryFolder() {
    // PipeWire installs its libjack beside the system's, in <libdir>/pipewire-0.3/jack.
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&jack_client_open), &info) == 0 ||
        info.dli_fname == nullptr) {
        return {};
    }
    std::string libdir = info.dli_fname;
    libdir = libdir.substr(0, libdir.rfind('/'));
    for (const std::string& candidate :
         {libdir + "/pipewire-0.3/jack", "/usr" + libdir + "/pipewire-0.3/jack"}) {
        if (isFile(candidate + "/libjack.so.0")) {
            return candidate;
        }
    }
    return {};
}

bool PipeWireJack::serverRunning() {
    std::string folder = environment("PIPEWIRE_RUNTIME_DIR");
    if (folder.empty()) {
        folder = environment("XDG_RUNTIME_DIR");
    }
    std::string remote = environment("PIPEWIRE_REMOTE");
    if (remote.empty()) {
        remote = "pipewire-0";
    }
    if (folder.empty() && remote.front() != '/') {
        return false;
    }
    const std::string socket = remote.front() == '/' ? remote : folder + "/" + remote;
    struct stat st {};
    return stat(socket.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

bool PipeWireJack::inUse() {
    const char* version = jack_get_version_string();
    return version != nullptr && std::strstr(version, "PipeWire") != nullptr;
}

bool PipeWireJack::jackAnswers() {
    jack_set_error_function(&silent);
    jack_set_info_function(&silent);
    jack_status_t status{};
    jack_client_t* client = jack_client_open("liverack-probe", JackNoStartServer, &status);
    if (client == nullptr) {
        return false;
    }
    jack_client_close(client);
    return true;
}

void PipeWireJack::restartOnPipeWireIfNeeded(int argc, char** argv) {
    if (!environment(kMarker).empty() || inUse() || !opensAudio(argc, argv)) {
        return;
    }
    const std::string api = apiArgument(argc, argv);
    if (!api.empty() && api != "jack") {
        return;
    }
    if (!serverRunning()) {
        return;
    }
    const std::string folder = libraryFolder();
    if (folder.empty() || jackAnswers()) {
        return;  // PipeWire's libjack is not installed, or a jackd serves JACK here
    }
    const std::string path = environment("LD_LIBRARY_PATH");
    setenv("LD_LIBRARY_PATH", (folder + (path.empty() ? "" : ":" + path)).c_str(), 1);
    setenv(kMarker, "1", 1);
    execv("/proc/self/exe", argv);
    // The restart failed: carry on as we are (the automatic choice falls back to PulseAudio).
    unsetenv(kMarker);
    if (path.empty()) {
        unsetenv("LD_LIBRARY_PATH");
    } else {
        setenv("LD_LIBRARY_PATH", path.c_str(), 1);
    }
}

}  // namespace liverack::core
