// LiveRack's window: the device panel, rack and parameter panel, meters, spectrum, spectrogram,
// tuner, transport and network as dock widgets around the spectrum, and the web monitor when asked
// for. One timer, at every second refresh of the screen, reads the newest analysis snapshots and
// repaints what changed; nothing here waits on the audio thread.
#pragma once

#include <QElapsedTimer>
#include <QMainWindow>
#include <QString>

#include <memory>
#include <optional>

#include "core/engine/AudioEngine.h"
#include "core/preset/AutoloadRules.h"
#include "core/preset/Session.h"

class QLabel;
class QTimer;
class QDockWidget;
class QAction;
class QUndoStack;

namespace liverack::core {
class AnalysisEngine;
class ChainControl;
class PresetLibrary;
class SessionStore;
class WebServer;
struct WebAddress;
}  // namespace liverack::core

namespace liverack::ui {

class DevicePanel;
class EqHandleEditor;
class LevelMeter;
class MetersView;
class NetworkPanel;
class ParameterPanel;
class PresetBrowser;
class RackController;
class RackView;
class SpectrogramView;
class EqOverlayFeed;
class SpectrumView;
class StatusPanel;
class StreamController;
class TransportPanel;
class TunerView;

// What the command line asked for.
struct LaunchOptions {
    bool streamOptionsGiven = false;  // start with `config` rather than the last session's
    bool explicitDevice = false;      // a failure is then an error, not a reason to fall back
    bool deviceFreeSource = false;    // --source a signal, file or stream: a fallback keeps it
    core::StreamConfig config;
    QString presetPath;                 // wins over the session's chain and over autoload at start
    std::optional<float> outputTrimDb;  // --gain-db: a Gain slot at the end of the rack
    bool restoreSession = true;         // the last layout, devices and rack (autoload rules always)
    bool virtualMicrophone = false;     // --virtual-mic: on, whatever the session said
    QString virtualMicrophoneName;      // --virtual-mic-name (empty: the session's, or the default)
};

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    // Views draw at most this often: the fastest data (the spectrum at 75 % overlap) changes 23
    // times a second, so half a 60 Hz screen's refresh loses nothing, and every view that changed
    // is drawn in the same frame (one paint and one flush to the screen per frame, not one per
    // view). Pointer-driven drawing (hover, handles) is not paced.
    static constexpr int kMaxFramesPerSecond = 30;
    static constexpr int kHiddenIntervalMs = 100;
    static constexpr const char* kFallbackSource = "sine:440";
    // The window's first start fades in gently: a restored chain may be loud.
    static constexpr double kLaunchFadeInSeconds = 2.0;
    static constexpr int kSessionSaveIntervalMs = 5000;

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Restores the session, loads the preset and starts streaming: with the given options, or
    // the last devices, or (when neither works and nothing was named) the built-in test signal
    // on the null device, with a banner saying why.
    void launch(const LaunchOptions& options);

    // Loads a preset file into the rack (validated first; on failure the banner says why and
    // the rack is untouched).
    bool loadPreset(const QString& path);
    // Writes the session now if it changed since the last write; false (and a banner, once)
    // when it cannot be written.
    bool saveSession();
    // The session as it would be saved now.
    core::Session currentSession() const;

    const core::AutoloadRules& autoloadRules() const noexcept { return autoload_; }
    void setAutoloadRules(core::AutoloadRules rules);

