#include "ui/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QScrollArea>
#include <QStatusBar>
#include <QTimer>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>
#include <QWindow>

#include <QVariantMap>

#include <algorithm>

#include "core/analysis/AnalysisEngine.h"
#include "core/dsp/EffectFactory.h"
#include "core/net/ChainControl.h"
#include "core/net/EngineWebSources.h"
#include "core/net/WebServer.h"
#include "core/preset/PresetLibrary.h"
#include "core/preset/PresetLoader.h"
#include "core/preset/PresetReader.h"
#include "core/preset/PresetWriter.h"
#include "core/preset/SessionStore.h"
#include "ui/AppPaths.h"
#include "ui/AutoloadDialog.h"
#include "ui/DevicePanel.h"
#include "ui/EqHandleEditor.h"
#include "ui/EqOverlayFeed.h"
#include "ui/LevelMeter.h"
#include "ui/LoudnessPanel.h"
#include "ui/MetersView.h"
#include "ui/NetworkPanel.h"
#include "ui/ParameterPanel.h"
#include "ui/PresetBrowser.h"
#include "ui/RackController.h"
#include "ui/RackModel.h"
#include "ui/RackView.h"
#include "ui/SpectrogramView.h"
#include "ui/SpectrumView.h"
#include "ui/StatusPanel.h"
#include "ui/StreamController.h"
#include "ui/TransportPanel.h"
#include "ui/TunerView.h"

namespace liverack::ui {

namespace {

// Housekeeping (engine poll, status bar, text readouts) runs at 10 Hz, whatever the frame rate:
// at the first frame at least this long after the last (a frame early rather than late).
constexpr qint64 kSlowIntervalMs = 95;
// 5 s of slow ticks: the span of one DSP-load window in the status bar.
constexpr int kLoadWindowTicks = 50;

QDockWidget* makeDock(QMainWindow* window, const QString& title, const QString& name,
                      QWidget* content) {
    auto* dock = new QDockWidget(title, window);
    dock->setObjectName(name);
    dock->setWidget(content);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                      QDockWidget::DockWidgetClosable);
    return dock;
}

// View keys of the session (Session::view is the window's own business).
constexpr const char* kGeometryKey = "window/geometry";
constexpr const char* kStateKey = "window/state";
constexpr const char* kTunerA4Key = "tuner/a4";
constexpr const char* kPresetKey = "preset/current";
constexpr const char* kBaselineKey = "preset/baseline";

QString fromStd(const std::string& text) {
    return QString::fromStdString(text);
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setObjectName("LiveRackMainWindow");
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowNestedDocks |
                   QMainWindow::AllowTabbedDocks);

    stream_ = new StreamController(engine_, this);
    rack_ = new RackController(
        [this](std::unique_ptr<core::EffectChain> chain) {
            return engine_.setChain(std::move(chain));
        },
        this);

    devicePanel_ = new DevicePanel(*stream_, this);
    rackView_ = new RackView(*rack_, this);
    parameterPanel_ = new ParameterPanel(this);
    meters_ = new MetersView(this);
    spectrum_ = new SpectrumView(this);
    eqOverlay_ = std::make_unique<EqOverlayFeed>(*spectrum_);
    parameterUndo_ = new QUndoStack(this);
    parameterPanel_->setUndoStack(parameterUndo_);
    eqEditor_ = new EqHandleEditor(*spectrum_, *parameterPanel_, this);
    // A handle dragged, or an edit undone: the curve and the sliders follow now, not at the
    // next tenth of a second.
    const auto showEdit = [this] {
        eqOverlay_->invalidate();
        eqOverlay_->refresh(parameterPanel_->slot(), rackView_->model().sampleRate());
        parameterPanel_->refresh();
    };
    connect(eqEditor_, &EqHandleEditor::edited, this, showEdit);
    connect(parameterUndo_, &QUndoStack::indexChanged, this, showEdit);
    spectrogram_ = new SpectrogramView(this);
    tuner_ = new TunerView(this);
    transport_ = new TransportPanel(*stream_, this);
    network_ = new NetworkPanel(*stream_, this);
    library_ = std::make_unique<core::PresetLibrary>(AppPaths::factoryPresets().toStdString(),
                                                     AppPaths::userPresets().toStdString());
    sessionStore_ = std::make_unique<core::SessionStore>(AppPaths::sessionFile().toStdString());
    presets_ = new PresetBrowser(*library_, *rack_, this);
    status_ = new StatusPanel(this);
    statusBar()->addPermanentWidget(status_, 1);
    statusBar()->setSizeGripEnabled(true);

