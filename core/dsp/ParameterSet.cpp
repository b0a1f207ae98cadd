#include "core/dsp/ParameterSet.h"

namespace liverack::core {

ParameterSet::ParameterSet(const std::vector<ParameterInfo>& infos)
    : infos_(&infos),
      count_(infos.size()),
      values_(std::make_unique<std::atomic<float>[]>(infos.size())) {
    resetToDefaults();
}

void ParameterSet::resetToDefaults() noexcept {
    for (size_t i = 0; i < count_; ++i) {
        values_[i].store(info(i).defaultValue, std::memory_order_relaxed);
    }
}

void ParameterSet::copyFrom(const ParameterSet& other) noexcept {
    for (size_t i = 0; i < count_ && i < other.count_; ++i) {
        values_[i].store(other.get(i), std::memory_order_relaxed);
    }
}

}  // namespace liverack::core
