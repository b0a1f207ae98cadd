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
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

#include "core/analysis/AnalysisEngine.h"
#include "core/dsp/EffectFactory.h"
#include "core/preset/PresetLoader.h"
#include "core/preset/PresetReader.h"
#include "core/preset/PresetWriter.h"
#include "ui/DevicePanel.h"
#include "ui/LevelMeter.h"
#include "ui/LoudnessPanel.h"
#include "ui/MetersView.h"
#include "ui/ParameterPanel.h"
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

// Housekeeping (engine poll, status bar, text readouts) runs at 10 Hz: every 6th frame.
constexpr uint64_t kSlowDivider = 6;
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

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("LiveRack"));
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
    spectrogram_ = new SpectrogramView(this);
    tuner_ = new TunerView(this);
    transport_ = new TransportPanel(*stream_, this);
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
    });
    connect(rack_, &RackController::errorOccurred, this,
            [this](const QString& m) { showBanner(m, true); });
    connect(stream_, &StreamController::analysisChanged, this,
            [this](core::AnalysisEngine*) { applyAnalysisSettings(); });
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
    timer_->setInterval(1000 / kFramesPerSecond);
    connect(timer_, &QTimer::timeout, this, &MainWindow::tick);
    timer_->start();
    resize(1280, 800);
}

