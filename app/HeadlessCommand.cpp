// `liverack --headless`: the engine without a window, until SIGINT/SIGTERM or until the stream is
// lost; prints one JSON object of stream statistics on exit.
#include <QCommandLineParser>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/Commands.h"
#include "app/StreamOptions.h"
#include "core/analysis/AnalysisEngine.h"
#include "core/dsp/EffectChain.h"
#include "core/dsp/effects/GainEffect.h"
#include "core/engine/AudioEngine.h"
#include "core/engine/VirtualMicrophone.h"
#include "core/io/FileSource.h"
#include "core/io/Recorder.h"
#include "core/net/ChainControl.h"
#include "core/net/EngineWebSources.h"
#include "core/net/RtpSource.h"
#include "core/net/RtpStreamer.h"
#include "core/net/WebServer.h"
#include "core/preset/AtomicFile.h"
#include "core/preset/PresetLoader.h"

namespace liverack::app {
namespace {

constexpr const char* kFallbackSource = "sine:440";

nlohmann::json receiveStatistics(const core::RtpReceiverStats& r) {
    return {
        {"playing", r.playing},
        {"sender", r.sender},
        {"packets", r.packets},
        {"lost", r.lost},
        {"late", r.late},
        {"reordered", r.reordered},
        {"duplicates", r.duplicates},
        {"concealed", r.concealed},
        {"malformed", r.malformed},
        {"foreign", r.foreign},
        {"trimmed", r.trimmed},
        {"underrun_frames", r.underrunFrames},
        {"rebuffers", r.rebuffers},
        {"jitter_ms", r.jitterMs},
        {"buffer_ms", r.bufferMs},
        {"target_ms", r.targetMs},
        {"drift_ppm", r.driftPpm},
    };
}

void printStatistics(core::AudioEngine& engine, const core::Recorder* recorder = nullptr,
                     const core::RtpStreamer* streamer = nullptr,
                     const core::WebServer* web = nullptr,
                     const core::VirtualMicrophone* microphone = nullptr) {
    const core::EngineStatsSnapshot s = engine.stats();
    const core::StreamInfo& info = engine.streamInfo();
    nlohmann::json out = {
        {"frames", s.frames},
        {"callbacks", s.callbacks},
        {"xruns", s.xruns},
        {"late_cycles", s.lateCycles},
        {"dsp_load_avg", s.dspLoadAverage},
        {"dsp_load_max", s.dspLoadMax},
        {"sample_rate", info.sampleRate},
        {"block_frames", info.blockFrames},
        {"latency_frames", info.latencyFrames() + engine.processor().chainLatencyFrames()},
        {"non_finite_samples", s.nonFiniteSamples},
        {"clipped_samples", s.clippedSamples},
    };
    if (recorder != nullptr) {
        out["recorded_frames"] = recorder->framesRecorded();
        out["record_dropped_frames"] = recorder->droppedFrames();
    }
    if (streamer != nullptr && streamer->streamCount() > 0) {
        nlohmann::json sends = nlohmann::json::array();
        for (const core::RtpStreamStats& stream : streamer->stats()) {
            sends.push_back({{"destination", stream.destination},
                             {"codec", std::string(core::codecName(stream.codec))},
                             {"tap", stream.tap == core::Tap::Pre ? "pre" : "post"},
                             {"packets", stream.sender.packets},
                             {"payload_bytes", stream.sender.payloadBytes},
                             {"send_errors", stream.sender.sendErrors},
                             {"dropped_frames", stream.droppedFrames}});
        }
        out["send"] = sends;
    }
    if (auto* rtp = dynamic_cast<const core::RtpSource*>(engine.processor().source())) {
        out["receive"] = receiveStatistics(rtp->stats());
    }
    if (web != nullptr) {
        const core::WebClientCounts counts = web->counts();
        out["web"] = {{"url", web->url()},
                      {"clients", counts.clients},
                      {"listeners", counts.listeners},
                      {"control", counts.control}};
    }
    if (microphone != nullptr && !microphone->name().empty()) {
        const core::VirtualMicrophoneStats m = microphone->stats();
        out["virtual_mic"] = {{"name", microphone->name()},
                              {"node", core::VirtualMicrophone::nodeNameFor(microphone->name())},
                              {"played_frames", m.playedFrames},
                              {"underrun_frames", m.underrunFrames},
                              {"rebuffers", m.rebuffers},
                              {"skipped_frames", m.skippedFrames},
                              {"dropped_frames", m.droppedFrames}};
    }
    std::cout << out.dump() << std::endl;
}

std::string describe(core::AudioEngine& engine) {
    const core::StreamInfo& info = engine.streamInfo();
    const double ms =
        1000.0 * (info.latencyFrames() + engine.processor().chainLatencyFrames()) / info.sampleRate;
    char latency[64];
    std::snprintf(latency, sizeof(latency), "%.1f ms", ms);
    return info.apiDisplayName + ": " + info.source +
           (info.inputDevice.empty() ? "" : " from '" + info.inputDevice + "'") + " -> " +
           (info.outputDevice.empty() ? "no output" : "'" + info.outputDevice + "'") + ", " +
           std::to_string(info.sampleRate) + " Hz, " + std::to_string(info.blockFrames) +
           " frames, " + std::to_string(info.channels) + " channels, latency about " + latency;
}

// The chain the command line asks for: the preset's (--preset), then --gain-db as an output trim.
// The preset is read and validated completely before anything runs.
core::Result<std::unique_ptr<core::EffectChain>> buildChain(const StreamOptions& options) {
    std::vector<std::shared_ptr<core::EffectSlot>> slots;
    if (!options.presetPath.isEmpty()) {
        auto loaded = core::PresetLoader::load(options.presetPath.toStdString());
        if (!loaded) {
            return core::Error{loaded.error()};
        }
        for (const auto& warning : loaded->warnings) {
            std::fprintf(stderr, "liverack: warning: %s\n", warning.c_str());
        }
        slots = loaded->chain->slots();
    }
    if (options.gainDb) {
        auto gain = std::make_unique<core::GainEffect>();
        gain->parameters().set(core::GainEffect::kGainDb, *options.gainDb);
        slots.push_back(std::make_shared<core::EffectSlot>(std::move(gain)));
    }
    return std::make_unique<core::EffectChain>(std::move(slots));
}

// Stops the recording (everything captured reaches the file, which is closed) and says on stderr
// if it had failed; true when it did.
bool finishRecording(core::Recorder* recorder, bool failureReported) {
    if (recorder == nullptr) {
        return false;
    }
    const core::Status stopped = recorder->stop();
    if (!stopped && !failureReported) {
        std::fprintf(stderr, "liverack: %s\n", stopped.error().c_str());
    }
    if (recorder->clippedSamples() > 0) {
        std::fprintf(stderr,
                     "liverack: %llu samples beyond full scale were clipped to fit the FLAC "
                     "recording (record to .wav to keep them)\n",
                     static_cast<unsigned long long>(recorder->clippedSamples()));
    }
    if (recorder->droppedFrames() > 0) {
        std::fprintf(stderr,
                     "liverack: the recording lost %llu frames because the disk could not keep "
                     "up\n",
                     static_cast<unsigned long long>(recorder->droppedFrames()));
    }
    return !stopped;
}

// Opens the --send streams and writes their SDP files (--send-sdp), saying where each goes.
core::Status startSending(core::RtpStreamer& streamer, const StreamOptions& options) {
    if (options.sendTargets.empty()) {
        return {};
    }
    if (core::Status started = streamer.start(options.sendTargets); !started) {
        return started;
    }
    std::vector<std::string> sdpPaths;
    if (!options.sendSdpPath.empty()) {
        sdpPaths = core::RtpStreamer::sdpPathsFor(options.sendSdpPath, streamer.streamCount());
    }
    for (size_t i = 0; i < streamer.streamCount(); ++i) {
        const core::RtpSender& sender = streamer.sender(i);
        const core::RtpSendTarget& target = sender.target();
        std::string line = "sending " + std::string(core::codecName(target.codec)) + " (" +
                           std::to_string(sender.channels()) + " ch, " +
                           std::to_string(sender.rtpRate()) + " Hz) to " + target.host + ":" +
                           std::to_string(target.port);
        if (i < sdpPaths.size()) {
            if (core::Status written = core::AtomicFile::write(
                    sdpPaths[i], sender.sdp(), core::AtomicFile::Backup::None, "SDP file");
                !written) {
                streamer.stop();
                return written;
            }
            line += "; its SDP is in '" + sdpPaths[i] + "'";
        }
        std::fprintf(stderr, "liverack: %s.\n", line.c_str());
    }
    return {};
}

// The web monitor (--web): the analysis thread it reads, then the server, attached to both; says
// where it is. Nothing when --web was not given.
struct WebMonitor {
    std::unique_ptr<core::AnalysisEngine> analysis;
    core::ChainControl chain;
    std::unique_ptr<core::WebServer> server;

