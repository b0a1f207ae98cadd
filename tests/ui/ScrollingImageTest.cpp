// ScrollingImage: each value gets its gradient colour once, columns age in order, and painting
// puts the oldest column at the left edge and the newest at the right.
#include <QPainter>
#include <QTest>

#include <array>
#include <cmath>
#include <vector>

#include "ui/ScrollingImage.h"

using namespace liverack;

namespace {
// Black at the bottom of the range, white at the top: a level is its own grey.
QCPColorGradient greys() {
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0.0, Qt::black);
    g.setColorStopAt(1.0, Qt::white);
    return g;
}
}  // namespace

class ScrollingImageTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void valuesGetTheirColoursAndAgeInOrder() {
        ui::ScrollingImage image(4, 3);
        image.setGradient(greys(), QCPRange(-100.0, 0.0));
        // Nothing pushed: every cell is the bottom of the scale.
        QCOMPARE(QColor(image.colourAt(0, 0)), QColor(Qt::black));
        for (float level : {-100.0f, -50.0f, 0.0f, 20.0f, -200.0f}) {
            const std::array<float, 3> column{level, -100.0f, 0.0f};
            image.pushColumn(column);
        }
        // Newest first: -200 (below the range) and 20 (above it) are the ends of the scale, the
        // gradient's own colours there; -50 is half way.
        QCPColorGradient steps = greys();
        steps.setLevelCount(256);  // as the image samples it
        const QColor top = steps.color(0.0, QCPRange(-100.0, 0.0));
        QVERIFY(qGray(top.rgb()) >= 254);
        QCOMPARE(QColor(image.colourAt(0, 0)), QColor(Qt::black));
        QCOMPARE(QColor(image.colourAt(1, 0)), top);
        QCOMPARE(QColor(image.colourAt(2, 0)), top);
        QVERIFY(std::abs(qGray(image.colourAt(3, 0)) - 128) <= 1);
        // The ring holds four: the -100 column was the fifth back, and is gone.
        QCOMPARE(QColor(image.colourAt(4, 0)), QColor(image.colourAt(0, 0)));
        // Rows keep their own values, row 0 the lowest.
        QCOMPARE(QColor(image.colourAt(0, 1)), QColor(Qt::black));
        QCOMPARE(QColor(image.colourAt(0, 2)), top);
        // A silent band (-inf) and a NaN are the bottom of the scale, never garbage.
        const std::array<float, 3> odd{-INFINITY, NAN, INFINITY};
        image.pushColumn(odd);
        QCOMPARE(QColor(image.colourAt(0, 0)), QColor(Qt::black));
        QCOMPARE(QColor(image.colourAt(0, 1)), QColor(Qt::black));
        QCOMPARE(QColor(image.colourAt(0, 2)), top);
    }

    void paintsOldestLeftNewestRightRowZeroAtTheBottom() {
        ui::ScrollingImage image(4, 2);
        image.setGradient(greys(), QCPRange(0.0, 3.0));
        // Six columns through a ring of four: the ring wraps, the picture must not.
        for (float v : {0.0f, 0.0f, 0.0f, 1.0f, 2.0f, 3.0f}) {
            const std::array<float, 2> column{v, 3.0f - v};
            image.pushColumn(column);
        }
        QImage canvas(40, 20, QImage::Format_RGB32);
        canvas.fill(Qt::red);
        {
            QPainter p(&canvas);
            image.paint(p, QRectF(0, 0, 40, 20));
        }
        // Columns 10 px wide, oldest (0) to newest (3); bottom row = row 0.
        const std::array<int, 4> expected{0, 85, 170, 255};
        for (int c = 0; c < 4; ++c) {
            const int low = qGray(canvas.pixel(c * 10 + 5, 15));
            const int high = qGray(canvas.pixel(c * 10 + 5, 5));
            QVERIFY2(std::abs(low - expected[static_cast<size_t>(c)]) <= 1,
                     qPrintable(QString::number(low)));
            QVERIFY2(std::abs(high - (255 - expected[static_cast<size_t>(c)])) <= 1,
                     qPrintable(QString::number(high)));
        }
    }

    // The picture is kept at the size it is painted and updated a column at a time: what a
    // long-lived image shows after more columns arrive is, pixel for pixel, what a fresh image
    // given the same columns shows, at sizes that are no multiple of the ring (7 columns over
    // 40 pixels, 5 rows over 23), through a wrapped ring, and after a resize; every pixel of the
    // target is painted.
    void incrementalPictureEqualsAFreshOne() {
        const auto push = [](ui::ScrollingImage& image, int from, int to) {
            for (int i = from; i < to; ++i) {
                std::array<float, 5> column{};
                for (size_t r = 0; r < column.size(); ++r) {
                    column[r] = static_cast<float>((i * 37 + int(r) * 11) % 100) - 100.0f;
                }
                image.pushColumn(column);
            }
        };
        const auto picture = [](const ui::ScrollingImage& image, QSize size) {
            QImage canvas(size.width() + 6, size.height() + 4, QImage::Format_RGB32);
            canvas.fill(Qt::red);
            QPainter p(&canvas);
            image.paint(p, QRectF(QPointF(3, 2), QSizeF(size)));
            return canvas;
        };
        ui::ScrollingImage lived(7, 5);
        lived.setGradient(greys(), QCPRange(-100.0, 0.0));
        push(lived, 0, 4);
        (void)picture(lived, QSize(40, 23));
        int pushed = 17;
        push(lived, 4, pushed);  // wraps twice
        for (QSize size : {QSize(40, 23), QSize(61, 9)}) {
            ui::ScrollingImage fresh(7, 5);
            fresh.setGradient(greys(), QCPRange(-100.0, 0.0));
            push(fresh, 0, pushed);
            const QImage a = picture(lived, size);
            QCOMPARE(a, picture(fresh, size));
            for (int x = 3; x < 3 + size.width(); ++x) {
                for (int y = 2; y < 2 + size.height(); ++y) {
                    QVERIFY(a.pixel(x, y) != qRgb(255, 0, 0));
                }
            }
            // Newest at the right edge, top row = the highest row.
            QCOMPARE(a.pixel(2 + size.width(), 2 + size.height() - 1), lived.colourAt(0, 0));
            QCOMPARE(a.pixel(2 + size.width(), 2), lived.colourAt(0, 4));
            QCOMPARE(a.pixel(3, 2 + size.height() - 1), lived.colourAt(6, 0));
            push(lived, pushed, pushed + 1);
            push(fresh, pushed, pushed + 1);
            ++pushed;
            QCOMPARE(picture(lived, size), picture(fresh, size));
        }
    }
};

QTEST_MAIN(ScrollingImageTest)
#include "ScrollingImageTest.moc"
