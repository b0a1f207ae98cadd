#include "ui/RackController.h"

#include "core/dsp/EffectFactory.h"
#include "core/dsp/lv2/Lv2Effect.h"

namespace liverack::ui {

namespace {

// Core's errors are clauses ("the LV2 plugin ... is not installed; on Debian ..."), made to be
// composed; the window shows whole sentences.
QString sentence(const QString& what, const std::string& clause) {
    QString reason = QString::fromStdString(clause).trimmed();
    while (reason.endsWith('.')) {
        reason.chop(1);
    }
    return QStringLiteral("%1: %2.").arg(what, reason);
}

}  // namespace

RackController::RackController(ChainSink sink, QObject* parent)
    : QObject(parent), sink_(std::move(sink)) {}

core::EffectSlot* RackController::slotAt(int index) const {
    if (index < 0 || index >= size()) {
        return nullptr;
    }
    return slots_[static_cast<size_t>(index)].get();
}

bool RackController::addEffect(const std::string& typeId, int position) {
    if (isFull()) {
        return false;
    }
    if (!core::EffectFactory::info(typeId)) {
        Q_EMIT errorOccurred(
            tr("There is no effect type \"%1\".").arg(QString::fromStdString(typeId)));
        return false;
    }
    return insert(core::EffectFactory::create(typeId, {}), position,
                  tr("Could not add the effect \"%1\"").arg(QString::fromStdString(typeId)));
}

bool RackController::addPlugin(const std::string& pluginUri, int position) {
    if (isFull()) {
        return false;
    }
    // Instantiating a plugin takes a few milliseconds (it is started once to prove it runs).
    return insert(core::EffectFactory::create(core::EffectFactory::kPluginType, pluginUri),
                  position, tr("Could not add the plugin"));
}

bool RackController::insert(core::Result<std::unique_ptr<core::Effect>> effect, int position,
                            const QString& failure) {
    if (!effect) {
        Q_EMIT errorOccurred(sentence(failure, effect.error()));
        return false;
    }
    Slots next = slots_;
    const auto at = (position < 0 || position > size()) ? next.end() : next.begin() + position;
    next.insert(at, std::make_shared<core::EffectSlot>(std::move(*effect)));
    return submit(std::move(next));
}

bool RackController::isFull() {
    if (slots_.size() < core::EffectChain::kMaxLength) {
        return false;
    }
    Q_EMIT errorOccurred(tr("The rack is full: a chain holds at most %1 effects.")
                             .arg(core::EffectChain::kMaxLength));
    return true;
}

bool RackController::removeSlot(int index) {
    if (!slotAt(index)) {
        return false;
    }
    Slots next = slots_;
    next.erase(next.begin() + index);
    return submit(std::move(next));
}

bool RackController::duplicateSlot(int index) {
    const core::EffectSlot* source = slotAt(index);
    if (!source) {
        return false;
    }
    if (isFull()) {
        return false;
    }
    // A duplicate is a fresh effect (its own delay lines, envelopes) with the same settings: the
    // same type or plugin, the same parameters and, for a plugin, the same saved plugin state.
    auto created = core::EffectFactory::createLike(source->effect());
    if (!created) {
        Q_EMIT errorOccurred(
            sentence(tr("Could not duplicate \"%1\"")
                         .arg(QString::fromStdString(source->effect().info().displayName)),
                     created.error()));
        return false;
    }
    std::unique_ptr<core::Effect> effect = std::move(*created);
    effect->parameters().copyFrom(source->effect().parameters());
    const auto* plugin = dynamic_cast<const core::Lv2Effect*>(&source->effect());
    if (auto* copy = dynamic_cast<core::Lv2Effect*>(effect.get()); plugin && copy) {
        copy->setState(plugin->state());
    }
    Slots next = slots_;
    next.insert(next.begin() + index + 1,
                std::make_shared<core::EffectSlot>(std::move(effect), source->isBypassed()));
    return submit(std::move(next));
}

bool RackController::moveSlot(int from, int to) {
    if (!slotAt(from) || to < 0 || to >= size()) {
        return false;
    }
    if (from == to) {
        return true;
    }
    Slots next = slots_;
    auto moved = next[static_cast<size_t>(from)];
    next.erase(next.begin() + from);
    next.insert(next.begin() + to, std::move(moved));
    return submit(std::move(next));
}

bool RackController::replaceAll(Slots slots) {
    if (slots.size() > core::EffectChain::kMaxLength) {
        Q_EMIT errorOccurred(tr("The chain has %1 effects; at most %2 fit in the rack.")
                                 .arg(slots.size())
                                 .arg(core::EffectChain::kMaxLength));
        return false;
    }
    return submit(std::move(slots));
}

void RackController::setBypassed(int index, bool bypassed) {
    core::EffectSlot* slot = slotAt(index);
    if (!slot || slot->isBypassed() == bypassed) {
        return;
    }
    slot->setBypassed(bypassed);
    Q_EMIT slotBypassChanged(index);
}

bool RackController::submit(Slots next) {
    const core::Status status = sink_(std::make_unique<core::EffectChain>(next));
    if (!status) {
        Q_EMIT errorOccurred(QString::fromStdString(status.error()));
        return false;
    }
    slots_ = std::move(next);
    Q_EMIT chainChanged();
    return true;
}

}  // namespace liverack::ui
