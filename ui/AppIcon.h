// LiveRack's window icon, painted at run time (a rack of three level bars on a dark tile), so the
// window has an icon without shipping image files.
#pragma once

#include <QIcon>

namespace liverack::ui {

QIcon appIcon();

}  // namespace liverack::ui
