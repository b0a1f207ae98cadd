// `liverack` with no subcommand: the window. Creates the QApplication (the only application
// object of this run), reads the stream options of DESIGN.md and, given any, starts with them.
// Built only with the GUI (app/ sources are globbed; without ui/ this file is empty).
#ifdef LIVERACK_HAS_GUI
#include <QApplication>
#include <QCommandLineParser>
#include <QHash>
#include <QTimer>

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

#include "app/Commands.h"
#include "app/QuitOnSignal.h"
#include "app/StreamOptions.h"
#include "app/Version.h"
#include "core/dsp/lv2/Lv2Catalogue.h"
#include "core/net/WebServer.h"
#include "ui/AppIcon.h"
#include "ui/DarkTheme.h"
#include "ui/LevelMeter.h"
#include "ui/MainWindow.h"
#include "ui/MetersView.h"
#include "ui/QCustomPlotInclude.h"
#include "ui/SpectrogramView.h"
#include "ui/SpectrumView.h"
#include "ui/TunerView.h"

namespace liverack::app {

namespace {

bool hasDisplay() {
    for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}) {
        const char* value = std::getenv(name);
        if (value != nullptr && *value != '\0') {
            return true;
        }
    }
    return false;
}

// Milliseconds since this process was started: /proc/self/stat field 22 is the start time in
// clock ticks since boot, so the dynamic loading of Qt before main() is counted too.
double millisecondsSinceProcessStart() {
    std::ifstream file("/proc/self/stat");
    std::string stat;
    std::getline(file, stat);
    const auto close = stat.rfind(')');
    if (close == std::string::npos) {
        return -1.0;
    }
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22 && fields >> field; ++i) {
    }
    timespec now{};
    clock_gettime(CLOCK_BOOTTIME, &now);
    const double startSeconds = std::stod(field) / static_cast<double>(sysconf(_SC_CLK_TCK));
    return (static_cast<double>(now.tv_sec) + now.tv_nsec * 1e-9 - startSeconds) * 1000.0;
}

// With LIVERACK_REPORT_STARTUP set, prints how long the first painted frame took (for the
// start-up figure in tests/ui/measure_window.sh).
class FirstPaintProbe : public QObject {
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::Paint) {
            qApp->removeEventFilter(this);
            // After this paint pass has been flushed to the screen.
            QTimer::singleShot(0, [] {
                std::fprintf(stderr, "liverack: first window painted %.0f ms after start\n",
                             millisecondsSinceProcessStart());
            });
        }
        return QObject::eventFilter(watched, event);
    }
};

// With LIVERACK_REPORT_FRAMES set, prints every 5 s how often the spectrum, the spectrogram and
// the output meter were actually repainted, and which kinds of widget painted most (for the CPU
// figures in tests/ui/measure_window.sh).
void reportFrameRates(ui::MainWindow& window) {
    class PaintCounter : public QObject {
    public:
        using QObject::QObject;
        bool eventFilter(QObject* watched, QEvent* event) override {
            if (event->type() == QEvent::Paint) {
                ++byClass_[watched->metaObject()->className()];
                ++byObject_[watched];
            }
            return QObject::eventFilter(watched, event);
        }
        void report(const QList<QCustomPlot*>& plots, ui::LevelMeter* meter,
                    const QList<std::pair<const char*, QWidget*>>& views) {
            const auto perSecond = [this](QObject* o) {
                return o ? byObject_.value(o) / 5.0 : 0.0;
            };
            std::fprintf(stderr,
                         "liverack: redraws per second: spectrum %.1f, spectrogram %.1f, meter "
                         "%.1f\n",
                         perSecond(plots.value(0)), perSecond(plots.value(1)), perSecond(meter));
            QList<std::pair<int, const char*>> classes;
            for (auto i = byClass_.cbegin(); i != byClass_.cend(); ++i) {
                classes.append({i.value(), i.key()});
            }
            std::sort(classes.begin(), classes.end(), std::greater<>());
            std::string line = "liverack: paints per second by kind:";
            for (qsizetype i = 0; i < classes.size() && i < 8; ++i) {
                char part[160];
                std::snprintf(part, sizeof part, " %s %.1f", classes[i].second,
                              classes[i].first / 5.0);
                line += part;
            }
            std::fprintf(stderr, "%s\n", line.c_str());
            line = "liverack: in view:";
            for (const auto& [name, view] : views) {
                if (view != nullptr && ui::MainWindow::inView(*view)) {
                    line += std::string(" ") + name;
                }
            }
            std::fprintf(stderr, "%s\n", line.c_str());
            byClass_.clear();
            byObject_.clear();
        }

    private:
        QHash<const char*, int> byClass_;
        QHash<QObject*, int> byObject_;
    };
    auto* counter = new PaintCounter(&window);
    qApp->installEventFilter(counter);
    auto* spectrogram = window.findChild<ui::SpectrogramView*>();
    const QList<QCustomPlot*> plots{&window.spectrumView().plot(),
                                    spectrogram ? &spectrogram->plot() : nullptr};
    const auto meters = window.findChildren<ui::LevelMeter*>();
    ui::LevelMeter* meter = meters.size() >= 2 ? meters[1] : nullptr;
    auto* timer = new QTimer(&window);
    const QList<std::pair<const char*, QWidget*>> views{
        {"spectrum", &window.spectrumView()},
        {"spectrogram", spectrogram},
        {"meters", window.findChild<ui::MetersView*>()},
        {"tuner", &window.tunerView()}};
    QObject::connect(timer, &QTimer::timeout, counter,
                     [counter, plots, meter, views] { counter->report(plots, meter, views); });
    timer->start(5000);
}

}  // namespace

