#include "core/dsp/lv2/Lv2World.h"

#include <dlfcn.h>

namespace liverack::core {

Lv2World& Lv2World::shared() {
    static Lv2World instance;
    return instance;
}

Lv2World::Lv2World() : world_(lilv_world_new()) {
    mapFeature_.handle = this;
    mapFeature_.map = [](LV2_URID_Map_Handle handle, const char* uri) {
        return static_cast<Lv2World*>(handle)->map(uri);
    };
    unmapFeature_.handle = this;
    unmapFeature_.unmap = [](LV2_URID_Unmap_Handle handle, LV2_URID urid) {
        return static_cast<Lv2World*>(handle)->unmap(urid);
    };
    std::lock_guard lock(lilvMutex_);
    lilv_world_load_all(world_);
}

Lv2World::~Lv2World() {
    for (auto& [uri, n] : nodes_) {
        lilv_node_free(n);
    }
    lilv_world_free(world_);
}

void Lv2World::loadNewBundles() {
    std::lock_guard lock(lilvMutex_);
    lilv_world_load_all(world_);
}

LV2_URID Lv2World::map(const char* uri) {
    if (uri == nullptr) {
        return 0;
    }
    std::lock_guard lock(mapMutex_);
    const auto found = ids_.find(uri);
    if (found != ids_.end()) {
        return found->second;
    }
    uris_.emplace_back(uri);
    const auto id = static_cast<LV2_URID>(uris_.size());
    ids_.emplace(uris_.back(), id);
    return id;
}

const char* Lv2World::unmap(LV2_URID urid) {
    std::lock_guard lock(mapMutex_);
    if (urid == 0 || urid > uris_.size()) {
        return nullptr;
    }
    return uris_[urid - 1].c_str();
}

const LilvNode* Lv2World::node(const char* uri) {
    // Called with lilvMutex_ held by the caller (all lilv use is under it).
    auto& slot = nodes_[uri];
    if (slot == nullptr) {
        slot = lilv_new_uri(world_, uri);
    }
    return slot;
}

void Lv2World::pinLibrary(const LilvPlugin* plugin) {
    const LilvNode* library = lilv_plugin_get_library_uri(plugin);
    if (library == nullptr || !lilv_node_is_uri(library)) {
        return;
    }
    char* path = lilv_file_uri_parse(lilv_node_as_uri(library), nullptr);
    if (path == nullptr) {
        return;
    }
    if (pinned_.find(path) == pinned_.end()) {
        // RTLD_NODELETE: lilv's later dlclose leaves it mapped. A library that does not load
        // is left to lilv, which reports it and fails the instantiation.
        if (void* handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE)) {
            pinned_.emplace(path, handle);
        }
    }
    lilv_free(path);
}

}  // namespace liverack::core
