// The rack editor offers every effect type the factory knows, inserts after the selection, and
// its keyboard moves and bypass toggle reach the slots the chain is built from.
#include <QAction>
#include <QListView>
#include <QMenu>
#include <QTest>

#include "core/dsp/EffectFactory.h"
#include "ui/RackController.h"
#include "ui/RackView.h"

using namespace liverack;

namespace {

ui::RackController::ChainSink acceptingSink(size_t* lastSize) {
    return [lastSize](std::unique_ptr<core::EffectChain> chain) -> core::Status {
        *lastSize = chain->size();
        return {};
    };
}

}  // namespace

class RackViewTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void addMenuListsEveryFactoryTypeInOrder() {
        size_t chainSize = 0;
        ui::RackController rack(acceptingSink(&chainSize));
        ui::RackView view(rack);
        const auto actions = view.addMenu().actions();
        const auto& ids = core::EffectFactory::typeIds();
        QCOMPARE(actions.size(), static_cast<qsizetype>(ids.size()));
        for (size_t i = 0; i < ids.size(); ++i) {
            QCOMPARE(actions[static_cast<qsizetype>(i)]->data().toString().toStdString(), ids[i]);
            QCOMPARE(actions[static_cast<qsizetype>(i)]->text().toStdString(),
                     core::EffectFactory::info(ids[i])->displayName);
        }
    }

    void addInsertsAfterTheSelectedSlotAndSelectsIt() {
        size_t chainSize = 0;
        ui::RackController rack(acceptingSink(&chainSize));
        ui::RackView view(rack);
        QVERIFY(rack.addEffect("gain"));
        QVERIFY(rack.addEffect("gain"));
        view.selectSlot(0);
        const auto actions = view.addMenu().actions();
        QAction* last = actions.back();  // whatever type the factory lists last
        last->trigger();
        QCOMPARE(rack.size(), 3);
        QCOMPARE(chainSize, size_t{3});
        QCOMPARE(QString::fromStdString(rack.slotAt(1)->effect().info().typeId),
                 last->data().toString());
        QCOMPARE(view.currentSlot(), 1);
    }

    void keyboardMovesAndBypassTheSelectedSlot() {
        size_t chainSize = 0;
        ui::RackController rack(acceptingSink(&chainSize));
        ui::RackView view(rack);
        QVERIFY(rack.addEffect("gain"));
        QVERIFY(rack.addEffect("gain"));
        QVERIFY(rack.addEffect("gain"));
        core::EffectSlot* first = rack.slotAt(0);
        view.selectSlot(0);
        view.moveCurrent(+1);
        QCOMPARE(rack.slotAt(1), first);
        QCOMPARE(view.currentSlot(), 1);
        view.moveCurrent(+1);
        QCOMPARE(rack.slotAt(2), first);
        view.moveCurrent(+1);  // already last: nothing moves
        QCOMPARE(rack.slotAt(2), first);
        view.toggleBypassOfCurrent();
        QVERIFY(first->isBypassed());
        view.removeCurrent();
        QCOMPARE(rack.size(), 2);
        QCOMPARE(chainSize, size_t{2});
        QCOMPARE(view.currentSlot(), 1);
    }
};

QTEST_MAIN(RackViewTest)
#include "RackViewTest.moc"
