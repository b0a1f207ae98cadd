// Marks the thread that runs audio now, so code shared with offline use (render, tests) can tell
// whether it may wait: an effect's reset() may wait a moment for a resource off the audio
// thread, never on it. The engine's callback sets the mark for its duration.
#pragma once

namespace liverack::core {

class RealTimeThread {
public:
    static bool isCurrent() noexcept { return current(); }

    // Marks the calling thread as real-time while the object lives.
    class Scope {
    public:
        Scope() noexcept : previous_(current()) { current() = true; }
        ~Scope() { current() = previous_; }
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

    private:
        bool previous_;
    };

private:
    static bool& current() noexcept {
        static thread_local bool mark = false;
        return mark;
    }
};

}  // namespace liverack::core
