#include "core/dsp/lv2/Lv2Catalogue.h"

#include <lv2/atom/atom.h>
#include <lv2/buf-size/buf-size.h>
#include <lv2/core/lv2.h>
#include <lv2/log/log.h>
#include <lv2/options/options.h>
#include <lv2/port-groups/port-groups.h>
#include <lv2/port-props/port-props.h>
#include <lv2/resize-port/resize-port.h>
#include <lv2/state/state.h>
#include <lv2/units/units.h>
#include <lv2/urid/urid.h>
#include <lv2/worker/worker.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "core/dsp/lv2/Lv2World.h"

namespace liverack::core {
namespace {

constexpr const char* kIsSideChain = LV2_CORE_PREFIX "isSideChain";
constexpr uint32_t kDefaultAtomBytes = 8192;

std::string asString(const LilvNode* node) {
    if (node == nullptr) {
        return {};
    }
    const char* text = lilv_node_as_string(node);
    return text == nullptr ? std::string() : std::string(text);
}

// Takes ownership of a node lilv returned and gives its text.
std::string takeString(LilvNode* node) {
    std::string text = asString(node);
    lilv_node_free(node);
    return text;
}

// The rack's groups, from the LV2 class of the plugin or of its parent class.
std::string groupOfClass(const std::string& classUri) {
    static const std::map<std::string, std::string> groups = {
        {LV2_CORE__EQPlugin, "EQ"},
        {LV2_CORE__ParaEQPlugin, "EQ"},
        {LV2_CORE__MultiEQPlugin, "EQ"},
        {LV2_CORE__DynamicsPlugin, "Dynamics"},
        {LV2_CORE__CompressorPlugin, "Dynamics"},
        {LV2_CORE__ExpanderPlugin, "Dynamics"},
        {LV2_CORE__GatePlugin, "Dynamics"},
        {LV2_CORE__LimiterPlugin, "Dynamics"},
        {LV2_CORE__EnvelopePlugin, "Dynamics"},
        {LV2_CORE__DelayPlugin, "Delay"},
        {LV2_CORE__ReverbPlugin, "Reverb"},
        {LV2_CORE__PitchPlugin, "Pitch"},
        {LV2_CORE__ModulatorPlugin, "Modulation"},
        {LV2_CORE__ChorusPlugin, "Modulation"},
        {LV2_CORE__FlangerPlugin, "Modulation"},
        {LV2_CORE__PhaserPlugin, "Modulation"},
        {LV2_CORE__DistortionPlugin, "Distortion"},
        {LV2_CORE__WaveshaperPlugin, "Distortion"},
        {LV2_CORE__SimulatorPlugin, "Distortion"},
        {LV2_CORE__FilterPlugin, "Filter"},
        {LV2_CORE__AllpassPlugin, "Filter"},
        {LV2_CORE__BandpassPlugin, "Filter"},
        {LV2_CORE__CombPlugin, "Filter"},
        {LV2_CORE__HighpassPlugin, "Filter"},
        {LV2_CORE__LowpassPlugin, "Filter"},
        {LV2_CORE__SpatialPlugin, "Spatial"},
        {LV2_CORE__SpectralPlugin, "Spectral"},
        {LV2_CORE__AnalyserPlugin, "Analyser"},
        {LV2_CORE__UtilityPlugin, "Utility"},
        {LV2_CORE__ConverterPlugin, "Utility"},
        {LV2_CORE__FunctionPlugin, "Utility"},
        {LV2_CORE__MixerPlugin, "Utility"},
        {LV2_CORE__GeneratorPlugin, "Generator"},
        {LV2_CORE__InstrumentPlugin, "Generator"},
        {LV2_CORE__OscillatorPlugin, "Generator"},
        {LV2_CORE__ConstantPlugin, "Generator"},
    };
    const auto found = groups.find(classUri);
    return found == groups.end() ? std::string() : found->second;
}

std::string unitSymbol(Lv2World& world, const LilvPlugin* plugin, const LilvPort* port) {
    static const std::map<std::string, std::string> symbols = {
        {LV2_UNITS__db, "dB"},         {LV2_UNITS__hz, "Hz"},
        {LV2_UNITS__khz, "kHz"},       {LV2_UNITS__mhz, "MHz"},
        {LV2_UNITS__ms, "ms"},         {LV2_UNITS__s, "s"},
        {LV2_UNITS__min, "min"},       {LV2_UNITS__pc, "%"},
        {LV2_UNITS__cent, "cents"},    {LV2_UNITS__semitone12TET, "semitones"},
        {LV2_UNITS__bpm, "BPM"},       {LV2_UNITS__beat, "beats"},
        {LV2_UNITS__bar, "bars"},      {LV2_UNITS__degree, "°"},
        {LV2_UNITS__oct, "octaves"},   {LV2_UNITS__frame, "frames"},
        {LV2_UNITS__midiNote, "note"}, {LV2_UNITS__m, "m"},
        {LV2_UNITS__cm, "cm"},         {LV2_UNITS__mm, "mm"},
        {LV2_UNITS__km, "km"},         {LV2_UNITS__inch, "in"},
        {LV2_UNITS__coef, ""},
    };
    LilvNodes* units = lilv_port_get_value(plugin, port, world.node(LV2_UNITS__unit));
    std::string result;
    if (units != nullptr && lilv_nodes_size(units) > 0) {
        const LilvNode* unit = lilv_nodes_get(units, lilv_nodes_begin(units));
        const auto found = symbols.find(asString(unit));
        if (found != symbols.end()) {
            result = found->second;
        } else if (lilv_node_is_uri(unit) || lilv_node_is_blank(unit)) {
            // A unit the plugin defines itself carries its own symbol.
            result = takeString(
                lilv_world_get(world.world(), unit, world.node(LV2_UNITS__symbol), nullptr));
        }
    }
    lilv_nodes_free(units);
    return result;
}

// LSP and others mark side chains by the port group: a group that is pg:sideChainOf another.
bool inSideChainGroup(Lv2World& world, const LilvPlugin* plugin, const LilvPort* port) {
    LilvNode* group = lilv_port_get(plugin, port, world.node(LV2_PORT_GROUPS__group));
    if (group == nullptr) {
        return false;
    }
    const bool sideChain =
        lilv_world_ask(world.world(), group, world.node(LV2_PORT_GROUPS__sideChainOf), nullptr);
    lilv_node_free(group);
    return sideChain;
}

struct ScalePoint {
    float value;
    std::string label;
};

std::vector<ScalePoint> scalePoints(const LilvPlugin* plugin, const LilvPort* port) {
    std::vector<ScalePoint> points;
    LilvScalePoints* found = lilv_port_get_scale_points(plugin, port);
    if (found == nullptr) {
        return points;
    }
    LILV_FOREACH(scale_points, it, found) {
        const LilvScalePoint* point = lilv_scale_points_get(found, it);
        const LilvNode* value = lilv_scale_point_get_value(point);
        if (value != nullptr && (lilv_node_is_float(value) || lilv_node_is_int(value))) {
            points.push_back(
                {lilv_node_as_float(value), asString(lilv_scale_point_get_label(point))});
        }
    }
    lilv_scale_points_free(found);
    std::sort(points.begin(), points.end(),
              [](const ScalePoint& a, const ScalePoint& b) { return a.value < b.value; });
    return points;
}

ParameterInfo parameterOf(Lv2World& world, const LilvPlugin* plugin, const LilvPort* port,
                          const Lv2Port& described, float min, float max, float def) {
    auto has = [&](const char* property) {
        return lilv_port_has_property(plugin, port, world.node(property));
    };
    if (!std::isfinite(min)) {
        min = 0.0f;
    }
    if (!std::isfinite(max) || max < min) {
        max = std::max(min, 1.0f);
    }
    if (!std::isfinite(def)) {
        def = min;
    }
    def = std::clamp(def, min, max);
    if (has(LV2_CORE__sampleRate)) {
        // Bounds given as fractions of the rate; shown for 48 kHz, the usual stream rate.
        min *= 48000.0f;
        max *= 48000.0f;
        def *= 48000.0f;
    }
    const std::string unit = unitSymbol(world, plugin, port);
    if (has(LV2_CORE__toggled)) {
        ParameterInfo info = ParameterInfo::toggle(described.symbol, described.name, def > 0.0f);
        info.unit = unit;
        return info;
    }
    if (has(LV2_CORE__enumeration)) {
        const std::vector<ScalePoint> points = scalePoints(plugin, port);
        if (!points.empty()) {
            std::vector<std::string> labels;
            std::vector<float> values;
            int defaultIndex = 0;
            for (size_t i = 0; i < points.size(); ++i) {
                labels.push_back(points[i].label.empty() ? std::to_string(points[i].value)
                                                         : points[i].label);
                values.push_back(points[i].value);
                if (std::fabs(points[i].value - def) <
                    std::fabs(points[static_cast<size_t>(defaultIndex)].value - def)) {
                    defaultIndex = static_cast<int>(i);
                }
            }
            ParameterInfo info =
                ParameterInfo::choice(described.symbol, described.name, labels, defaultIndex);
            info.choiceValues = std::move(values);
            return info;
        }
    }
    const bool logarithmic = has(LV2_PORT_PROPS__logarithmic) && min > 0.0f;
    const float step = has(LV2_CORE__integer) ? 1.0f : 0.0f;
    return ParameterInfo::continuous(
        described.symbol, described.name, unit, min, max, def,
        logarithmic ? ParameterSkew::Logarithmic : ParameterSkew::Linear, step);
}

std::shared_ptr<Lv2PluginInfo> describe(Lv2World& world, const LilvPlugin* plugin) {
    auto info = std::make_shared<Lv2PluginInfo>();
    info->plugin = plugin;
    info->uri = asString(lilv_plugin_get_uri(plugin));
    info->name = takeString(lilv_plugin_get_name(plugin));
    if (info->name.empty()) {
        info->name = info->uri;
    }
    info->author = takeString(lilv_plugin_get_author_name(plugin));
    const LilvPluginClass* pluginClass = lilv_plugin_get_class(plugin);
    info->className = asString(lilv_plugin_class_get_label(pluginClass));
    info->group = groupOfClass(asString(lilv_plugin_class_get_uri(pluginClass)));
    if (info->group.empty()) {
        info->group = groupOfClass(asString(lilv_plugin_class_get_parent_uri(pluginClass)));
    }
    if (info->group.empty()) {
        info->group = "Other";
    }

    LilvNodes* required = lilv_plugin_get_required_features(plugin);
    LILV_FOREACH(nodes, it, required) {
        info->requiredFeatures.push_back(asString(lilv_nodes_get(required, it)));
    }
    lilv_nodes_free(required);
    info->hasWorker = lilv_plugin_has_extension_data(plugin, world.node(LV2_WORKER__interface));
    info->hasState = lilv_plugin_has_extension_data(plugin, world.node(LV2_STATE__interface));
    info->loadsDefaultState =
        lilv_plugin_has_feature(plugin, world.node(LV2_STATE__loadDefaultState));

    const uint32_t portCount = lilv_plugin_get_num_ports(plugin);
    std::vector<float> mins(portCount), maxs(portCount), defs(portCount);
    lilv_plugin_get_port_ranges_float(plugin, mins.data(), maxs.data(), defs.data());
    std::vector<std::string> problems;
    for (uint32_t i = 0; i < portCount; ++i) {
        const LilvPort* port = lilv_plugin_get_port_by_index(plugin, i);
        auto is = [&](const char* classUri) {
            return lilv_port_is_a(plugin, port, world.node(classUri));
        };
        auto has = [&](const char* property) {
            return lilv_port_has_property(plugin, port, world.node(property));
        };
        Lv2Port described;
        described.index = i;
        described.symbol = asString(lilv_port_get_symbol(plugin, port));
        described.name = takeString(lilv_port_get_name(plugin, port));
        if (described.name.empty()) {
            described.name = described.symbol;
        }
        described.isInput = is(LV2_CORE__InputPort);
        described.optional = has(LV2_CORE__connectionOptional);
        described.defaultValue = std::isfinite(defs[i]) ? defs[i] : 0.0f;
        if (is(LV2_CORE__AudioPort)) {
            described.kind = Lv2Port::Kind::Audio;
        } else if (is(LV2_CORE__ControlPort)) {
            described.kind = Lv2Port::Kind::Control;
        } else if (is(LV2_ATOM__AtomPort)) {
            described.kind = Lv2Port::Kind::Atom;
        } else if (is(LV2_CORE__CVPort)) {
            described.kind = Lv2Port::Kind::Cv;
        }
        LilvNode* designation = lilv_port_get(plugin, port, world.node(LV2_CORE__designation));
        const std::string designated = takeString(designation);
        if (has(kIsSideChain) || inSideChainGroup(world, plugin, port)) {
            described.role = Lv2Port::Role::SideChain;
        } else if (described.kind == Lv2Port::Kind::Audio) {
            described.role = Lv2Port::Role::Main;
        }
        if (described.kind == Lv2Port::Kind::Control) {
            if (!described.isInput &&
                (has(LV2_CORE__reportsLatency) || designated == LV2_CORE__latency)) {
                described.role = Lv2Port::Role::Latency;
                info->latencyPort = static_cast<int>(i);
            } else if (described.isInput && designated == LV2_CORE__enabled) {
                described.role = Lv2Port::Role::Enabled;  // the rack's bypass does this
            } else if (described.isInput && designated == LV2_CORE__freeWheeling) {
                described.role = Lv2Port::Role::FreeWheeling;
            } else if (described.isInput) {
                described.parameter = static_cast<int>(info->effectInfo.parameters.size());
                info->effectInfo.parameters.push_back(
                    parameterOf(world, plugin, port, described, mins[i], maxs[i], defs[i]));
            } else {
                described.output = static_cast<int>(info->effectInfo.outputs.size());
                ParameterInfo output =
                    parameterOf(world, plugin, port, described, mins[i], maxs[i], defs[i]);
                info->effectInfo.outputs.push_back(std::move(output));
            }
        }
        if (described.kind == Lv2Port::Kind::Atom) {
            LilvNode* size = lilv_port_get(plugin, port, world.node(LV2_RESIZE_PORT__minimumSize));
            const int asked =
                size != nullptr && lilv_node_is_int(size) ? lilv_node_as_int(size) : 0;
            lilv_node_free(size);
            described.atomBytes =
                std::max<uint32_t>(kDefaultAtomBytes, static_cast<uint32_t>(std::max(asked, 0)));
        }
        if (described.kind == Lv2Port::Kind::Audio && described.role == Lv2Port::Role::Main) {
            (described.isInput ? info->mainInputs : info->mainOutputs) += 1;
        }
        if (described.kind == Lv2Port::Kind::Other && !described.optional) {
            problems.push_back("its port \"" + described.symbol +
                               "\" is of a kind LiveRack does not connect");
        }
        info->ports.push_back(std::move(described));
    }

    for (const std::string& feature : info->requiredFeatures) {
        const auto& provided = Lv2Catalogue::providedFeatures();
        if (std::find(provided.begin(), provided.end(), feature) == provided.end()) {
            problems.insert(problems.begin(), "it requires the feature " + feature +
                                                  ", which LiveRack does not provide");
        }
    }
    if (info->mainInputs == 0) {
        problems.push_back("it has no audio input (an instrument or generator, not an effect)");
    } else if (info->mainInputs > 2 || info->mainOutputs == 0 || info->mainOutputs > 2) {
        auto count = [](uint32_t n, const char* what) {
            return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
        };
        problems.push_back("it has " + count(info->mainInputs, "audio input") + " and " +
                           count(info->mainOutputs, "output") +
                           "; LiveRack hosts effects with one or two of each");
    }
    if (!problems.empty()) {
        info->unsupportedReason = "cannot be added: " + problems.front();
    }

    info->effectInfo.typeId = "lv2";
    info->effectInfo.displayName = info->name;
    info->effectInfo.pluginUri = info->uri;
    info->effectInfo.author = info->author;
    // reset() swaps in a freshly activated instance, so it is exact.
    info->effectInfo.resetIsExact = true;
    return info;
}

}  // namespace

Lv2Catalogue& Lv2Catalogue::shared() {
    static Lv2Catalogue instance;
    return instance;
}

Lv2Catalogue::Lv2Catalogue() {
    listBundles();
}

void Lv2Catalogue::listBundles() {
    Lv2World& world = Lv2World::shared();
    std::map<std::string, const LilvPlugin*> installed;
    {
        std::lock_guard lilvLock(world.lilvMutex());
        const LilvPlugins* all = lilv_world_get_all_plugins(world.world());
        LILV_FOREACH(plugins, it, all) {
            const LilvPlugin* plugin = lilv_plugins_get(all, it);
            installed.emplace(asString(lilv_plugin_get_uri(plugin)), plugin);
        }
    }
    std::lock_guard lock(mutex_);
    installed_ = std::move(installed);
    described_.clear();
    sorted_.clear();
    scanSeconds_ = 0.0;
}

void Lv2Catalogue::rescan() {
    Lv2World::shared().loadNewBundles();
    listBundles();
}

std::shared_ptr<const Lv2PluginInfo> Lv2Catalogue::describedLocked(const std::string& uri) const {
    const auto cached = described_.find(uri);
    if (cached != described_.end()) {
        return cached->second;
    }
    const auto plugin = installed_.find(uri);
    if (plugin == installed_.end()) {
        return nullptr;
    }
    Lv2World& world = Lv2World::shared();
    std::shared_ptr<const Lv2PluginInfo> info;
    {
        std::lock_guard lilvLock(world.lilvMutex());
        info = describe(world, plugin->second);
    }
    described_.emplace(uri, info);
    return info;
}

std::vector<std::shared_ptr<const Lv2PluginInfo>> Lv2Catalogue::plugins() const {
    std::lock_guard lock(mutex_);
    if (sorted_.size() != installed_.size()) {
        const auto start = std::chrono::steady_clock::now();
        std::vector<std::shared_ptr<const Lv2PluginInfo>> all;
        for (const auto& [uri, plugin] : installed_) {
            all.push_back(describedLocked(uri));
        }
        std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
            return a->name != b->name ? a->name < b->name : a->uri < b->uri;
        });
        sorted_ = std::move(all);
        scanSeconds_ =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    return sorted_;
}

