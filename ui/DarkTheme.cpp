#include "ui/DarkTheme.h"

#include <QApplication>
#include <QPalette>
#include <QStyleFactory>

namespace liverack::ui {

void applyDarkTheme(QApplication& app) {
    app.setStyle(QStyleFactory::create("Fusion"));
    QPalette p;
    p.setColor(QPalette::Window, ThemeColours::window());
    p.setColor(QPalette::WindowText, ThemeColours::text());
    p.setColor(QPalette::Base, ThemeColours::groove());
    p.setColor(QPalette::AlternateBase, ThemeColours::panel());
    p.setColor(QPalette::ToolTipBase, ThemeColours::raised());
    p.setColor(QPalette::ToolTipText, ThemeColours::text());
    p.setColor(QPalette::PlaceholderText, ThemeColours::dimText());
    p.setColor(QPalette::Text, ThemeColours::text());
    p.setColor(QPalette::Button, ThemeColours::raised());
    p.setColor(QPalette::ButtonText, ThemeColours::text());
    p.setColor(QPalette::BrightText, ThemeColours::bad());
    p.setColor(QPalette::Light, ThemeColours::raised().lighter(130));
    p.setColor(QPalette::Midlight, ThemeColours::raised().lighter(115));
    p.setColor(QPalette::Mid, ThemeColours::panel());
    p.setColor(QPalette::Dark, ThemeColours::groove());
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, ThemeColours::accent());
    p.setColor(QPalette::HighlightedText, Qt::black);
    p.setColor(QPalette::Link, ThemeColours::accent());
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) {
        p.setColor(QPalette::Disabled, role, ThemeColours::dimText().darker(130));
    }
    p.setColor(QPalette::Disabled, QPalette::Button, ThemeColours::panel());
    app.setPalette(p);
    app.setStyleSheet(
        "QDockWidget { font-weight: 600; }"
        "QDockWidget::title { background: #262a30; padding: 5px 8px; }"
        "QToolTip { border: 1px solid #3daee9; }"
        "QGroupBox { border: 1px solid #3a3f46; border-radius: 4px; margin-top: 1.2em;"
        " padding-top: 4px; }"
        "QGroupBox::title { subcontrol-origin: margin; left: 8px; padding: 0 4px;"
        " color: #8a9099; }");
}

}  // namespace liverack::ui
