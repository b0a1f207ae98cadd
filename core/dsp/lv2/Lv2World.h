// The one lilv world of the process: every installed LV2 bundle (LV2_PATH honoured), the URID
// map every hosted plugin shares, and the lock that serialises lilv (which is not thread-safe).
// Used off the audio thread only; plugins may call map/unmap from any thread.
#pragma once

#include <lilv/lilv.h>
#include <lv2/urid/urid.h>

#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace liverack::core {

class Lv2World {
public:
    // Loads every installed bundle on first use.
    static Lv2World& shared();

    ~Lv2World();
    Lv2World(const Lv2World&) = delete;
    Lv2World& operator=(const Lv2World&) = delete;

    LilvWorld* world() noexcept { return world_; }
    // Held around every lilv call (loading, plugin data, instantiation, freeing an instance).
    std::mutex& lilvMutex() noexcept { return lilvMutex_; }
    // Loads bundles installed since the last scan (lilv skips those it has).
    void loadNewBundles();

    LV2_URID map(const char* uri);
    const char* unmap(LV2_URID urid);
    LV2_URID_Map* mapFeature() noexcept { return &mapFeature_; }
    LV2_URID_Unmap* unmapFeature() noexcept { return &unmapFeature_; }

    // A node for a URI, made once and owned by the world.
    const LilvNode* node(const char* uri);
    // Keeps the plugin's library loaded until the process ends (call with lilvMutex() held).
    // lilv unloads a library with its last instance; plugins and the libraries they bring
    // (FFTW) keep static data that is lost, and leaked, on every unload, and some do not
    // survive being loaded again. Most hosts keep plugin libraries loaded for the same reason.
    void pinLibrary(const LilvPlugin* plugin);

private:
    Lv2World();

    LilvWorld* world_ = nullptr;
    std::mutex lilvMutex_;
    std::mutex mapMutex_;
    std::unordered_map<std::string, LV2_URID> ids_;
    std::deque<std::string> uris_;  // index = urid - 1; deque keeps c_str() stable
    std::unordered_map<std::string, LilvNode*> nodes_;
    std::unordered_map<std::string, void*> pinned_;  // library path -> dlopen handle
    LV2_URID_Map mapFeature_{};
    LV2_URID_Unmap unmapFeature_{};
};

}  // namespace liverack::core