std::shared_ptr<const Lv2PluginInfo> Lv2Catalogue::find(std::string_view uri) const {
    std::lock_guard lock(mutex_);
    return describedLocked(std::string(uri));
}

double Lv2Catalogue::lastScanSeconds() const {
    std::lock_guard lock(mutex_);
    return scanSeconds_;
}

const std::vector<std::string>& Lv2Catalogue::providedFeatures() {
    static const std::vector<std::string> features = {
        LV2_URID__map,
        LV2_URID__unmap,
        LV2_OPTIONS__options,
        LV2_BUF_SIZE__boundedBlockLength,
        LV2_WORKER__schedule,
        LV2_LOG__log,
        LV2_STATE__loadDefaultState,
        LV2_CORE__hardRTCapable,
        LV2_CORE__inPlaceBroken,  // inputs and outputs always have buffers of their own
        LV2_CORE__isLive,
    };
    return features;
}

std::string Lv2Catalogue::debianPackageFor(std::string_view uri) {
    static const std::vector<std::pair<std::string_view, std::string_view>> packages = {
        {"http://gareus.org/oss/lv2/", "x42-plugins"},
        {"http://lsp-plug.in/", "lsp-plugins-lv2"},
        {"http://calf.sourceforge.net/", "calf-plugins"},
        {"urn:zamaudio:", "zam-plugins"},
        {"urn:dragonfly:", "dragonfly-reverb-lv2"},
        {"http://guitarix.sourceforge.net/", "guitarix-lv2"},
        {"http://drobilla.net/plugins/mda/", "mda-lv2"},
        {"http://eq10q.sourceforge.net/", "eq10q"},
        {"http://invadarecords.com/plugins/lv2/", "invada-studio-plugins-lv2"},
        {"http://plugin.org.uk/swh-plugins/", "swh-lv2"},
    };
    for (const auto& [prefix, package] : packages) {
        if (uri.starts_with(prefix)) {
            return std::string(package);
        }
    }
    return {};
}

}  // namespace liverack::core