int runWindowCommand(int& argc, char** argv) {
    if (!hasDisplay()) {
        std::fprintf(stderr,
                     "liverack: there is no display to open the window on (DISPLAY and "
                     "WAYLAND_DISPLAY are unset); run 'liverack --headless' instead.\n");
        return 1;
    }
    QApplication::setHighDpiScaleFactorRoundingPolicy(
        Qt::HighDpiScaleFactorRoundingPolicy::PassThrough);
    QApplication app(argc, argv);
    QApplication::setApplicationName("liverack");
    // Wayland docks and task switchers match the window to its desktop entry by this id.
    QGuiApplication::setDesktopFileName("io.github.liverack.LiveRack");
    QApplication::setApplicationDisplayName("LiveRack");
    QApplication::setOrganizationName("LiveRack");
    QApplication::setApplicationVersion(versionText());
    ui::applyDarkTheme(app);
    QApplication::setWindowIcon(ui::appIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription("LiveRack: live audio monitor and effects rack.");
    addStreamOptions(parser);
    parser.addOption({"fresh",
                      "Start without restoring the last session (layout, devices, rack); autoload "
                      "rules are kept."});
    if (!parser.parse(QApplication::arguments())) {
        std::fprintf(stderr, "liverack: %s\nTry 'liverack --help'.\n",
                     qPrintable(parser.errorText()));
        return 2;
    }
    auto options = readStreamOptions(parser);
    if (!options) {
        std::fprintf(stderr, "liverack: %s\nTry 'liverack --help'.\n", options.error().c_str());
        return 2;
    }

    ui::LaunchOptions launch;
    launch.config = options->config;
    launch.explicitDevice = options->explicitDevice;
    launch.deviceFreeSource = options->deviceFreeSource;
    launch.presetPath = options->presetPath;
    launch.outputTrimDb = options->gainDb;
    launch.restoreSession = !parser.isSet("fresh");
    launch.virtualMicrophone = options->virtualMicrophone;
    launch.virtualMicrophoneName = QString::fromStdString(options->virtualMicrophoneName);
    for (const char* name :
         {"api", "input", "output", "rate", "block", "channels", "source", "no-autoconnect"}) {
        launch.streamOptionsGiven |= parser.isSet(name);
    }

    if (std::getenv("LIVERACK_REPORT_STARTUP") != nullptr) {
        app.installEventFilter(new FirstPaintProbe(&app));
    }
    ui::MainWindow window;
    // A logout, Ctrl+C in the terminal or `kill` closes the window as its close button does.
    QuitOnSignal quitOnSignal([&window] { window.close(); });
    window.show();
    window.launch(launch);
    // After the launch, so its banners do not replace the one saying the address is taken.
    if (options->webAddress && window.startWebMonitor(*options->webAddress, options->webControl)) {
        const core::WebServer& web = *window.webServer();
        std::string line = "web monitor at " + web.url();
        if (options->webControl) {
            line += "; with control: " + web.controlUrl();
        }
        std::fprintf(stderr, "liverack: %s\n", line.c_str());
    }
    if (std::getenv("LIVERACK_REPORT_FRAMES") != nullptr) {
        reportFrameRates(window);
    }
    // Describing every installed LV2 plugin takes seconds (LSP's descriptions are large): done
    // now, beside the window, so "Add effect ▸ Plugins…" opens at once. Joined before exit.
    std::jthread describePlugins([] { core::Lv2Catalogue::shared().plugins(); });
    return app.exec();
}

}  // namespace liverack::app

#endif  // LIVERACK_HAS_GUI
