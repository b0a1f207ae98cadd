// What the web monitor reads of a running stream: the analysis engine's monitor snapshot, the
// processor's listen rings and the stream's facts. The facts are read on the server thread from
// what is safe there: a copy of the stream's description and the statistics' atomics.
#pragma once

#include "core/net/WebServerOptions.h"

namespace liverack::core {

class AudioEngine;
class AnalysisEngine;

// Both must stay alive (and the stream open) until the server is detached.
WebSources engineWebSources(AudioEngine& engine, AnalysisEngine& analysis);

}  // namespace liverack::core