    // Centre: a banner for what the user must know, over the spectrum.
    auto* centre = new QWidget(this);
    auto* bannerFrame = new QFrame(centre);
    banner_ = new QLabel(bannerFrame);
    banner_->setWordWrap(true);
    banner_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* closeBanner = new QToolButton(bannerFrame);
    closeBanner->setText(QStringLiteral("✕"));
    closeBanner->setAutoRaise(true);
    closeBanner->setToolTip(tr("Hide this message"));
    connect(closeBanner, &QToolButton::clicked, bannerFrame, &QWidget::hide);
    auto* bannerLayout = new QHBoxLayout(bannerFrame);
    bannerLayout->setContentsMargins(10, 6, 4, 6);
    bannerLayout->addWidget(banner_, 1);
    bannerLayout->addWidget(closeBanner, 0, Qt::AlignTop);
    bannerFrame->hide();
    auto* centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 0, 0, 0);
    centreLayout->setSpacing(0);
    centreLayout->addWidget(bannerFrame);
    centreLayout->addWidget(spectrum_, 1);
    setCentralWidget(centre);

    buildDocks();
    buildMenus();

    connect(rackView_, &RackView::currentSlotChanged, this, [this](int index) {
        parameterPanel_->setSlot(index >= 0 && index < rack_->size()
                                     ? rack_->slots()[static_cast<size_t>(index)]
                                     : nullptr);
        // The handles on the spectrum are the new slot's from now on, not a tenth of a second
        // later (a drag in between would move another eq's band).
        eqOverlay_->refresh(parameterPanel_->slot(), rackView_->model().sampleRate());
    });
    connect(rack_, &RackController::errorOccurred, this,
            [this](const QString& m) { showBanner(m, true); });
    connect(presets_, &PresetBrowser::errorOccurred, this,
            [this](const QString& m) { showBanner(m, true); });
    connect(presets_, &PresetBrowser::loaded, this,
            [this](const QString& name, const QStringList& warnings) {
                parameterUndo_->clear();  // its steps were edits of the chain just replaced
                rackView_->selectSlot(rack_->size() > 0 ? 0 : -1);
                if (!warnings.isEmpty()) {
                    showBanner(
                        tr("Preset “%1” loaded with adjustments: %2").arg(name, warnings.join(' ')),
                        false);
                }
            });
    connect(presets_, &PresetBrowser::currentChanged, this, &MainWindow::updateTitle);
    connect(presets_, &PresetBrowser::renamed, this,
            [this](const QString& oldName, const QString& newName) {
                const auto follow = [&](std::string& preset) {
                    if (core::PresetLibrary::sameName(preset, oldName.toStdString())) {
                        preset = newName.toStdString();
                    }
                };
                for (core::AutoloadRule& rule : autoload_.rules) {
                    follow(rule.preset);
                }
                if (autoload_.fallback) {
                    follow(*autoload_.fallback);
                }
            });
    connect(presets_, &PresetBrowser::modifiedChanged, this, &MainWindow::updateTitle);
    connect(devicePanel_, &DevicePanel::outputDevicesAppeared, this,
            &MainWindow::onOutputDevicesAppeared);
    connect(stream_, &StreamController::analysisChanged, this,
            [this](core::AnalysisEngine*) { applyAnalysisSettings(); });
    // The web monitor reads the analysis engine's monitor snapshot and the taps' listen rings:
    // it lets go while the stream still runs (stopping comes before the engine stops, the analysis
    // engine is destroyed and the taps' rings are made anew by the next open) and takes the new
    // ones once the stream runs again. Not on analysisChanged: a new analysis engine is announced
    // before the engine starts, and one whose start fails is destroyed without a stopping signal;
    // the null one is announced only after the old one is gone.
    connect(stream_, &StreamController::stopping, this, &MainWindow::detachWebMonitor);
    connect(stream_, &StreamController::started, this, &MainWindow::attachWebMonitor);
    webChain_ = std::make_unique<core::ChainControl>();
    connect(rack_, &RackController::chainChanged, this,
            [this] { webChain_->setSlots(rack_->slots()); });
    // Called on the server thread after a write from the page: the window follows on its own
    // thread (a queued call to this window is dropped if the window is gone by then).
    webChain_->setChangeListener([this](size_t index) {
        QMetaObject::invokeMethod(
            this, [this, index] { followWebWrite(index); }, Qt::QueuedConnection);
    });
    connect(network_, &NetworkPanel::webStartRequested, this, [this] {
        core::WebAddress address;
        address.host = NetworkPanel::kDefaultWebHost;
        address.port = NetworkPanel::kDefaultWebPort;
        startWebMonitor(address, false);
    });
    connect(stream_, &StreamController::started, this, [this] {
        const core::StreamInfo& info = engine_.streamInfo();
        rackView_->model().setSampleRate(info.sampleRate);
        previousLoadPeak_ = 0.0;
        loadWindowTicks_ = 0;
        meters_->clear();
        spectrum_->clear();
        spectrogram_->clear();
        tuner_->clear();
        if (info.api != "null") {
            usingFallback_ = false;
            if (banner_->property("isError").toBool() || !banner_->text().isEmpty()) {
                banner_->parentWidget()->hide();
            }
        }
        startStopAction_->setText(tr("&Stop"));
        applyAutoload(info.outputDevice);
        // A file is playing: its transport comes to the front of its tab group.
        if (transport_->fileSource() != nullptr) {
            if (auto* dock = findChild<QDockWidget*>("transportDock"); dock && dock->isVisible()) {
                dock->raise();
            }
        }
    });
    connect(stream_, &StreamController::stopped, this, [this](const QString& reason) {
        meters_->clear();
        tuner_->clear();
        status_->showStopped();
        startStopAction_->setText(tr("&Start"));
        if (!reason.isEmpty()) {
            showBanner(tr("The stream stopped: %1").arg(reason), true);
        }
    });
    connect(spectrum_, &SpectrumView::settingsChanged, this, &MainWindow::applyAnalysisSettings);
    connect(spectrum_, &SpectrumView::peakHoldResetRequested, this, [this] {
        if (auto* a = stream_->analysis()) {
            a->resetPeakHold();
        }
    });
    connect(tuner_, &TunerView::referenceA4Changed, this, [this](float hz) {
        spectrum_->setReferenceA4(hz);
        if (auto* a = stream_->analysis()) {
            a->setReferenceA4(hz);
        }
    });
    connect(&meters_->inputMeter(), &LevelMeter::clipResetRequested, this, [this] {
        if (auto* a = stream_->analysis()) {
            a->resetClips(core::Tap::Pre);
        }
    });
    connect(&meters_->outputMeter(), &LevelMeter::clipResetRequested, this, [this] {
        if (auto* a = stream_->analysis()) {
            a->resetClips(core::Tap::Post);
        }
    });
    connect(&meters_->loudness(), &LoudnessPanel::resetRequested, this, [this] {
        if (auto* a = stream_->analysis()) {
            a->resetLoudness();
        }
    });
    connect(status_, &StatusPanel::xrunResetRequested, this,
            [this] { engine_.processor().stats().resetXruns(); });

    timer_ = new QTimer(this);
    timer_->setTimerType(Qt::PreciseTimer);
    timer_->setInterval(frameIntervalMs());
    connect(timer_, &QTimer::timeout, this, &MainWindow::tick);
    timer_->start();
    sessionTimer_ = new QTimer(this);
    sessionTimer_->setInterval(kSessionSaveIntervalMs);
    connect(sessionTimer_, &QTimer::timeout, this, &MainWindow::saveSession);
    updateTitle();
    resize(1280, 800);
}

