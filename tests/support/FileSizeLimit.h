// A full disk on demand: while one of these lives, this process cannot write a file beyond
// `bytes` (RLIMIT_FSIZE; SIGXFSZ ignored, so write() fails with EFBIG as on a full disk).
#pragma once

#include <sys/resource.h>

#include <csignal>

namespace liverack::test {

class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes) {
        std::signal(SIGXFSZ, SIG_IGN);
        active_ = getrlimit(RLIMIT_FSIZE, &original_) == 0;
        rlimit limited = original_;
        limited.rlim_cur = bytes;
        active_ = active_ && setrlimit(RLIMIT_FSIZE, &limited) == 0;
    }
    ~FileSizeLimit() { lift(); }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;

    // False when the limit could not be set: the test must not pass without it.
    bool isActive() const { return active_; }
    void lift() {
        if (active_) {
            setrlimit(RLIMIT_FSIZE, &original_);
            active_ = false;
        }
    }

private:
    rlimit original_{};
    bool active_ = false;
};

}  // namespace liverack::test
