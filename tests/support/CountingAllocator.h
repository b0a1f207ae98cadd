// Replaces the malloc family and pthread_mutex_lock in the test executable that includes this
// header (include it in exactly one file of that executable: a second copy fails to link) and
// counts the calls a thread makes while it has counting on. Other threads (a plugin's
// housekeeping thread, the test framework) are never counted. C libraries are caught as well as
// operator new, which libstdc++ builds on malloc.
#pragma once

#include <dlfcn.h>
#include <pthread.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>

extern "C" {
void* __libc_malloc(size_t);
void __libc_free(void*);
void* __libc_realloc(void*, size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_memalign(size_t, size_t);
}

namespace liverack::test {

class CountingAllocator {
public:
    // Counts this thread's allocations and mutex locks while the object lives.
    class Scope {
    public:
        Scope() noexcept { on() = true; }
        ~Scope() { on() = false; }
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;
    };

    static void clear() noexcept {
        allocations().store(0);
        locks().store(0);
    }
    static bool counting() noexcept { return on(); }
    // malloc, calloc, realloc, the aligned ones and free.
    static std::atomic<uint64_t>& allocations() noexcept {
        static std::atomic<uint64_t> count{0};
        return count;
    }
    static std::atomic<uint64_t>& locks() noexcept {
        static std::atomic<uint64_t> count{0};
        return count;
    }
    static void countAllocation() noexcept {
        if (on()) {
            allocations().fetch_add(1, std::memory_order_relaxed);
        }
    }

private:
    static bool& on() noexcept {
        static thread_local bool flag = false;
        return flag;
    }
};

}  // namespace liverack::test

extern "C" void* malloc(size_t size) {
    liverack::test::CountingAllocator::countAllocation();
    return __libc_malloc(size);
}
extern "C" void free(void* p) {
    if (p != nullptr) {
        liverack::test::CountingAllocator::countAllocation();
    }
    __libc_free(p);
}
extern "C" void* realloc(void* p, size_t size) {
    liverack::test::CountingAllocator::countAllocation();
    return __libc_realloc(p, size);
}
extern "C" void* calloc(size_t n, size_t size) {
    liverack::test::CountingAllocator::countAllocation();
    return __libc_calloc(n, size);
}
extern "C" int posix_memalign(void** out, size_t alignment, size_t size) {
    liverack::test::CountingAllocator::countAllocation();
    *out = __libc_memalign(alignment, size);
    return *out != nullptr ? 0 : ENOMEM;
}
extern "C" void* aligned_alloc(size_t alignment, size_t size) {
    liverack::test::CountingAllocator::countAllocation();
    return __libc_memalign(alignment, size);
}
extern "C" void* memalign(size_t alignment, size_t size) {
    liverack::test::CountingAllocator::countAllocation();
    return __libc_memalign(alignment, size);
}
extern "C" int pthread_mutex_lock(pthread_mutex_t* mutex) {
    using Lock = int (*)(pthread_mutex_t*);
    static const auto real = reinterpret_cast<Lock>(dlsym(RTLD_NEXT, "pthread_mutex_lock"));
    if (liverack::test::CountingAllocator::counting()) {
        liverack::test::CountingAllocator::locks().fetch_add(1, std::memory_order_relaxed);
    }
    return real(mutex);
}
