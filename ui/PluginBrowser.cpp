#include "ui/PluginBrowser.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <array>

#include "core/dsp/lv2/Lv2Catalogue.h"

namespace liverack::ui {

namespace {

// The catalogue's groups in the order a player looks for them; unknown ones follow by name.
constexpr std::array<const char*, 14> kGroupOrder{
    "EQ",     "Dynamics", "Delay",    "Reverb",   "Pitch",   "Modulation", "Distortion",
    "Filter", "Spatial",  "Spectral", "Analyser", "Utility", "Generator",  "Other"};

int groupRank(const std::string& group) {
    const auto it = std::find(kGroupOrder.begin(), kGroupOrder.end(), group);
    return static_cast<int>(it - kGroupOrder.begin());
}

QString searchTextOf(const core::Lv2PluginInfo& plugin) {
    return QString::fromStdString(plugin.name + '\n' + plugin.author + '\n' + plugin.group + '\n' +
                                  plugin.className + '\n' + plugin.uri);
}

constexpr int kSearchRole = Qt::UserRole + 2;

// The catalogue's reasons are clauses made to follow a plugin's name ("cannot be added: it has
// no audio input"); standing alone in the list they read as sentences.
QString asSentence(const std::string& clause) {
    QString text = QString::fromStdString(clause).trimmed();
    // Greyed out already says "cannot be added"; the list has room only for the why.
    const QString redundant = QStringLiteral("cannot be added: ");
    if (text.startsWith(redundant, Qt::CaseInsensitive) && text.size() > redundant.size()) {
        text = text.mid(redundant.size());
    }
    if (text.isEmpty()) {
        return text;
    }
    text[0] = text[0].toUpper();
    if (!text.endsWith('.') && !text.endsWith('!') && !text.endsWith('?')) {
        text += '.';
    }
    return text;
}

}  // namespace

PluginBrowser::PluginBrowser(QWidget* parent)
    : PluginBrowser(core::Lv2Catalogue::shared().plugins(), parent) {
    fromCatalogue_ = true;
    if (auto* rescanButton = buttons_->addButton(tr("Rescan"), QDialogButtonBox::ResetRole)) {
        rescanButton->setToolTip(tr("Look for plugins installed since LiveRack started"));
        connect(rescanButton, &QPushButton::clicked, this, &PluginBrowser::rescan);
    }
}

PluginBrowser::PluginBrowser(Plugins plugins, QWidget* parent)
    : QDialog(parent), plugins_(std::move(plugins)), fromCatalogue_(false) {
    build();
    populate();
}

void PluginBrowser::build() {
    setWindowTitle(tr("Add plugin"));
    setObjectName("PluginBrowser");
    resize(940, 600);

    filter_ = new QLineEdit(this);
    filter_->setPlaceholderText(tr("Search by name, author, kind or URI"));
    filter_->setClearButtonEnabled(true);
    filter_->setAccessibleName(tr("Plugin search"));
    filter_->installEventFilter(this);
    connect(filter_, &QLineEdit::textChanged, this, &PluginBrowser::setFilter);
    connect(filter_, &QLineEdit::returnPressed, this, &PluginBrowser::choose);

    tree_ = new QTreeWidget(this);
    tree_->setColumnCount(3);
    tree_->setHeaderLabels({tr("Plugin"), tr("Author"), tr("Note")});
    tree_->setRootIsDecorated(true);
    tree_->setUniformRowHeights(true);
    tree_->setAlternatingRowColors(false);
    tree_->setSelectionMode(QAbstractItemView::SingleSelection);
    tree_->setAccessibleName(tr("Installed plugins"));
    tree_->header()->setStretchLastSection(true);
    tree_->header()->resizeSection(NameColumn, 330);
    tree_->header()->resizeSection(AuthorColumn, 140);
    connect(tree_, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        if (!item->data(NameColumn, kUriRole).toString().isEmpty()) {
            choose();
        }
    });
    connect(tree_, &QTreeWidget::currentItemChanged, this, &PluginBrowser::updateDetails);

