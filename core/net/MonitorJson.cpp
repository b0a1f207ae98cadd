#include "core/net/MonitorJson.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace liverack::core {
namespace {

using Json = nlohmann::ordered_json;

// Rounded to `decimals` (what a reading shows, and a third of the bytes); null when not finite.
Json number(double value, int decimals = 2) {
    if (!std::isfinite(value)) {
        return nullptr;
    }
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

Json levelArrays(const LevelSnapshot& levels, Json& out, bool withHolds) {
    Json peaks = Json::array();
    Json rms = Json::array();
    Json holds = Json::array();
    Json clips = Json::array();
    const uint32_t channels = std::min(levels.channelCount, kMaxMeterChannels);
    for (uint32_t c = 0; c < channels; ++c) {
        peaks.push_back(number(levels.channels[c].peakDb));
        rms.push_back(number(levels.channels[c].rmsDb));
        holds.push_back(number(levels.channels[c].peakHoldDb));
        clips.push_back(levels.channels[c].clipCount);
    }
    out["sample_peak_dbfs"] = std::move(peaks);
    out["rms_dbfs"] = std::move(rms);
    if (withHolds) {
        out["peak_hold_dbfs"] = std::move(holds);
        out["clips"] = std::move(clips);
    }
    return out;
}

}  // namespace

nlohmann::ordered_json MonitorJson::snapshot(const MonitorSnapshot& m, const WebStreamFacts& stream,
                                             const WebClientCounts& web) {
    Json out;
    out["time_s"] = number(m.postLevels.streamTimeSeconds, 3);
    levelArrays(m.postLevels, out, true);
    out["true_peak_dbtp"] = number(m.loudness.truePeakDbtp);
    Json pre;
    levelArrays(m.preLevels, pre, false);
    out["pre"] = std::move(pre);
    out["loudness"] = {{"momentary_lufs", number(m.loudness.momentaryLufs)},
                       {"short_term_lufs", number(m.loudness.shortTermLufs)},
                       {"integrated_lufs", number(m.loudness.integratedLufs)},
                       {"range_lu", number(m.loudness.loudnessRangeLu)},
                       {"true_peak_dbtp", number(m.loudness.truePeakDbtp)}};
    Json bands = Json::array();
    if (m.spectrumFftSize > 0) {
        for (float db : m.spectrumDb) {
            bands.push_back(number(db, 1));
        }
    }
    out["spectrum"] = {{"peak_hz", number(m.spectrumPeakHz, 3)},
                       {"peak_dbfs", number(m.spectrumPeakDb)},
                       {"min_hz", number(m.spectrumMinHz, 1)},
                       {"max_hz", number(m.spectrumMaxHz, 1)},
                       {"sample_rate", m.spectrumSampleRate},
                       {"fft_size", m.spectrumFftSize},
                       {"db", std::move(bands)}};
    const PitchSnapshot& p = m.pitch;
    const bool voiced = p.sequence != 0 && p.voiced;
    out["pitch"] = {{"voiced", voiced},
                    {"hz", voiced ? number(p.hz, 3) : Json(0.0)},
                    {"note", voiced ? std::string(p.noteName.data(),
                                                  strnlen(p.noteName.data(), p.noteName.size()))
                                    : std::string()},
                    {"cents", voiced ? number(p.cents, 1) : Json(0.0)},
                    {"confidence", number(p.confidence, 3)},
                    {"midi_note", voiced ? p.midiNote : 0},
                    {"reference_a4_hz", number(p.referenceA4Hz, 1)}};
    out["stream"] = {{"api", stream.api},
                     {"source", stream.source},
                     {"sample_rate", stream.sampleRate},
                     {"block_frames", stream.blockFrames},
                     {"channels", stream.channels},
                     {"latency_ms", number(stream.latencyMs, 1)},
                     {"dsp_load_percent", number(stream.dspLoad, 2)},
                     {"dsp_load_max_percent", number(stream.dspLoadMax, 2)},
                     {"xruns", stream.xruns},
                     {"running", stream.running}};
    out["web"] = {{"clients", web.clients}, {"listeners", web.listeners}, {"control", web.control}};
    return out;
}

}  // namespace liverack::core
