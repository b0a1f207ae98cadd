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

private:
    Lv2World();

    LilvWorld* world_ = nullptr;
    std::mutex lilvMutex_;
    std::mutex mapMutex_;
    std::unordered_map<std::string, LV2_URID> ids_;
    std::deque<std::string> uris_;  // index = urid - 1; deque keeps c_str() stable
    std::unordered_map<std::string, LilvNode*> nodes_;
    LV2_URID_Map mapFeature_{};
    LV2_URID_Unmap unmapFeature_{};
};

}  // namespace liverack::core
