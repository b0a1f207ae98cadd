// ReadoutLabel: a new text repaints the label's own rectangle (an opaque one not even the panel
// behind it), what is on screen afterwards is what a full repaint gives, and a text wider than
// the room it was given asks for more.
#include <QPainter>
#include <QPixmap>
#include <QScreen>
#include <QTest>
#include <QVBoxLayout>

#include "ui/ReadoutLabel.h"

using namespace liverack;

namespace {

// A plain panel that counts its paints.
class Panel : public QWidget {
public:
    int paints = 0;

protected:
    void paintEvent(QPaintEvent*) override {
        ++paints;
        QPainter(this).fillRect(rect(), palette().color(QPalette::Window));
    }
};

ui::ReadoutLabel::Look look(bool opaque) {
    ui::ReadoutLabel::Look l;
    l.text = Qt::white;
    l.background = QColor(0x14, 0x16, 0x19);
    l.border = QColor(0x30, 0x34, 0x3a);
    l.opaque = opaque;
    return l;
}

}  // namespace

class ReadoutLabelTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void anOpaqueLabelRepaintsAloneAndLooksAsAFullRepaintDoes() {
        for (bool opaque : {true, false}) {
            Panel panel;
            QPalette palette = panel.palette();
            palette.setColor(QPalette::Window, QColor(0x2a, 0x2e, 0x33));
            panel.setPalette(palette);
            auto* layout = new QVBoxLayout(&panel);
            auto* label = new ui::ReadoutLabel(look(opaque), QStringLiteral("−88.8 LUFS"), &panel);
            layout->addWidget(label);
            panel.resize(200, 60);
            panel.show();
            QVERIFY(QTest::qWaitForWindowExposed(&panel));
            QCoreApplication::processEvents();
            const int before = panel.paints;
            label->setText(QStringLiteral("−23.0 LUFS"));
            QCoreApplication::sendPostedEvents(nullptr, QEvent::UpdateRequest);
            QCoreApplication::processEvents();
            // Transparent corners make the panel paint behind the label; opaque ones do not.
            QCOMPARE(panel.paints > before, !opaque);
            const QImage shown = panel.screen()
                                     ->grabWindow(panel.winId())
                                     .toImage()
                                     .convertToFormat(QImage::Format_RGB32);
            const QImage full = panel.grab().toImage().convertToFormat(QImage::Format_RGB32);
            QVERIFY2(shown == full, opaque ? "opaque" : "transparent");
        }
    }

    void aWiderTextAsksForMoreRoom() {
        ui::ReadoutLabel label(look(true), QStringLiteral("−8.8"));
        const int narrow = label.sizeHint().width();
        label.setText(QStringLiteral("−88.8 LUFS and more"));
        QVERIFY(label.sizeHint().width() > narrow);
        QCOMPARE(label.text(), QStringLiteral("−88.8 LUFS and more"));
    }
};

QTEST_MAIN(ReadoutLabelTest)
#include "ReadoutLabelTest.moc"