    summary_ = new QLabel(this);
    summary_->setStyleSheet("color: #8a9099;");
    details_ = new QLabel(this);
    details_->setWordWrap(true);
    details_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    details_->setMinimumHeight(details_->fontMetrics().lineSpacing() * 2);

    buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons_->button(QDialogButtonBox::Ok)->setText(tr("Add"));
    connect(buttons_, &QDialogButtonBox::accepted, this, &PluginBrowser::choose);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(filter_);
    layout->addWidget(tree_, 1);
    layout->addWidget(summary_);
    layout->addWidget(details_);
    layout->addWidget(buttons_);
    filter_->setFocus();
}

void PluginBrowser::populate() {
    tree_->clear();
    std::vector<std::shared_ptr<const core::Lv2PluginInfo>> sorted = plugins_;
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
        const int ra = groupRank(a->group);
        const int rb = groupRank(b->group);
        if (ra != rb) {
            return ra < rb;
        }
        return ra == static_cast<int>(kGroupOrder.size()) && a->group < b->group;
    });
    QTreeWidgetItem* group = nullptr;
    std::string groupName;
    for (const auto& plugin : sorted) {
        if (!group || plugin->group != groupName) {
            groupName = plugin->group;
            group = new QTreeWidgetItem(tree_);
            group->setText(NameColumn,
                           QString::fromStdString(groupName.empty() ? "Other" : groupName));
            group->setFlags(Qt::ItemIsEnabled);
            group->setFirstColumnSpanned(true);
            QFont bold = group->font(NameColumn);
            bold.setWeight(QFont::DemiBold);
            group->setFont(NameColumn, bold);
        }
        auto* item = new QTreeWidgetItem(group);
        item->setText(NameColumn, QString::fromStdString(plugin->name));
        item->setText(AuthorColumn, QString::fromStdString(plugin->author));
        item->setData(NameColumn, kUriRole, QString::fromStdString(plugin->uri));
        item->setData(NameColumn, kSearchRole, searchTextOf(*plugin));
        const QString where = QString::fromStdString(
            plugin->className + (plugin->className.empty() ? "" : " · ") + plugin->uri);
        if (plugin->supported()) {
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
            for (int c = 0; c < tree_->columnCount(); ++c) {
                item->setToolTip(c, where);
            }
        } else {
            // Disabled items are painted with the palette's disabled colours: greyed.
            item->setFlags(Qt::NoItemFlags);
            const QString reason = asSentence(plugin->unsupportedReason);
            item->setText(NoteColumn, reason);
            for (int c = 0; c < tree_->columnCount(); ++c) {
                item->setToolTip(c, reason + "\n" + where);
            }
        }
    }
    tree_->expandAll();
    setFilter(filter_->text());
}

void PluginBrowser::setFilter(const QString& text) {
    if (filter_->text() != text) {
        filter_->setText(text);  // comes back here through textChanged
        return;
    }
    const QStringList words = text.split(' ', Qt::SkipEmptyParts);
    int shown = 0;
    int total = 0;
    int available = 0;
    for (int g = 0; g < tree_->topLevelItemCount(); ++g) {
        QTreeWidgetItem* group = tree_->topLevelItem(g);
        int inGroup = 0;
        for (int i = 0; i < group->childCount(); ++i) {
            QTreeWidgetItem* item = group->child(i);
            const QString haystack = item->data(NameColumn, kSearchRole).toString();
            const bool match = std::all_of(words.begin(), words.end(), [&](const QString& w) {
                return haystack.contains(w, Qt::CaseInsensitive);
            });
            item->setHidden(!match);
            inGroup += match ? 1 : 0;
            ++total;
            available += item->flags().testFlag(Qt::ItemIsEnabled) ? 1 : 0;
        }
        group->setHidden(inGroup == 0);
        group->setText(NameColumn, group->text(NameColumn).section(" (", 0, 0) +
                                       QStringLiteral(" (%1)").arg(inGroup));
        shown += inGroup;
    }
    summary_->setText(words.isEmpty()
                          ? tr("%1 plugins installed, %2 can be added").arg(total).arg(available)
                          : tr("%1 of %2 plugins match").arg(shown).arg(total));
    QTreeWidgetItem* current = tree_->currentItem();
    if (!current || current->isHidden() || current->data(NameColumn, kUriRole).isNull()) {
        selectFirstVisible();
    }
    updateDetails();
}

