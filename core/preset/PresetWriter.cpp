#include "core/preset/PresetWriter.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <system_error>

#include "core/dsp/EffectFactory.h"

namespace liverack::core {
namespace {

using OrderedJson = nlohmann::ordered_json;

// The JSON number for a float: whole numbers as integers ("350"), others as the shortest decimal
// that reads back as this float ("0.3", not "0.30000001192092896"). nlohmann stores a double and
// prints the shortest text for it, and the reader narrows that double to float again; the check
// guards the rare decimal whose double rounds to a neighbouring float.
OrderedJson numberFor(float value) {
    if (std::floor(value) == value && std::abs(value) < 1e9f) {
        return static_cast<int64_t>(value);
    }
    char text[32];
    const auto [end, ec] = std::to_chars(text, text + sizeof(text), value);
    if (ec == std::errc()) {
        const double shortest = std::strtod(std::string(text, end).c_str(), nullptr);
        if (static_cast<float>(shortest) == value) {
            return shortest;
        }
    }
    return static_cast<double>(value);
}

std::string reason(int error) {
    return std::strerror(error);
}

// write() until everything is out (it may write less than asked).
bool writeAll(int fd, const std::string& text) {
    size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        done += static_cast<size_t>(n);
    }
    return true;
}

void syncFolder(const std::string& folder) {
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);  // best effort: makes the rename itself durable
        ::close(fd);
    }
}

}  // namespace

Result<std::string> PresetWriter::toJson(const Preset& preset) {
    try {
        OrderedJson chain = OrderedJson::array();
        for (size_t i = 0; i < preset.chain.size(); ++i) {
            const PresetEffect& effect = preset.chain[i];
            const std::string place = "chain[" + std::to_string(i) + "] (" + effect.type + ")";
            const EffectInfo* info = EffectFactory::info(effect.type);
            if (info == nullptr) {
                return Error{"cannot save preset '" + preset.name + "': " + place +
                             " is not a known effect type"};
            }
            for (const auto& [id, value] : effect.params) {
                if (info->indexOf(id) < 0) {
                    return Error{"cannot save preset '" + preset.name + "': " + place +
                                 " has no parameter \"" + id + "\""};
                }
            }
            OrderedJson params = OrderedJson::object();
            for (const ParameterInfo& parameter : info->parameters) {
                const auto found = effect.params.find(parameter.id);
                if (found == effect.params.end()) {
                    continue;
                }
                const float value = found->second;
                switch (parameter.kind) {
                    case ParameterKind::Toggle:
                        params[parameter.id] = value >= 0.5f;
                        break;
                    case ParameterKind::Choice: {
                        const auto index = static_cast<long>(std::lround(value));
                        if (index < 0 || index >= static_cast<long>(parameter.choices.size())) {
                            return Error{"cannot save preset '" + preset.name + "': " + place +
                                         ", parameter \"" + parameter.id +
                                         "\" has no choice number " + std::to_string(index)};
                        }
                        params[parameter.id] = parameter.choices[static_cast<size_t>(index)];
                        break;
                    }
                    case ParameterKind::Continuous:
                        params[parameter.id] = numberFor(value);
                        break;
                }
            }
            OrderedJson entry = OrderedJson::object();
            entry["type"] = effect.type;
            entry["bypass"] = effect.bypass;
            entry["params"] = std::move(params);
            chain.push_back(std::move(entry));
        }
        OrderedJson root = OrderedJson::object();
        root["format"] = Preset::kFormat;
        root["version"] = Preset::kVersion;
        root["name"] = preset.name;
        root["chain"] = std::move(chain);
        // Invalid UTF-8 in a name is replaced rather than thrown about.
        return root.dump(2, ' ', false, OrderedJson::error_handler_t::replace) + "\n";
    } catch (const std::exception& e) {
        return Error{"cannot save preset '" + preset.name + "': " + e.what()};
    }
}

Status PresetWriter::save(const Preset& preset, const std::string& path) {
    auto text = toJson(preset);
    if (!text) {
        return Error{text.error()};
    }
    const std::string failed = "cannot save preset '" + path + "': ";
    struct stat target {};
    const bool targetExists = ::stat(path.c_str(), &target) == 0;
    if (targetExists && S_ISDIR(target.st_mode)) {
        return Error{failed + "it is a folder"};
    }
    std::string folder = std::filesystem::path(path).parent_path().string();
    if (folder.empty()) {
        folder = ".";
    }

    // Unique per process and per save, so two saves in flight never share a temporary file.
    static std::atomic<unsigned> saves{0};
    const std::string temporary =
        path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(saves.fetch_add(1));
    const mode_t mode = targetExists ? (target.st_mode & 07777) : 0644;
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        return Error{failed + reason(errno)};
    }
    if (!writeAll(fd, *text) || ::fsync(fd) != 0) {
        const int error = errno;
        ::close(fd);
        ::unlink(temporary.c_str());
        return Error{failed + reason(error) + " (is the disk full?)"};
    }
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        return Error{failed + reason(error)};
    }

    if (targetExists) {
        // A hard link keeps the old file as the backup while `path` still names it, so there is
        // never a moment without a preset at `path`; copying is the fallback where links are not
        // possible (FAT, some network file systems).
        const std::string backup = backupPath(path);
        ::unlink(backup.c_str());
        if (::link(path.c_str(), backup.c_str()) != 0) {
            std::error_code ec;
            std::filesystem::copy_file(path, backup,
                                       std::filesystem::copy_options::overwrite_existing, ec);
            if (ec) {
                ::unlink(temporary.c_str());
                return Error{failed + "cannot keep the previous version as '" + backup +
                             "': " + ec.message()};
            }
        }
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        return Error{failed + reason(error)};
    }
    syncFolder(folder);
    return {};
}

}  // namespace liverack::core
