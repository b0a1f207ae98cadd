// The stream options of DESIGN.md, shared by --headless and the window: declared once on a
// QCommandLineParser, read back into a core::StreamConfig.
#pragma once

#include <QCommandLineParser>
#include <QString>

#include <optional>
#include <vector>

#include "core/engine/StreamConfig.h"
#include "core/io/Recorder.h"
#include "core/net/RtpSendTarget.h"
#include "core/net/WebAddress.h"
#include "core/util/Result.h"

namespace liverack::app {

struct StreamOptions {
    core::StreamConfig config;
    // True when the user named any device, API or source: then a failure to open is an error,
    // not a reason to fall back to the built-in test signal.
    bool explicitDevice = false;
    // --source named something other than the input device: a fallback keeps it.
    bool deviceFreeSource = false;
    bool anyGiven = false;        // any stream option at all (the window then starts streaming)
    QString presetPath;           // --preset
    std::optional<float> gainDb;  // --gain-db: an output trim after the chain
    std::string recordPath;       // --record: empty when not recording
    core::RecordTaps recordTaps = core::RecordTaps::Post;  // --record-tap
    std::vector<core::RtpSendTarget> sendTargets;          // --send, in the order given
    std::string sendSdpPath;                               // --send-sdp: empty when not asked
    std::optional<core::WebAddress> webAddress;            // --web
    bool webControl = false;                               // --web-control
    bool virtualMicrophone = false;                        // --virtual-mic (or --virtual-mic-name)
    std::string virtualMicrophoneName;  // --virtual-mic-name: empty for the default
};

void addStreamOptions(QCommandLineParser& parser);
// A usage error (exit 2) as a sentence when a value is malformed, or when a word that is not an
// option was given (neither the window nor --headless takes any: it is a mistyped command).
core::Result<StreamOptions> readStreamOptions(const QCommandLineParser& parser);

}  // namespace liverack::app
