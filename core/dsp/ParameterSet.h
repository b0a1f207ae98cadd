// The live values of one effect's parameters: one atomic float each, written by any thread
// (GUI, presets, tests) and read once per block by the audio thread. Lock-free, never allocates
// after construction.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <vector>

#include "core/dsp/ParameterInfo.h"

namespace liverack::core {

class ParameterSet {
public:
    explicit ParameterSet(const std::vector<ParameterInfo>& infos);

    size_t size() const noexcept { return count_; }
    const ParameterInfo& info(size_t index) const noexcept { return (*infos_)[index]; }

    float get(size_t index) const noexcept {
        return values_[index].load(std::memory_order_relaxed);
    }
    // Stores the constrained value (range, step, choice index).
    void set(size_t index, float value) noexcept {
        values_[index].store(info(index).constrain(value), std::memory_order_relaxed);
    }
    // Stores the value as given: for reported outputs, whose declared range is only a hint.
    void store(size_t index, float value) noexcept {
        values_[index].store(value, std::memory_order_relaxed);
    }
    bool getBool(size_t index) const noexcept { return get(index) >= 0.5f; }
    int getChoice(size_t index) const noexcept { return static_cast<int>(get(index) + 0.5f); }

    void resetToDefaults() noexcept;
    // Copies every value from another set of the same effect type.
    void copyFrom(const ParameterSet& other) noexcept;

private:
    const std::vector<ParameterInfo>* infos_;
    size_t count_;
    std::unique_ptr<std::atomic<float>[]> values_;
};

}  // namespace liverack::core
