// The preset browser: see PresetBrowser.h.
#include "ui/PresetBrowser.h"

#include <QAction>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QGridLayout>
#include <QHeaderView>
#include <QIcon>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QPixmap>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <string_view>

#include "core/dsp/EffectChain.h"
#include "core/preset/PresetLoader.h"
#include "ui/DarkTheme.h"
#include "ui/StreamController.h"

namespace liverack::ui {

namespace {

QString inQuotes(const QString& name) {
    return QStringLiteral("\u201C%1\u201D").arg(name);
}

QString inQuotes(const std::string& name) {
    return inQuotes(QString::fromStdString(name));
}

bool sameEntries(const std::vector<core::PresetEntry>& a, const std::vector<core::PresetEntry>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const core::PresetEntry& x, const core::PresetEntry& y) {
                          return x.name == y.name && x.path == y.path && x.factory == y.factory &&
                                 x.problem == y.problem;
                      });
}

// A small padlock for the read-only factory group, painted so it needs no icon theme.
QIcon lockIcon(const QColor& colour) {
    QPixmap pixmap(32, 32);
    pixmap.setDevicePixelRatio(2.0);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(colour, 1.6));
    painter.setBrush(Qt::NoBrush);
    painter.drawArc(QRectF(5.0, 2.5, 6.0, 7.0), 0, 180 * 16);
    painter.drawLine(QPointF(5.0, 6.0), QPointF(5.0, 8.0));
    painter.drawLine(QPointF(11.0, 6.0), QPointF(11.0, 8.0));
    painter.setPen(Qt::NoPen);
    painter.setBrush(colour);
    painter.drawRoundedRect(QRectF(3.5, 7.5, 9.0, 7.0), 1.5, 1.5);
    return QIcon(pixmap);
}

// A head and shoulders for the user's own group, so both headings line up.
QIcon personIcon(const QColor& colour) {
    QPixmap pixmap(32, 32);
    pixmap.setDevicePixelRatio(2.0);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(colour);
    painter.drawEllipse(QRectF(5.5, 2.0, 5.0, 5.0));
    painter.drawChord(QRectF(3.0, 8.5, 10.0, 11.0), 0, 180 * 16);
    return QIcon(pixmap);
}

QString undoLink() {
    return QStringLiteral("<a href=\"undo\" style=\"color: %1;\">%2</a>")
        .arg(ThemeColours::accent().name(), QObject::tr("Undo"));
}

}  // namespace

