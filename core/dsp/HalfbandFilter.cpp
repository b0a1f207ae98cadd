#include "core/dsp/HalfbandFilter.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace liverack::core {
namespace {

double besselI0(double x) {
    double sum = 1.0;
    double term = 1.0;
    for (int k = 1; k < 100; ++k) {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
        if (term < 1e-15 * sum) {
            break;
        }
    }
    return sum;
}

// The side taps for a given β, DC gain exactly 1.
std::vector<double> kaiserHalfband(uint32_t pairs, double beta) {
    // The window spans the 4·pairs − 1 taps: distance 2·pairs − 1 is the last one, and the
    // window's zero-argument ends sit one tap beyond, so the outermost taps are not wasted.
    const double halfSpan = 2.0 * pairs;
    const double i0Beta = besselI0(beta);
    std::vector<double> g(pairs);
    double sum = 0.0;
    for (uint32_t j = 0; j < pairs; ++j) {
        const double n = 2.0 * j + 1.0;
        const double sinc = std::sin(std::numbers::pi * n / 2.0) / (std::numbers::pi * n);
        const double r = n / halfSpan;
        g[j] = sinc * besselI0(beta * std::sqrt(1.0 - r * r)) / i0Beta;
        sum += 2.0 * g[j];
    }
    for (double& v : g) {
        v *= 0.5 / sum;
    }
    return g;
}

}  // namespace

HalfbandFilter::HalfbandFilter(uint32_t pairs, double passEdge) : passEdge_(passEdge) {
    pairs = std::max<uint32_t>(pairs, 1);
    // cos(2π f (2j + 1)) on the pass-band grid, computed once for the whole β search.
    constexpr int kGrid = 400;
    std::vector<double> cosines(static_cast<size_t>(kGrid + 1) * pairs);
    for (int k = 0; k <= kGrid; ++k) {
        const double f = passEdge * k / kGrid;
        for (uint32_t j = 0; j < pairs; ++j) {
            cosines[k * pairs + j] = std::cos(2.0 * std::numbers::pi * f * (2.0 * j + 1.0));
        }
    }
    const auto worstError = [&](const std::vector<double>& g) {
        double worst = 0.0;
        for (int k = 0; k <= kGrid; ++k) {
            double h = 0.5;
            for (uint32_t j = 0; j < pairs; ++j) {
                h += 2.0 * g[j] * cosines[k * pairs + j];
            }
            worst = std::max(worst, std::abs(h - 1.0));
        }
        return worst;
    };
    double bestError = INFINITY;
    for (int step = 0; step <= 1600; ++step) {
        const double beta = 0.01 * step;
        auto g = kaiserHalfband(pairs, beta);
        const double error = worstError(g);
        if (error < bestError) {
            bestError = error;
            beta_ = beta;
            sideTaps_ = std::move(g);
        }
    }
    // The grid can fall between ripple peaks: report the worst over a grid ten times denser.
    ripple_ = 0.0;
    for (int k = 0; k <= 10 * kGrid; ++k) {
        ripple_ = std::max(ripple_, std::abs(response(passEdge * k / (10.0 * kGrid)) - 1.0));
    }
}

std::vector<double> HalfbandFilter::impulseResponse() const {
    const uint32_t centre = 2 * pairs() - 1;
    std::vector<double> h(taps(), 0.0);
    h[centre] = 0.5;
    for (uint32_t j = 0; j < pairs(); ++j) {
        h[centre - (2 * j + 1)] = sideTaps_[j];
        h[centre + (2 * j + 1)] = sideTaps_[j];
    }
    return h;
}

double HalfbandFilter::response(double f) const noexcept {
    double h = 0.5;
    for (uint32_t j = 0; j < pairs(); ++j) {
        h += 2.0 * sideTaps_[j] * std::cos(2.0 * std::numbers::pi * f * (2.0 * j + 1.0));
    }
    return h;
}

}  // namespace liverack::core