    core::AudioEngine& engine() noexcept { return engine_; }
    StreamController& stream() noexcept { return *stream_; }
    RackController& rack() noexcept { return *rack_; }
    RackView& rackView() noexcept { return *rackView_; }
    DevicePanel& devicePanel() noexcept { return *devicePanel_; }
    TransportPanel& transportPanel() noexcept { return *transport_; }
    NetworkPanel& networkPanel() noexcept { return *network_; }
    PresetBrowser& presetBrowser() noexcept { return *presets_; }
    SpectrumView& spectrumView() noexcept { return *spectrum_; }
    TunerView& tunerView() noexcept { return *tuner_; }
    ParameterPanel& parameterPanel() noexcept { return *parameterPanel_; }
    // In view: shown (a dock in a background tab or closed is not) and of some size.
    static bool inView(const QWidget& view);
    QUndoStack& parameterUndo() noexcept { return *parameterUndo_; }
    core::SessionStore& sessionStore() noexcept { return *sessionStore_; }
    QString bannerText() const;

    // Serves the web monitor (--web, or the Network dock's Start) for the rest of the window's
    // life: attached to the stream whenever it runs, its chain control following the rack. False,
    // with the server's sentence in the banner, when the address cannot be used; the window goes
    // on without it. Does nothing while already serving.
    bool startWebMonitor(const core::WebAddress& address, bool control);
    // Null until startWebMonitor succeeded.
    core::WebServer* webServer() noexcept { return web_.get(); }

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void buildDocks();
    void applyDefaultDockSizes();
    void buildMenus();
    void tick();
    // Not minimised, on screen, and its window system says some of it can be seen.
    bool isShownToUser() const;
    int frameIntervalMs() const;
    void applyAnalysisSettings();
    void showBanner(const QString& text, bool isError);
    // Adds a paragraph to the banner if it shows (an error stays an error).
    void appendBanner(const QString& text, bool isError);
    void restoreSession(const core::Session& session);
    void restoreView(const std::map<std::string, std::string>& view);
    void openPresetDialog();
    void editAutoloadRules();
    void applyAutoload(const std::string& outputDevice);
    void onOutputDevicesAppeared(const QStringList& names);
    void updateTitle();
    void resetLayout();
    void attachWebMonitor();
    void detachWebMonitor();
    void followWebWrite(size_t index);

    core::AudioEngine engine_;
    std::unique_ptr<core::PresetLibrary> library_;
    std::unique_ptr<core::SessionStore> sessionStore_;
    core::AutoloadRules autoload_;
    StreamController* stream_;
    RackController* rack_;
    DevicePanel* devicePanel_;
    RackView* rackView_;
    ParameterPanel* parameterPanel_;
    MetersView* meters_;
    SpectrumView* spectrum_;
    std::unique_ptr<EqOverlayFeed> eqOverlay_;
    QUndoStack* parameterUndo_ = nullptr;
    EqHandleEditor* eqEditor_ = nullptr;
    SpectrogramView* spectrogram_;
    TunerView* tuner_;
    TransportPanel* transport_;
    NetworkPanel* network_;
    PresetBrowser* presets_;
    StatusPanel* status_;
    QLabel* banner_;
    QTimer* timer_;
    QTimer* sessionTimer_;
    QAction* startStopAction_;
    QByteArray defaultState_;
    uint64_t slowTicks_ = 0;
    QElapsedTimer slowClock_;     // since the last 10 Hz housekeeping
    bool usingFallback_ = false;  // running on the null device because nothing else opened
    // The devices of the restored session: kept as they were while on the fallback.
    core::StreamConfig sessionDevices_;
    std::string lastSavedSession_;  // the JSON last written, to skip unchanged autosaves
    bool sessionSaveFailed_ = false;
    std::string autoloadAppliedFor_;  // the output device autoload last looked at
    bool skipNextAutoload_ = false;   // a preset named on the command line wins at start
    // The status bar's DSP peak covers the last 5-10 s, not the whole run: the load statistics
    // restart every kLoadWindowTicks slow ticks and the previous window's peak is kept.
    double previousLoadPeak_ = 0.0;
    int loadWindowTicks_ = 0;
    // The page's view of the rack; the server (declared after it, so gone first) holds a pointer.
    std::unique_ptr<core::ChainControl> webChain_;
    std::unique_ptr<core::WebServer> web_;
};

}  // namespace liverack::ui
