// `--preset` takes a preset file or the name of an installed one ("Podcast voice"), so the
// factory presets work from any folder without knowing where the package put them.
#pragma once

#include <QString>

namespace liverack::app {

// `value` itself when it names an existing file; else the file of the user or factory preset of
// that name (ignoring case, the user's first); else `value` unchanged, for the loader to report.
QString resolvePresetArgument(const QString& value);

}  // namespace liverack::app
