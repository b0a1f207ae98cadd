#include "ui/AppIcon.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

#include "ui/DarkTheme.h"

namespace liverack::ui {

QIcon appIcon() {
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64, 128, 256}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        const double s = size;
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0x26, 0x29, 0x2e));
        p.drawRoundedRect(QRectF(0.5, 0.5, s - 1, s - 1), s * 0.2, s * 0.2);
        // Three bars: green, yellow, accent blue, like a meter beside a spectrum.
        const double bar = s * 0.18;
        const double gap = s * 0.09;
        const double left = (s - 3 * bar - 2 * gap) / 2;
        const double bottom = s * 0.82;
        const QColor colours[3] = {ThemeColours::good(), ThemeColours::warn(),
                                   ThemeColours::accent()};
        const double heights[3] = {0.42, 0.62, 0.34};
        for (int i = 0; i < 3; ++i) {
            const double h = s * heights[i];
            p.setBrush(colours[i]);
            p.drawRoundedRect(QRectF(left + i * (bar + gap), bottom - h, bar, h), bar * 0.25,
                              bar * 0.25);
        }
        p.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

}  // namespace liverack::ui
