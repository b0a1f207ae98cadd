// Design of a linear-phase half-band low-pass FIR (cut-off at a quarter of its sample rate) by a
// Kaiser-windowed sinc: the coefficients each 2x stage of the Oversampler runs.
#pragma once

#include <cstdint>
#include <vector>

namespace liverack::core {

// A half-band filter has 4·pairs − 1 taps. The centre tap is exactly 1/2 and every tap an even
// distance from the centre is exactly 0, so only `pairs` distinct coefficients remain: g_j at
// ±(2j + 1) from the centre. That is what makes a 2x stage cheap (a quarter of the taps do any
// work, and half the outputs of an interpolator are plain copies), and it forces
// H(f) + H(1/2 − f) = 1: the pass-band ripple equals the stop-band leak at the mirrored frequency,
// and the response is −6 dB at a quarter of the rate.
//
// Design: h[n] = sin(πn/2)/(πn) · w(n) (the ideal half-band, cut-off at a quarter of the rate),
// w a Kaiser window whose ends fall at ±2·pairs, one tap beyond the outermost, then the g_j
// scaled so the DC gain is exactly 1 (the centre stays 1/2). Kaiser's β trades transition width
// for ripple; rather than Kaiser's empirical formula (which misses badly for the few-tap stages),
// β is the value on a 0.01 grid in [0, 16] that minimises the largest |H(f) − 1| over the pass
// band [0, passEdge], judged on a dense frequency grid.
class HalfbandFilter {
public:
    // passEdge is a fraction of the filter's own sample rate, in (0, 1/4).
    HalfbandFilter(uint32_t pairs, double passEdge);

    uint32_t pairs() const noexcept { return static_cast<uint32_t>(sideTaps_.size()); }
    uint32_t taps() const noexcept { return 4 * pairs() - 1; }
    double passEdge() const noexcept { return passEdge_; }
    double beta() const noexcept { return beta_; }
    // g_j, the tap at distance 2j + 1 on either side of the centre.
    const std::vector<double>& sideTaps() const noexcept { return sideTaps_; }
    // The whole impulse response, taps() long, centre at index 2·pairs − 1.
    std::vector<double> impulseResponse() const;
    // The (real, zero-phase) amplitude response at f, a fraction of the filter's rate.
    double response(double f) const noexcept;
    // Largest |H(f) − 1| over [0, passEdge] = largest |H(f)| over [1/2 − passEdge, 1/2].
    double ripple() const noexcept { return ripple_; }

private:
    std::vector<double> sideTaps_;
    double passEdge_ = 0.0;
    double beta_ = 0.0;
    double ripple_ = 0.0;
};

}  // namespace liverack::core
