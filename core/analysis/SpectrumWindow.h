// The analysis windows the spectrum offers, shared by the analyser, the engine and the window.
#pragma once

namespace liverack::core {

enum class SpectrumWindow { Hann, BlackmanHarris, FlatTop, Rectangular };

}  // namespace liverack::core
