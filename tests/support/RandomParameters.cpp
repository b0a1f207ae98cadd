#include "tests/support/RandomParameters.h"

namespace liverack::test {

float randomLegalValue(const core::ParameterInfo& info, std::mt19937& random) {
    std::uniform_real_distribution<float> unit(0.0f, 1.0f);
    const bool alongTravel = info.kind == core::ParameterKind::Continuous && unit(random) < 0.5f;
    const float value = alongTravel
                            ? info.fromNormalised(unit(random))
                            : info.minValue + unit(random) * (info.maxValue - info.minValue);
    return info.constrain(value);
}

void randomiseParameters(core::ParameterSet& parameters, std::mt19937& random) {
    for (size_t i = 0; i < parameters.size(); ++i) {
        parameters.set(i, randomLegalValue(parameters.info(i), random));
    }
}

}  // namespace liverack::test
