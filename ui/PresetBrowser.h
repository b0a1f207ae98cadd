// The preset browser: the factory and user presets of a PresetLibrary as a searchable list, with
// load (which swaps the rack's chain through RackController), save, rename, delete with undo,
// import and export, and the "current preset, modified or not" state the window shows.
#pragma once

#include <QString>
#include <QStringList>
#include <QWidget>

#include <optional>
#include <string>
#include <vector>

#include "core/preset/Preset.h"
#include "core/preset/PresetLibrary.h"
#include "ui/RackController.h"

class QAction;
class QFileSystemWatcher;
class QLabel;
class QLineEdit;
class QToolButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace liverack::ui {

class PresetBrowser : public QWidget {
    Q_OBJECT

public:
    // Data of the entry rows (group headings and hints have none).
    enum Role {
        NameRole = Qt::UserRole + 1,
        PathRole,
        FactoryRole,
        ProblemRole,
    };

    PresetBrowser(core::PresetLibrary& library, RackController& rack, QWidget* parent = nullptr);

    // Loading. Each validates completely first (PresetLoader::load); on failure emits
    // errorOccurred and leaves the rack untouched; on success replaces the rack's chain, keeps the
    // previous slots for undoLoad(), makes the preset current and emits loaded(name, warnings).
    bool loadEntry(const QString& name);  // a library preset by name (user first, then factory)
    bool loadFile(const QString& path);   // any file; current = its "name"
    // Puts back the chain (and current preset and baseline) from before the last load.
    bool undoLoad();
    bool canUndoLoad() const { return loadUndo_.has_value(); }

    // The preset the running chain came from (empty: none) and whether the rack differs from it
    // now: its parameters, bypass switches and effects against the baseline taken right after
    // loading or saving (names ignored).
    QString currentName() const { return current_; }
    bool isModified() const;
    // For the window restoring a session: the chain is already in the rack, `name` is the
    // preset it came from and `baseline` that preset's chain as loaded.
    void setCurrent(const QString& name, const core::Preset& baseline);
    core::Preset baseline() const { return baseline_; }
    // Called by the window at ~10 Hz: emits modifiedChanged when the answer changes.
    void refreshModified();

    // Library edits without dialogs. Every failure emits errorOccurred(sentence), returns false.
    bool save();  // over the current user preset; otherwise asks a name (saveAsWithDialog)
    bool saveAs(const QString& name, bool replaceExisting = false);
    bool rename(const QString& oldName, const QString& newName);
    bool remove(const QString& name);  // to the library's trash
    bool undoRemove();
    bool canUndoRemove() const { return !removed_.empty(); }
    bool importFile(const QString& path);  // added (never replacing) and selected, not loaded
    bool exportTo(const QString& name, const QString& path);
    // Reads the folders again (files may change behind the program's back).
    void reload();
    QString selectedName() const;
    void selectName(const QString& name);

    // For tests and the window.
    QTreeWidget& tree() noexcept { return *tree_; }
    QLineEdit& searchField() noexcept { return *search_; }
    // The row loadEntry(name) would load, or null (also when the search hides it).
    QTreeWidgetItem* itemFor(const QString& name) const;
    // The entry rows the search leaves visible.
    int visibleEntryCount() const;

public Q_SLOTS:
    // The same with dialogs, for buttons and menus.
    void saveAsWithDialog();  // asks a name (prefilled with the current one)
    void renameSelectedWithDialog();
    void removeSelected();  // no confirmation: deleting can be undone
    void importWithDialog();
    void exportSelectedWithDialog();

Q_SIGNALS:
    void loaded(const QString& name, const QStringList& warnings);
    void currentChanged(const QString& name);
    void modifiedChanged(bool modified);
    void errorOccurred(const QString& sentence);
    void info(const QString& sentence);
    // A user preset has a new name (autoload rules that name it follow).
    void renamed(const QString& oldName,
                 const QString& newName);  // "Saved “X”.", "Imported “X”.", "Deleted “X”."

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct LoadUndo {
        RackController::Slots slots;
        QString name;
        std::string path;
        core::Preset baseline;
    };
    struct RemovedPreset {
        core::TrashedPreset trashed;
        bool wasCurrent = false;
    };
    enum class Message { None, Info, UndoLoad, UndoRemove };

    bool loadPath(const std::string& path);
    bool loadItem(const QTreeWidgetItem* item);
    bool replaceRack(RackController::Slots slots);
    core::Preset rackPreset(const std::string& name) const;
    // Makes `name` current with this baseline; emits currentChanged / modifiedChanged as needed.
    void makeCurrent(const QString& name, std::string path, core::Preset baseline);
    bool fail(const std::string& message);
    std::optional<core::PresetEntry> entryForPath(const std::string& path) const;
    std::optional<core::PresetEntry> selectedEntry() const;
    static std::optional<core::PresetEntry> entryOf(const QTreeWidgetItem* item);
    void selectPath(const std::string& path);
    void watchFolders();
    bool isCurrentEntry(const core::PresetEntry& entry) const;
    // Asks a name and saves; false when cancelled or refused.
    bool askAndSaveAs();

    void rebuildTree();
    void applyFilter();
    void updateDecorations();
    void updateButtons();
    void showMessage(Message kind, const QString& html);
    void showContextMenu(const QPoint& pos);

    core::PresetLibrary& library_;
    RackController& rack_;
    std::vector<core::PresetEntry> entries_;  // as last read from the library

    QString current_;
    std::string currentPath_;  // the file it came from (a library entry or any file); may be gone
    core::Preset baseline_;
    bool modified_ = false;
    bool replacing_ = false;  // the rack's chain is being replaced by this browser
    std::optional<LoadUndo> loadUndo_;
    std::vector<RemovedPreset> removed_;
    Message message_ = Message::None;

    QLineEdit* search_;
    QTreeWidget* tree_;
    QTreeWidgetItem* factoryGroup_ = nullptr;
    QTreeWidgetItem* userGroup_ = nullptr;
    QTreeWidgetItem* userHint_ = nullptr;
    QLabel* noMatch_;
    QLabel* currentLabel_;
    QLabel* messageLabel_;
    QToolButton* saveButton_;
    QToolButton* saveAsButton_;
    QToolButton* renameButton_;
    QToolButton* deleteButton_;
    QToolButton* importButton_;
    QToolButton* exportButton_;
    QAction* loadAction_;
    QAction* renameAction_;
    QAction* deleteAction_;
    QAction* exportAction_;
    QFileSystemWatcher* watcher_;
};

}  // namespace liverack::ui