PresetBrowser::PresetBrowser(core::PresetLibrary& library, RackController& rack, QWidget* parent)
    : QWidget(parent), library_(library), rack_(rack) {
    search_ = new QLineEdit(this);
    search_->setPlaceholderText(tr("Search presets"));
    search_->setClearButtonEnabled(true);
    search_->setAccessibleName(tr("Search presets"));
    search_->setToolTip(tr("Show the presets whose name contains this text"));
    search_->installEventFilter(this);
    connect(search_, &QLineEdit::textChanged, this, [this] { applyFilter(); });

    tree_ = new QTreeWidget(this);
    tree_->setColumnCount(2);
    tree_->setHeaderHidden(true);
    tree_->header()->setStretchLastSection(false);
    tree_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    tree_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    // Two fixed groups, always open: headings, not folders.
    tree_->setRootIsDecorated(false);
    tree_->setItemsExpandable(false);
    tree_->setExpandsOnDoubleClick(false);
    tree_->setIndentation(14);
    tree_->setUniformRowHeights(true);
    tree_->setSelectionMode(QAbstractItemView::SingleSelection);
    tree_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    tree_->setAllColumnsShowFocus(true);
    tree_->setFrameShape(QFrame::NoFrame);
    tree_->setAccessibleName(tr("Presets"));
    tree_->setContextMenuPolicy(Qt::CustomContextMenu);
    tree_->installEventFilter(this);
    // Double-click rather than QAbstractItemView::activated: some desktops activate on a single
    // click, and selecting a preset to rename it must not replace the rack.
    connect(tree_, &QTreeWidget::itemDoubleClicked, this,
            [this](QTreeWidgetItem* item) { loadItem(item); });
    connect(tree_, &QTreeWidget::itemSelectionChanged, this, &PresetBrowser::updateButtons);
    connect(tree_, &QWidget::customContextMenuRequested, this, &PresetBrowser::showContextMenu);

    noMatch_ = new QLabel(this);
    noMatch_->setWordWrap(true);
    noMatch_->setForegroundRole(QPalette::PlaceholderText);
    noMatch_->setContentsMargins(6, 2, 6, 2);
    noMatch_->hide();

    currentLabel_ = new QLabel(this);
    currentLabel_->setTextFormat(Qt::RichText);
    currentLabel_->setContentsMargins(2, 0, 2, 0);

    messageLabel_ = new QLabel(this);
    messageLabel_->setTextFormat(Qt::RichText);
    messageLabel_->setWordWrap(true);
    messageLabel_->setContentsMargins(2, 0, 2, 0);
    messageLabel_->setTextInteractionFlags(Qt::LinksAccessibleByMouse |
                                           Qt::LinksAccessibleByKeyboard);
    messageLabel_->hide();
    connect(messageLabel_, &QLabel::linkActivated, this, [this] {
        if (message_ == Message::UndoLoad) {
            undoLoad();
        } else if (message_ == Message::UndoRemove) {
            undoRemove();
        }
    });

    auto makeButton = [this](const QString& text, const QString& tip) {
        auto* button = new QToolButton(this);
        button->setText(text);
        button->setToolTip(tip);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        return button;
    };
    saveButton_ = makeButton(tr("Save"), tr("Save the rack over the current preset (Ctrl+S)"));
    saveAsButton_ = makeButton(tr("Save as…"), tr("Save the rack as a new preset (Ctrl+Shift+S)"));
    renameButton_ = makeButton(tr("Rename…"), tr("Rename the selected preset (F2)"));
    deleteButton_ =
        makeButton(tr("Delete"), tr("Delete the selected preset (Delete); “Undo” brings it back"));
    importButton_ = makeButton(tr("Import…"), tr("Add a preset file to “My presets”"));
    exportButton_ = makeButton(tr("Export…"), tr("Copy the selected preset to a file"));
    connect(saveButton_, &QToolButton::clicked, this, [this] { save(); });
    connect(saveAsButton_, &QToolButton::clicked, this, &PresetBrowser::saveAsWithDialog);
    connect(renameButton_, &QToolButton::clicked, this, &PresetBrowser::renameSelectedWithDialog);
    connect(deleteButton_, &QToolButton::clicked, this, &PresetBrowser::removeSelected);
    connect(importButton_, &QToolButton::clicked, this, &PresetBrowser::importWithDialog);
    connect(exportButton_, &QToolButton::clicked, this, &PresetBrowser::exportSelectedWithDialog);

    // The window has its own Delete (for the rack): these only act while the browser has focus.
    auto makeAction = [this](const QString& text, const QKeySequence& shortcut) {
        auto* action = new QAction(text, this);
        action->setShortcut(shortcut);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
        return action;
    };
    loadAction_ = makeAction(tr("Load"), {});
    renameAction_ = makeAction(tr("Rename…"), Qt::Key_F2);
    deleteAction_ = makeAction(tr("Delete"), QKeySequence::Delete);
    exportAction_ = makeAction(tr("Export…"), {});
    connect(loadAction_, &QAction::triggered, this,
            [this] { loadItem(tree_->selectedItems().value(0)); });
    connect(renameAction_, &QAction::triggered, this, &PresetBrowser::renameSelectedWithDialog);
    connect(deleteAction_, &QAction::triggered, this, &PresetBrowser::removeSelected);
    connect(exportAction_, &QAction::triggered, this, &PresetBrowser::exportSelectedWithDialog);

    auto* buttons = new QGridLayout;
    buttons->setSpacing(4);
    buttons->addWidget(saveButton_, 0, 0);
    buttons->addWidget(saveAsButton_, 0, 1);
    buttons->addWidget(renameButton_, 0, 2);
    buttons->addWidget(deleteButton_, 1, 0);
    buttons->addWidget(importButton_, 1, 1);
    buttons->addWidget(exportButton_, 1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(4);
    layout->addWidget(search_);
    layout->addWidget(tree_, 1);
    layout->addWidget(noMatch_);
    layout->addWidget(currentLabel_);
    layout->addWidget(messageLabel_);
    layout->addLayout(buttons);

    // Parameter edits are polled (refreshModified at 10 Hz); structure and bypass are signalled.
    connect(&rack_, &RackController::chainChanged, this, [this] {
        if (replacing_) {
            return;
        }
        if (message_ == Message::UndoLoad) {
            showMessage(Message::None, {});  // undoing the load would now drop this edit
        }
        refreshModified();
    });
    connect(&rack_, &RackController::slotBypassChanged, this, &PresetBrowser::refreshModified);

    watcher_ = new QFileSystemWatcher(this);
    connect(watcher_, &QFileSystemWatcher::directoryChanged, this, &PresetBrowser::reload);

    reload();
}

// ---- loading ----------------------------------------------------------------------------------

bool PresetBrowser::loadEntry(const QString& name) {
    const auto entry = library_.find(name.toStdString());
    if (!entry) {
        return fail("there is no preset called " + inQuotes(name.trimmed()).toStdString());
    }
    if (!entry->problem.empty()) {
        return fail(entry->problem);
    }
    return loadPath(entry->path);
}

bool PresetBrowser::loadFile(const QString& path) {
    return loadPath(path.toStdString());
}

bool PresetBrowser::loadItem(const QTreeWidgetItem* item) {
    const auto entry = entryOf(item);
    if (!entry) {
        return false;
    }
    if (!entry->problem.empty()) {
        return fail(entry->problem);
    }
    return loadPath(entry->path);
}

bool PresetBrowser::loadPath(const std::string& path) {
    // Validated and built completely before the rack is touched.
    auto built = core::PresetLoader::load(path);
    if (!built) {
        return fail(built.error());
    }
    LoadUndo undo{rack_.slots(), current_, currentPath_, baseline_};
    if (!replaceRack(built->chain->slots())) {
        return false;
    }
    loadUndo_ = std::move(undo);
    // A file of the library opened by path is that entry: Save then writes over it.
    const auto entry = entryForPath(path);
    const QString name = QString::fromStdString(built->preset.name);
    makeCurrent(name, entry ? entry->path : path, rackPreset({}));
    QStringList warnings;
    for (const auto& warning : built->warnings) {
        warnings << toSentence(warning);
    }
    showMessage(Message::UndoLoad,
                tr("Loaded %1 — %2").arg(inQuotes(name).toHtmlEscaped(), undoLink()));
    Q_EMIT loaded(name, warnings);
    return true;
}

bool PresetBrowser::replaceRack(RackController::Slots slots) {
    // The rack says why it refused (errorOccurred); pass that on as this browser's error too.
    QString refusal;
    const auto connection = connect(&rack_, &RackController::errorOccurred, this,
                                    [&refusal](const QString& message) { refusal = message; });
    replacing_ = true;
    const bool replaced = rack_.replaceAll(std::move(slots));
    replacing_ = false;
    disconnect(connection);
    if (!replaced) {
        return fail(refusal.isEmpty() ? std::string("the rack refused the new chain")
                                      : refusal.toStdString());
    }
    return true;
}

bool PresetBrowser::undoLoad() {
    if (!loadUndo_) {
        return false;
    }
    if (!replaceRack(loadUndo_->slots)) {
        return false;
    }
    LoadUndo undo = std::move(*loadUndo_);
    loadUndo_.reset();
    makeCurrent(undo.name, undo.path, undo.baseline);
    showMessage(Message::None, {});
    return true;
}

// ---- current preset and modified state --------------------------------------------------------

core::Preset PresetBrowser::rackPreset(const std::string& name) const {
    return core::PresetLoader::fromChain(core::EffectChain(rack_.slots()), name);
}

bool PresetBrowser::isModified() const {
    return !current_.isEmpty() && rackPreset({}).chain != baseline_.chain;
}

void PresetBrowser::setCurrent(const QString& name, const core::Preset& baseline) {
    // The baseline may leave parameters out (defaults): compare with every value written out,
    // as fromChain writes the rack.
    core::Preset full = baseline;
    if (auto built = core::PresetLoader::buildChain(baseline)) {
        full = core::PresetLoader::fromChain(**built, baseline.name);
    }
    const auto entry = name.isEmpty() ? std::nullopt : library_.find(name.toStdString());
    loadUndo_.reset();
    makeCurrent(name, entry ? entry->path : std::string(), std::move(full));
}

void PresetBrowser::makeCurrent(const QString& name, std::string path, core::Preset baseline) {
    const bool nameChanged = name != current_;
    current_ = name;
    currentPath_ = std::move(path);
    baseline_ = std::move(baseline);
    const bool wasModified = modified_;
    modified_ = isModified();
    updateDecorations();
    updateButtons();
    if (nameChanged) {
        Q_EMIT currentChanged(current_);
    }
    if (modified_ != wasModified) {
        Q_EMIT modifiedChanged(modified_);
    }
}

void PresetBrowser::refreshModified() {
    const bool modified = isModified();
    if (modified == modified_) {
        return;
    }
    modified_ = modified;
    if (modified && message_ == Message::UndoLoad) {
        showMessage(Message::None, {});  // undoing the load would now drop this edit
    }
    updateDecorations();
    Q_EMIT modifiedChanged(modified_);
}

// ---- library edits ----------------------------------------------------------------------------

bool PresetBrowser::save() {
    std::optional<core::PresetEntry> target;
    if (!current_.isEmpty()) {
        for (const auto& entry : library_.entries()) {
            if (entry.path == currentPath_ && !entry.factory) {
                target = entry;
            }
        }
    }
    if (!target) {
        return askAndSaveAs();  // nothing of the user's to write over
    }
    auto saved = library_.save(rackPreset(target->name));
    if (!saved) {
        return fail(saved.error());
    }
    const QString name = QString::fromStdString(saved->name);
    makeCurrent(name, saved->path, rackPreset(saved->name));
    reload();
    const QString sentence = tr("Saved %1.").arg(inQuotes(name));
    showMessage(Message::Info, sentence.toHtmlEscaped());
    Q_EMIT info(sentence);
    return true;
}

bool PresetBrowser::saveAs(const QString& name, bool replaceExisting) {
    const std::string wanted = name.toStdString();
    auto saved = library_.saveAs(rackPreset(wanted), wanted, replaceExisting);
    if (!saved) {
        return fail(saved.error());
    }
    const QString savedName = QString::fromStdString(saved->name);
    makeCurrent(savedName, saved->path, rackPreset(saved->name));
    reload();
    selectPath(saved->path);
    const QString sentence = tr("Saved %1.").arg(inQuotes(savedName));
    showMessage(Message::Info, sentence.toHtmlEscaped());
    Q_EMIT info(sentence);
    return true;
}

bool PresetBrowser::rename(const QString& oldName, const QString& newName) {
    const auto before = library_.find(oldName.toStdString());
    auto renamed = library_.rename(oldName.toStdString(), newName.toStdString());
    if (!renamed) {
        return fail(renamed.error());
    }
    const QString name = QString::fromStdString(renamed->name);
    if (before && !before->factory) {
        if (before->path == currentPath_) {
            makeCurrent(name, renamed->path, baseline_);  // the current preset follows
        }
        if (loadUndo_ && loadUndo_->path == before->path) {
            loadUndo_->name = name;
            loadUndo_->path = renamed->path;
        }
    }
    reload();
    selectPath(renamed->path);
    const QString sentence =
        tr("Renamed %1 to %2.")
            .arg(inQuotes(before ? QString::fromStdString(before->name) : oldName), inQuotes(name));
    showMessage(Message::Info, sentence.toHtmlEscaped());
    Q_EMIT info(sentence);
    Q_EMIT this->renamed(before ? QString::fromStdString(before->name) : oldName, name);
    return true;
}

bool PresetBrowser::remove(const QString& name) {
    const auto before = library_.find(name.toStdString());
    auto trashed = library_.remove(name.toStdString());
    if (!trashed) {
        return fail(trashed.error());
    }
    removed_.push_back({*trashed, before && before->path == currentPath_});
    reload();
    const QString shown = QString::fromStdString(trashed->name);
    showMessage(Message::UndoRemove,
                tr("Deleted %1 — %2").arg(inQuotes(shown).toHtmlEscaped(), undoLink()));
    Q_EMIT info(tr("Deleted %1.").arg(inQuotes(shown)));
    return true;
}

bool PresetBrowser::undoRemove() {
    if (removed_.empty()) {
        return false;
    }
    const RemovedPreset last = removed_.back();
    auto restored = library_.restore(last.trashed);
    if (!restored) {
        if (!QFileInfo::exists(QString::fromStdString(last.trashed.path))) {
            removed_.pop_back();  // the trash was emptied: this one can never come back
            showMessage(Message::None, {});
        }
        return fail(restored.error());
    }
    removed_.pop_back();
    const QString name = QString::fromStdString(restored->name);
    if (last.wasCurrent) {
        makeCurrent(name, restored->path, baseline_);
    }
    reload();
    selectPath(restored->path);
    const QString sentence = tr("Restored %1.").arg(inQuotes(name));
    showMessage(Message::Info, sentence.toHtmlEscaped());
    Q_EMIT info(sentence);
    return true;
}

bool PresetBrowser::importFile(const QString& path) {
    auto imported = library_.import(path.toStdString());
    if (!imported) {
        return fail(imported.error());
    }
    reload();
    selectPath(imported->entry.path);
    QString sentence = tr("Imported %1.").arg(inQuotes(imported->entry.name));
    for (const auto& warning : imported->warnings) {
        sentence += ' ' + toSentence(warning);
    }
    showMessage(Message::Info, sentence.toHtmlEscaped());
    Q_EMIT info(sentence);
    return true;
}

bool PresetBrowser::exportTo(const QString& name, const QString& path) {
    const auto exported = library_.exportTo(name.toStdString(), path.toStdString());
    if (!exported) {
        return fail(exported.error());
    }
    const QString sentence =
        tr("Exported %1 to %2.").arg(inQuotes(name.trimmed()), QDir::toNativeSeparators(path));
    showMessage(Message::Info, sentence.toHtmlEscaped());
    Q_EMIT info(sentence);
    return true;
}

bool PresetBrowser::fail(const std::string& message) {
    Q_EMIT errorOccurred(toSentence(message));
    return false;
}

// ---- dialogs ----------------------------------------------------------------------------------

void PresetBrowser::saveAsWithDialog() {
    askAndSaveAs();
}

bool PresetBrowser::askAndSaveAs() {
    bool ok = false;
    const QString proposal = current_.isEmpty() ? tr("New preset") : current_;
    const QString typed = QInputDialog::getText(this, tr("Save preset as"), tr("Preset name:"),
                                                QLineEdit::Normal, proposal, &ok);
    if (!ok) {
        return false;
    }
    auto name = core::PresetLibrary::checkName(typed.toStdString());
    if (!name) {
        return fail("cannot save the preset: " + name.error());
    }
    bool replace = false;
    if (const auto existing = library_.find(*name); existing && !existing->factory) {
        const auto answer = QMessageBox::question(
            this, tr("Replace preset?"),
            tr("There is already a preset called %1. Replace it with the rack as it is now?")
                .arg(inQuotes(existing->name)),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Yes) {
            return false;
        }
        replace = true;
    }
    return saveAs(QString::fromStdString(*name), replace);
}

void PresetBrowser::renameSelectedWithDialog() {
    const auto entry = selectedEntry();
    if (!entry) {
        return;
    }
    const QString oldName = QString::fromStdString(entry->name);
    if (entry->factory) {
        fail(inQuotes(oldName).toStdString() +
             " is a factory preset and cannot be renamed; save a copy under a new name");
        return;
    }
    bool ok = false;
    const QString typed = QInputDialog::getText(this, tr("Rename preset"), tr("New name:"),
                                                QLineEdit::Normal, oldName, &ok);
    if (ok && typed != oldName) {
        rename(oldName, typed);
    }
}

void PresetBrowser::removeSelected() {
    const auto entry = selectedEntry();
    if (!entry) {
        return;
    }
    if (entry->factory) {
        // By name the library would pick a user preset of the same name, if one existed.
        fail(inQuotes(entry->name).toStdString() + " is a factory preset and cannot be deleted");
        return;
    }
    remove(QString::fromStdString(entry->name));
}

void PresetBrowser::importWithDialog() {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Import preset"), QDir::homePath(),
                                     tr("LiveRack presets (*.json);;All files (*)"));
    if (!path.isEmpty()) {
        importFile(path);
    }
}

