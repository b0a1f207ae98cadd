// LiveRack's window: the device panel, rack and parameter panel, meters, spectrum, spectrogram
// and tuner as dock widgets around the spectrum. One 60 Hz timer reads the newest analysis
// snapshots and repaints; nothing here waits on the audio thread.
#pragma once

#include <QMainWindow>
#include <QString>

#include <memory>
#include <optional>

#include "core/engine/AudioEngine.h"

class QLabel;
class QTimer;
class QDockWidget;
class QAction;

namespace liverack::core {
class AnalysisEngine;
}

namespace liverack::ui {

class DevicePanel;
class LevelMeter;
class MetersView;
class ParameterPanel;
class RackController;
class RackView;
class SpectrogramView;
class SpectrumView;
class StatusPanel;
class StreamController;
class TransportPanel;
class TunerView;

// What the command line asked for.
struct LaunchOptions {
    bool streamOptionsGiven = false;  // start with `config` rather than the last session's
    bool explicitDevice = false;      // a failure is then an error, not a reason to fall back
    core::StreamConfig config;
    QString presetPath;
    std::optional<float> outputTrimDb;  // --gain-db: a Gain slot at the end of the rack
    bool restoreSession = true;         // the last layout, devices and rack
};

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    static constexpr int kFramesPerSecond = 60;
    static constexpr const char* kFallbackSource = "sine:440";

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Restores the session, loads the preset and starts streaming: with the given options, or
    // the last devices, or (when neither works and nothing was named) the built-in test signal
    // on the null device, with a banner saying why.
    void launch(const LaunchOptions& options);

    bool loadPreset(const QString& path);

    core::AudioEngine& engine() noexcept { return engine_; }
    StreamController& stream() noexcept { return *stream_; }
    RackController& rack() noexcept { return *rack_; }
    RackView& rackView() noexcept { return *rackView_; }
    DevicePanel& devicePanel() noexcept { return *devicePanel_; }
    TransportPanel& transportPanel() noexcept { return *transport_; }
    QString bannerText() const;

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildDocks();
    void applyDefaultDockSizes();
    void buildMenus();
    void tick();
    void applyAnalysisSettings();
    void showBanner(const QString& text, bool isError);
    void saveSession();
    void restoreRack();
    void openPresetDialog();
    void savePresetDialog();
    void resetLayout();

    core::AudioEngine engine_;
    StreamController* stream_;
    RackController* rack_;
    DevicePanel* devicePanel_;
    RackView* rackView_;
    ParameterPanel* parameterPanel_;
    MetersView* meters_;
    SpectrumView* spectrum_;
    SpectrogramView* spectrogram_;
    TunerView* tuner_;
    TransportPanel* transport_;
    StatusPanel* status_;
    QLabel* banner_;
    QTimer* timer_;
    QAction* startStopAction_;
    QByteArray defaultState_;
    uint64_t ticks_ = 0;
    bool usingFallback_ = false;
    // The status bar's DSP peak covers the last 5-10 s, not the whole run: the load statistics
    // restart every kLoadWindowTicks slow ticks and the previous window's peak is kept.
    double previousLoadPeak_ = 0.0;
    int loadWindowTicks_ = 0;  // running on the null device because nothing else opened
};

}  // namespace liverack::ui
