// The preset browser keeps presets exact and the rack safe: a save and a load by double-click
// restore every parameter of every effect, the modified marker follows the rack, rename, delete
// and undo keep files and the current preset straight, and bad files change nothing at all.
#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/dsp/EffectFactory.h"
#include "core/engine/AudioEngine.h"
#include "core/preset/PresetLibrary.h"
#include "core/preset/PresetLoader.h"
#include "tests/support/RandomParameters.h"
#include "tests/support/TempFolder.h"
#include "ui/PresetBrowser.h"
#include "ui/RackController.h"

using namespace liverack;

namespace {

// What a rack slot is, read straight from its atomics: the oracle the browser must restore.
struct SlotState {
    core::EffectSlot* slot;
    std::string type;
    bool bypassed;
    std::vector<float> values;
};

std::vector<SlotState> stateOf(const ui::RackController& rack) {
    std::vector<SlotState> state;
    for (const auto& slot : rack.slots()) {
        SlotState s{slot.get(), slot->effect().info().typeId, slot->isBypassed(), {}};
        const core::ParameterSet& parameters = slot->effect().parameters();
        for (size_t i = 0; i < parameters.size(); ++i) {
            s.values.push_back(parameters.get(i));
        }
        state.push_back(std::move(s));
    }
    return state;
}

// Names of the entries the tree shows, read from the tree itself.
QStringList visibleRows(QTreeWidget& tree) {
    QStringList rows;
    for (int g = 0; g < tree.topLevelItemCount(); ++g) {
        QTreeWidgetItem* group = tree.topLevelItem(g);
        for (int i = 0; !group->isHidden() && i < group->childCount(); ++i) {
            QTreeWidgetItem* item = group->child(i);
            const QVariant name = item->data(0, ui::PresetBrowser::NameRole);
            if (name.isValid() && !item->isHidden()) {
                rows << name.toString();
            }
        }
    }
    return rows;
}

// What a mouse sends for a double-click. (QTest::mouseDClick alone sends only the second press
// as a double-click event, and item views act on a double-click only on the row pressed first.)
void doubleClick(QWidget* widget, QPoint pos) {
    QTest::mouseClick(widget, Qt::LeftButton, {}, pos);
    QTest::mouseDClick(widget, Qt::LeftButton, {}, pos);
    QTest::mouseRelease(widget, Qt::LeftButton, {}, pos);
}

std::string chainOf(int count) {
    std::string text = R"({"format": "liverack-preset", "version": 1, "chain": [)";
    for (int i = 0; i < count; ++i) {
        text += std::string(i == 0 ? "" : ",") + R"({"type": "gain"})";
    }
    return text + "]}";
}

// Every file of a folder with its bytes.
std::map<std::string, std::string> filesOf(const std::string& folder) {
    std::map<std::string, std::string> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(folder, ec)) {
        if (entry.is_regular_file()) {
            files[entry.path().string()] = test::readBytes(entry.path().string());
        }
    }
    return files;
}

const char* const kFactoryFiles[] = {"podcast-voice.json", "eq.json", "reverb.json", "gain.json"};
const QString kPodcast = QStringLiteral("Podcast voice");  // in podcast-voice.json
const QString kHall = QStringLiteral("Large hall");        // in reverb.json

}  // namespace

class PresetBrowserTest : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<test::TempFolder> factory_;
    std::unique_ptr<test::TempFolder> home_;
    std::unique_ptr<core::PresetLibrary> library_;
    std::unique_ptr<core::AudioEngine> engine_;
    std::unique_ptr<ui::RackController> rack_;
    std::unique_ptr<ui::PresetBrowser> browser_;

    std::string userFolder() const { return home_->file("presets"); }

    // Puts a few gain effects with known values in the rack.
    void fillRack() {
        ui::RackController::Slots slots;
        for (int i = 0; i < 3; ++i) {
            auto effect = core::EffectFactory::create("gain");
            effect->parameters().set(0, -3.0f * static_cast<float>(i + 1));
            slots.push_back(std::make_shared<core::EffectSlot>(std::move(effect), i == 1));
        }
        QVERIFY(rack_->replaceAll(std::move(slots)));
    }

    void verifyRackIs(const std::vector<SlotState>& expected) {
        const auto now = stateOf(*rack_);
        QCOMPARE(now.size(), expected.size());
        for (size_t i = 0; i < now.size(); ++i) {
            QCOMPARE(now[i].slot, expected[i].slot);
            QCOMPARE(now[i].bypassed, expected[i].bypassed);
            QVERIFY(now[i].values == expected[i].values);
        }
    }