void PresetBrowser::exportSelectedWithDialog() {
    const auto entry = selectedEntry();
    if (!entry) {
        return;
    }
    if (!entry->problem.empty()) {
        fail(entry->problem);
        return;
    }
    const QString suggestion = QDir::home().filePath(
        QString::fromStdString(core::PresetLibrary::fileStemFor(entry->name)) + ".json");
    QString path = QFileDialog::getSaveFileName(this, tr("Export preset"), suggestion,
                                                tr("LiveRack presets (*.json)"));
    if (path.isEmpty()) {
        return;
    }
    if (!path.endsWith(".json", Qt::CaseInsensitive)) {
        path += ".json";
    }
    exportTo(QString::fromStdString(entry->name), path);
}

void PresetBrowser::showContextMenu(const QPoint& pos) {
    QTreeWidgetItem* item = tree_->itemAt(pos);
    QMenu menu(this);
    if (const auto entry = entryOf(item)) {
        tree_->setCurrentItem(item);
        menu.addAction(loadAction_);
        menu.addSeparator();
        menu.addAction(renameAction_);
        menu.addAction(deleteAction_);
        menu.addAction(exportAction_);
    } else {
        menu.addAction(tr("Import…"), this, &PresetBrowser::importWithDialog);
    }
    menu.exec(tree_->viewport()->mapToGlobal(pos));
}

