#include "core/net/EngineWebSources.h"

#include "core/analysis/AnalysisEngine.h"
#include "core/engine/AudioEngine.h"

namespace liverack::core {

WebSources engineWebSources(AudioEngine& engine, AnalysisEngine& analysis) {
    WebSources sources;
    sources.monitor = &analysis.monitor();
    sources.taps = &engine.processor().taps();
    const StreamInfo info = engine.streamInfo();
    EngineProcessor& processor = engine.processor();
    sources.facts = [info, &processor, &engine] {
        const EngineStatsSnapshot stats = processor.stats().snapshot(info.sampleRate);
        WebStreamFacts facts;
        facts.api = info.apiDisplayName;
        facts.source = info.source;
        facts.sampleRate = info.sampleRate;
        facts.blockFrames = info.blockFrames;
        facts.channels = info.channels;
        facts.latencyMs = info.sampleRate == 0
                              ? 0.0
                              : 1000.0 * (info.latencyFrames() + processor.chainLatencyFrames()) /
                                    info.sampleRate;
        facts.dspLoad = stats.dspLoadAverage;
        facts.dspLoadMax = stats.dspLoadMax;
        facts.xruns = stats.xruns;
        facts.running = !engine.streamLost();
        return facts;
    };
    return sources;
}

}  // namespace liverack::core
