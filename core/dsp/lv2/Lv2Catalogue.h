// The installed LV2 plugins, scanned off the audio thread (and again on request), sorted by
// name. Each entry says whether LiveRack can host the plugin and, if not, why. Listing the
// bundles is quick; reading a plugin's ports is not (LSP's descriptions are large), so a plugin
// is described when first asked for: find() reads one, plugins() all of them.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/dsp/lv2/Lv2PluginInfo.h"

namespace liverack::core {

class Lv2Catalogue {
public:
    // Scans on first use.
    static Lv2Catalogue& shared();

    std::vector<std::shared_ptr<const Lv2PluginInfo>> plugins() const;
    // nullptr when no installed plugin has this URI.
    std::shared_ptr<const Lv2PluginInfo> find(std::string_view uri) const;
    // Loads bundles installed since and rebuilds the list (entries already handed out live on).
    void rescan();
    // How long the last full description of every plugin took (0 before plugins() was called).
    double lastScanSeconds() const;

    // The LV2 features LiveRack provides to plugins.
    static const std::vector<std::string>& providedFeatures();
    // The Debian package that ships plugins under this URI ("x42-plugins"), or "" if unknown.
    static std::string debianPackageFor(std::string_view uri);

private:
    Lv2Catalogue();
    void listBundles();
    // Called with mutex_ held.
    std::shared_ptr<const Lv2PluginInfo> describedLocked(const std::string& uri) const;

    mutable std::mutex mutex_;
    std::map<std::string, const LilvPlugin*> installed_;  // URI -> lilv's plugin
    mutable std::map<std::string, std::shared_ptr<const Lv2PluginInfo>> described_;
    mutable std::vector<std::shared_ptr<const Lv2PluginInfo>> sorted_;  // all, once described
    mutable double scanSeconds_ = 0.0;
};

}  // namespace liverack::core