MainWindow::~MainWindow() {
    timer_->stop();
    // The undo stack announces its clearing when it is destroyed, after the overlay it would
    // redraw.
    disconnect(parameterUndo_, nullptr, this, nullptr);
    parameterPanel_->setUndoStack(nullptr);
    sessionTimer_->stop();
    // The server thread reads the stream and posts to this window: it is joined while both live.
    if (web_) {
        network_->setWebServer(nullptr);
        web_.reset();
    }
    // Child QObjects die after the members, but the stream controller uses engine_: it goes now.
    stream_->stop();
    delete stream_;
    stream_ = nullptr;
}

void MainWindow::buildDocks() {
    auto* parameterScroll = new QScrollArea(this);
    parameterScroll->setWidget(parameterPanel_);
    parameterScroll->setWidgetResizable(true);
    parameterScroll->setFrameShape(QFrame::NoFrame);
    parameterScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    QDockWidget* devices = makeDock(this, tr("Devices"), "devicesDock", devicePanel_);
    QDockWidget* presets = makeDock(this, tr("Presets"), "presetsDock", presets_);
    QDockWidget* rack = makeDock(this, tr("Rack"), "rackDock", rackView_);
    QDockWidget* parameters = makeDock(this, tr("Parameters"), "parametersDock", parameterScroll);
    QDockWidget* meters = makeDock(this, tr("Meters"), "metersDock", meters_);
    QDockWidget* tuner = makeDock(this, tr("Tuner"), "tunerDock", tuner_);
    QDockWidget* spectrogram = makeDock(this, tr("Spectrogram"), "spectrogramDock", spectrogram_);
    QDockWidget* transport = makeDock(this, tr("Transport"), "transportDock", transport_);
    // Under the spectrum, beside the spectrogram, the send and receive sections sit side by side;
    // where the dock is too small for them, it scrolls.
    auto* networkScroll = new QScrollArea(this);
    networkScroll->setWidget(network_);
    networkScroll->setWidgetResizable(true);
    networkScroll->setFrameShape(QFrame::NoFrame);
    QDockWidget* network = makeDock(this, tr("Network"), "networkDock", networkScroll);

    // Side columns run the full height; the spectrogram sits under the spectrum only.
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::TopLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
    addDockWidget(Qt::LeftDockWidgetArea, devices);
    tabifyDockWidget(devices, presets);
    devices->raise();
    addDockWidget(Qt::LeftDockWidgetArea, rack);
    addDockWidget(Qt::LeftDockWidgetArea, parameters);
    addDockWidget(Qt::RightDockWidgetArea, meters);
    addDockWidget(Qt::RightDockWidgetArea, tuner);
    addDockWidget(Qt::BottomDockWidgetArea, spectrogram);
    tabifyDockWidget(spectrogram, network);
    spectrogram->raise();
    tabifyDockWidget(tuner, transport);
    tuner->raise();
    applyDefaultDockSizes();
}