int PluginBrowser::visiblePluginCount() const {
    int shown = 0;
    for (int g = 0; g < tree_->topLevelItemCount(); ++g) {
        const QTreeWidgetItem* group = tree_->topLevelItem(g);
        for (int i = 0; i < group->childCount(); ++i) {
            shown += group->child(i)->isHidden() ? 0 : 1;
        }
    }
    return shown;
}

QString PluginBrowser::selectedUri() const {
    const QTreeWidgetItem* item = tree_->currentItem();
    if (!item || item->isHidden() || !item->flags().testFlag(Qt::ItemIsSelectable)) {
        return {};
    }
    return item->data(NameColumn, kUriRole).toString();
}

bool PluginBrowser::selectUri(const QString& uri) {
    for (int g = 0; g < tree_->topLevelItemCount(); ++g) {
        QTreeWidgetItem* group = tree_->topLevelItem(g);
        for (int i = 0; i < group->childCount(); ++i) {
            QTreeWidgetItem* item = group->child(i);
            if (item->data(NameColumn, kUriRole).toString() != uri) {
                continue;
            }
            if (item->isHidden() || !item->flags().testFlag(Qt::ItemIsSelectable)) {
                return false;
            }
            tree_->setCurrentItem(item);
            tree_->scrollToItem(item);
            return true;
        }
    }
    return false;
}

void PluginBrowser::rescan() {
    if (!fromCatalogue_) {
        return;
    }
    const QString keep = selectedUri();
    core::Lv2Catalogue::shared().rescan();
    plugins_ = core::Lv2Catalogue::shared().plugins();
    populate();
    selectUri(keep);
}

void PluginBrowser::choose() {
    const QString uri = selectedUri();
    if (uri.isEmpty()) {
        return;
    }
    Q_EMIT pluginChosen(uri);
    accept();
}

void PluginBrowser::selectFirstVisible() {
    for (int g = 0; g < tree_->topLevelItemCount(); ++g) {
        QTreeWidgetItem* group = tree_->topLevelItem(g);
        for (int i = 0; i < group->childCount(); ++i) {
            QTreeWidgetItem* item = group->child(i);
            if (!item->isHidden() && item->flags().testFlag(Qt::ItemIsSelectable)) {
                tree_->setCurrentItem(item);
                tree_->scrollToItem(item);
                return;
            }
        }
    }
    tree_->setCurrentItem(nullptr);
}

void PluginBrowser::updateDetails() {
    const QString uri = selectedUri();
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(!uri.isEmpty());
    const auto it = std::find_if(plugins_.begin(), plugins_.end(), [&](const auto& p) {
        return QString::fromStdString(p->uri) == uri;
    });
    if (uri.isEmpty() || it == plugins_.end()) {
        details_->setText(visiblePluginCount() == 0 ? tr("No plugin matches the search.")
                                                    : QString());
        return;
    }
    const core::Lv2PluginInfo& p = **it;
    details_->setText(tr("<b>%1</b> by %2 · %3<br><span style=\"color:#8a9099\">%4 · %5 "
                         "parameters, %6 readouts</span>")
                          .arg(QString::fromStdString(p.name).toHtmlEscaped(),
                               QString::fromStdString(p.author).toHtmlEscaped(),
                               QString::fromStdString(p.className).toHtmlEscaped(),
                               QString::fromStdString(p.uri).toHtmlEscaped())
                          .arg(p.effectInfo.parameters.size())
                          .arg(p.effectInfo.outputs.size()));
}

bool PluginBrowser::eventFilter(QObject* watched, QEvent* event) {
    // Up and Down in the search line walk the list, so typing and choosing need no mouse.
    if (watched == filter_ && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent*>(event)->key();
        if (key == Qt::Key_Down || key == Qt::Key_Up || key == Qt::Key_PageDown ||
            key == Qt::Key_PageUp) {
            QKeyEvent copy(QEvent::KeyPress, key, Qt::NoModifier);
            QCoreApplication::sendEvent(tree_, &copy);
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

}  // namespace liverack::ui
