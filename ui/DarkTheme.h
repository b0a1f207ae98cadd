// The default look: Qt's Fusion style with a dark palette, so meters and plots read well in a
// dim studio, and the colours the custom-painted views share with it.
#pragma once

#include <QColor>

class QApplication;

namespace liverack::ui {

struct ThemeColours {
    static QColor window() { return {0x1e, 0x20, 0x24}; }
    static QColor panel() { return {0x26, 0x29, 0x2e}; }
    static QColor raised() { return {0x31, 0x35, 0x3b}; }
    static QColor groove() { return {0x14, 0x16, 0x19}; }
    static QColor text() { return {0xdc, 0xdf, 0xe4}; }
    static QColor dimText() { return {0x8a, 0x90, 0x99}; }
    static QColor accent() { return {0x3d, 0xae, 0xe9}; }
    static QColor good() { return {0x4c, 0xd1, 0x7a}; }
    static QColor warn() { return {0xf0, 0xc0, 0x40}; }
    static QColor bad() { return {0xf0, 0x4a, 0x4a}; }
    static QColor trace() { return {0x5c, 0xc8, 0xff}; }
};

void applyDarkTheme(QApplication& app);

}  // namespace liverack::ui