void MainWindow::applyDefaultDockSizes() {
    const auto dock = [this](const char* name) { return findChild<QDockWidget*>(name); };
    resizeDocks({dock("devicesDock"), dock("metersDock")}, {290, 320}, Qt::Horizontal);
    resizeDocks({dock("devicesDock"), dock("rackDock"), dock("parametersDock")}, {215, 290, 235},
                Qt::Vertical);
    resizeDocks({dock("metersDock"), dock("tunerDock")}, {450, 250}, Qt::Vertical);
    resizeDocks({dock("spectrogramDock")}, {250}, Qt::Vertical);
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open preset file…"), this, &MainWindow::openPresetDialog);
    open->setShortcut(QKeySequence::Open);
    QAction* save = file->addAction(tr("&Save preset"), presets_, [this] { presets_->save(); });
    save->setShortcut(QKeySequence::Save);
    QAction* saveAs =
        file->addAction(tr("Save preset &as…"), presets_, &PresetBrowser::saveAsWithDialog);
    saveAs->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_S);
    file->addSeparator();
    file->addAction(tr("&Import preset…"), presets_, &PresetBrowser::importWithDialog);
    file->addAction(tr("&Export selected preset…"), presets_,
                    &PresetBrowser::exportSelectedWithDialog);
    file->addSeparator();
    file->addAction(tr("Auto&load rules…"), this, &MainWindow::editAutoloadRules);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    // Parameter edits (sliders, boxes, EQ handles), one step per gesture.
    QAction* undo = parameterUndo_->createUndoAction(edit, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = parameterUndo_->createRedoAction(edit, tr("&Redo"));
    // The platform's redo keys, and Ctrl+Shift+Z everywhere (some platforms' list lacks it).
    QList<QKeySequence> redoKeys = QKeySequence::keyBindings(QKeySequence::Redo);
    if (!redoKeys.contains(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z))) {
        redoKeys.append(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
    }
    redo->setShortcuts(redoKeys);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    QAction* undoLoad = edit->addAction(tr("Undo preset &load"), presets_, [this] {
        if (presets_->undoLoad()) {
            parameterUndo_->clear();  // its steps were edits of the chain just replaced
        }
    });
    QAction* undoDelete =
        edit->addAction(tr("Undo preset &delete"), presets_, [this] { presets_->undoRemove(); });
    connect(edit, &QMenu::aboutToShow, this, [this, undoLoad, undoDelete] {
        undoLoad->setEnabled(presets_->canUndoLoad());
        undoDelete->setEnabled(presets_->canUndoRemove());
    });

    QMenu* streamMenu = menuBar()->addMenu(tr("&Stream"));
    startStopAction_ = streamMenu->addAction(tr("&Start"));
    startStopAction_->setShortcut(Qt::Key_Space);
    startStopAction_->setShortcutContext(Qt::WindowShortcut);
    connect(startStopAction_, &QAction::triggered, devicePanel_, &DevicePanel::toggleStream);
    streamMenu->addAction(tr("&Refresh devices"), devicePanel_, &DevicePanel::refreshDevices);
    streamMenu->addAction(tr("Reset &xruns"), this,
                          [this] { engine_.processor().stats().resetXruns(); });

    QMenu* rackMenu = menuBar()->addMenu(tr("&Rack"));
    QAction* add = rackMenu->addAction(tr("&Add effect…"), rackView_, &RackView::showAddMenu);
    add->setShortcut(Qt::CTRL | Qt::Key_E);
    QAction* addPlugin =
        rackMenu->addAction(tr("Add &plugin…"), rackView_, &RackView::showPluginBrowser);
    addPlugin->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_E);
    QAction* duplicate =
        rackMenu->addAction(tr("&Duplicate"), rackView_, &RackView::duplicateCurrent);
    duplicate->setShortcut(Qt::CTRL | Qt::Key_D);
    QAction* remove = rackMenu->addAction(tr("&Remove"), rackView_, &RackView::removeCurrent);
    remove->setShortcut(QKeySequence::Delete);
    // Delete means "remove the slot" only while the rack has the focus: the preset browser
    // deletes presets with the same key.
    remove->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    rackView_->addAction(remove);
    QAction* bypass =
        rackMenu->addAction(tr("&Bypass selected"), rackView_, &RackView::toggleBypassOfCurrent);
    bypass->setShortcut(Qt::Key_B);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* dock : findChildren<QDockWidget*>()) {
        view->addAction(dock->toggleViewAction());
    }
    view->addSeparator();
    view->addAction(tr("Reset &layout"), this, &MainWindow::resetLayout);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About LiveRack"), this, [this] {
        QMessageBox::about(this, tr("About LiveRack"),
                           tr("<b>LiveRack %1</b><p>Live audio monitor and effects rack.</p>"
                              "<p>Space starts and stops the stream, Ctrl+E adds an effect, "
                              "Ctrl+Shift+E a plugin, B "
                              "bypasses the selected one. Drag slots to reorder them.</p>")
                               .arg(QCoreApplication::applicationVersion()));
    });
}

