#include "core/preset/PresetLibrary.h"

#include "core/util/Utf8.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <system_error>

#include "core/dsp/lv2/Lv2Catalogue.h"

#include "core/preset/AtomicFile.h"
#include "core/preset/PresetLoader.h"
#include "core/preset/PresetReader.h"
#include "core/preset/PresetWriter.h"

namespace liverack::core {
namespace {

// A preset that only lacks plugins keeps its own name in the list and says what to install.
void describeMissingPlugins(PresetEntry& entry) {
    std::ifstream file(entry.path, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(file)),
                           std::istreambuf_iterator<char>());
    const auto root = nlohmann::json::parse(text, nullptr, false);
    if (!root.is_object() || !root.contains("chain") || !root["chain"].is_array()) {
        return;
    }
    for (const auto& effect : root["chain"]) {
        if (!effect.is_object() || effect.value("type", std::string()) != "lv2" ||
            !effect.contains("uri") || !effect["uri"].is_string()) {
            continue;
        }
        const std::string uri = effect["uri"].get<std::string>();
        if (Lv2Catalogue::shared().find(uri)) {
            continue;
        }
        std::string package = Lv2Catalogue::debianPackageFor(uri);
        if (package.empty()) {
            package = uri;
        }
        if (std::find(entry.needs.begin(), entry.needs.end(), package) == entry.needs.end()) {
            entry.needs.push_back(package);
        }
    }
    if (!entry.needs.empty() && root.contains("name") && root["name"].is_string()) {
        entry.name = root["name"].get<std::string>();
    }
}

namespace fs = std::filesystem;

std::string lowerAscii(std::string_view text) {
    std::string lower(text);
    for (auto& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return lower;
}

std::string quotedName(std::string_view name) {
    return "\u201C" + std::string(name) + "\u201D";
}

// Cuts at most `maxBytes` without splitting a UTF-8 sequence.
std::string truncateUtf8(std::string text, size_t maxBytes) {
    if (text.size() <= maxBytes) {
        return text;
    }
    size_t end = maxBytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
        --end;
    }
    text.resize(end);
    return text;
}

// "Name (3)" -> "Name"; anything else unchanged.
std::string withoutCopyNumber(const std::string& name) {
    if (name.size() < 4 || name.back() != ')') {
        return name;
    }
    const size_t open = name.rfind(" (");
    if (open == std::string::npos || open + 3 >= name.size()) {
        return name;
    }
    for (size_t i = open + 2; i + 1 < name.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(name[i]))) {
            return name;
        }
    }
    return name.substr(0, open);
}

// Trash files are "<sequence>-<stem>.json"; the sequence orders them by deletion.
long trashSequence(const fs::path& file) {
    const std::string stem = file.stem().string();
    const size_t dash = stem.find('-');
    if (dash == std::string::npos || dash == 0) {
        return 0;
    }
    long sequence = 0;
    for (size_t i = 0; i < dash; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(stem[i])) || sequence > 100'000'000) {
            return 0;
        }
        sequence = sequence * 10 + (stem[i] - '0');
    }
    return sequence;
}

bool isPresetFile(const fs::directory_entry& entry) {
    std::error_code ec;
    const std::string fileName = entry.path().filename().string();
    return entry.is_regular_file(ec) && entry.path().extension() == ".json" &&
           !fileName.starts_with(".");
}

}  // namespace

PresetLibrary::PresetLibrary(std::string factoryFolder, std::string userFolder)
    : factoryFolder_(std::move(factoryFolder)), userFolder_(std::move(userFolder)) {}

std::vector<PresetEntry> PresetLibrary::scan(const std::string& folder, bool factory) const {
    std::vector<PresetEntry> found;
    std::error_code ec;
    for (const auto& file : fs::directory_iterator(folder, ec)) {
        if (!isPresetFile(file)) {
            continue;
        }
        PresetEntry entry;
        entry.path = file.path().string();
        entry.factory = factory;
        auto read = PresetReader::readFile(entry.path);
        if (read) {
            entry.name = read->preset.name;
        } else {
            entry.name = file.path().stem().string();
            entry.problem = read.error();
            describeMissingPlugins(entry);
        }
        found.push_back(std::move(entry));
    }
    std::sort(found.begin(), found.end(), [](const PresetEntry& a, const PresetEntry& b) {
        const auto la = lowerAscii(a.name);
        const auto lb = lowerAscii(b.name);
        return la != lb ? la < lb : a.path < b.path;
    });
    return found;
}