// ---- the list ---------------------------------------------------------------------------------

void PresetBrowser::watchFolders() {
    for (const std::string& folder : {library_.factoryFolder(), library_.userFolder()}) {
        const QString path = QString::fromStdString(folder);
        if (!path.isEmpty() && QFileInfo(path).isDir() && !watcher_->directories().contains(path)) {
            watcher_->addPath(path);
        }
    }
}

void PresetBrowser::reload() {
    watchFolders();  // the user folder appears with the first save
    auto fresh = library_.entries();
    if (factoryGroup_ && sameEntries(fresh, entries_)) {
        // Rebuilding would disturb a click in progress for nothing (our own saves come back
        // through the folder watcher).
        updateDecorations();
        return;
    }
    entries_ = std::move(fresh);
    rebuildTree();
}

void PresetBrowser::rebuildTree() {
    const auto selected = selectedEntry();
    tree_->clear();

    const QColor dim = ThemeColours::dimText();
    auto makeGroup = [&](const QString& title) {
        auto* group = new QTreeWidgetItem(tree_, {title});
        group->setFlags(Qt::ItemIsEnabled);
        QFont font = tree_->font();
        font.setWeight(QFont::DemiBold);
        group->setFont(0, font);
        group->setForeground(0, dim);
        group->setFirstColumnSpanned(true);
        return group;
    };
    factoryGroup_ = makeGroup(tr("Factory"));
    factoryGroup_->setIcon(0, lockIcon(dim));
    factoryGroup_->setToolTip(0, tr("Presets that come with LiveRack (read-only)"));
    userGroup_ = makeGroup(tr("My presets"));
    userGroup_->setIcon(0, personIcon(dim));
    userGroup_->setToolTip(0,
                           QDir::toNativeSeparators(QString::fromStdString(library_.userFolder())));

    bool anyUser = false;
    for (const auto& entry : entries_) {
        auto* item = new QTreeWidgetItem(entry.factory ? factoryGroup_ : userGroup_);
        item->setText(0, QString::fromStdString(entry.name));
        item->setData(0, NameRole, QString::fromStdString(entry.name));
        item->setData(0, PathRole, QString::fromStdString(entry.path));
        item->setData(0, FactoryRole, entry.factory);
        item->setData(0, ProblemRole, QString::fromStdString(entry.problem));
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        anyUser = anyUser || !entry.factory;
    }
    userHint_ = nullptr;
    if (!anyUser) {
        userHint_ = new QTreeWidgetItem(userGroup_, {tr("None yet: use “Save as…”")});
        userHint_->setToolTip(0, tr("“Save as…” keeps the rack as a preset of your own"));
        userHint_->setFlags(Qt::NoItemFlags);
        QFont font = tree_->font();
        font.setItalic(true);
        userHint_->setFont(0, font);
        userHint_->setForeground(0, dim);
        userHint_->setFirstColumnSpanned(true);
    }
    tree_->expandAll();
    if (selected) {
        selectPath(selected->path);
    }
    applyFilter();
    updateDecorations();
}

