#include "core/dsp/EffectFactory.h"

#include "core/dsp/effects/AgcEffect.h"
#include "core/dsp/effects/ChorusEffect.h"
#include "core/dsp/effects/CompressorEffect.h"
#include "core/dsp/effects/DelayEffect.h"
#include "core/dsp/effects/DenoiseEffect.h"
#include "core/dsp/effects/DistortionEffect.h"
#include "core/dsp/effects/EchoCancelEffect.h"
#include "core/dsp/effects/EqEffect.h"
#include "core/dsp/effects/GainEffect.h"
#include "core/dsp/effects/GateEffect.h"
#include "core/dsp/effects/LimiterEffect.h"
#include "core/dsp/effects/PitchEffect.h"
#include "core/dsp/effects/ReverbEffect.h"
#include "core/dsp/effects/TremoloEffect.h"
#include "core/dsp/lv2/Lv2Catalogue.h"
#include "core/dsp/lv2/Lv2Effect.h"

#include <algorithm>
#include <mutex>

namespace liverack::core {
namespace {

struct Registration {
    const EffectInfo& (*info)();
    std::unique_ptr<Effect> (*create)();
};

template <typename T>
Registration registration() {
    return {&T::staticInfo, [] { return std::unique_ptr<Effect>(std::make_unique<T>()); }};
}

// One line per effect type; the rack menu lists them in this order.
const std::vector<Registration>& registrations() {
    static const std::vector<Registration> all = {
        registration<GainEffect>(),       registration<EqEffect>(),
        registration<CompressorEffect>(), registration<LimiterEffect>(),
        registration<GateEffect>(),       registration<DelayEffect>(),
        registration<ReverbEffect>(),     registration<ChorusEffect>(),
        registration<TremoloEffect>(),    registration<DistortionEffect>(),
        registration<PitchEffect>(),      registration<DenoiseEffect>(),
        registration<AgcEffect>(),        registration<EchoCancelEffect>(),
    };
    return all;
}

}  // namespace

const std::vector<std::string>& EffectFactory::typeIds() {
    static const std::vector<std::string> ids = [] {
        std::vector<std::string> result;
        for (const auto& r : registrations()) {
            result.push_back(r.info().typeId);
        }
        return result;
    }();
    return ids;
}

std::unique_ptr<Effect> EffectFactory::create(std::string_view typeId) {
    for (const auto& r : registrations()) {
        if (r.info().typeId == typeId) {
            return r.create();
        }
    }
    return nullptr;
}

const EffectInfo* EffectFactory::info(std::string_view typeId) {
    for (const auto& r : registrations()) {
        if (r.info().typeId == typeId) {
            return &r.info();
        }
    }
    return nullptr;
}

Result<std::unique_ptr<Effect>> EffectFactory::create(std::string_view typeId,
                                                      std::string_view pluginUri,
                                                      std::string_view pluginName) {
    if (typeId == kPluginType) {
        auto plugin = Lv2Effect::create(pluginUri, pluginName);
        if (!plugin) {
            return Error{plugin.error()};
        }
        return std::unique_ptr<Effect>(std::move(*plugin));
    }
    auto effect = create(typeId);
    if (!effect) {
        return Error{"unknown effect type \"" + std::string(typeId) + "\""};
    }
    return effect;
}

const EffectInfo* EffectFactory::info(std::string_view typeId, std::string_view pluginUri) {
    if (typeId == kPluginType) {
        // Catalogue entries live as long as the process once handed out (a rescan keeps them).
        static std::mutex keptMutex;
        static std::vector<std::shared_ptr<const Lv2PluginInfo>> kept;
        auto plugin = Lv2Catalogue::shared().find(pluginUri);
        if (!plugin) {
            return nullptr;
        }
        std::lock_guard lock(keptMutex);
        if (std::find(kept.begin(), kept.end(), plugin) == kept.end()) {
            kept.push_back(plugin);
        }
        return &plugin->effectInfo;
    }
    return info(typeId);
}

Result<std::unique_ptr<Effect>> EffectFactory::createLike(const Effect& effect) {
    return create(effect.info().typeId, effect.info().pluginUri, effect.info().displayName);
}

}  // namespace liverack::core