std::vector<PresetEntry> PresetLibrary::entries() const {
    std::vector<PresetEntry> all = scan(factoryFolder_, true);
    std::vector<PresetEntry> user = scan(userFolder_, false);
    all.insert(all.end(), std::make_move_iterator(user.begin()),
               std::make_move_iterator(user.end()));
    return all;
}

bool PresetLibrary::sameName(std::string_view a, std::string_view b) {
    return lowerAscii(a) == lowerAscii(b);
}

bool PresetLibrary::nameContains(std::string_view name, std::string_view text) {
    return lowerAscii(name).find(lowerAscii(text)) != std::string::npos;
}

std::vector<PresetEntry> PresetLibrary::search(std::string_view text) const {
    std::vector<PresetEntry> found;
    for (auto& entry : entries()) {
        if (nameContains(entry.name, text)) {
            found.push_back(std::move(entry));
        }
    }
    return found;
}

std::optional<PresetEntry> PresetLibrary::findIn(const std::vector<PresetEntry>& entries,
                                                 std::string_view name, bool factory) const {
    for (const auto& entry : entries) {
        if (entry.factory == factory && sameName(entry.name, name)) {
            return entry;
        }
    }
    return std::nullopt;
}

std::optional<PresetEntry> PresetLibrary::find(std::string_view name) const {
    // As the name was trimmed when it was saved.
    const auto first = name.find_first_not_of(" \t\r\n");
    name = first == std::string_view::npos
               ? std::string_view()
               : name.substr(first, name.find_last_not_of(" \t\r\n") - first + 1);
    const auto all = entries();
    if (auto user = findIn(all, name, false)) {
        return user;
    }
    return findIn(all, name, true);
}

Result<std::string> PresetLibrary::checkName(std::string_view name) {
    const auto first = name.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return Error{"a preset needs a name"};
    }
    const auto last = name.find_last_not_of(" \t\r\n");
    const std::string trimmed(name.substr(first, last - first + 1));
    if (!isValidUtf8(trimmed)) {
        return Error{"the preset name is not valid text (UTF-8); type it again"};
    }
    for (const char c : trimmed) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7F) {
            return Error{
                "a preset name cannot contain control characters such as line breaks "
                "or tabs"};
        }
    }
    if (trimmed.size() > kMaxNameBytes) {
        return Error{"a preset name can be at most " + std::to_string(kMaxNameBytes) +
                     " bytes long; this one has " + std::to_string(trimmed.size())};
    }
    return trimmed;
}

std::string PresetLibrary::fileStemFor(std::string_view name) {
    std::string stem;
    for (const char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        // Path separators, and what Windows reserves, so an exported folder copies anywhere.
        const bool reserved = std::string_view("/\\:*?\"<>|").find(c) != std::string_view::npos;
        stem += (byte < 0x20 || byte == 0x7F || reserved) ? '_' : c;
    }
    // No leading dot (hidden file, "." or ".."), no trailing dot or space (Windows drops them).
    const auto first = stem.find_first_not_of(". ");
    stem = first == std::string::npos ? std::string() : stem.substr(first);
    while (!stem.empty() && (stem.back() == '.' || stem.back() == ' ')) {
        stem.pop_back();
    }
    stem = truncateUtf8(std::move(stem), 100);
    return stem.empty() ? std::string("preset") : stem;
}

std::string PresetLibrary::unusedName(const std::string& name) const {
    const auto all = entries();
    const auto taken = [&](const std::string& candidate) {
        return std::any_of(all.begin(), all.end(),
                           [&](const PresetEntry& e) { return sameName(e.name, candidate); });
    };
    if (!taken(name)) {
        return name;
    }
    const std::string base = withoutCopyNumber(name);
    for (int n = 2;; ++n) {
        const std::string candidate = base + " (" + std::to_string(n) + ")";
        if (!taken(candidate)) {
            return candidate;
        }
    }
}

std::string PresetLibrary::unusedUserPath(const std::string& name) const {
    const std::string stem = fileStemFor(name);
    std::error_code ec;
    for (int n = 1;; ++n) {
        const std::string suffix = n == 1 ? "" : " " + std::to_string(n);
        const std::string path = userFolder_ + "/" + stem + suffix + ".json";
        if (!fs::exists(path, ec) && !fs::exists(PresetWriter::backupPath(path), ec)) {
            return path;
        }
    }
}

Status PresetLibrary::ensureUserFolder() const {
    std::error_code ec;
    fs::create_directories(userFolder_, ec);
    if (ec) {
        return Error{"cannot create the preset folder '" + userFolder_ + "': " + ec.message()};
    }
    return {};
}

