// `liverack analyze IN [--json]`: measures a file (peaks, RMS, true peak, R128 loudness, spectrum
// peak, pitch). The work is done by core::FileAnalyzer; this file reads the command line and
// prints its result as DESIGN.md's JSON or as a table.
#include <QCommandLineParser>

#include <cstdio>
#include <string>

#include "app/Commands.h"
#include "core/analysis/FileAnalyzer.h"

namespace liverack::app {

int runAnalyzeCommand(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Measure an audio file: sample peak and RMS per channel, true peak, EBU R128 loudness\n"
        "(integrated, range, momentary and short-term maxima), the strongest spectral peak and\n"
        "the pitch (median, note, voiced fraction and a track).");
    parser.addHelpOption();
    parser.addOption({"json", "Print one JSON object instead of a table."});
    parser.addPositionalArgument("IN", "The audio file to measure (WAV, FLAC, OGG, AIFF, ...).");
    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "liverack analyze: %s\nTry 'liverack analyze --help'.\n",
                     parser.errorText().toStdString().c_str());
        return 2;
    }
    if (parser.isSet("help") || parser.isSet("help-all")) {
        parser.showHelp(0);
    }
    const QStringList files = parser.positionalArguments();
    if (files.size() != 1) {
        std::fprintf(stderr,
                     "liverack analyze: give exactly one audio file (got %lld)\n"
                     "Try 'liverack analyze --help'.\n",
                     static_cast<long long>(files.size()));
        return 2;
    }

    auto analysis = core::FileAnalyzer::analyze(files.first().toStdString());
    if (!analysis) {
        std::fprintf(stderr, "liverack analyze: %s\n", analysis.error().c_str());
        return 1;
    }
    const std::string text = parser.isSet("json")
                                 ? core::FileAnalyzer::toJson(*analysis).dump() + "\n"
                                 : core::FileAnalyzer::toTable(*analysis);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 1;
}

}  // namespace liverack::app