void MainWindow::applyAnalysisSettings() {
    core::AnalysisEngine* a = stream_->analysis();
    if (!a) {
        return;
    }
    a->setSpectrumTap(spectrum_->tap());
    a->setFftSize(spectrum_->fftSize());
    a->setWindow(spectrum_->window());
    a->setAveragingSeconds(spectrum_->averagingSeconds());
    a->setOverlap(spectrum_->overlap());
    a->setReferenceA4(tuner_->referenceA4());
    spectrum_->setReferenceA4(tuner_->referenceA4());
}

bool MainWindow::isShownToUser() const {
    const QWindow* handle = windowHandle();
    return isVisible() && !isMinimized() && handle != nullptr && handle->isExposed();
}

bool MainWindow::inView(const QWidget& view) {
    // Not visibleRegion(): it subtracts opaque children, and a view whose plot fills it has none
    // left.
    return view.isVisible() && !view.size().isEmpty();
}

void MainWindow::tick() {
    const bool shown = isShownToUser();
    // Frames at the screen's rate while someone can see them; a few a second for what must go
    // on (the stream's state, the spectrogram's history) while nobody can.
    const int interval = shown ? frameIntervalMs() : kHiddenIntervalMs;
    if (timer_->interval() != interval) {
        timer_->setInterval(interval);
    }
    core::AnalysisEngine* a = stream_->analysis();
    if (a != nullptr) {
        // What the analysis may skip: nobody looks, and no web page reads it either.
        a->setSpectrumWanted(web_ || (shown && (inView(*spectrum_) || inView(*spectrogram_))));
        a->setPitchWanted(web_ || (shown && inView(*tuner_)));
    }
    if (!shown) {
        stream_->poll();
        if (a != nullptr) {
            core::SpectrogramColumn column;
            while (a->popSpectrogramColumn(column)) {
                spectrogram_->addColumn(column);
            }
        }
        return;
    }
    const bool slow = !slowClock_.isValid() || slowClock_.elapsed() >= kSlowIntervalMs;
    if (slow) {
        slowClock_.start();
        stream_->poll();
        parameterPanel_->refresh();
        if (inView(*spectrum_)) {
            eqOverlay_->refresh(parameterPanel_->slot(), rackView_->model().sampleRate());
        }
        presets_->refreshModified();
        // A file's position and the recorder's figures: 10 Hz moves a minute-long file's slider
        // by a fraction of a pixel.
        transport_->refresh();
        if (stream_->isRunning()) {
            core::EngineStatsSnapshot stats = engine_.stats();
            const double windowPeak = stats.dspLoadMax;
            stats.dspLoadMax = std::max(windowPeak, previousLoadPeak_);
            if (++loadWindowTicks_ >= kLoadWindowTicks) {
                previousLoadPeak_ = windowPeak;
                loadWindowTicks_ = 0;
                engine_.processor().stats().resetLoad();
            }
            status_->showRunning(engine_.streamInfo(), engine_.processor().chainLatencyFrames(),
                                 stats);
        }
        if (++slowTicks_ % 5 == 0) {
            rackView_->model().refreshLatencies();
        }
        if (inView(*rackView_)) {
            rackView_->model().refreshReadouts();
        }
        // Counters, read at 10 Hz and only while the dock is in view.
        if (inView(*network_)) {
            network_->refresh();
        }
    }
    a = stream_->analysis();
    if (!a) {
        return;
    }
    if (inView(*meters_)) {
        if (a->levels(core::Tap::Pre).update()) {
            meters_->inputMeter().setLevels(a->levels(core::Tap::Pre).readSlot());
        }
        if (a->levels(core::Tap::Post).update()) {
            meters_->outputMeter().setLevels(a->levels(core::Tap::Post).readSlot());
        }
        // Text readouts change too fast to read at the frame rate: 10 Hz.
        if (slow && a->loudness().update()) {
            meters_->loudness().setLoudness(a->loudness().readSlot());
        }
    }
    if (inView(*spectrum_) && a->spectrum().update()) {
        spectrum_->setSpectrum(a->spectrum().readSlot());
    }
    core::SpectrogramColumn column;
    while (a->popSpectrogramColumn(column)) {
        spectrogram_->addColumn(column);
    }
    if (inView(*spectrogram_)) {
        spectrogram_->commit();
    }
    if (inView(*tuner_) && a->pitch().update()) {
        tuner_->setPitch(a->pitch().readSlot());
    }
}