void PresetBrowser::applyFilter() {
    // The library's own rule, so the list filters exactly as library.search would without
    // reading every file again on each key press.
    const std::string text = search_->text().toStdString();
    int shown = 0;
    for (QTreeWidgetItem* group : {factoryGroup_, userGroup_}) {
        int shownInGroup = 0;
        for (int i = 0; i < group->childCount(); ++i) {
            QTreeWidgetItem* item = group->child(i);
            if (item == userHint_) {
                item->setHidden(!text.empty());
                continue;
            }
            const std::string name = item->data(0, NameRole).toString().toStdString();
            const bool match = core::PresetLibrary::nameContains(name, text);
            item->setHidden(!match);
            shownInGroup += match ? 1 : 0;
        }
        // "My presets" stays as a heading for its hint while nothing is searched.
        group->setHidden(shownInGroup == 0 && !(group == userGroup_ && text.empty()));
        shown += shownInGroup;
    }
    const bool none = !text.empty() && shown == 0;
    noMatch_->setText(tr("No preset name contains %1.").arg(inQuotes(search_->text())));
    noMatch_->setVisible(none);
    if (QTreeWidgetItem* item = tree_->selectedItems().value(0); item && item->isHidden()) {
        tree_->clearSelection();
    }
    updateButtons();
}

