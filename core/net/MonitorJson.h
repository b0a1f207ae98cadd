// The web monitor's JSON (GET /api/snapshot and the WebSocket's "snapshot" messages): the keys
// of `liverack analyze --json` where they apply, plus the stream's statistics. Levels that are
// not finite (-inf for digital silence) are null: JSON has no infinities.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/analysis/AnalysisSnapshots.h"

namespace liverack::core {

// What the page's stream line shows; filled by whoever owns the engine.
struct WebStreamFacts {
    std::string api;
    std::string source;
    double sampleRate = 0.0;
    uint32_t blockFrames = 0;
    uint32_t channels = 0;
    double latencyMs = 0.0;
    double dspLoad = 0.0;     // % of the block period, on average
    double dspLoadMax = 0.0;  // % of the block period, the worst callback
    uint64_t xruns = 0;
    bool running = false;
};

struct WebClientCounts {
    size_t clients = 0;    // open WebSocket connections
    size_t listeners = 0;  // of which listening
    bool control = false;  // --web-control
};

class MonitorJson {
public:
    static nlohmann::ordered_json snapshot(const MonitorSnapshot& monitor,
                                           const WebStreamFacts& stream,
                                           const WebClientCounts& web);
};

}  // namespace liverack::core