Result<PresetEntry> PresetLibrary::writeUser(Preset preset, const std::string& path) {
    if (auto made = ensureUserFolder(); !made) {
        return Error{made.error()};
    }
    if (auto saved = PresetWriter::save(preset, path); !saved) {
        return Error{saved.error()};
    }
    return PresetEntry{std::move(preset.name), path, false, {}};
}

Result<PresetEntry> PresetLibrary::save(const Preset& preset) {
    auto name = checkName(preset.name);
    if (!name) {
        return Error{"cannot save the preset: " + name.error()};
    }
    const auto all = entries();
    Preset named = preset;
    named.name = *name;
    if (auto user = findIn(all, *name, false)) {
        named.name = user->name;  // keeps the spelling the file already has
        return writeUser(std::move(named), user->path);
    }
    if (findIn(all, *name, true)) {
        return Error{quotedName(*name) +
                     " is a factory preset and cannot be changed; save it under a new name"};
    }
    return writeUser(std::move(named), unusedUserPath(*name));
}

Result<PresetEntry> PresetLibrary::saveAs(const Preset& preset, const std::string& newName,
                                          bool replaceExisting) {
    auto name = checkName(newName);
    if (!name) {
        return Error{"cannot save the preset: " + name.error()};
    }
    const auto all = entries();
    if (findIn(all, *name, true)) {
        return Error{"there is already a factory preset called " + quotedName(*name) +
                     "; choose another name"};
    }
    Preset named = preset;
    named.name = *name;
    if (auto user = findIn(all, *name, false)) {
        if (!replaceExisting) {
            return Error{"there is already a preset called " + quotedName(user->name) +
                         "; choose another name or replace it"};
        }
        return writeUser(std::move(named), user->path);
    }
    return writeUser(std::move(named), unusedUserPath(*name));
}

Result<PresetEntry> PresetLibrary::rename(const std::string& oldName, const std::string& newName) {
    const auto all = entries();
    const auto user = findIn(all, oldName, false);
    if (!user) {
        if (findIn(all, oldName, true)) {
            return Error{quotedName(oldName) +
                         " is a factory preset and cannot be renamed; save a copy under a new "
                         "name"};
        }
        return Error{"there is no preset called " + quotedName(oldName)};
    }
    auto name = checkName(newName);
    if (!name) {
        return Error{"cannot rename " + quotedName(user->name) + ": " + name.error()};
    }
    for (const auto& entry : all) {
        if (entry.path != user->path && sameName(entry.name, *name)) {
            return Error{"cannot rename " + quotedName(user->name) + ": there is already a " +
                         (entry.factory ? "factory preset" : "preset") + " called " +
                         quotedName(entry.name)};
        }
    }
    auto read = PresetReader::readFile(user->path);
    if (!read) {
        return Error{"cannot rename " + quotedName(user->name) + ": " + read.error()};
    }
    Preset preset = std::move(read->preset);
    preset.name = *name;
    const bool sameFile =
        fs::path(user->path).stem().string() == fileStemFor(*name) || sameName(user->name, *name);
    if (sameFile) {
        return writeUser(std::move(preset), user->path);
    }
    auto written = writeUser(std::move(preset), unusedUserPath(*name));
    if (!written) {
        return written;
    }
    // The new file is complete before the old one goes, so a failure leaves at worst both.
    std::error_code ec;
    fs::remove(user->path, ec);
    fs::remove(PresetWriter::backupPath(user->path), ec);
    return written;
}

Result<TrashedPreset> PresetLibrary::remove(const std::string& name) {
    const auto all = entries();
    const auto user = findIn(all, name, false);
    if (!user) {
        if (findIn(all, name, true)) {
            return Error{quotedName(name) + " is a factory preset and cannot be deleted"};
        }
        return Error{"there is no preset called " + quotedName(name)};
    }
    const std::string trashFolder = userFolder_ + "/" + kTrashFolder;
    std::error_code ec;
    fs::create_directories(trashFolder, ec);
    if (ec) {
        return Error{"cannot delete " + quotedName(user->name) +
                     ": cannot create the trash folder '" + trashFolder + "': " + ec.message()};
    }
    long sequence = 0;
    for (const auto& file : fs::directory_iterator(trashFolder, ec)) {
        sequence = std::max(sequence, trashSequence(file.path()));
    }
    const std::string target = trashFolder + "/" + std::to_string(sequence + 1) + "-" +
                               fs::path(user->path).filename().string();
    fs::rename(user->path, target, ec);
    if (ec) {
        return Error{"cannot delete " + quotedName(user->name) + ": " + ec.message()};
    }
    // The backup belongs to the file's history; the trashed file itself is what undo restores.
    fs::remove(PresetWriter::backupPath(user->path), ec);
    return TrashedPreset{user->name, target};
}