void PresetBrowser::updateDecorations() {
    if (!factoryGroup_) {
        return;
    }
    const QColor dim = ThemeColours::dimText();
    for (QTreeWidgetItem* group : {factoryGroup_, userGroup_}) {
        for (int i = 0; i < group->childCount(); ++i) {
            QTreeWidgetItem* item = group->child(i);
            const auto entry = entryOf(item);
            if (!entry) {
                continue;
            }
            const bool current = isCurrentEntry(*entry);
            QFont font = tree_->font();
            font.setBold(current);
            item->setFont(0, font);
            if (!entry->problem.empty()) {
                // Shown, so the person knows the file is there, but not loadable.
                item->setForeground(0, dim.darker(130));
                item->setText(
                    1, entry->needs.empty()
                           ? tr("unreadable")
                           : tr("needs %1").arg(QString::fromStdString(entry->needs.front())));
                item->setForeground(1, ThemeColours::bad());
                const QString tip =
                    tr("This file cannot be loaded:\n%1").arg(toSentence(entry->problem));
                item->setToolTip(0, tip);
                item->setToolTip(1, tip);
                continue;
            }
            item->setForeground(0, QBrush());
            item->setText(1, current && modified_ ? tr("● modified") : QString());
            item->setForeground(1, ThemeColours::warn());
            item->setToolTip(
                1, current && modified_ ? tr("The rack differs from the saved preset") : QString());
            item->setToolTip(
                0, entry->factory
                       ? tr("Factory preset (read-only): “Save as…” keeps a copy "
                            "you can change. Double-click to load.")
                       : tr("%1\nDouble-click to load.")
                             .arg(QDir::toNativeSeparators(QString::fromStdString(entry->path))));
        }
    }

    if (current_.isEmpty()) {
        currentLabel_->setText(QStringLiteral("<span style=\"color: %1;\">%2</span>")
                                   .arg(dim.name(), tr("No preset loaded")));
    } else {
        QString text = tr("Current: <b>%1</b>").arg(current_.toHtmlEscaped());
        if (modified_) {
            text += QStringLiteral(" <span style=\"color: %1;\">%2</span>")
                        .arg(ThemeColours::warn().name(), tr("(modified)"));
        }
        currentLabel_->setText(text);
    }
    currentLabel_->setToolTip(currentPath_.empty()
                                  ? QString()
                                  : QDir::toNativeSeparators(QString::fromStdString(currentPath_)));
}