private Q_SLOTS:
    void init() {
        factory_ = std::make_unique<test::TempFolder>();
        home_ = std::make_unique<test::TempFolder>();
        for (const char* file : kFactoryFiles) {
            const std::string from = std::string(LIVERACK_FACTORY_PRESET_DIR) + "/" + file;
            std::filesystem::copy_file(from, factory_->file(file));
        }
        library_ = std::make_unique<core::PresetLibrary>(factory_->path(), userFolder());
        engine_ = std::make_unique<core::AudioEngine>();
        engine_->processor().prepare({48000.0, 256, 2}, nullptr);
        rack_ =
            std::make_unique<ui::RackController>([this](std::unique_ptr<core::EffectChain> chain) {
                return engine_->setChain(std::move(chain));
            });
        browser_ = std::make_unique<ui::PresetBrowser>(*library_, *rack_);
        browser_->resize(320, 520);
        browser_->show();
        QVERIFY(QTest::qWaitForWindowExposed(browser_.get()));
    }

    void cleanup() {
        browser_.reset();
        rack_.reset();
        engine_.reset();
        library_.reset();
        home_.reset();
        factory_.reset();
    }

    void saveThenDoubleClickLoadRestoresEveryParameterOfEveryEffect() {
        std::mt19937 random(20261121);
        ui::RackController::Slots slots;
        const auto& types = core::EffectFactory::typeIds();
        for (size_t i = 0; i < types.size(); ++i) {
            auto effect = core::EffectFactory::create(types[i]);
            test::randomiseParameters(effect->parameters(), random);
            slots.push_back(std::make_shared<core::EffectSlot>(std::move(effect), i % 3 == 1));
        }
        QVERIFY(rack_->replaceAll(std::move(slots)));
        const auto saved = stateOf(*rack_);
        QVERIFY(browser_->saveAs("Round trip"));
        QCOMPARE(browser_->currentName(), QStringLiteral("Round trip"));
        QVERIFY(!browser_->isModified());

        // Wreck it: other values, other switches, then an empty rack.
        for (const auto& slot : rack_->slots()) {
            test::randomiseParameters(slot->effect().parameters(), random);
            slot->setBypassed(!slot->isBypassed());
        }
        browser_->refreshModified();
        QVERIFY(browser_->isModified());
        QVERIFY(rack_->replaceAll({}));

        QTreeWidgetItem* item = browser_->itemFor("Round trip");
        QVERIFY(item);
        QTreeWidget& tree = browser_->tree();
        const QRect rect = tree.visualItemRect(item);
        QVERIFY(rect.isValid());
        QSignalSpy loadedSpy(browser_.get(), &ui::PresetBrowser::loaded);
        doubleClick(tree.viewport(), rect.center());
        QCOMPARE(loadedSpy.count(), 1);
        QCOMPARE(loadedSpy.at(0).at(0).toString(), QStringLiteral("Round trip"));
        QVERIFY(loadedSpy.at(0).at(1).toStringList().isEmpty());  // nothing was clamped

        const auto loaded = stateOf(*rack_);
        QCOMPARE(loaded.size(), saved.size());
        for (size_t i = 0; i < loaded.size(); ++i) {
            QCOMPARE(loaded[i].type, saved[i].type);
            QCOMPARE(loaded[i].bypassed, saved[i].bypassed);
            QCOMPARE(loaded[i].values.size(), saved[i].values.size());
            for (size_t p = 0; p < loaded[i].values.size(); ++p) {
                if (loaded[i].values[p] != saved[i].values[p]) {
                    QFAIL(qPrintable(QStringLiteral("%1, parameter %2: %3 after loading, %4 saved")
                                         .arg(QString::fromStdString(saved[i].type))
                                         .arg(p)
                                         .arg(double(loaded[i].values[p]), 0, 'g', 9)
                                         .arg(double(saved[i].values[p]), 0, 'g', 9)));
                }
            }
        }
        QCOMPARE(browser_->currentName(), QStringLiteral("Round trip"));
        QVERIFY(!browser_->isModified());
        QVERIFY(item->font(0).bold());  // marked as the current preset
    }

    void modifiedMarkerFollowsParameterEditsAndSaveClearsIt() {
        QVERIFY(browser_->loadEntry(kPodcast));
        QVERIFY(!browser_->isModified());
        QSignalSpy modifiedSpy(browser_.get(), &ui::PresetBrowser::modifiedChanged);
        QSignalSpy currentSpy(browser_.get(), &ui::PresetBrowser::currentChanged);

        core::ParameterSet& parameters = rack_->slotAt(1)->effect().parameters();
        const float original = parameters.get(0);
        const auto& info = parameters.info(0);
        parameters.set(0, original == info.maxValue ? info.minValue : info.maxValue);
        browser_->refreshModified();
        QVERIFY(browser_->isModified());
        QCOMPARE(modifiedSpy.count(), 1);
        QCOMPARE(modifiedSpy.at(0).at(0).toBool(), true);
        QVERIFY(browser_->itemFor(kPodcast)->text(1).contains("modified"));
        browser_->refreshModified();  // no change, no signal
        QCOMPARE(modifiedSpy.count(), 1);

        parameters.set(0, original);
        browser_->refreshModified();
        QVERIFY(!browser_->isModified());
        QCOMPARE(modifiedSpy.count(), 2);
        QCOMPARE(modifiedSpy.at(1).at(0).toBool(), false);
        QVERIFY(browser_->itemFor(kPodcast)->text(1).isEmpty());
        QCOMPARE(currentSpy.count(), 0);  // still the same preset

        // A bypass switch and a structural edit count as changes too.
        rack_->setBypassed(0, true);
        QVERIFY(browser_->isModified());
        rack_->setBypassed(0, false);
        QVERIFY(!browser_->isModified());

        // Saving over a user preset: not modified afterwards, and the file holds the rack.
        QVERIFY(browser_->saveAs("My voice"));
        QCOMPARE(currentSpy.count(), 1);
        QCOMPARE(currentSpy.at(0).at(0).toString(), QStringLiteral("My voice"));
        parameters.set(0, original == info.maxValue ? info.minValue : info.maxValue);
        browser_->refreshModified();
        QVERIFY(browser_->isModified());
        QSignalSpy infoSpy(browser_.get(), &ui::PresetBrowser::info);
        QVERIFY(browser_->save());
        QVERIFY(!browser_->isModified());
        QCOMPARE(modifiedSpy.back().at(0).toBool(), false);
        QCOMPARE(infoSpy.count(), 1);
        QVERIFY(infoSpy.at(0).at(0).toString().contains("My voice"));
        const auto entry = library_->find("My voice");
        QVERIFY(entry && !entry->factory);
        auto reread = core::PresetLoader::load(entry->path);
        QVERIFY2(reread.ok(), reread.error().c_str());
        QVERIFY(core::PresetLoader::fromChain(*reread->chain, {}).chain ==
                core::PresetLoader::fromChain(core::EffectChain(rack_->slots()), {}).chain);
    }

    void setCurrentWithASparseBaselineComparesAgainstDefaults() {
        // A session restore: the rack holds the preset's chain, the baseline leaves defaults out.
        core::Preset baseline{"Session", {{"gain", false, {{"gain_db", -6.0f}}}}};
        auto chain = core::PresetLoader::buildChain(baseline);
        QVERIFY(chain.ok());
        QVERIFY(rack_->replaceAll(chain.value()->slots()));
        browser_->setCurrent("Session", baseline);
        QCOMPARE(browser_->currentName(), QStringLiteral("Session"));
        QVERIFY(!browser_->isModified());
        rack_->slotAt(0)->effect().parameters().set(1, 0.5f);  // pan
        QVERIFY(browser_->isModified());
    }

    void renameMovesTheFileAndTheCurrentPresetFollows() {
        fillRack();
        QVERIFY(browser_->saveAs("Alpha"));
        const std::string alphaPath = library_->find("Alpha")->path;
        QSignalSpy currentSpy(browser_.get(), &ui::PresetBrowser::currentChanged);
        QVERIFY(browser_->rename("Alpha", "Beta"));
        QVERIFY(!browser_->itemFor("Alpha"));
        QVERIFY(browser_->itemFor("Beta"));
        QCOMPARE(browser_->selectedName(), QStringLiteral("Beta"));
        QCOMPARE(browser_->currentName(), QStringLiteral("Beta"));
        QCOMPARE(currentSpy.count(), 1);
        QVERIFY(!browser_->isModified());
        const auto beta = library_->find("Beta");
        QVERIFY(beta && !beta->factory);
        QVERIFY(!QFileInfo::exists(QString::fromStdString(alphaPath)));
        auto read = core::PresetLoader::load(beta->path);
        QVERIFY(read.ok());
        QCOMPARE(read->preset.name, std::string("Beta"));
        QVERIFY(browser_->itemFor("Beta")->font(0).bold());
    }

    void renameToATakenOrFactoryNameIsRefusedWithASentence() {
        fillRack();
        QVERIFY(browser_->saveAs("Alpha"));
        QVERIFY(browser_->saveAs("Gamma"));
        const auto before = filesOf(userFolder());
        QSignalSpy errorSpy(browser_.get(), &ui::PresetBrowser::errorOccurred);
        for (const QString& taken : {QStringLiteral("Gamma"), QStringLiteral("gamma"), kPodcast}) {
            QVERIFY(!browser_->rename("Alpha", taken));
            const QString sentence = errorSpy.takeLast().at(0).toString();
            QVERIFY2(sentence.contains(taken, Qt::CaseInsensitive), qPrintable(sentence));
            QVERIFY(sentence.at(0).isUpper() && sentence.endsWith('.'));
        }
        QVERIFY(!browser_->rename("Alpha", "   "));  // checkName: no empty names
        QCOMPARE(errorSpy.count(), 1);
        QVERIFY(filesOf(userFolder()) == before);
        QVERIFY(browser_->itemFor("Alpha"));
        QCOMPARE(browser_->currentName(), QStringLiteral("Gamma"));
    }

    void deleteRemovesFromTheListAndUndoBringsItBackUnchanged() {
        fillRack();
        QVERIFY(browser_->saveAs("Doomed"));
        const std::string path = library_->find("Doomed")->path;
        const std::string bytes = test::readBytes(path);
        QVERIFY(!bytes.empty());
        QSignalSpy infoSpy(browser_.get(), &ui::PresetBrowser::info);
        QVERIFY(browser_->remove("Doomed"));
        QVERIFY(!browser_->itemFor("Doomed"));
        QVERIFY(!library_->find("Doomed"));
        QVERIFY(!QFileInfo::exists(QString::fromStdString(path)));
        QVERIFY(browser_->canUndoRemove());
        QVERIFY(infoSpy.takeLast().at(0).toString().contains("Deleted"));

        QVERIFY(browser_->undoRemove());
        QVERIFY(!browser_->canUndoRemove());
        QVERIFY(browser_->itemFor("Doomed"));
        const auto back = library_->find("Doomed");
        QVERIFY(back && !back->factory);
        QCOMPARE(test::readBytes(back->path), bytes);
        QCOMPARE(browser_->currentName(), QStringLiteral("Doomed"));
        QVERIFY(browser_->itemFor("Doomed")->font(0).bold());  // current again
    }

    void factoryPresetsCannotBeRenamedOrDeleted() {
        const auto before = filesOf(factory_->path());
        QSignalSpy errorSpy(browser_.get(), &ui::PresetBrowser::errorOccurred);
        QVERIFY(!browser_->rename(kPodcast, "Mine now"));
        QVERIFY(!browser_->remove(kPodcast));
        QVERIFY(!browser_->saveAs(kPodcast));  // nor written over
        QCOMPARE(errorSpy.count(), 3);
        for (const auto& call : errorSpy) {
            QVERIFY2(call.at(0).toString().contains(kPodcast), qPrintable(call.at(0).toString()));
        }
        // From the list: the buttons are off and the Delete key refuses too.
        browser_->selectName(kPodcast);
        QCOMPARE(browser_->selectedName(), kPodcast);
        browser_->removeSelected();
        QCOMPARE(errorSpy.count(), 4);
        QVERIFY(filesOf(factory_->path()) == before);
        QVERIFY(browser_->itemFor(kPodcast));
        QVERIFY(!browser_->canUndoRemove());
    }

    void deleteKeyInTheListDeletesThePresetNotTheWindowsRackSlot() {
        // The window binds Delete to "remove rack slot"; in the list, Delete is the list's.
        QWidget window;
        auto* layout = new QVBoxLayout(&window);
        browser_->setParent(&window);
        layout->addWidget(browser_.get());
        int windowDeletes = 0;
        auto* rackDelete = new QAction(&window);
        rackDelete->setShortcut(QKeySequence::Delete);
        window.addAction(rackDelete);
        connect(rackDelete, &QAction::triggered, [&windowDeletes] { ++windowDeletes; });
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));

        fillRack();
        QVERIFY(browser_->saveAs("Keyed"));
        browser_->selectName("Keyed");
        browser_->tree().setFocus();
        QTest::keyClick(&browser_->tree(), Qt::Key_Delete);
        QVERIFY(!browser_->itemFor("Keyed"));
        QCOMPARE(windowDeletes, 0);
        QVERIFY(browser_->canUndoRemove());
        browser_->setParent(nullptr);  // the fixture deletes it
    }

    void badFileIsRefusedWithASentenceAndChangesNothing_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("fault");
        const std::string whole =
            R"({"format": "liverack-preset", "version": 1, "name": "Cut", "chain": [{"type": "gain"}]})";
        std::string huge = R"({"format": "liverack-preset", "version": 1, "chain": [])";
        huge += std::string(2u << 20, ' ') + "}";
        auto row = [](const char* tag, const char* file, const std::string& bytes,
                      const char* fault) {
            QTest::newRow(tag) << QString(file) << QByteArray::fromStdString(bytes)
                               << QString(fault);
        };
        row("not JSON", "prose.json", "This is not a preset at all.", "is not valid JSON");
        row("truncated JSON", "cut.json", whole.substr(0, whole.size() / 2), "cut short");
        row("wrong format", "foreign.json",
            R"({"format": "ardour-session", "version": 1, "chain": []})", "not a LiveRack preset");
        row("newer version", "future.json",
            R"({"format": "liverack-preset", "version": 2, "chain": []})", "newer LiveRack");
        row("unknown effect type", "flanger.json",
            R"({"format": "liverack-preset", "version": 1, "chain": [{"type": "flangerator"}]})",
            "unknown effect type");
        row("unknown parameter", "typo.json",
            R"({"format": "liverack-preset", "version": 1,
                "chain": [{"type": "gain", "params": {"gian_db": 3}}]})",
            "gian_db");
        row("wrong value type", "text.json",
            R"({"format": "liverack-preset", "version": 1,
                "chain": [{"type": "gain", "params": {"gain_db": "-6"}}]})",
            "must be a number");
        row("65 effects", "long.json", chainOf(65), "at most 64");
        row("over 1 MiB", "huge.json", huge, "at most 1 MiB");
        row("empty file", "empty.json", "", "is empty");
        row("missing file", "nowhere.json", "<missing>", "No such file");
        row("folder", "folder.json", "<folder>", "is a folder");
    }

    void badFileIsRefusedWithASentenceAndChangesNothing() {
        QFETCH(QString, file);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, fault);
        test::TempFolder elsewhere;
        const std::string path = elsewhere.file(file.toStdString());
        if (bytes == "<folder>") {
            std::filesystem::create_directory(path);
        } else if (bytes != "<missing>") {
            elsewhere.write(file.toStdString(), bytes.toStdString());
        }
        fillRack();
        QVERIFY(browser_->saveAs("Before"));
        const auto rackBefore = stateOf(*rack_);
        const auto userBefore = filesOf(userFolder());
        const int rowsBefore = visibleRows(browser_->tree()).size();
        QSignalSpy errorSpy(browser_.get(), &ui::PresetBrowser::errorOccurred);
        QSignalSpy loadedSpy(browser_.get(), &ui::PresetBrowser::loaded);

        QVERIFY(!browser_->importFile(QString::fromStdString(path)));
        QVERIFY(!browser_->loadFile(QString::fromStdString(path)));
        QCOMPARE(errorSpy.count(), 2);
        for (const auto& call : errorSpy) {
            const QString sentence = call.at(0).toString();
            QVERIFY2(sentence.contains(QString::fromStdString(path)), qPrintable(sentence));
            QVERIFY2(sentence.contains(fault), qPrintable(sentence));
            QVERIFY(sentence.at(0).isUpper());
        }
        QCOMPARE(loadedSpy.count(), 0);
        verifyRackIs(rackBefore);
        QVERIFY(filesOf(userFolder()) == userBefore);
        QCOMPARE(visibleRows(browser_->tree()).size(), rowsBefore);
        QCOMPARE(browser_->currentName(), QStringLiteral("Before"));
        QVERIFY(!browser_->isModified());
        QVERIFY(!browser_->canUndoLoad());
    }

    void unreadableEntryIsShownGreyedAndCannotBeLoaded() {
        std::filesystem::create_directories(userFolder());
        test::TempFolder scratch;
        std::filesystem::copy_file(scratch.write("x", "{ broken"), userFolder() + "/Broken.json");
        fillRack();
        const auto rackBefore = stateOf(*rack_);
        browser_->reload();
        QTreeWidgetItem* item = browser_->itemFor("Broken");
        QVERIFY(item);
        QVERIFY(!item->data(0, ui::PresetBrowser::ProblemRole).toString().isEmpty());
        QVERIFY(item->toolTip(0).contains("not valid JSON"));
        QSignalSpy errorSpy(browser_.get(), &ui::PresetBrowser::errorOccurred);
        QVERIFY(!browser_->loadEntry("Broken"));
        doubleClick(browser_->tree().viewport(), browser_->tree().visualItemRect(item).center());
        QCOMPARE(errorSpy.count(), 2);
        QVERIFY(errorSpy.at(0).at(0).toString().contains("Broken.json"));
        verifyRackIs(rackBefore);
        QVERIFY(browser_->currentName().isEmpty());
    }

    void goodImportIsAddedUnderAFreeNameSelectedAndNotLoaded() {
        fillRack();
        const auto rackBefore = stateOf(*rack_);
        test::TempFolder elsewhere;
        const std::string copy = elsewhere.file("podcast copy.json");
        std::filesystem::copy_file(factory_->file("podcast-voice.json"), copy);
        QSignalSpy infoSpy(browser_.get(), &ui::PresetBrowser::info);
        QVERIFY(browser_->importFile(QString::fromStdString(copy)));
        const QString renamed = kPodcast + " (2)";
        QVERIFY(browser_->itemFor(renamed));
        QCOMPARE(browser_->selectedName(), renamed);
        QVERIFY(infoSpy.at(0).at(0).toString().contains(renamed));
        const auto entry = library_->find(renamed.toStdString());
        QVERIFY(entry && !entry->factory);
        auto imported = core::PresetLoader::load(entry->path);
        auto original = core::PresetLoader::load(copy);
        QVERIFY(imported.ok() && original.ok());
        QVERIFY(imported->preset.chain == original->preset.chain);
        verifyRackIs(rackBefore);  // imported, not loaded
        QVERIFY(browser_->currentName().isEmpty());
        QVERIFY(!browser_->canUndoLoad());
    }

    void undoLoadBringsBackTheExactPreviousSlots() {
        fillRack();
        QVERIFY(browser_->saveAs("Mine"));
        rack_->slotAt(2)->effect().parameters().set(1, -0.25f);  // an unsaved edit
        browser_->refreshModified();
        QVERIFY(browser_->isModified());
        const auto before = stateOf(*rack_);

        QVERIFY(!browser_->canUndoLoad());
        QVERIFY(browser_->loadEntry(kHall));
        QCOMPARE(browser_->currentName(), kHall);
        QCOMPARE(rack_->size(), 1);
        QVERIFY(browser_->canUndoLoad());

        QSignalSpy currentSpy(browser_.get(), &ui::PresetBrowser::currentChanged);
        QVERIFY(browser_->undoLoad());
        verifyRackIs(before);
        QCOMPARE(browser_->currentName(), QStringLiteral("Mine"));
        QCOMPARE(currentSpy.count(), 1);
        QVERIFY(browser_->isModified());  // the edit made before the load is back too
        QVERIFY(!browser_->canUndoLoad());
        QVERIFY(!browser_->undoLoad());
    }

    void searchFiltersTheListIgnoringCase() {
        fillRack();
        QVERIFY(browser_->saveAs("Voice over"));
        QVERIFY(browser_->saveAs("Drums"));
        QStringList all;
        for (const auto& entry : library_->entries()) {
            all << QString::fromStdString(entry.name);
        }
        QCOMPARE(all.size(), 6);
        QCOMPARE(visibleRows(browser_->tree()).size(), all.size());

        QTest::keyClicks(&browser_->searchField(), "VOICE");
        QStringList expected;
        for (const QString& name : all) {
            if (name.contains("voice", Qt::CaseInsensitive)) {
                expected << name;
            }
        }
        QCOMPARE(expected.size(), 3);  // "Podcast voice", "Podcast voice EQ", "Voice over"
        QStringList shown = visibleRows(browser_->tree());
        shown.sort();
        expected.sort();
        QCOMPARE(shown, expected);
        QCOMPARE(browser_->visibleEntryCount(), 3);

        browser_->searchField().setText("no such preset");
        QCOMPARE(visibleRows(browser_->tree()).size(), 0);
        browser_->searchField().clear();
        QCOMPARE(visibleRows(browser_->tree()).size(), all.size());
    }

    void exportWritesAFileThatLoadsBackEqual() {
        test::TempFolder out;
        const std::string factoryOut = out.file("podcast.json");
        QVERIFY(browser_->exportTo(kPodcast, QString::fromStdString(factoryOut)));
        auto exported = core::PresetLoader::load(factoryOut);
        auto original = core::PresetLoader::load(factory_->file("podcast-voice.json"));
        QVERIFY2(exported.ok(), exported.error().c_str());
        QVERIFY(exported->preset == original->preset);

        std::mt19937 random(7);
        fillRack();
        for (const auto& slot : rack_->slots()) {
            test::randomiseParameters(slot->effect().parameters(), random);
        }
        QVERIFY(browser_->saveAs("Random gains"));
        const std::string userOut = out.file("random.json");
        QVERIFY(browser_->exportTo("Random gains", QString::fromStdString(userOut)));
        auto back = core::PresetLoader::load(userOut);
        QVERIFY2(back.ok(), back.error().c_str());
        QCOMPARE(back->preset.name, std::string("Random gains"));
        QVERIFY(core::PresetLoader::fromChain(*back->chain, {}).chain ==
                core::PresetLoader::fromChain(core::EffectChain(rack_->slots()), {}).chain);

        QSignalSpy errorSpy(browser_.get(), &ui::PresetBrowser::errorOccurred);
        QVERIFY(!browser_->exportTo("Nothing by that name", QString::fromStdString(userOut)));
        QCOMPARE(errorSpy.count(), 1);
    }
};

QTEST_MAIN(PresetBrowserTest)
#include "PresetBrowserTest.moc"
