// Keeps the spectrum's EQ overlay in step with the selected rack slot: while it is an eq, its
// response (EqEffect::responseDb, the effect's own coefficient design) at the stream's rate,
// recomputed only when a parameter or the rate changed; otherwise no overlay.
#pragma once

#include <vector>

#include "ui/SpectrumView.h"

namespace liverack::core {
class EffectSlot;
class ParameterSet;
}  // namespace liverack::core

namespace liverack::ui {

class EqOverlayFeed {
public:
    static constexpr int kPoints = 256;

    explicit EqOverlayFeed(SpectrumView& spectrum) : spectrum_(spectrum) {}

    // Called a few times a second with the selected slot (or null). Returns true when it
    // changed the overlay.
    bool refresh(const core::EffectSlot* slot, double sampleRate);

    // Whether band `band` has a gain (peak and shelves): its handle moves up and down.
    static bool hasGain(int band, const core::ParameterSet& parameters);
    // Drawn again now (after an edit), not at the next refresh.
    void invalidate() { shownSlot_ = nullptr; }

    // The overlay for an eq effect's parameters at a rate, as drawn.
    static SpectrumView::EqOverlay overlayFor(const core::EffectSlot& slot, double sampleRate);

private:
    SpectrumView& spectrum_;
    const core::EffectSlot* shownSlot_ = nullptr;
    double shownRate_ = 0.0;
    std::vector<float> shownParameters_;
};

}  // namespace liverack::ui
