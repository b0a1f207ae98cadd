#include "ui/RackModel.h"

#include <cmath>

#include "ui/RackController.h"

namespace liverack::ui {

namespace {

// The output that dynamics effects report their gain reduction in, or -1.
int outputIndex(const core::Effect& effect, const char* id) {
    const auto& outputs = effect.info().outputs;
    for (size_t i = 0; i < outputs.size(); ++i) {
        if (outputs[i].id == id) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

}  // namespace

RackModel::RackModel(RackController& controller, QObject* parent)
    : QAbstractListModel(parent), controller_(controller) {
    connect(&controller_, &RackController::chainChanged, this, [this] {
        beginResetModel();
        endResetModel();
    });
    connect(&controller_, &RackController::slotBypassChanged, this, [this](int row) {
        const QModelIndex i = index(row);
        Q_EMIT dataChanged(i, i, {BypassedRole, LatencyFramesRole, LatencyTextRole});
    });
}

int RackModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : controller_.size();
}

QVariant RackModel::data(const QModelIndex& index, int role) const {
    const core::EffectSlot* slot = controller_.slotAt(index.row());
    if (!slot) {
        return {};
    }
    switch (role) {
        case Qt::DisplayRole:
            return QString::fromStdString(slot->effect().info().displayName);
        case Qt::ToolTipRole: {
            const core::EffectInfo& info = slot->effect().info();
            const QString what =
                info.pluginUri.empty()
                    ? QString::fromStdString(info.typeId)
                    : (info.author.empty()
                           ? QString()
                           : tr("by %1, ").arg(QString::fromStdString(info.author))) +
                          QString::fromStdString(info.pluginUri);
            return tr("%1 (%2). Drag or Ctrl+Up/Down to reorder; B toggles bypass; right-click "
                      "for more.")
                .arg(QString::fromStdString(info.displayName), what);
        }
        case AuthorRole:
            return QString::fromStdString(slot->effect().info().author);
        case PluginUriRole:
            return QString::fromStdString(slot->effect().info().pluginUri);
        case TypeIdRole:
            return QString::fromStdString(slot->effect().info().typeId);
        case BypassedRole:
            return slot->isBypassed();
        case GainReductionRole: {
            const int output = outputIndex(slot->effect(), "gain_reduction_db");
            if (output < 0) {
                return {};
            }
            return slot->effect().outputs().get(static_cast<size_t>(output));
        }
        case NoReferenceRole: {
            const int output = outputIndex(slot->effect(), "reference");
            if (output < 0) {
                return {};
            }
            return slot->effect().outputs().get(static_cast<size_t>(output)) < 0.5f;
        }
        case LatencyFramesRole:
            return static_cast<uint>(slot->latencyFrames());
        case LatencyTextRole: {
            const double ms = 1000.0 * slot->latencyFrames() / sampleRate_;
            return ms < 0.05 ? tr("0 ms") : tr("%1 ms").arg(ms, 0, 'f', ms < 10.0 ? 1 : 0);
        }
        default:
            return {};
    }
}

bool RackModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (role != BypassedRole || !controller_.slotAt(index.row())) {
        return false;
    }
    controller_.setBypassed(index.row(), value.toBool());
    return true;
}

Qt::ItemFlags RackModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) {
        return Qt::ItemIsDropEnabled;
    }
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled;
}

bool RackModel::moveRows(const QModelIndex& sourceParent, int sourceRow, int count,
                         const QModelIndex& destinationParent, int destinationChild) {
    if (sourceParent.isValid() || destinationParent.isValid() || count != 1) {
        return false;
    }
    // Qt counts the destination before the move; the controller wants the final index.
    const int to = destinationChild > sourceRow ? destinationChild - 1 : destinationChild;
    return controller_.moveSlot(sourceRow, std::min(to, controller_.size() - 1));
}

void RackModel::setSampleRate(double sampleRate) {
    if (sampleRate > 0.0 && sampleRate != sampleRate_) {
        sampleRate_ = sampleRate;
        refreshLatencies();
    }
}

void RackModel::refreshReadouts() {
    shownReduction_.resize(static_cast<size_t>(rowCount()), -1);
    for (int row = 0; row < rowCount(); ++row) {
        const QVariant reduction = data(index(row), GainReductionRole);
        const int shown =
            reduction.isValid() ? static_cast<int>(std::lround(reduction.toFloat() * 10.0f)) : -1;
        if (shown != shownReduction_[static_cast<size_t>(row)]) {
            shownReduction_[static_cast<size_t>(row)] = shown;
            Q_EMIT dataChanged(index(row), index(row), {GainReductionRole});
        }
    }
    shownNoReference_.resize(static_cast<size_t>(rowCount()), -1);
    for (int row = 0; row < rowCount(); ++row) {
        const QVariant missing = data(index(row), NoReferenceRole);
        const int shown = missing.isValid() ? int(missing.toBool()) : -1;
        if (shown != shownNoReference_[static_cast<size_t>(row)]) {
            shownNoReference_[static_cast<size_t>(row)] = shown;
            Q_EMIT dataChanged(index(row), index(row), {NoReferenceRole});
        }
    }
}

void RackModel::refreshLatencies() {
    if (rowCount() > 0) {
        Q_EMIT dataChanged(index(0), index(rowCount() - 1), {LatencyFramesRole, LatencyTextRole});
    }
}

}  // namespace liverack::ui
