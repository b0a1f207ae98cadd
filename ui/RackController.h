// The rack's structure as the window edits it: an ordered list of effect slots. Every structural
// edit (add, remove, duplicate, move, replace) builds a NEW EffectChain that shares the unchanged
// slots and hands it to the engine through the chain sink; bypass and parameter edits are atomic
// stores on the live slots and need no new chain.
#pragma once

#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/dsp/Effect.h"
#include "core/dsp/EffectChain.h"
#include "core/util/Result.h"

namespace liverack::ui {

class RackController : public QObject {
    Q_OBJECT

public:
    using Slots = std::vector<std::shared_ptr<core::EffectSlot>>;
    // Receives each new chain; in the window this is AudioEngine::setChain.
    using ChainSink = std::function<core::Status(std::unique_ptr<core::EffectChain>)>;

    explicit RackController(ChainSink sink, QObject* parent = nullptr);

    const Slots& slots() const noexcept { return slots_; }
    int size() const noexcept { return static_cast<int>(slots_.size()); }
    core::EffectSlot* slotAt(int index) const;

    // Each returns false (and emits errorOccurred with a sentence) when the edit is refused.
    bool addEffect(const std::string& typeId, int position = -1);
    // An LV2 slot running the installed plugin with this URI.
    bool addPlugin(const std::string& pluginUri, int position = -1);
    bool removeSlot(int index);
    bool duplicateSlot(int index);
    bool moveSlot(int from, int to);  // `to` is the final index of the moved slot
    bool replaceAll(Slots slots);     // a preset, or a chain built elsewhere
    void setBypassed(int index, bool bypassed);

Q_SIGNALS:
    // The structure changed (the new chain has been handed over).
    void chainChanged();
    // A slot's bypass switch changed.
    void slotBypassChanged(int index);
    void errorOccurred(const QString& message);

private:
    // `failure` starts the sentence shown when the effect could not be created.
    bool insert(core::Result<std::unique_ptr<core::Effect>> effect, int position,
                const QString& failure);
    bool isFull();
    bool submit(Slots next);

    ChainSink sink_;
    Slots slots_;
};

}  // namespace liverack::ui