void PresetBrowser::updateButtons() {
    const auto entry = selectedEntry();
    const bool user = entry && !entry->factory;
    const bool readable = entry && entry->problem.empty();
    renameButton_->setEnabled(user);
    deleteButton_->setEnabled(user);
    exportButton_->setEnabled(readable);
    loadAction_->setEnabled(readable);
    renameAction_->setEnabled(user);
    deleteAction_->setEnabled(user);
    exportAction_->setEnabled(readable);
}

void PresetBrowser::showMessage(Message kind, const QString& html) {
    message_ = kind;
    messageLabel_->setText(html);
    messageLabel_->setVisible(kind != Message::None);
}

// ---- selection --------------------------------------------------------------------------------

std::optional<core::PresetEntry> PresetBrowser::entryOf(const QTreeWidgetItem* item) {
    if (!item || !item->data(0, NameRole).isValid()) {
        return std::nullopt;
    }
    core::PresetEntry entry;
    entry.name = item->data(0, NameRole).toString().toStdString();
    entry.path = item->data(0, PathRole).toString().toStdString();
    entry.factory = item->data(0, FactoryRole).toBool();
    entry.problem = item->data(0, ProblemRole).toString().toStdString();
    return entry;
}

std::optional<core::PresetEntry> PresetBrowser::selectedEntry() const {
    const QTreeWidgetItem* item = tree_->selectedItems().value(0);
    if (!item || item->isHidden()) {
        return std::nullopt;
    }
    return entryOf(item);
}

std::optional<core::PresetEntry> PresetBrowser::entryForPath(const std::string& path) const {
    const QString canonical = QFileInfo(QString::fromStdString(path)).canonicalFilePath();
    for (const auto& entry : entries_) {
        if (entry.path == path ||
            (!canonical.isEmpty() &&
             QFileInfo(QString::fromStdString(entry.path)).canonicalFilePath() == canonical)) {
            return entry;
        }
    }
    return std::nullopt;
}

