// The rack as a Qt list model, one row per slot, so a QListView can show, select and reorder it.
// It owns nothing: every edit goes through the RackController, which builds the new chain.
#pragma once

#include <QAbstractListModel>

#include <vector>

namespace liverack::ui {

class RackController;

class RackModel : public QAbstractListModel {
    Q_OBJECT

public:
    enum Role {
        TypeIdRole = Qt::UserRole + 1,
        BypassedRole,
        LatencyFramesRole,
        LatencyTextRole,
        AuthorRole,     // hosted plugins: who made it; empty for built-in effects
        PluginUriRole,  // hosted plugins: the plugin's URI; empty for built-in effects
        // Dynamics (compressor, limiter, gate): the gain reduction the effect reports now, in
        // dB (float); invalid for effects that report none.
        GainReductionRole,
        // Effects that work against a reference signal (echo_cancel): true while none arrives
        // (the effect then passes audio through), so the card can say so; invalid for others.
        NoReferenceRole,
    };

    explicit RackModel(RackController& controller, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    Qt::DropActions supportedDropActions() const override { return Qt::MoveAction; }
    // Moves one row through the controller (a new chain is handed over).
    bool moveRows(const QModelIndex& sourceParent, int sourceRow, int count,
                  const QModelIndex& destinationParent, int destinationChild) override;

    // The latency column is shown in milliseconds at this rate.
    void setSampleRate(double sampleRate);
    double sampleRate() const noexcept { return sampleRate_; }
    // Latencies change as effects are prepared; the window calls this a few times a second.
    void refreshLatencies();
    // Gain reductions move with the audio; the window calls this ~10 times a second. Only the
    // cards whose shown value changed are repainted.
    void refreshReadouts();

private:
    RackController& controller_;
    double sampleRate_ = 48000.0;
    std::vector<int> shownReduction_;
    std::vector<int> shownNoReference_;  // per row: tenths of a dB last shown, -1 for none
};

}  // namespace liverack::ui