MainWindow::~MainWindow() {
    timer_->stop();
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
    QDockWidget* rack = makeDock(this, tr("Rack"), "rackDock", rackView_);
    QDockWidget* parameters = makeDock(this, tr("Parameters"), "parametersDock", parameterScroll);
    QDockWidget* meters = makeDock(this, tr("Meters"), "metersDock", meters_);
    QDockWidget* tuner = makeDock(this, tr("Tuner"), "tunerDock", tuner_);
    QDockWidget* spectrogram = makeDock(this, tr("Spectrogram"), "spectrogramDock", spectrogram_);
    QDockWidget* transport = makeDock(this, tr("Transport"), "transportDock", transport_);

    // Side columns run the full height; the spectrogram sits under the spectrum only.
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::TopLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
    addDockWidget(Qt::LeftDockWidgetArea, devices);
    addDockWidget(Qt::LeftDockWidgetArea, rack);
    addDockWidget(Qt::LeftDockWidgetArea, parameters);
    addDockWidget(Qt::RightDockWidgetArea, meters);
    addDockWidget(Qt::RightDockWidgetArea, tuner);
    addDockWidget(Qt::BottomDockWidgetArea, spectrogram);
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
    QAction* open = file->addAction(tr("&Open preset…"), this, &MainWindow::openPresetDialog);
    open->setShortcut(QKeySequence::Open);
    QAction* save = file->addAction(tr("&Save preset as…"), this, &MainWindow::savePresetDialog);
    save->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

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
    QAction* duplicate =
        rackMenu->addAction(tr("&Duplicate"), rackView_, &RackView::duplicateCurrent);
    duplicate->setShortcut(Qt::CTRL | Qt::Key_D);
    QAction* remove = rackMenu->addAction(tr("&Remove"), rackView_, &RackView::removeCurrent);
    remove->setShortcut(QKeySequence::Delete);
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
                              "<p>Space starts and stops the stream, Ctrl+E adds an effect, B "
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

void MainWindow::tick() {
    ++ticks_;
    const bool slow = ticks_ % kSlowDivider == 0;
    if (slow) {
        stream_->poll();
        parameterPanel_->refresh();
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
        if (ticks_ % (kSlowDivider * 5) == 0) {
            rackView_->model().refreshLatencies();
        }
    }
    transport_->refresh();
    core::AnalysisEngine* a = stream_->analysis();
    if (!a) {
        return;
    }
    if (meters_->isVisible()) {
        if (a->levels(core::Tap::Pre).update()) {
            meters_->inputMeter().setLevels(a->levels(core::Tap::Pre).readSlot());
        }
        if (a->levels(core::Tap::Post).update()) {
            meters_->outputMeter().setLevels(a->levels(core::Tap::Post).readSlot());
        }
        // Text readouts change too fast to read at 60 Hz.
        if (slow && a->loudness().update()) {
            meters_->loudness().setLoudness(a->loudness().readSlot());
        }
    }
    if (spectrum_->isVisible() && a->spectrum().update()) {
        spectrum_->setSpectrum(a->spectrum().readSlot());
    }
    core::SpectrogramColumn column;
    while (a->popSpectrogramColumn(column)) {
        spectrogram_->addColumn(column);
    }
    // A waterfall scrolls smoothly enough at 30 frames a second, and rebuilding its image is the
    // costliest part of a frame.
    if (spectrogram_->isVisible() && ticks_ % 2 == 0) {
        spectrogram_->commit();
    }
    if (tuner_->isVisible() && a->pitch().update()) {
        tuner_->setPitch(a->pitch().readSlot());
    }
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

void MainWindow::launch(const LaunchOptions& options) {
    QSettings settings;
    defaultState_ = saveState();
    if (options.restoreSession) {
        restoreGeometry(settings.value("window/geometry").toByteArray());
        if (!restoreState(settings.value("window/state").toByteArray())) {
            applyDefaultDockSizes();
        }
        devicePanel_->restoreSettings(settings);
        spectrum_->restoreSettings(settings);
        tuner_->setReferenceA4(settings.value("tuner/a4", 440.0f).toFloat());
        if (options.presetPath.isEmpty()) {
            restoreRack();
        }
    }
    if (!options.restoreSession) {
        applyDefaultDockSizes();
    }
    if (!options.presetPath.isEmpty()) {
        loadPreset(options.presetPath);
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
    }
    if (stream_->start(devicePanel_->config())) {
        if (engine_.streamInfo().api == "null") {
            showBanner(tr("Running on the null device: nothing is heard. The meters and plots "
                          "show %1.")
                           .arg(QString::fromStdString(engine_.streamInfo().source)),
                       false);
        }
        return;
    }
    const QString reason = devicePanel_->message();
    if (options.explicitDevice) {
        showBanner(reason, true);
        return;
    }
    // Nothing was named: still come up, on the built-in signal, and say so.
    core::StreamConfig fallback = devicePanel_->config();
    fallback.api = "null";
    fallback.source = kFallbackSource;
    fallback.inputDevice.clear();
    fallback.outputDevice.clear();
    devicePanel_->setConfig(fallback);
    if (stream_->start(fallback)) {
        usingFallback_ = true;
        showBanner(tr("%1 LiveRack is playing its built-in test "
                      "signal (sine 440 Hz) into the null device instead: the meters and plots "
                      "move, but nothing is heard. Choose a device under Devices and press Start.")
                       .arg(reason),
                   false);
    } else {
        showBanner(devicePanel_->message(), true);
    }
}

bool MainWindow::loadPreset(const QString& path) {
    auto loaded = core::PresetLoader::load(path.toStdString());
    if (!loaded) {
        showBanner(toSentence(loaded.error()), true);
        return false;
    }
    RackController::Slots slots = loaded->chain->slots();
    if (!rack_->replaceAll(std::move(slots))) {
        return false;
    }
    rackView_->selectSlot(rack_->size() > 0 ? 0 : -1);
    if (!loaded->warnings.empty()) {
        QStringList lines;
        for (const auto& w : loaded->warnings) {
            lines << toSentence(w);
        }
        showBanner(tr("Preset loaded with adjustments: %1").arg(lines.join(' ')), false);
    }
    return true;
}

void MainWindow::restoreRack() {
    const QByteArray json = QSettings().value("rack/session").toByteArray();
    if (json.isEmpty()) {
        return;
    }
    auto read = core::PresetReader::readText(std::string_view(json.constData(), json.size()),
                                             "the last session");
    if (!read) {
        return;  // an unreadable session is not worth a message: start with an empty rack
    }
    auto chain = core::PresetLoader::buildChain(read->preset);
    if (chain) {
        rack_->replaceAll(chain.value()->slots());
    }
}

void MainWindow::saveSession() {
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    if (!usingFallback_) {
        devicePanel_->saveSettings(settings);
    }
    spectrum_->saveSettings(settings);
    settings.setValue("tuner/a4", tuner_->referenceA4());
    const core::EffectChain chain(rack_->slots());
    auto json = core::PresetWriter::toJson(core::PresetLoader::fromChain(chain, "Last session"));
    if (json) {
        settings.setValue("rack/session", QByteArray::fromStdString(json.value()));
    }
}

void MainWindow::openPresetDialog() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open preset"), {}, tr("LiveRack presets (*.json);;All files (*)"));
    if (!path.isEmpty()) {
        loadPreset(path);
    }
}

void MainWindow::savePresetDialog() {
    QString path =
        QFileDialog::getSaveFileName(this, tr("Save preset"), {}, tr("LiveRack presets (*.json)"));
    if (path.isEmpty()) {
        return;
    }
    if (!path.endsWith(".json")) {
        path += ".json";
    }
    const core::EffectChain chain(rack_->slots());
    const core::Preset preset =
        core::PresetLoader::fromChain(chain, QFileInfo(path).completeBaseName().toStdString());
    if (const core::Status saved = core::PresetWriter::save(preset, path.toStdString()); !saved) {
        showBanner(toSentence(saved.error()), true);
    }
}

void MainWindow::resetLayout() {
    if (!defaultState_.isEmpty()) {
        restoreState(defaultState_);
    }
    applyDefaultDockSizes();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveSession();
    timer_->stop();
    stream_->stop();
    QMainWindow::closeEvent(event);
}

}  // namespace liverack::ui