int MainWindow::frameIntervalMs() const {
    // Every n-th refresh of the screen, n the least that keeps to kMaxFramesPerSecond (60 Hz: 30
    // frames a second; 144 Hz: 28.8), so frames keep in step with the screen's.
    const QScreen* display = screen();
    const double hz =
        display != nullptr && display->refreshRate() > 1.0 ? display->refreshRate() : 60.0;
    const double refreshes = std::max(1.0, std::ceil(hz / kMaxFramesPerSecond - 1e-6));
    return std::max(1, static_cast<int>(std::lround(1000.0 * refreshes / hz)));
}

void MainWindow::changeEvent(QEvent* event) {
    // Restored from the task bar: the next frame now, not at the hidden rate's next tick.
    if (event->type() == QEvent::WindowStateChange && isShownToUser()) {
        timer_->setInterval(frameIntervalMs());
        timer_->start();
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::showBanner(const QString& text, bool isError) {
    banner_->setText(text);
    banner_->setProperty("isError", isError);
    banner_->parentWidget()->setStyleSheet(
        isError ? "QFrame { background: #5a2226; } QLabel { color: #ffd9d9; }"
                : "QFrame { background: #4a3f14; } QLabel { color: #ffe9a8; }");
    banner_->parentWidget()->setVisible(!text.isEmpty());
}

QString MainWindow::bannerText() const {
    return banner_->parentWidget()->isHidden() ? QString() : banner_->text();
}

void MainWindow::appendBanner(const QString& text, bool isError) {
    if (bannerText().isEmpty()) {
        showBanner(text, isError);
        return;
    }
    showBanner(banner_->text() + "\n" + text, isError || banner_->property("isError").toBool());
}

void MainWindow::launch(const LaunchOptions& options) {
    defaultState_ = saveState();
    const core::LoadedSession loaded = sessionStore_->load();
    // The rules are settings rather than state: even a fresh start keeps them (and so does not
    // lose them at the next save).
    autoload_ = loaded.session.autoload;
    if (options.restoreSession) {
        if (!loaded.message.empty()) {
            showBanner(toSentence(loaded.message), loaded.origin == core::SessionOrigin::Defaults);
        }
        for (const std::string& warning : loaded.warnings) {
            appendBanner(toSentence(warning), false);
        }
    }
    if (options.restoreSession && loaded.origin != core::SessionOrigin::Defaults) {
        restoreView(loaded.session.view);
        sessionDevices_ = loaded.session.devices;
        devicePanel_->setConfig(loaded.session.devices);
        devicePanel_->setVirtualMicrophone(loaded.session.virtualMicrophone,
                                           fromStd(loaded.session.virtualMicrophoneName));
        if (options.presetPath.isEmpty()) {
            restoreSession(loaded.session);
        }
    } else {
        applyDefaultDockSizes();
        sessionDevices_ = devicePanel_->config();
    }
    if (!options.presetPath.isEmpty()) {
        const QString before = bannerText();
        const bool wasError = banner_->property("isError").toBool();
        if (!presets_->loadFile(options.presetPath) && !before.isEmpty()) {
            const QString error = bannerText();  // the load replaced the banner: keep both
            showBanner(before, wasError);
            appendBanner(error, true);
        }
        skipNextAutoload_ = true;
    }
    if (options.outputTrimDb && rack_->addEffect("gain")) {
        const int index = core::EffectFactory::info("gain")->indexOf("gain_db");
        if (index >= 0) {
            rack_->slotAt(rack_->size() - 1)
                ->effect()
                .parameters()
                .set(static_cast<size_t>(index), *options.outputTrimDb);
        }
    }
    if (options.streamOptionsGiven) {
        devicePanel_->setConfig(options.config);
        sessionDevices_ = options.config;
    }
    if (options.virtualMicrophone) {
        devicePanel_->setVirtualMicrophone(true, options.virtualMicrophoneName.isEmpty()
                                                     ? devicePanel_->virtualMicrophoneName()
                                                     : options.virtualMicrophoneName);
    }
    sessionTimer_->start();
    if (stream_->start(devicePanel_->config(), kLaunchFadeInSeconds)) {
        if (engine_.streamInfo().api == "null") {
            appendBanner(tr("Running on the null device: nothing is heard. The meters and plots "
                            "show %1.")
                             .arg(fromStd(engine_.streamInfo().source)),
                         false);
        }
        return;
    }
    const QString reason = devicePanel_->message();
    // The command line's preset only wins over autoload for this start; the null stand-in
    // below is ignored by autoload anyway, and a later start on a real device must apply it.
    skipNextAutoload_ = false;
    if (options.explicitDevice) {
        appendBanner(reason, true);
        return;
    }
    // Nothing was named: still come up, on the built-in signal, and say so.
    core::StreamConfig fallback = devicePanel_->config();
    fallback.api = "null";
    if (!options.deviceFreeSource) {
        fallback.source = kFallbackSource;
    }
    fallback.inputDevice.clear();
    fallback.outputDevice.clear();
    devicePanel_->setConfig(fallback);
    usingFallback_ = true;  // before start(): autoload ignores the stand-in device
    if (stream_->start(fallback, kLaunchFadeInSeconds)) {
        const QString playing = options.deviceFreeSource
                                    ? tr("'%1'").arg(QString::fromStdString(fallback.source))
                                    : tr("its built-in test signal (sine 440 Hz)");
        appendBanner(tr("%1 LiveRack is playing %2 into the null device instead: the meters and "
                        "plots move, but nothing is heard. Choose a device under Devices and "
                        "press Start.")
                         .arg(reason, playing),
                     false);
    } else {
        usingFallback_ = false;
        appendBanner(devicePanel_->message(), true);
    }
}

bool MainWindow::loadPreset(const QString& path) {
    return presets_->loadFile(path);
}

void MainWindow::restoreSession(const core::Session& session) {
    auto chain = core::PresetLoader::buildChain(session.chain);
    if (!chain) {
        appendBanner(
            tr("The last session's rack could not be rebuilt: %1").arg(toSentence(chain.error())),
            true);
        return;
    }
    rack_->replaceAll(chain.value()->slots());
    rackView_->selectSlot(rack_->size() > 0 ? 0 : -1);
    // Which preset the rack came from, as it was then: the "modified" marker survives a restart.
    const auto name = session.view.find(kPresetKey);
    const auto baselineJson = session.view.find(kBaselineKey);
    if (name == session.view.end() || baselineJson == session.view.end()) {
        return;
    }
    auto baseline = core::PresetReader::readText(baselineJson->second, "the session's preset");
    if (baseline) {
        presets_->setCurrent(fromStd(name->second), baseline->preset);
    }
}

void MainWindow::restoreView(const std::map<std::string, std::string>& view) {
    const auto get = [&view](const char* key) {
        const auto it = view.find(key);
        return it == view.end() ? QString() : fromStd(it->second);
    };
    restoreGeometry(QByteArray::fromBase64(get(kGeometryKey).toLatin1()));
    if (!restoreState(QByteArray::fromBase64(get(kStateKey).toLatin1()))) {
        applyDefaultDockSizes();
    }
    QVariantMap spectrum;
    for (const auto& [key, value] : view) {
        if (key.starts_with("spectrum/")) {
            spectrum.insert(fromStd(key), fromStd(value));
        }
    }
    spectrum_->restoreSettings(spectrum);
    bool ok = false;
    const float a4 = get(kTunerA4Key).toFloat(&ok);
    if (ok) {
        tuner_->setReferenceA4(a4);
    }
}

core::Session MainWindow::currentSession() const {
    core::Session session;
    // On the fallback the devices shown are the null device: the user's choice is kept.
    session.devices = usingFallback_ ? sessionDevices_ : devicePanel_->config();
    session.virtualMicrophone = devicePanel_->virtualMicrophone();
    session.virtualMicrophoneName = devicePanel_->virtualMicrophoneName().toStdString();
    const core::EffectChain chain(rack_->slots());
    const QString current = presets_->currentName();
    session.chain = core::PresetLoader::fromChain(
        chain, current.isEmpty() ? std::string("Last session") : current.toStdString());
    session.autoload = autoload_;
    session.view[kGeometryKey] = saveGeometry().toBase64().toStdString();
    session.view[kStateKey] = saveState().toBase64().toStdString();
    session.view[kTunerA4Key] = QString::number(tuner_->referenceA4()).toStdString();
    QVariantMap spectrum;
    spectrum_->saveSettings(spectrum);
    for (auto it = spectrum.cbegin(); it != spectrum.cend(); ++it) {
        session.view[it.key().toStdString()] = it.value().toString().toStdString();
    }
    if (!current.isEmpty()) {
        if (auto baseline = core::PresetWriter::toJson(presets_->baseline())) {
            session.view[kPresetKey] = current.toStdString();
            session.view[kBaselineKey] = baseline.value();
        }
    }
    return session;
}

bool MainWindow::saveSession() {
    const core::Session session = currentSession();
    std::string text = session.toJson().dump();
    if (text == lastSavedSession_) {
        return true;
    }
    if (const core::Status saved = sessionStore_->save(session); !saved) {
        // Once, not every few seconds; the next successful save clears it.
        if (!sessionSaveFailed_) {
            appendBanner(tr("The session could not be saved: %1 The previous session file is "
                            "untouched.")
                             .arg(toSentence(saved.error())),
                         true);
        }
        sessionSaveFailed_ = true;
        return false;
    }
    sessionSaveFailed_ = false;
    lastSavedSession_ = std::move(text);
    return true;
}

void MainWindow::setAutoloadRules(core::AutoloadRules rules) {
    autoload_ = std::move(rules);
    autoloadAppliedFor_.clear();  // the new rules apply to the device playing now
    if (stream_->isRunning()) {
        applyAutoload(engine_.streamInfo().outputDevice);
    }
}

void MainWindow::editAutoloadRules() {
    QStringList presetNames;
    for (const core::PresetEntry& entry : library_->entries()) {
        if (entry.problem.empty() && !presetNames.contains(fromStd(entry.name))) {
            presetNames << fromStd(entry.name);
        }
    }
    AutoloadDialog dialog(autoload_, devicePanel_->outputDeviceNames(), presetNames, this);
    if (dialog.exec() == QDialog::Accepted) {
        setAutoloadRules(dialog.rules());
    }
}

void MainWindow::applyAutoload(const std::string& outputDevice) {
    if (skipNextAutoload_) {
        skipNextAutoload_ = false;
        autoloadAppliedFor_ = outputDevice;
        return;
    }
    // The null device standing in for a missing one is not a choice of the user's; and a restart
    // on the same device keeps the user's chain: only a change of device loads.
    if (usingFallback_ || outputDevice == autoloadAppliedFor_) {
        return;
    }
    autoloadAppliedFor_ = outputDevice;
    const std::optional<std::string> preset = autoload_.presetFor(outputDevice);
    if (!preset) {
        return;
    }
    const QString name = fromStd(*preset);
    // Already the current preset (perhaps with the user's changes): nothing to do.
    if (presets_->currentName().compare(name, Qt::CaseInsensitive) == 0) {
        return;
    }
    if (presets_->loadEntry(name)) {
        appendBanner(tr("Output “%1”: loaded preset “%2” by its autoload rule. Edit ▸ Undo preset "
                        "load brings back the chain from before.")
                         .arg(fromStd(outputDevice), name),
                     false);
    } else {
        appendBanner(tr("The autoload rule for output “%1” names preset “%2”, which could not be "
                        "loaded; the chain is unchanged.")
                         .arg(fromStd(outputDevice), name),
                     true);
    }
}

void MainWindow::onOutputDevicesAppeared(const QStringList& names) {
    // Only a device with a rule of its own takes over the output; the fallback applies to
    // whatever the user plays through, it does not pull the stream to any new device.
    core::AutoloadRules ownRules = autoload_;
    ownRules.fallback.reset();
    for (const QString& name : names) {
        if (!ownRules.presetFor(name.toStdString())) {
            continue;
        }
        core::StreamConfig config = devicePanel_->config();
        config.outputDevice = name.toStdString();
        devicePanel_->setConfig(config);
        if (!stream_->isRunning()) {
            // Stopped on purpose, perhaps: choose the device, but let the person start it.
            appendBanner(tr("Output device “%1” appeared and is selected under Devices; press "
                            "Start to play through it.")
                             .arg(name),
                         false);
            return;
        }
        usingFallback_ = false;
        if (stream_->start(config)) {
            appendBanner(
                tr("Output device “%1” appeared: LiveRack now plays through it.").arg(name), false);
        } else {
            appendBanner(devicePanel_->message(), true);
        }
        return;
    }
}

void MainWindow::updateTitle() {
    const QString name = presets_->currentName();
    setWindowTitle(name.isEmpty() ? tr("LiveRack") : tr("%1[*] — LiveRack").arg(name));
    setWindowModified(!name.isEmpty() && presets_->isModified());
}

void MainWindow::openPresetDialog() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open preset file"), {}, tr("LiveRack presets (*.json);;All files (*)"));
    if (!path.isEmpty()) {
        presets_->loadFile(path);
    }
}

void MainWindow::resetLayout() {
    if (!defaultState_.isEmpty()) {
        restoreState(defaultState_);
    }
    applyDefaultDockSizes();
}

bool MainWindow::startWebMonitor(const core::WebAddress& address, bool control) {
    if (web_) {
        return true;
    }
    core::WebServerOptions options;
    options.address = address;
    options.control = control;
    options.pageFolder = core::WebServerOptions::installedPageFolder();
    webChain_->setSlots(rack_->slots());
    auto started = core::WebServer::start(options, webChain_.get());
    if (!started) {
        appendBanner(toSentence(started.error()), true);
        return false;
    }
    web_ = std::move(started.value());
    attachWebMonitor();
    network_->setWebServer(web_.get());
    return true;
}

void MainWindow::attachWebMonitor() {
    core::AnalysisEngine* analysis = stream_->analysis();
    if (web_ && stream_->isRunning() && analysis != nullptr) {
        web_->attach(core::engineWebSources(engine_, *analysis));
    }
}

void MainWindow::detachWebMonitor() {
    if (web_) {
        web_->detach();
    }
}

void MainWindow::followWebWrite(size_t index) {
    // The page's write is already whole in the slot's atomics (ChainControl applies a parameter
    // body entirely or not at all), so the window only reads them again: the rack card (its
    // controller saw no change of its own to announce) and the parameter panel. If the rack
    // changed since, the index only names a row to repaint; every value is read afresh. Web writes
    // are not undoable from the window: they are the page's edits, not the window's.
    if (index < static_cast<size_t>(rack_->size())) {
        Q_EMIT rack_->slotBypassChanged(static_cast<int>(index));
    }
    parameterPanel_->refresh();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveSession();
    sessionTimer_->stop();
    timer_->stop();
    stream_->stop();
    QMainWindow::closeEvent(event);
}

}  // namespace liverack::ui
