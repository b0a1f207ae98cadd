#include "app/StreamOptions.h"

#include "app/PresetArgument.h"

namespace liverack::app {
namespace {

core::Result<unsigned> readUnsigned(const QCommandLineParser& parser, const QString& name,
                                    unsigned min, unsigned max) {
    bool ok = false;
    const unsigned value = parser.value(name).toUInt(&ok);
    if (!ok || value < min || value > max) {
        return core::Error{"--" + name.toStdString() + " takes a whole number from " +
                           std::to_string(min) + " to " + std::to_string(max) + ", not '" +
                           parser.value(name).toStdString() + "'"};
    }
    return value;
}

}  // namespace

void addStreamOptions(QCommandLineParser& parser) {
    parser.addOptions({
        {"api", "Audio API: jack, alsa, pulse or null.", "API"},
        {"input", "Input device (exact name, or part of it), or 'none'.", "NAME"},
        {"output", "Output device (exact name, or part of it), or 'none'.", "NAME"},
        {"rate", "Sample rate in Hz (default: the device's own).", "HZ"},
        {"block", "Block size in frames, 32 to 4096 (default 256).", "FRAMES"},
        {"channels", "Processing channels (default 2).", "N"},
        {"source",
         "Input: device, file:PATH, sine:HZ, noise, pink, sweep, an RTP stream "
         "(rtp://@:PORT?codec=opus|l24|l16&latency_ms=40) or the one an SDP file describes "
         "(sdp:FILE).",
         "SOURCE"},
        {"preset", "Load this preset's chain: a preset file, or the name of an installed preset.",
         "FILE|NAME"},
        {"no-autoconnect", "JACK: leave LiveRack's ports unconnected."},
        {"reference",
         "JACK: take the far end of a call (what the speakers play) as the effects' reference "
         "for echo cancellation, on ports 'refport 1'... connected at start to NAME: a port "
         "(\"Dummy Output:monitor_FL\"), a client (\"Firefox\"; a sink's monitor ports if it has "
         "them), or part of a port name, ignoring case. Other APIs have no reference.",
         "NAME"},
        {"gain-db", "Output trim in dB after the chain (-60 to +24).", "DB"},
        {"record",
         "Record to PATH (.wav: 32-bit float, .flac: 24-bit) while streaming; with "
         "--record-tap both, NAME.pre.EXT and NAME.post.EXT.",
         "PATH"},
        {"record-tap", "What to record: pre (the input), post (the output, default) or both.",
         "TAP"},
        {"send",
         "Send the audio as RTP to HOST:PORT (repeatable). Options after '?', joined by '&': "
         "codec=opus|l24|l16 (opus), bitrate=128k, frame_ms=10, channels=N, tap=pre|post "
         "(post), pt=96, ttl=N.",
         "rtp://HOST:PORT"},
        {"send-sdp",
         "Write the SDP a receiver opens (ffmpeg, VLC, GStreamer) for the --send stream; with "
         "several, NAME.1.sdp, NAME.2.sdp...",
         "FILE"},
        {"web",
         "Serve the web monitor (meters, loudness, spectrum, tuner, Listen) at "
         "http://ADDR:PORT/; ADDR is 127.0.0.1 (this machine only) unless given, e.g. "
         "0.0.0.0:8765 for every network.",
         "[ADDR:]PORT"},
        {"web-control",
         "Let the web monitor bypass slots and change parameters, with the token LiveRack "
         "prints at start."},
        {"virtual-mic",
         "Offer LiveRack's output to other programs (Discord, OBS, browsers) as an input device "
         "on PipeWire, named 'LiveRack microphone'."},
        {"virtual-mic-name",
         "The name other programs show for the virtual microphone (implies --virtual-mic).",
         "NAME"},
    });
}

core::Result<StreamOptions> readStreamOptions(const QCommandLineParser& parser) {
    if (!parser.positionalArguments().isEmpty()) {
        // QCommandLineParser has no optional values: `--virtual-mic NAME` leaves NAME behind.
        if (parser.isSet("virtual-mic")) {
            return core::Error{
                "--virtual-mic takes no value; name the microphone with "
                "--virtual-mic-name '" +
                parser.positionalArguments().first().toStdString() + "'"};
        }
        return core::Error{"unknown command '" +
                           parser.positionalArguments().first().toStdString() +
                           "'; the commands are devices, render and analyze"};
    }
    StreamOptions options;
    core::StreamConfig& config = options.config;
    config.sampleRate = 0;
    for (const char* name :
         {"api", "input", "output", "rate", "block", "channels", "source", "preset",
          "no-autoconnect", "reference", "gain-db", "record", "record-tap", "send", "send-sdp",
          "web", "virtual-mic", "virtual-mic-name"}) {
        options.anyGiven |= parser.isSet(name);
    }
    // A source that needs no device (a test signal, a file, an RTP stream) names no device: with
    // no audio server it still plays, into the null output.
    options.deviceFreeSource = parser.isSet("source") && parser.value("source") != "device";
    options.explicitDevice = parser.isSet("api") || parser.isSet("input") ||
                             parser.isSet("output") ||
                             (parser.isSet("source") && !options.deviceFreeSource);
    if (parser.isSet("api")) {
        config.api = parser.value("api").toStdString();
    }
    if (parser.isSet("input")) {
        config.inputDevice = parser.value("input").toStdString();
    }
    if (parser.isSet("output")) {
        config.outputDevice = parser.value("output").toStdString();
    }
    if (parser.isSet("source")) {
        config.source = parser.value("source").toStdString();
    }
    if (parser.isSet("rate")) {
        auto rate = readUnsigned(parser, "rate", 8000, 384000);
        if (!rate) {
            return core::Error{rate.error()};
        }
        config.sampleRate = *rate;
    }
    if (parser.isSet("block")) {
        auto block = readUnsigned(parser, "block", core::StreamConfig::kMinBlockFrames,
                                  core::StreamConfig::kMaxBlockFrames);
        if (!block) {
            return core::Error{block.error()};
        }
        config.blockFrames = *block;
    }
    if (parser.isSet("channels")) {
        auto channels = readUnsigned(parser, "channels", 1, 32);
        if (!channels) {
            return core::Error{channels.error()};
        }
        config.channels = *channels;
    }
    config.autoConnect = !parser.isSet("no-autoconnect");
    if (parser.isSet("reference")) {
        config.reference = parser.value("reference").toStdString();
        if (config.reference.empty()) {
            return core::Error{
                "--reference takes the JACK client or port that plays the far end, such as "
                "\"Firefox\" or \"Dummy Output:monitor_FL\", not an empty name"};
        }
    }
    if (parser.isSet("preset")) {
        options.presetPath = resolvePresetArgument(parser.value("preset"));
    }
    if (parser.isSet("gain-db")) {
        bool ok = false;
        const float db = parser.value("gain-db").toFloat(&ok);
        if (!ok || db < -60.0f || db > 24.0f) {
            return core::Error{"--gain-db takes a number of dB from -60 to 24, not '" +
                               parser.value("gain-db").toStdString() + "'"};
        }
        options.gainDb = db;
    }
    if (parser.isSet("record")) {
        options.recordPath = parser.value("record").toStdString();
        if (auto format = core::AudioFileWriter::formatForPath(options.recordPath); !format) {
            return core::Error{format.error()};
        }
    }
    if (parser.isSet("record-tap")) {
        if (options.recordPath.empty()) {
            return core::Error{"--record-tap says what to record; give --record PATH as well"};
        }
        auto taps = core::Recorder::parseTaps(parser.value("record-tap").toStdString());
        if (!taps) {
            return core::Error{taps.error()};
        }
        options.recordTaps = *taps;
    }
    for (const QString& url : parser.values("send")) {
        auto target = core::parseRtpSendTarget(url.toStdString());
        if (!target) {
            return core::Error{target.error()};
        }
        options.sendTargets.push_back(*target);
    }
    if (parser.isSet("send-sdp")) {
        if (options.sendTargets.empty()) {
            return core::Error{
                "--send-sdp describes what --send sends; give --send rtp://HOST:PORT "
                "as well"};
        }
        options.sendSdpPath = parser.value("send-sdp").toStdString();
    }
    if (parser.isSet("web")) {
        auto address = core::WebAddress::parse(parser.value("web").toStdString());
        if (!address) {
            return core::Error{address.error()};
        }
        options.webAddress = *address;
    }
    if (parser.isSet("web-control")) {
        if (!options.webAddress) {
            return core::Error{
                "--web-control lets the web monitor change the chain; give --web [ADDR:]PORT "
                "as well"};
        }
        options.webControl = true;
    }
    if (parser.isSet("virtual-mic-name")) {
        options.virtualMicrophoneName = parser.value("virtual-mic-name").trimmed().toStdString();
        if (options.virtualMicrophoneName.empty()) {
            return core::Error{
                "--virtual-mic-name takes the name other programs show, not an "
                "empty one"};
        }
    }
    options.virtualMicrophone = parser.isSet("virtual-mic") || parser.isSet("virtual-mic-name");
    return options;
}

}  // namespace liverack::app