bool PresetBrowser::isCurrentEntry(const core::PresetEntry& entry) const {
    return !current_.isEmpty() && !currentPath_.empty() && entry.path == currentPath_;
}

QString PresetBrowser::selectedName() const {
    const auto entry = selectedEntry();
    return entry ? QString::fromStdString(entry->name) : QString();
}

QTreeWidgetItem* PresetBrowser::itemFor(const QString& name) const {
    const std::string wanted = name.trimmed().toStdString();
    // As library.find: a user preset first, then a factory one.
    for (QTreeWidgetItem* group : {userGroup_, factoryGroup_}) {
        for (int i = 0; group && i < group->childCount(); ++i) {
            QTreeWidgetItem* item = group->child(i);
            const auto entry = entryOf(item);
            if (entry && core::PresetLibrary::sameName(entry->name, wanted)) {
                return item;
            }
        }
    }
    return nullptr;
}

int PresetBrowser::visibleEntryCount() const {
    int count = 0;
    for (QTreeWidgetItem* group : {factoryGroup_, userGroup_}) {
        for (int i = 0; group && !group->isHidden() && i < group->childCount(); ++i) {
            count += (entryOf(group->child(i)) && !group->child(i)->isHidden()) ? 1 : 0;
        }
    }
    return count;
}

void PresetBrowser::selectName(const QString& name) {
    QTreeWidgetItem* item = itemFor(name);
    if (!item) {
        tree_->clearSelection();
        return;
    }
    if (item->isHidden()) {
        search_->clear();  // the search hides it: show everything again
    }
    tree_->setCurrentItem(item);
    tree_->scrollToItem(item);
}

void PresetBrowser::selectPath(const std::string& path) {
    const QString wanted = QString::fromStdString(path);
    for (QTreeWidgetItem* group : {factoryGroup_, userGroup_}) {
        for (int i = 0; group && i < group->childCount(); ++i) {
            QTreeWidgetItem* item = group->child(i);
            if (entryOf(item) && item->data(0, PathRole).toString() == wanted) {
                if (item->isHidden()) {
                    search_->clear();
                }
                tree_->setCurrentItem(item);
                tree_->scrollToItem(item);
                return;
            }
        }
    }
}

// ---- keyboard ---------------------------------------------------------------------------------

bool PresetBrowser::eventFilter(QObject* watched, QEvent* event) {
    const bool key = event->type() == QEvent::KeyPress || event->type() == QEvent::ShortcutOverride;
    if (!key) {
        return QWidget::eventFilter(watched, event);
    }
    auto* keyEvent = static_cast<QKeyEvent*>(event);
    const auto modifiers = keyEvent->modifiers() & ~Qt::KeypadModifier;
    if (watched == tree_ && modifiers == Qt::NoModifier) {
        const int k = keyEvent->key();
        const bool ours =
            k == Qt::Key_Return || k == Qt::Key_Enter || k == Qt::Key_Delete || k == Qt::Key_F2;
        if (ours && event->type() == QEvent::ShortcutOverride) {
            // While the list has focus these keys are the list's, not the window's (its Delete
            // removes a rack slot).
            event->accept();
            return true;
        }
        if (ours) {
            if (k == Qt::Key_Delete) {
                removeSelected();
            } else if (k == Qt::Key_F2) {
                renameSelectedWithDialog();
            } else {
                loadItem(tree_->selectedItems().value(0));
            }
            return true;
        }
    }
    if (watched == search_ && event->type() == QEvent::KeyPress && modifiers == Qt::NoModifier) {
        const int k = keyEvent->key();
        if (k == Qt::Key_Down || k == Qt::Key_Return || k == Qt::Key_Enter) {
            // On to the list, at the first match, so Enter again loads it.
            if (!selectedEntry()) {
                for (QTreeWidgetItem* group : {factoryGroup_, userGroup_}) {
                    for (int i = 0; i < group->childCount() && !selectedEntry(); ++i) {
                        if (entryOf(group->child(i)) && !group->child(i)->isHidden()) {
                            tree_->setCurrentItem(group->child(i));
                        }
                    }
                }
            }
            tree_->setFocus(Qt::TabFocusReason);
            return true;
        }
        if (k == Qt::Key_Escape && !search_->text().isEmpty()) {
            search_->clear();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

}  // namespace liverack::ui
