// What `liverack --version` says: the project version, and in a build from a git checkout the
// revision it was built from, so a bug report names the exact code.
#pragma once

#include <QString>

namespace liverack::app {

// "0.1.0" or "0.1.0 (git 1a2b3c4d5e)".
QString versionText();

}  // namespace liverack::app
