// Entry point: picks the subcommand and hands over. Commands that need no window run on a
// QCoreApplication, so they work on machines without a display.
#include <QCoreApplication>
#include <QStringList>

#include <cstdio>
#include <functional>
#include <map>
#include <string_view>

#include "app/Commands.h"
#include "app/Version.h"
#include "core/engine/AlsaMessages.h"
#include "core/engine/PipeWireJack.h"

namespace {

using Command = std::function<int(const QStringList&)>;

// Subcommands named by their first argument ("liverack devices ..."). One line each.
const std::map<QString, Command>& subcommands() {
    static const std::map<QString, Command> commands = {
        {"analyze", liverack::app::runAnalyzeCommand},
        {"devices", liverack::app::runDevicesCommand},
        {"plugins", liverack::app::runPluginsCommand},
        {"render", liverack::app::runRenderCommand},
    };
    return commands;
}

#ifdef LIVERACK_HAS_GUI
// The window opens unless a subcommand, --headless, --help or --version is given. It needs a
// QApplication, and only one application object may exist, so it is made there, not here.
bool wantsWindow(int argc, char** argv) {
    if (argc > 1 && subcommands().count(QString::fromLocal8Bit(argv[1])) != 0) {
        return false;
    }
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--headless" || arg == "--help" || arg == "-h" || arg == "--help-all" ||
            arg == "--version" || arg == "-v") {
            return false;
        }
    }
    return true;
}
#endif

}  // namespace

int main(int argc, char** argv) {
    // On a PipeWire desktop without jackd: onto PipeWire's libjack, as `pw-jack` would.
    liverack::core::PipeWireJack::restartOnPipeWireIfNeeded(argc, argv);
    // Before Qt Multimedia or RtAudio can reach ALSA: its messages become LiveRack's sentences.
    liverack::core::AlsaMessages::capture();
#ifdef LIVERACK_HAS_GUI
    if (wantsWindow(argc, argv)) {
        return liverack::app::runWindowCommand(argc, argv);
    }
#endif
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("liverack");
    QCoreApplication::setOrganizationName("LiveRack");
    QCoreApplication::setApplicationVersion(liverack::app::versionText());

    QStringList arguments = QCoreApplication::arguments();
    if (arguments.size() > 1) {
        const auto it = subcommands().find(arguments.at(1));
        if (it != subcommands().end()) {
            arguments.removeAt(1);
            return it->second(arguments);
        }
    }
    return liverack::app::runHeadlessCommand(arguments);
}
