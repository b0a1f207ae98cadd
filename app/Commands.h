// The subcommands of the liverack program; each lives in its own file and returns an exit code:
// 0 success, 1 runtime failure (message on stderr), 2 bad usage (message and a hint on stderr).
#pragma once

#include <QStringList>

namespace liverack::app {

int runAnalyzeCommand(const QStringList& arguments);
int runDevicesCommand(const QStringList& arguments);
int runHeadlessCommand(const QStringList& arguments);
int runPluginsCommand(const QStringList& arguments);
int runRenderCommand(const QStringList& arguments);
int runWindowCommand(int& argc, char** argv);

}  // namespace liverack::app
