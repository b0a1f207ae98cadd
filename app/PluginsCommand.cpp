// `liverack plugins [--json]`: the installed LV2 plugins as core::Lv2Catalogue describes them
// (group, URI, ports, parameters), and for each one LiveRack cannot host, the reason why.
#include <QCommandLineParser>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/Commands.h"
#include "core/dsp/lv2/Lv2Catalogue.h"

namespace liverack::app {
namespace {

using PluginList = std::vector<std::shared_ptr<const core::Lv2PluginInfo>>;

const char* kindName(core::ParameterKind kind) {
    switch (kind) {
        case core::ParameterKind::Choice:
            return "choice";
        case core::ParameterKind::Toggle:
            return "toggle";
        case core::ParameterKind::Continuous:
            break;
    }
    return "continuous";
}

// Choice values are indices into "choices", as presets and the panels use them.
nlohmann::json parameterJson(const core::ParameterInfo& p) {
    nlohmann::json out{{"symbol", p.id},           {"name", p.name},    {"unit", p.unit},
                       {"kind", kindName(p.kind)}, {"min", p.minValue}, {"max", p.maxValue},
                       {"default", p.defaultValue}};
    if (p.kind == core::ParameterKind::Choice) {
        out["choices"] = p.choices;
    }
    if (p.kind == core::ParameterKind::Continuous) {
        out["logarithmic"] = p.skew == core::ParameterSkew::Logarithmic;
        out["integer"] = p.step > 0.0f;
    }
    return out;
}

nlohmann::json pluginJson(const core::Lv2PluginInfo& plugin) {
    nlohmann::json out{{"uri", plugin.uri},         {"name", plugin.name},
                       {"class", plugin.className}, {"group", plugin.group},
                       {"author", plugin.author},   {"supported", plugin.supported()}};
    if (!plugin.supported()) {
        out["reason"] = plugin.unsupportedReason;
    }
    const std::string package = core::Lv2Catalogue::debianPackageFor(plugin.uri);
    if (!package.empty()) {
        out["package"] = package;
    }
    out["audio_inputs"] = plugin.mainInputs;
    out["audio_outputs"] = plugin.mainOutputs;
    out["latency"] = plugin.latencyPort >= 0;
    out["worker"] = plugin.hasWorker;
    out["state"] = plugin.hasState;
    out["required_features"] = plugin.requiredFeatures;
    out["parameters"] = nlohmann::json::array();
    for (const auto& p : plugin.effectInfo.parameters) {
        out["parameters"].push_back(parameterJson(p));
    }
    out["outputs"] = nlohmann::json::array();
    for (const auto& o : plugin.effectInfo.outputs) {
        out["outputs"].push_back(parameterJson(o));
    }
    return out;
}

// One line per plugin, by group and then by name (the catalogue's order), in aligned columns.
void printTable(const PluginList& plugins, double scanSeconds) {
    const auto supported =
        std::count_if(plugins.begin(), plugins.end(), [](const auto& p) { return p->supported(); });
    // Milliseconds below a second: a few bundles take a few, and "0.00 s" would say nothing.
    const bool inSeconds = scanSeconds >= 1.0;
    std::printf("%zu LV2 plugin%s found (%lld can be added), described in %.*f %s\n",
                plugins.size(), plugins.size() == 1 ? "" : "s", static_cast<long long>(supported),
                inSeconds ? 2 : 0, inSeconds ? scanSeconds : scanSeconds * 1000.0,
                inSeconds ? "s" : "ms");
    if (plugins.empty()) {
        std::printf(
            "Install some (x42-plugins, lsp-plugins-lv2, ...), or point LV2_PATH at them.\n");
        return;
    }
    PluginList byGroup = plugins;
    std::stable_sort(byGroup.begin(), byGroup.end(),
                     [](const auto& a, const auto& b) { return a->group < b->group; });
    size_t groupWidth = 0;
    size_t nameWidth = 0;
    for (const auto& p : byGroup) {
        groupWidth = std::max(groupWidth, p->group.size());
        nameWidth = std::max(nameWidth, std::min<size_t>(p->name.size(), 40));
    }
    for (const auto& p : byGroup) {
        std::printf("%-*s  %-*s  %s%s%s\n", static_cast<int>(groupWidth), p->group.c_str(),
                    static_cast<int>(nameWidth), p->name.c_str(), p->uri.c_str(),
                    p->supported() ? "" : "  -- ", p->unsupportedReason.c_str());
    }
}

}  // namespace

int runPluginsCommand(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "List the installed LV2 plugins (searched on LV2_PATH, or ~/.lv2, /usr/local/lib/lv2\n"
        "and /usr/lib/lv2): group, name and URI, and for a plugin LiveRack cannot add, why.");
    parser.addHelpOption();
    parser.addOption({"json", "Print JSON, with parameters and outputs, instead of a table."});
    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "liverack plugins: %s\nTry 'liverack plugins --help'.\n",
                     qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet("help") || parser.isSet("help-all")) {
        parser.showHelp(0);
    }
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr,
                     "liverack plugins: unexpected argument '%s'\n"
                     "Try 'liverack plugins --help'.\n",
                     qPrintable(parser.positionalArguments().first()));
        return 2;
    }

    const auto& catalogue = core::Lv2Catalogue::shared();
    const PluginList plugins = catalogue.plugins();
    const double scanSeconds = catalogue.lastScanSeconds();

    if (parser.isSet("json")) {
        nlohmann::json out{{"count", plugins.size()}, {"scan_seconds", scanSeconds}};
        out["plugins"] = nlohmann::json::array();
        for (const auto& p : plugins) {
            out["plugins"].push_back(pluginJson(*p));
        }
        // Plugin metadata is not always valid UTF-8; replace rather than throw.
        std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    } else {
        printTable(plugins, scanSeconds);
    }
    std::cout.flush();
    return std::fflush(stdout) == 0 && std::cout.good() ? 0 : 1;
}

}  // namespace liverack::app
