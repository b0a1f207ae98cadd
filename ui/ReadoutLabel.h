// A line of text that changes several times a second (a loudness value, the DSP load). A QLabel
// asks its layout to recompute on every new text, and that request travels up to the window:
// at 10 Hz that was a tenth of the window's time. This one keeps the size it was given room for
// (its widest expected text) and only repaints its own rectangle, unless a text no longer fits.
#pragma once

#include <QColor>
#include <QString>
#include <QWidget>

namespace liverack::ui {

class ReadoutLabel : public QWidget {
    Q_OBJECT

public:
    struct Look {
        QColor text;
        QColor background;  // invalid = none
        QColor border;      // invalid = none
        int paddingX = 6;
        int paddingY = 2;
        Qt::Alignment alignment = Qt::AlignLeft | Qt::AlignVCenter;
        // Sitting on a plain panel (the palette's window colour): the label paints every pixel
        // itself, corners included, so a new text repaints the label alone and not the panel,
        // dock and window behind it.
        bool opaque = false;
    };

    ReadoutLabel(const Look& look, const QString& widestText, QWidget* parent = nullptr);

    void setText(const QString& text);
    QString text() const { return text_; }
    void setTextColour(const QColor& colour);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    int textWidth(const QString& text) const;

    Look look_;
    QString text_;
    int roomFor_ = 0;  // text width the size hint leaves room for
};

}  // namespace liverack::ui
