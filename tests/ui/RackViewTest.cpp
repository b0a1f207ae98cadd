// The rack editor offers every effect type the factory knows and the installed plugins, inserts
// after the selection, and its keyboard moves and bypass toggle reach the slots the chain is
// built from.
#include <QAction>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QTest>

#include "core/dsp/EffectFactory.h"
#include "core/dsp/lv2/Lv2Catalogue.h"
#include "ui/PluginBrowser.h"
#include "ui/RackController.h"
#include "ui/RackModel.h"
#include "ui/RackView.h"

using namespace liverack;

namespace {

constexpr const char* kAutotune = "http://gareus.org/oss/lv2/fat1";

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
    void addMenuListsEveryFactoryTypeInOrderThenThePluginBrowser() {
        size_t chainSize = 0;
        ui::RackController rack(acceptingSink(&chainSize));
        ui::RackView view(rack);
        QList<QAction*> types;
        for (QAction* action : view.addMenu().actions()) {
            if (!action->isSeparator() && action != &view.browsePluginsAction()) {
                types.append(action);
            }
        }
        const auto& ids = core::EffectFactory::typeIds();
        QCOMPARE(types.size(), static_cast<qsizetype>(ids.size()));
        for (size_t i = 0; i < ids.size(); ++i) {
            QCOMPARE(types[static_cast<qsizetype>(i)]->data().toString().toStdString(), ids[i]);
            QCOMPARE(types[static_cast<qsizetype>(i)]->text().toStdString(),
                     core::EffectFactory::info(ids[i])->displayName);
        }
        QCOMPARE(view.addMenu().actions().back(), &view.browsePluginsAction());
    }

    void pluginChosenInTheBrowserIsAddedAndDuplicatesAsAPluginSlot() {
        if (!core::Lv2Catalogue::shared().find(kAutotune)) {
            QFAIL(
                "x42 Autotune is not installed; packaging/install-dependencies.sh test "
                "installs x42-plugins");
        }
        size_t chainSize = 0;
        ui::RackController rack(acceptingSink(&chainSize));
        ui::RackView view(rack);
        view.browsePluginsAction().trigger();
        ui::PluginBrowser* browser = view.pluginBrowser();
        QVERIFY(browser);
        QVERIFY(browser->isVisible());
        QTest::keyClicks(&browser->filterEdit(), "Autotune");
        QCOMPARE(browser->selectedUri(), QString(kAutotune));
        QTest::keyClick(&browser->filterEdit(), Qt::Key_Return);
        QCOMPARE(rack.size(), 1);
        QCOMPARE(chainSize, size_t{1});
        QCOMPARE(rack.slotAt(0)->effect().info().pluginUri, std::string(kAutotune));
        QCOMPARE(view.currentSlot(), 0);
        QTRY_VERIFY(!view.pluginBrowser());  // closed and deleted

        // The card names the plugin and its author.
        const QModelIndex card = view.model().index(0);
        QCOMPARE(card.data(Qt::DisplayRole).toString().toStdString(),
                 rack.slotAt(0)->effect().info().displayName);
        QCOMPARE(card.data(ui::RackModel::AuthorRole).toString(), QString("Robin Gareus"));
        QCOMPARE(card.data(ui::RackModel::PluginUriRole).toString(), QString(kAutotune));
        QVERIFY(view.model().index(0).data(Qt::ToolTipRole).toString().contains("Robin Gareus"));

        view.duplicateCurrent();
        QCOMPARE(rack.size(), 2);
        QCOMPARE(view.currentSlot(), 1);
        const core::Effect& copy = rack.slotAt(1)->effect();
        QCOMPARE(copy.info().typeId, std::string(core::EffectFactory::kPluginType));
        QCOMPARE(copy.info().pluginUri, std::string(kAutotune));
        for (size_t i = 0; i < copy.parameters().size(); ++i) {
            QCOMPARE(copy.parameters().get(i), rack.slotAt(0)->effect().parameters().get(i));
        }
    }

    void builtInCardsHaveNoAuthor() {
        size_t chainSize = 0;
        ui::RackController rack(acceptingSink(&chainSize));
        ui::RackView view(rack);
        QVERIFY(rack.addEffect("gain"));
        QVERIFY(view.model().index(0).data(ui::RackModel::AuthorRole).toString().isEmpty());
        QVERIFY(view.model().index(0).data(ui::RackModel::PluginUriRole).toString().isEmpty());
    }

    void addInsertsAfterTheSelectedSlotAndSelectsIt() {
        size_t chainSize = 0;
        ui::RackController rack(acceptingSink(&chainSize));
        ui::RackView view(rack);
        QVERIFY(rack.addEffect("gain"));
        QVERIFY(rack.addEffect("gain"));
        view.selectSlot(0);
        const auto actions = view.addMenu().actions();
        // Whatever type the factory lists last (before the separator and "Plugins…").
        QAction* last = actions[static_cast<qsizetype>(core::EffectFactory::typeIds().size()) - 1];
        QVERIFY(!last->data().toString().isEmpty());
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
