#include "core/preset/AtomicFile.h"

#include <atomic>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace liverack::core {
namespace {

bool writeAll(int fd, std::string_view bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
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

Status AtomicFile::write(const std::string& path, std::string_view bytes, Backup backup,
                         const std::string& what) {
    const std::string failed = "cannot save the " + what + " '" + path + "': ";
    struct stat target {};
    const bool targetExists = ::stat(path.c_str(), &target) == 0;
    if (targetExists && S_ISDIR(target.st_mode)) {
        return Error{failed + "it is a folder"};
    }
    std::string folder = std::filesystem::path(path).parent_path().string();
    if (folder.empty()) {
        folder = ".";
    }
    // Unique per process and per write, and created exclusively, so two writes in flight never
    // share a temporary file.
    static std::atomic<unsigned> writes{0};
    const std::string temporary =
        path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(writes.fetch_add(1));
    const mode_t mode = targetExists ? (target.st_mode & 07777) : 0644;
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        return Error{failed + std::strerror(errno)};
    }
    if (!writeAll(fd, bytes) || ::fsync(fd) != 0) {
        const int error = errno;
        ::close(fd);
        ::unlink(temporary.c_str());
        return Error{failed + std::strerror(error) + " (is the disk full?)"};
    }
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        return Error{failed + std::strerror(error)};
    }
    if (targetExists && backup == Backup::Keep) {
        // A hard link keeps the old file as the backup while `path` still names it, so there is
        // never a moment without a file at `path`; copying is the fallback where links are not
        // possible (FAT, some network file systems).
        const std::string backupFile = backupPath(path);
        ::unlink(backupFile.c_str());
        if (::link(path.c_str(), backupFile.c_str()) != 0) {
            std::error_code ec;
            std::filesystem::copy_file(path, backupFile,
                                       std::filesystem::copy_options::overwrite_existing, ec);
            if (ec) {
                ::unlink(temporary.c_str());
                return Error{failed + "cannot keep the previous version as '" + backupFile +
                             "': " + ec.message()};
            }
        }
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        return Error{failed + std::strerror(error)};
    }
    syncFolder(folder);
    return {};
}

Result<std::string> AtomicFile::read(const std::string& path, size_t maxBytes,
                                     const std::string& what) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        return Error{"cannot read the " + what + " '" + path + "': " + std::strerror(errno)};
    }
    // One byte more than allowed tells a file that is too large from one that just fits.
    std::string bytes(maxBytes + 1, '\0');
    file.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (file.bad()) {
        return Error{"cannot read the " + what + " '" + path + "': reading failed"};
    }
    bytes.resize(static_cast<size_t>(file.gcount()));
    if (bytes.size() > maxBytes) {
        const std::string limit = maxBytes >= (1u << 20) ? std::to_string(maxBytes >> 20) + " MiB"
                                  : maxBytes >= 1024     ? std::to_string(maxBytes >> 10) + " KiB"
                                                         : std::to_string(maxBytes) + " bytes";
        return Error{"cannot read the " + what + " '" + path + "': it is larger than " + limit +
                     ", more than it can be"};
    }
    return bytes;
}

}  // namespace liverack::core
