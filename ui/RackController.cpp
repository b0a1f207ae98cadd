#include "ui/RackController.h"

#include "core/dsp/EffectFactory.h"

namespace liverack::ui {

RackController::RackController(ChainSink sink, QObject* parent)
    : QObject(parent), sink_(std::move(sink)) {}

core::EffectSlot* RackController::slotAt(int index) const {
    if (index < 0 || index >= size()) {
        return nullptr;
    }
    return slots_[static_cast<size_t>(index)].get();
}

bool RackController::addEffect(const std::string& typeId, int position) {
    if (slots_.size() >= core::EffectChain::kMaxLength) {
        Q_EMIT errorOccurred(tr("The rack is full: a chain holds at most %1 effects.")
                                 .arg(core::EffectChain::kMaxLength));
        return false;
    }
    auto effect = core::EffectFactory::create(typeId);
    if (!effect) {
        Q_EMIT errorOccurred(
            tr("There is no effect type \"%1\".").arg(QString::fromStdString(typeId)));
        return false;
    }
    Slots next = slots_;
    const auto at = (position < 0 || position > size()) ? next.end() : next.begin() + position;
    next.insert(at, std::make_shared<core::EffectSlot>(std::move(effect)));
    return submit(std::move(next));
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
    if (slots_.size() >= core::EffectChain::kMaxLength) {
        Q_EMIT errorOccurred(tr("The rack is full: a chain holds at most %1 effects.")
                                 .arg(core::EffectChain::kMaxLength));
        return false;
    }
    // A duplicate is a fresh effect (its own state) with the same settings.
    auto effect = core::EffectFactory::create(source->effect().info().typeId);
    if (!effect) {
        return false;
    }
    effect->parameters().copyFrom(source->effect().parameters());
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
