// A tiny LV2 plugin for the host tests: it asks for its gain through the worker (scheduled in
// run(), answered on the host's worker thread, applied in work_response), keeps the gain as
// state, and logs from run(). Real plugins use these paths only for file loading and such, which
// a test cannot drive; this one uses them for everything.
#include <lv2/atom/atom.h>
#include <lv2/core/lv2.h>
#include <lv2/core/lv2_util.h>
#include <lv2/log/log.h>
#include <lv2/state/state.h>
#include <lv2/urid/urid.h>
#include <lv2/worker/worker.h>

#include <cstdlib>
#include <cstring>

namespace {

constexpr const char* kUri = "urn:liverack:test:worker-gain";
constexpr const char* kGainKey = "urn:liverack:test:worker-gain#gain";

struct Plugin {
    const float* in = nullptr;
    float* out = nullptr;
    const float* request = nullptr;
    float* applied = nullptr;
    float* responses = nullptr;
    LV2_Worker_Schedule* schedule = nullptr;
    LV2_Log_Log* log = nullptr;
    LV2_URID gainKey = 0;
    LV2_URID floatType = 0;
    LV2_URID logNote = 0;
    float gain = 1.0f;
    float requested = 1.0f;
    float responseCount = 0.0f;
};

LV2_Handle instantiate(const LV2_Descriptor*, double, const char*,
                       const LV2_Feature* const* features) {
    LV2_URID_Map* map = nullptr;
    LV2_Worker_Schedule* schedule = nullptr;
    LV2_Log_Log* log = nullptr;
    const char* missing =
        lv2_features_query(features, LV2_URID__map, &map, true, LV2_WORKER__schedule, &schedule,
                           true, LV2_LOG__log, &log, false, nullptr);
    if (missing != nullptr) {
        return nullptr;
    }
    auto* self = new Plugin();
    self->schedule = schedule;
    self->log = log;
    self->gainKey = map->map(map->handle, kGainKey);
    self->floatType = map->map(map->handle, LV2_ATOM__Float);
    self->logNote = map->map(map->handle, LV2_LOG__Note);
    return self;
}

void connect(LV2_Handle handle, uint32_t port, void* data) {
    auto* self = static_cast<Plugin*>(handle);
    switch (port) {
        case 0:
            self->in = static_cast<const float*>(data);
            break;
        case 1:
            self->out = static_cast<float*>(data);
            break;
        case 2:
            self->request = static_cast<const float*>(data);
            break;
        case 3:
            self->applied = static_cast<float*>(data);
            break;
        case 4:
            self->responses = static_cast<float*>(data);
            break;
        default:
            break;
    }
}

void run(LV2_Handle handle, uint32_t frames) {
    auto* self = static_cast<Plugin*>(handle);
    if (*self->request != self->requested) {
        self->requested = *self->request;
        self->schedule->schedule_work(self->schedule->handle, sizeof(float), &self->requested);
        if (self->log != nullptr) {
            self->log->printf(self->log->handle, self->logNote, "asked for gain %f\n",
                              static_cast<double>(self->requested));
        }
    }
    for (uint32_t i = 0; i < frames; ++i) {
        self->out[i] = self->in[i] * self->gain;
    }
    *self->applied = self->gain;
    *self->responses = self->responseCount;
}

LV2_Worker_Status work(LV2_Handle, LV2_Worker_Respond_Function respond,
                       LV2_Worker_Respond_Handle handle, uint32_t size, const void* data) {
    return respond(handle, size, data);  // the "heavy work" is handing the value back
}

LV2_Worker_Status workResponse(LV2_Handle handle, uint32_t size, const void* data) {
    auto* self = static_cast<Plugin*>(handle);
    if (size == sizeof(float)) {
        std::memcpy(&self->gain, data, sizeof(float));
        self->responseCount += 1.0f;
    }
    return LV2_WORKER_SUCCESS;
}

LV2_State_Status save(LV2_Handle handle, LV2_State_Store_Function store, LV2_State_Handle state,
                      uint32_t, const LV2_Feature* const*) {
    auto* self = static_cast<Plugin*>(handle);
    return store(state, self->gainKey, &self->gain, sizeof(float), self->floatType,
                 LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE);
}

LV2_State_Status restore(LV2_Handle handle, LV2_State_Retrieve_Function retrieve,
                         LV2_State_Handle state, uint32_t, const LV2_Feature* const*) {
    auto* self = static_cast<Plugin*>(handle);
    size_t size = 0;
    uint32_t type = 0;
    uint32_t flags = 0;
    const void* value = retrieve(state, self->gainKey, &size, &type, &flags);
    if (value != nullptr && size == sizeof(float) && type == self->floatType) {
        std::memcpy(&self->gain, value, sizeof(float));
    }
    return LV2_STATE_SUCCESS;
}

const void* extensionData(const char* uri) {
    static const LV2_Worker_Interface worker = {work, workResponse, nullptr};
    static const LV2_State_Interface state = {save, restore};
    if (std::strcmp(uri, LV2_WORKER__interface) == 0) {
        return &worker;
    }
    if (std::strcmp(uri, LV2_STATE__interface) == 0) {
        return &state;
    }
    return nullptr;
}

void cleanup(LV2_Handle handle) {
    delete static_cast<Plugin*>(handle);
}

const LV2_Descriptor kDescriptor = {kUri, instantiate, connect, nullptr,
                                    run,  nullptr,     cleanup, extensionData};

}  // namespace

extern "C" LV2_SYMBOL_EXPORT const LV2_Descriptor* lv2_descriptor(uint32_t index) {
    return index == 0 ? &kDescriptor : nullptr;
}
