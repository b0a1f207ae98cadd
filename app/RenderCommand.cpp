// `liverack render --preset P IN OUT [--block N]`: processes a file through a preset's chain,
// faster than real time, with the very EffectChain code the live engine runs. The work is done
// by core::OfflineRenderer; this file reads the command line and reports.
#include <QCommandLineParser>

#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "app/Commands.h"
#include "app/PresetArgument.h"
#include "core/io/OfflineRenderer.h"
#include "core/preset/PresetLoader.h"

namespace liverack::app {
namespace {

int usageError(const std::string& message) {
    std::fprintf(stderr, "liverack render: %s\nTry 'liverack render --help'.\n", message.c_str());
    return 2;
}

std::string minutesAndSeconds(double seconds) {
    char text[32];
    const auto whole = static_cast<long>(seconds);
    std::snprintf(text, sizeof(text), "%ld:%02ld", whole / 60, whole % 60);
    return text;
}

}  // namespace

int runRenderCommand(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Process an audio file through a preset's effect chain, faster than real time.\n"
        "The output keeps the input's sample rate, channels and length; the chain's latency is\n"
        "compensated. .wav writes 32-bit float (headroom kept), .flac writes 24-bit.");
    parser.addHelpOption();
    parser.addOption({"preset",
                      "The preset whose chain processes the file: a preset file, or the name of "
                      "an installed preset.",
                      "FILE|NAME"});
    parser.addOption(
        {"block", "Frames per processing block, 1 to 65536 (default 1024).", "FRAMES", "1024"});
    parser.addPositionalArgument("IN", "The audio file to read (WAV, FLAC, OGG, AIFF, ...).");
    parser.addPositionalArgument("OUT", "The file to write: .wav or .flac.");
    if (!parser.parse(arguments)) {
        return usageError(parser.errorText().toStdString());
    }
    if (parser.isSet("help") || parser.isSet("help-all")) {
        parser.showHelp(0);
    }
    const QStringList files = parser.positionalArguments();
    if (files.size() != 2) {
        return usageError("give an input file and an output file (got " +
                          std::to_string(files.size()) + ")");
    }
    if (!parser.isSet("preset")) {
        return usageError("say which chain to use with --preset FILE");
    }
    bool numeric = false;
    const uint32_t block = parser.value("block").toUInt(&numeric);
    if (!numeric || block < 1 || block > core::RenderOptions::kMaxBlockFrames) {
        return usageError("--block takes a number of frames from 1 to 65536, not '" +
                          parser.value("block").toStdString() + "'");
    }

    auto loaded =
        core::PresetLoader::load(resolvePresetArgument(parser.value("preset")).toStdString());
    if (!loaded) {
        std::fprintf(stderr, "liverack render: %s\n", loaded.error().c_str());
        return 1;
    }
    for (const auto& warning : loaded->warnings) {
        std::fprintf(stderr, "liverack render: warning: %s\n", warning.c_str());
    }

    // Progress and the closing summary are for a person watching; scripts see only problems.
    const bool terminal = ::isatty(STDERR_FILENO) == 1;
    core::RenderOptions options;
    options.blockFrames = block;
    if (terminal) {
        options.progress = [&](int64_t done, int64_t total) {
            if (total > 0) {
                std::fprintf(stderr, "\rrendering: %3d%%", static_cast<int>(100 * done / total));
                std::fflush(stderr);
            }
        };
    }
    const std::string input = files.at(0).toStdString();
    const std::string output = files.at(1).toStdString();
    const auto started = std::chrono::steady_clock::now();
    const auto rendered = core::OfflineRenderer::render(*loaded->chain, input, output, options);
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (terminal) {
        std::fprintf(stderr, "\r%*s\r", 16, "");  // wipe the progress line
    }
    if (!rendered) {
        std::fprintf(stderr, "liverack render: %s\n", rendered.error().c_str());
        return 1;
    }
    if (rendered->nonFiniteSamples > 0) {
        std::fprintf(stderr,
                     "liverack render: warning: the chain produced %lld NaN or infinite samples; "
                     "they were written as silence\n",
                     static_cast<long long>(rendered->nonFiniteSamples));
    }
    if (rendered->clippedSamples > 0) {
        std::fprintf(stderr,
                     "liverack render: warning: %lld samples went beyond full scale and were "
                     "clipped; write .wav (32-bit float) to keep the headroom\n",
                     static_cast<long long>(rendered->clippedSamples));
    }
    if (terminal) {
        const double seconds = static_cast<double>(rendered->frames) / rendered->sampleRate;
        std::fprintf(stderr, "rendered %s of audio to '%s' in %.1f s (%.0fx real time)\n",
                     minutesAndSeconds(seconds).c_str(), output.c_str(), elapsed,
                     elapsed > 0.0 ? seconds / elapsed : 0.0);
    }
    return 0;
}

}  // namespace liverack::app