    core::Status start(const StreamOptions& options, core::AudioEngine& engine,
                       std::vector<std::shared_ptr<core::EffectSlot>> slots) {
        if (!options.webAddress) {
            return {};
        }
        core::SampleTaps& taps = engine.processor().taps();
        analysis = std::make_unique<core::AnalysisEngine>(taps.analysis(core::Tap::Pre),
                                                          taps.analysis(core::Tap::Post));
        analysis->start(engine.streamInfo().sampleRate, engine.streamInfo().channels);
        chain.setSlots(std::move(slots));
        core::WebServerOptions web;
        web.address = *options.webAddress;
        web.control = options.webControl;
        web.pageFolder = core::WebServerOptions::installedPageFolder();
        auto started = core::WebServer::start(web, &chain);
        if (!started) {
            return core::Error{started.error()};
        }
        server = std::move(*started);
        server->attach(core::engineWebSources(engine, *analysis));
        std::string line = "web monitor at " + server->url();
        if (options.webControl) {
            line += "; with control: " + server->controlUrl();
        }
        if (!server->hasPage()) {
            line += " (the page is not installed, so only /api/snapshot and /api/chain answer)";
        }
        std::fprintf(stderr, "liverack: %s\n", line.c_str());
        return {};
    }

    // Before the engine closes: the server lets go of it, then stops.
    void stop() {
        if (server) {
            server->detach();
        }
        if (analysis) {
            analysis->stop();
        }
    }
};

}  // namespace

int runHeadlessCommand(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "LiveRack: live audio monitor and effects rack.\n\n"
        "  liverack                        open the window\n"
        "  liverack --headless [options]   run the engine without a window until Ctrl+C\n"
        "  liverack devices [--json]       list audio APIs and devices\n"
        "  liverack render --preset P IN OUT   process a file through a chain\n"
        "  liverack analyze IN [--json]    measure a file");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({"headless", "Run the engine without a window until SIGINT/SIGTERM."});
    addStreamOptions(parser);
    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "liverack: %s\nTry 'liverack --help'.\n",
                     qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet("help") || parser.isSet("help-all")) {
        parser.showHelp(0);
    }
    if (parser.isSet("version")) {
        parser.showVersion();
    }
    auto options = readStreamOptions(parser);
    if (!options) {
        std::fprintf(stderr, "liverack: %s\nTry 'liverack --help'.\n", options.error().c_str());
        return 2;
    }
    auto chain = buildChain(*options);
    if (!chain) {
        // A preset that cannot be used is a runtime failure, as for `render` (DESIGN.md: exit 1).
        std::fprintf(stderr, "liverack: %s\n", chain.error().c_str());
        return 1;
    }

    // Signals are taken synchronously by this thread: block them before any audio thread exists
    // so every thread inherits the mask and only sigtimedwait below sees them.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    core::AudioEngine engine;
    core::StreamConfig config = options->config;
    core::Status opened = engine.open(config);
    if (!opened && !options->explicitDevice) {
        // No device was asked for by name: still start, on the source asked for or the built-in
        // signal, into the null output, and say so.
        const std::string reason = opened.error();
        config.api = "null";
        if (!options->deviceFreeSource) {
            config.source = kFallbackSource;
        }
        opened = engine.open(config);
        if (opened) {
            const std::string playing = options->deviceFreeSource
                                            ? "'" + config.source + "'"
                                            : std::string("the built-in test signal (sine 440 Hz)");
            std::fprintf(stderr,
                         "liverack: %s; running on %s into a null output. Pick a device with "
                         "--api, --input and --output (see 'liverack devices').\n",
                         reason.c_str(), playing.c_str());
        }
    }
    if (!opened) {
        std::fprintf(stderr, "liverack: %s\n", opened.error().c_str());
        return 1;
    }
    const std::vector<std::shared_ptr<core::EffectSlot>> slots = (*chain)->slots();
    if (core::Status chained = engine.setChain(std::move(*chain)); !chained) {
        std::fprintf(stderr, "liverack: %s\n", chained.error().c_str());
        return 1;
    }
    if (core::Status started = engine.start(); !started) {
        std::fprintf(stderr, "liverack: %s\n", started.error().c_str());
        return 1;
    }
    std::fprintf(stderr, "liverack: streaming on %s. Press Ctrl+C to stop.\n",
                 describe(engine).c_str());
    std::unique_ptr<core::Recorder> recorder;
    bool recordFailureReported = false;
    bool sourceFailureReported = false;
    if (!options->recordPath.empty()) {
        recorder = std::make_unique<core::Recorder>(engine.processor().taps());
        if (core::Status recording = recorder->start(options->recordPath, options->recordTaps);
            !recording) {
            std::fprintf(stderr, "liverack: %s\n", recording.error().c_str());
            engine.close();
            return 1;
        }
        std::string files;
        for (const auto& path : recorder->paths()) {
            files += (files.empty() ? "'" : " and '") + path + "'";
        }
        std::fprintf(stderr, "liverack: recording to %s.\n", files.c_str());
    }

    core::RtpStreamer streamer(engine.processor().taps());
    if (core::Status sending = startSending(streamer, *options); !sending) {
        std::fprintf(stderr, "liverack: %s\n", sending.error().c_str());
        finishRecording(recorder.get(), false);
        engine.close();
        return 1;
    }

    // Asked for by name, a microphone that cannot appear is a failure (exit 1), as for --send and
    // --web: a script or a call waiting for the device learns it at once, not from its absence.
    core::VirtualMicrophone microphone(engine.processor().taps());
    if (options->virtualMicrophone) {
        if (core::Status offered =
                microphone.start(options->virtualMicrophoneName.empty()
                                     ? std::string(core::VirtualMicrophone::kDefaultName)
                                     : options->virtualMicrophoneName,
                                 engine.streamInfo().blockFrames, "--virtual-mic");
            !offered) {
            std::fprintf(stderr, "liverack: %s\n", offered.error().c_str());
            streamer.stop();
            finishRecording(recorder.get(), false);
            engine.close();
            return 1;
        }
        std::fprintf(stderr,
                     "liverack: other programs can record LiveRack's output from the input "
                     "device '%s' (PipeWire node %s).\n",
                     microphone.name().c_str(),
                     core::VirtualMicrophone::nodeNameFor(microphone.name()).c_str());
    }

    WebMonitor web;
    if (core::Status serving = web.start(*options, engine, slots); !serving) {
        std::fprintf(stderr, "liverack: %s\n", serving.error().c_str());
        microphone.stop();
        streamer.stop();
        finishRecording(recorder.get(), false);
        engine.close();
        return 1;
    }

    const timespec pollInterval{0, 100'000'000};  // housekeeping at 10 Hz
    while (true) {
        const int signal = sigtimedwait(&stopSignals, nullptr, &pollInterval);
        if (signal == SIGINT || signal == SIGTERM) {
            break;
        }
        engine.poll();
        if (auto* file = dynamic_cast<core::FileSource*>(engine.processor().source());
            file != nullptr && !sourceFailureReported && !file->error().empty()) {
            std::fprintf(stderr, "liverack: %s; the file plays up to there, then silence.\n",
                         file->error().c_str());
            sourceFailureReported = true;
        }
        if (recorder && recorder->hasFailed() && !recordFailureReported) {
            std::fprintf(stderr, "liverack: %s; the audio goes on.\n",
                         recorder->errorMessage().c_str());
            recordFailureReported = true;
        }
        if (engine.streamLost()) {
            std::fprintf(stderr, "liverack: %s\n", engine.streamLostReason().c_str());
            finishRecording(recorder.get(), recordFailureReported);
            web.stop();
            microphone.stop();
            engine.close();
            streamer.stop();
            printStatistics(engine, recorder.get(), &streamer, web.server.get(), &microphone);
            return 1;
        }
    }
    // The recording ends first, so it holds everything up to the signal (and no fade-out).
    const bool recordingFailed = finishRecording(recorder.get(), recordFailureReported);
    streamer.stop();
    microphone.stop();  // the input device disappears from other programs' lists
    web.stop();
    engine.stop();
    if (engine.abandoned()) {
        // The server hangs: nothing more may touch it, not even the exit handlers of its library.
        std::fprintf(stderr, "liverack: %s\n", engine.streamLostReason().c_str());
        std::fflush(nullptr);
        std::_Exit(1);
    }
    printStatistics(engine, recorder.get(), &streamer, web.server.get(), &microphone);
    engine.close();
    return recordingFailed ? 1 : 0;
}

}  // namespace liverack::app
