// The plugin browser lists every installed plugin under its catalogue group, lets every supported
// one be chosen, keeps unsupported ones visible but disabled with their reason, and its filter
// narrows the list by name, author, kind or URI.
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

#include <memory>

#include "core/dsp/lv2/Lv2Catalogue.h"
#include "ui/PluginBrowser.h"

using namespace liverack;

namespace {

constexpr const char* kAutotune = "http://gareus.org/oss/lv2/fat1";

QTreeWidgetItem* itemFor(QTreeWidget& tree, const QString& uri) {
    for (int g = 0; g < tree.topLevelItemCount(); ++g) {
        QTreeWidgetItem* group = tree.topLevelItem(g);
        for (int i = 0; i < group->childCount(); ++i) {
            if (group->child(i)->data(0, ui::PluginBrowser::kUriRole).toString() == uri) {
                return group->child(i);
            }
        }
    }
    return nullptr;
}

std::shared_ptr<const core::Lv2PluginInfo> fakePlugin(std::string uri, std::string name,
                                                      std::string group, std::string reason) {
    auto plugin = std::make_shared<core::Lv2PluginInfo>();
    plugin->uri = std::move(uri);
    plugin->name = std::move(name);
    plugin->group = std::move(group);
    plugin->author = "Test Author";
    plugin->unsupportedReason = std::move(reason);
    return plugin;
}

}  // namespace

class PluginBrowserTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void listsEveryCataloguePluginUnderItsGroupAndEverySupportedOneIsSelectable() {
        const auto plugins = core::Lv2Catalogue::shared().plugins();
        if (plugins.empty()) {
            QFAIL(
                "no LV2 plugins are installed; packaging/install-dependencies.sh test "
                "installs them");
        }
        ui::PluginBrowser browser;
        QCOMPARE(browser.visiblePluginCount(), static_cast<int>(plugins.size()));
        for (const auto& plugin : plugins) {
            const QString uri = QString::fromStdString(plugin->uri);
            QTreeWidgetItem* item = itemFor(browser.tree(), uri);
            QVERIFY2(item, plugin->uri.c_str());
            QCOMPARE(item->text(ui::PluginBrowser::NameColumn).toStdString(), plugin->name);
            QCOMPARE(item->text(ui::PluginBrowser::AuthorColumn).toStdString(), plugin->author);
            QVERIFY(item->parent()->text(0).startsWith(QString::fromStdString(plugin->group)));
            QCOMPARE(item->flags().testFlag(Qt::ItemIsEnabled), plugin->supported());
            QCOMPARE(browser.selectUri(uri), plugin->supported());
            if (plugin->supported()) {
                QCOMPARE(browser.selectedUri(), uri);
            }
        }
    }

    void filterFindsX42AutotuneAndOnlyMatchingPlugins() {
        if (!core::Lv2Catalogue::shared().find(kAutotune)) {
            QFAIL(
                "x42 Autotune is not installed; packaging/install-dependencies.sh test "
                "installs x42-plugins");
        }
        ui::PluginBrowser browser;
        QTest::keyClicks(&browser.filterEdit(), "autotune");
        QVERIFY(browser.visiblePluginCount() >= 1);
        QTreeWidgetItem* autotune = itemFor(browser.tree(), kAutotune);
        QVERIFY(autotune && !autotune->isHidden());
        QCOMPARE(browser.selectedUri(), QString(kAutotune));  // the first match is selected
        for (int g = 0; g < browser.tree().topLevelItemCount(); ++g) {
            QTreeWidgetItem* group = browser.tree().topLevelItem(g);
            for (int i = 0; i < group->childCount(); ++i) {
                QTreeWidgetItem* item = group->child(i);
                const auto plugin = core::Lv2Catalogue::shared().find(
                    item->data(0, ui::PluginBrowser::kUriRole).toString().toStdString());
                const bool matches =
                    QString::fromStdString(plugin->name + plugin->author + plugin->group +
                                           plugin->className + plugin->uri)
                        .contains("autotune", Qt::CaseInsensitive);
                QCOMPARE(!item->isHidden(), matches);
            }
        }
        // Every word must match: author and name together.
        browser.setFilter("gareus autotune");
        QVERIFY(!itemFor(browser.tree(), kAutotune)->isHidden());
        browser.setFilter("autotune no-such-word");
        QCOMPARE(browser.visiblePluginCount(), 0);
        QVERIFY(browser.selectedUri().isEmpty());
    }

    void unsupportedPluginsAreListedDisabledWithTheirReason() {
        const QString reason =
            "It needs the LV2 feature \"instance-access\", which LiveRack does "
            "not provide.";
        ui::PluginBrowser browser(
            {fakePlugin("urn:test:a", "Alpha Comp", "Dynamics", ""),
             fakePlugin("urn:test:b", "Beta Comp", "Dynamics", reason.toStdString()),
             fakePlugin("urn:test:c", "Gamma EQ", "EQ", "")});
        QCOMPARE(browser.visiblePluginCount(), 3);
        QTreeWidgetItem* beta = itemFor(browser.tree(), "urn:test:b");
        QVERIFY(beta);
        QVERIFY(!beta->flags().testFlag(Qt::ItemIsEnabled));
        QVERIFY(!beta->flags().testFlag(Qt::ItemIsSelectable));
        QCOMPARE(beta->text(ui::PluginBrowser::NoteColumn), reason);
        QVERIFY(beta->toolTip(ui::PluginBrowser::NameColumn).contains(reason));
        QVERIFY(!browser.selectUri("urn:test:b"));
        // The catalogue's clause reads as a sentence on its own, without what greying out says.
        ui::PluginBrowser clause({fakePlugin("urn:test:x", "Synth", "Generator",
                                             "cannot be added: it has no audio input")});
        QCOMPARE(itemFor(clause.tree(), "urn:test:x")->text(ui::PluginBrowser::NoteColumn),
                 QString("It has no audio input."));
        // Filtering down to the unsupported one leaves nothing to add.
        browser.setFilter("beta");
        QCOMPARE(browser.visiblePluginCount(), 1);
        QVERIFY(browser.selectedUri().isEmpty());
        auto* buttons = browser.findChild<QDialogButtonBox*>();
        QVERIFY(!buttons->button(QDialogButtonBox::Ok)->isEnabled());
        QSignalSpy chosen(&browser, &ui::PluginBrowser::pluginChosen);
        QTest::keyClick(&browser.filterEdit(), Qt::Key_Return);
        QCOMPARE(chosen.count(), 0);
    }

    void groupsFollowTheCatalogueOrderAndCountTheirMatches() {
        ui::PluginBrowser browser({fakePlugin("urn:test:r", "Room", "Reverb", ""),
                                   fakePlugin("urn:test:e", "Bell", "EQ", ""),
                                   fakePlugin("urn:test:d", "Squash", "Dynamics", "")});
        QCOMPARE(browser.tree().topLevelItemCount(), 3);
        QCOMPARE(browser.tree().topLevelItem(0)->text(0), QString("EQ (1)"));
        QCOMPARE(browser.tree().topLevelItem(1)->text(0), QString("Dynamics (1)"));
        QCOMPARE(browser.tree().topLevelItem(2)->text(0), QString("Reverb (1)"));
        browser.setFilter("room");
        QVERIFY(browser.tree().topLevelItem(0)->isHidden());
        QVERIFY(!browser.tree().topLevelItem(2)->isHidden());
    }

    void enterChoosesTheSelectedPluginAndClosesTheDialog() {
        ui::PluginBrowser browser({fakePlugin("urn:test:a", "Alpha", "EQ", ""),
                                   fakePlugin("urn:test:b", "Beta", "EQ", "")});
        browser.show();
        QSignalSpy chosen(&browser, &ui::PluginBrowser::pluginChosen);
        QTest::keyClicks(&browser.filterEdit(), "be");
        QTest::keyClick(&browser.filterEdit(), Qt::Key_Return);
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.at(0).at(0).toString(), QString("urn:test:b"));
        QCOMPARE(browser.result(), int(QDialog::Accepted));
        QVERIFY(!browser.isVisible());
    }

    void arrowKeysInTheSearchLineMoveTheSelection() {
        ui::PluginBrowser browser({fakePlugin("urn:test:a", "Alpha", "EQ", ""),
                                   fakePlugin("urn:test:b", "Beta", "EQ", "")});
        browser.show();
        QCOMPARE(browser.selectedUri(), QString("urn:test:a"));
        QTest::keyClick(&browser.filterEdit(), Qt::Key_Down);
        QCOMPARE(browser.selectedUri(), QString("urn:test:b"));
        QVERIFY(browser.filterEdit().hasFocus() || !browser.isActiveWindow());
    }
};

QTEST_MAIN(PluginBrowserTest)
#include "PluginBrowserTest.moc"
