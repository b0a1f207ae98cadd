// FFTW's planner is not thread-safe (only fftwf_execute is), and several analysers plan from
// different threads; every plan is made and destroyed under this one lock.
#pragma once

#include <mutex>

namespace liverack::core {

inline std::mutex& fftwPlanMutex() {
    static std::mutex mutex;
    return mutex;
}

}  // namespace liverack::core
