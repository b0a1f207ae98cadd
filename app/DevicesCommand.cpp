// `liverack devices [--json]`: the audio APIs and their devices, for people and for scripts.
#include <QCommandLineParser>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/Commands.h"
#include "core/engine/AudioEngine.h"

namespace liverack::app {

int runDevicesCommand(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription("List audio APIs and devices.");
    parser.addHelpOption();
    parser.addOption({"json", "Print JSON instead of a table."});
    parser.addOption({"api", "Only this API (jack, alsa, pulse, null).", "API"});
    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "liverack devices: %s\nTry 'liverack devices --help'.\n",
                     qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet("help") || parser.isSet("help-all")) {
        parser.showHelp(0);
    }

    std::vector<core::ApiInfo> apis;
    if (parser.isSet("api")) {
        const std::string wanted = parser.value("api").toStdString();
        const auto available = core::AudioEngine::availableApis();
        if (std::find(available.begin(), available.end(), wanted) == available.end()) {
            std::string names;
            for (const auto& a : available) {
                if (!names.empty()) {
                    names += ", ";
                }
                names += a;
            }
            std::fprintf(stderr, "liverack devices: unknown API '%s'; this build has: %s\n",
                         wanted.c_str(), names.c_str());
            return 2;
        }
        apis.push_back(core::AudioEngine::listDevices(wanted));
    } else {
        apis = core::AudioEngine::listAllDevices();
    }

    if (parser.isSet("json")) {
        nlohmann::json out;
        out["apis"] = nlohmann::json::array();
        for (const auto& api : apis) {
            nlohmann::json a{{"id", api.id}, {"name", api.displayName}, {"problem", api.problem}};
            a["devices"] = nlohmann::json::array();
            for (const auto& d : api.devices) {
                a["devices"].push_back({{"name", d.name},
                                        {"input_channels", d.inputChannels},
                                        {"output_channels", d.outputChannels},
                                        {"sample_rates", d.sampleRates},
                                        {"preferred_sample_rate", d.preferredSampleRate},
                                        {"default_input", d.isDefaultInput},
                                        {"default_output", d.isDefaultOutput}});
            }
            out["apis"].push_back(std::move(a));
        }
        std::cout << out.dump(2) << std::endl;
        return 0;
    }

    for (const auto& api : apis) {
        std::printf("%s (--api %s)\n", api.displayName.c_str(), api.id.c_str());
        if (api.devices.empty()) {
            std::printf("  no devices: %s\n", api.problem.c_str());
        }
        for (const auto& d : api.devices) {
            std::string rates;
            for (unsigned r : d.sampleRates) {
                if (!rates.empty()) {
                    rates += ' ';
                }
                rates += std::to_string(r);
            }
            if (rates.empty()) {  // the server resamples (PulseAudio)
                rates = "any (" + std::to_string(d.preferredSampleRate) + " native)";
            }
            std::printf("  %-40s in %2u  out %2u  rates %s%s%s\n", d.name.c_str(), d.inputChannels,
                        d.outputChannels, rates.c_str(),
                        d.isDefaultInput ? "  [default input]" : "",
                        d.isDefaultOutput ? "  [default output]" : "");
        }
    }
    return 0;
}

}  // namespace liverack::app
