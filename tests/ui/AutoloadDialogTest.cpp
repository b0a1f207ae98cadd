// The autoload rules dialog shows the rules it was given and returns what the person edited:
// rows without a device or a preset are dropped, the match kind and the fallback survive.
#include <QComboBox>
#include <QTableWidget>
#include <QTest>

#include "ui/AutoloadDialog.h"

using namespace liverack;
using Match = core::AutoloadRule::Match;

class AutoloadDialogTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rulesComeBackAsGivenWhenNothingIsEdited() {
        core::AutoloadRules rules;
        rules.rules.push_back({"USB Headset", Match::Exact, "Voice chat clean-up"});
        rules.rules.push_back({"Scarlett", Match::Substring, "Guitar crunch"});
        rules.fallback = "Loudness-safe master";
        ui::AutoloadDialog dialog(rules, {"system", "USB Headset"},
                                  {"Guitar crunch", "Loudness-safe master", "Voice chat clean-up"});
        QCOMPARE(dialog.table().rowCount(), 2);
        QVERIFY(dialog.rules() == rules);
    }

    void editedRowsAreReturnedAndIncompleteOnesDropped() {
        ui::AutoloadDialog dialog({}, {"system"}, {"Room echo"});
        QCOMPARE(dialog.fallback().currentData().toString(), QString());  // none by default
        dialog.addRule({"  Headphones  ", Match::Substring, "Room echo"});
        dialog.addRule({"", Match::Exact, "Room echo"});    // no device
        dialog.addRule({"Speakers", Match::Exact, "   "});  // no preset
        dialog.fallback().setCurrentIndex(dialog.fallback().findData("Room echo"));
        const core::AutoloadRules rules = dialog.rules();
        QCOMPARE(rules.rules.size(), size_t{1});
        QCOMPARE(rules.rules[0].device, std::string("Headphones"));
        QVERIFY(rules.rules[0].match == Match::Substring);
        QCOMPARE(rules.rules[0].preset, std::string("Room echo"));
        QCOMPARE(rules.fallback.value_or(""), std::string("Room echo"));
    }

    void aFallbackNamingAMissingPresetIsKeptAndMarked() {
        core::AutoloadRules rules;
        rules.fallback = "Deleted long ago";
        ui::AutoloadDialog dialog(rules, {}, {"Room echo"});
        QVERIFY(dialog.fallback().currentText().contains("missing"));
        QCOMPARE(dialog.rules().fallback.value_or(""), std::string("Deleted long ago"));
    }
};

QTEST_MAIN(AutoloadDialogTest)
#include "AutoloadDialogTest.moc"
