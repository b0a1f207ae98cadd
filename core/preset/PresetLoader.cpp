#include "core/preset/PresetLoader.h"

#include "core/dsp/EffectFactory.h"
#include "core/dsp/lv2/Lv2Effect.h"
#include "core/preset/PresetReader.h"

namespace liverack::core {

static_assert(Preset::kMaxEffects == EffectChain::kMaxLength,
              "a preset holds exactly as many effects as a chain");

Result<LoadedChain> PresetLoader::load(const std::string& path) {
    auto read = PresetReader::readFile(path);
    if (!read) {
        return Error{read.error()};
    }
    auto chain = buildChain(read->preset);
    if (!chain) {
        return Error{"preset '" + path + "': " + chain.error()};
    }
    return LoadedChain{std::move(read->preset), std::move(*chain), std::move(read->warnings)};
}

Result<std::unique_ptr<EffectChain>> PresetLoader::buildChain(const Preset& preset) {
    if (preset.chain.size() > EffectChain::kMaxLength) {
        return Error{"a chain holds at most " + std::to_string(EffectChain::kMaxLength) +
                     " effects, not " + std::to_string(preset.chain.size())};
    }
    std::vector<std::shared_ptr<EffectSlot>> slots;
    slots.reserve(preset.chain.size());
    for (size_t i = 0; i < preset.chain.size(); ++i) {
        const PresetEffect& entry = preset.chain[i];
        const std::string place = "chain[" + std::to_string(i) + "] (" + entry.type + ")";
        auto created = EffectFactory::create(entry.type, entry.uri, entry.pluginName);
        if (!created) {
            return Error{place + ": " + created.error()};
        }
        std::unique_ptr<Effect> effect = std::move(*created);
        if (auto* plugin = dynamic_cast<Lv2Effect*>(effect.get())) {
            plugin->setState(entry.state);
        }
        for (const auto& [id, value] : entry.params) {
            const int index = effect->info().indexOf(id);
            if (index < 0) {
                return Error{place + ": \"" + id + "\" is not a parameter of " +
                             effect->info().displayName};
            }
            effect->parameters().set(static_cast<size_t>(index), value);
        }
        slots.push_back(std::make_shared<EffectSlot>(std::move(effect), entry.bypass));
    }
    return std::make_unique<EffectChain>(std::move(slots));
}

Preset PresetLoader::fromChain(const EffectChain& chain, std::string name) {
    Preset preset;
    preset.name = std::move(name);
    for (const auto& slot : chain.slots()) {
        const Effect& effect = slot->effect();
        PresetEffect entry;
        entry.type = effect.info().typeId;
        entry.uri = effect.info().pluginUri;
        if (const auto* plugin = dynamic_cast<const Lv2Effect*>(&effect)) {
            entry.pluginName = effect.info().displayName;
            entry.state = plugin->state();
        }
        entry.bypass = slot->isBypassed();
        const ParameterSet& parameters = effect.parameters();
        for (size_t i = 0; i < parameters.size(); ++i) {
            entry.params[parameters.info(i).id] = parameters.get(i);
        }
        preset.chain.push_back(std::move(entry));
    }
    return preset;
}

}  // namespace liverack::core
