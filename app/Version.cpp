#include "app/Version.h"

#include "liverack_revision.h"

namespace liverack::app {

QString versionText() {
    const QString revision = QStringLiteral(LIVERACK_GIT_REVISION);
    const QString version = QStringLiteral(LIVERACK_VERSION);
    return revision.isEmpty() ? version : version + " (git " + revision + ")";
}

}  // namespace liverack::app