Result<PresetEntry> PresetLibrary::restore(const TrashedPreset& trashed) {
    std::error_code ec;
    if (!fs::is_regular_file(trashed.path, ec)) {
        return Error{"cannot restore " + quotedName(trashed.name) +
                     ": it is no longer in the trash (was the trash emptied?)"};
    }
    auto read = PresetReader::readFile(trashed.path);
    if (!read) {
        // A file that was already unreadable goes back as it was, under a free file name.
        if (auto made = ensureUserFolder(); !made) {
            return Error{made.error()};
        }
        const std::string target = unusedUserPath(trashed.name);
        fs::rename(trashed.path, target, ec);
        if (ec) {
            return Error{"cannot restore " + quotedName(trashed.name) + ": " + ec.message()};
        }
        return PresetEntry{fs::path(target).stem().string(), target, false, read.error()};
    }
    Preset preset = std::move(read->preset);
    const std::string name = unusedName(preset.name);
    if (name == preset.name) {
        // Undo puts back the very file that was deleted.
        if (auto made = ensureUserFolder(); !made) {
            return Error{made.error()};
        }
        const std::string target = unusedUserPath(name);
        fs::rename(trashed.path, target, ec);
        if (ec) {
            return Error{"cannot restore " + quotedName(trashed.name) + ": " + ec.message()};
        }
        return PresetEntry{name, target, false, {}};
    }
    preset.name = name;
    auto written = writeUser(preset, unusedUserPath(preset.name));
    if (written) {
        fs::remove(trashed.path, ec);
    }
    return written;
}

std::vector<TrashedPreset> PresetLibrary::trash() const {
    std::vector<std::pair<long, TrashedPreset>> found;
    std::error_code ec;
    for (const auto& file : fs::directory_iterator(userFolder_ + "/" + kTrashFolder, ec)) {
        if (!isPresetFile(file)) {
            continue;
        }
        TrashedPreset trashed;
        trashed.path = file.path().string();
        auto read = PresetReader::readFile(trashed.path);
        if (read) {
            trashed.name = read->preset.name;
        } else {
            const std::string stem = file.path().stem().string();
            trashed.name =
                stem.substr(stem.find('-') == std::string::npos ? 0 : stem.find('-') + 1);
        }
        found.emplace_back(trashSequence(file.path()), std::move(trashed));
    }
    std::sort(found.begin(), found.end(),
              [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<TrashedPreset> result;
    for (auto& [sequence, trashed] : found) {
        result.push_back(std::move(trashed));
    }
    return result;
}

Status PresetLibrary::emptyTrash() {
    std::error_code ec;
    fs::remove_all(userFolder_ + "/" + kTrashFolder, ec);
    if (ec) {
        return Error{"cannot empty the preset trash: " + ec.message()};
    }
    return {};
}

Result<ImportedPreset> PresetLibrary::import(const std::string& path) {
    // Reading, validating and building the chain, exactly as loading it into the rack would:
    // a file that would not load is never added.
    auto loaded = PresetLoader::load(path);
    if (!loaded) {
        return Error{loaded.error()};
    }
    Preset preset = std::move(loaded->preset);
    auto name = checkName(preset.name);
    preset.name = unusedName(name ? *name : fs::path(path).stem().string());
    auto written = writeUser(preset, unusedUserPath(preset.name));
    if (!written) {
        return Error{"cannot import '" + path + "': " + written.error()};
    }
    return ImportedPreset{std::move(*written), std::move(loaded->warnings)};
}

Status PresetLibrary::exportTo(const std::string& name, const std::string& path) const {
    const auto entry = find(name);
    if (!entry) {
        return Error{"cannot export: there is no preset called " + quotedName(name)};
    }
    if (!entry->problem.empty()) {
        return Error{"cannot export " + quotedName(entry->name) + ": " + entry->problem};
    }
    auto bytes = AtomicFile::read(entry->path, Preset::kMaxFileBytes, "preset");
    if (!bytes) {
        return Error{bytes.error()};
    }
    // The file replaced may be the only copy of something the user cares about: kept as .bak.
    return AtomicFile::write(path, *bytes, AtomicFile::Backup::Keep, "exported preset");
}

}  // namespace liverack::core
