#include "ui/EqOverlayFeed.h"

#include <algorithm>
#include <cmath>

#include "core/dsp/EffectSlot.h"
#include "core/dsp/effects/EqEffect.h"

namespace liverack::ui {

using core::EqEffect;

bool EqOverlayFeed::hasGain(int band, const core::ParameterSet& p) {
    const auto type = static_cast<EqEffect::BandType>(
        p.getChoice(EqEffect::parameterIndex(band, EqEffect::kType)));
    return type == EqEffect::BandType::Peak || type == EqEffect::BandType::LowShelf ||
           type == EqEffect::BandType::HighShelf;
}

SpectrumView::EqOverlay EqOverlayFeed::overlayFor(const core::EffectSlot& slot, double rate) {
    const core::ParameterSet& p = slot.effect().parameters();
    SpectrumView::EqOverlay overlay;
    const double top = std::min(20000.0, 0.49 * rate);
    for (int i = 0; i < kPoints; ++i) {
        overlay.hz.push_back(20.0 * std::pow(top / 20.0, i / (kPoints - 1.0)));
    }
    overlay.combinedDb.fill(0.0, kPoints);
    for (int band = 0; band < EqEffect::kBands; ++band) {
        const auto type = static_cast<EqEffect::BandType>(
            p.getChoice(EqEffect::parameterIndex(band, EqEffect::kType)));
        if (type == EqEffect::BandType::Off) {
            continue;
        }
        QVector<double> db(kPoints);
        for (int i = 0; i < kPoints; ++i) {
            db[i] = EqEffect::bandResponseDb(p, band, rate, overlay.hz[i]);
            overlay.combinedDb[i] += db[i];
        }
        overlay.bandDb.push_back(std::move(db));
        overlay.handleHz.push_back(p.get(EqEffect::parameterIndex(band, EqEffect::kFrequencyHz)));
        overlay.handleBand.push_back(band);
    }
    for (qsizetype i = 0; i < overlay.handleHz.size(); ++i) {
        const int band = overlay.handleBand[static_cast<size_t>(i)];
        // Where dragging puts it: a gain band's handle sits at its gain, so it stays under the
        // pointer; the others ride the curve.
        overlay.handleDb.push_back(
            hasGain(band, p) ? p.get(EqEffect::parameterIndex(band, EqEffect::kGainDb))
                             : std::clamp(EqEffect::responseDb(p, rate, overlay.handleHz[i]),
                                          -SpectrumView::kEqRangeDb, SpectrumView::kEqRangeDb));
    }
    return overlay;
}

bool EqOverlayFeed::refresh(const core::EffectSlot* slot, double rate) {
    if (slot == nullptr || slot->effect().info().typeId != EqEffect::staticInfo().typeId ||
        rate <= 0.0) {
        shownSlot_ = nullptr;
        const bool was = spectrum_.eqOverlayShown();
        spectrum_.clearEqOverlay();
        return was;
    }
    const core::ParameterSet& p = slot->effect().parameters();
    std::vector<float> now(p.size());
    for (size_t i = 0; i < p.size(); ++i) {
        now[i] = p.get(i);
    }
    if (slot == shownSlot_ && rate == shownRate_ && now == shownParameters_) {
        return false;
    }
    spectrum_.setEqOverlay(overlayFor(*slot, rate));
    shownSlot_ = slot;
    shownRate_ = rate;
    shownParameters_ = std::move(now);
    return true;
}

}  // namespace liverack::ui
