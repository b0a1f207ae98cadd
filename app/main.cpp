// Entry point: picks the subcommand and hands over. Commands that need no window run on a
// QCoreApplication, so they work on machines without a display.
#include <QCoreApplication>
#include <QStringList>

#include <cstdio>
#include <functional>
#include <map>

#include "app/Commands.h"

namespace {

using Command = std::function<int(const QStringList&)>;

// Subcommands named by their first argument ("liverack devices ..."). One line each.
const std::map<QString, Command>& subcommands() {
    static const std::map<QString, Command> commands = {
        {"analyze", liverack::app::runAnalyzeCommand},
        {"devices", liverack::app::runDevicesCommand},
        {"render", liverack::app::runRenderCommand},
    };
    return commands;
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("liverack");
    QCoreApplication::setOrganizationName("LiveRack");
    QCoreApplication::setApplicationVersion(LIVERACK_VERSION);

    QStringList arguments = QCoreApplication::arguments();
    if (arguments.size() > 1) {
        const auto it = subcommands().find(arguments.at(1));
        if (it != subcommands().end()) {
            arguments.removeAt(1);
            return it->second(arguments);
        }
    }
    // Until the window exists, the program without a subcommand runs the engine headless.
    return liverack::app::runHeadlessCommand(arguments);
}
