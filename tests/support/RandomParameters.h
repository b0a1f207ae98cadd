// Random legal parameter values for tests that must cover every effect without naming them.
#pragma once

#include <random>

#include "core/dsp/ParameterSet.h"

namespace liverack::test {

// Any float in range for numbers (half the time along the control's skewed travel, so small
// values of logarithmic parameters come up too), any choice, either state of a switch, then
// constrained as ParameterSet::set would.
float randomLegalValue(const core::ParameterInfo& info, std::mt19937& random);

// Sets every parameter of the set to a random legal value.
void randomiseParameters(core::ParameterSet& parameters, std::mt19937& random);

}  // namespace liverack::test
