#include "core/preset/Session.h"

#include "core/preset/PresetReader.h"
#include "core/preset/PresetWriter.h"

namespace liverack::core {
namespace {

using Json = nlohmann::json;

void readString(const Json& devices, const char* key, std::string& target,
                std::vector<std::string>& warnings) {
    const auto value = devices.find(key);
    if (value == devices.end()) {
        return;
    }
    if (value->is_string()) {
        target = value->get<std::string>();
    } else {
        warnings.push_back("the session's device setting \"" + std::string(key) +
                           "\" is not text; using the default");
    }
}

void readUnsigned(const Json& devices, const char* key, unsigned minValue, unsigned maxValue,
                  unsigned& target, std::vector<std::string>& warnings) {
    const auto value = devices.find(key);
    if (value == devices.end()) {
        return;
    }
    if (value->is_number_unsigned() && value->get<uint64_t>() >= minValue &&
        value->get<uint64_t>() <= maxValue) {
        target = static_cast<unsigned>(value->get<uint64_t>());
    } else {
        warnings.push_back("the session's device setting \"" + std::string(key) +
                           "\" is not a whole number from " + std::to_string(minValue) + " to " +
                           std::to_string(maxValue) + "; using the default (" +
                           std::to_string(target) + ")");
    }
}

bool sameDevices(const StreamConfig& a, const StreamConfig& b) {
    return a.api == b.api && a.inputDevice == b.inputDevice && a.outputDevice == b.outputDevice &&
           a.sampleRate == b.sampleRate && a.blockFrames == b.blockFrames &&
           a.channels == b.channels && a.source == b.source;
}

}  // namespace

bool operator==(const Session& a, const Session& b) {
    return sameDevices(a.devices, b.devices) && a.virtualMicrophone == b.virtualMicrophone &&
           a.virtualMicrophoneName == b.virtualMicrophoneName && a.chain == b.chain &&
           a.autoload == b.autoload && a.view == b.view;
}

nlohmann::ordered_json Session::toJson() const {
    nlohmann::ordered_json json;
    json["format"] = kFormat;
    json["version"] = kVersion;
    json["devices"] = {{"api", devices.api},
                       {"input", devices.inputDevice},
                       {"output", devices.outputDevice},
                       {"rate", devices.sampleRate},
                       {"block", devices.blockFrames},
                       {"channels", devices.channels},
                       {"source", devices.source},
                       {"virtual_mic", virtualMicrophone},
                       {"virtual_mic_name", virtualMicrophoneName}};
    // The chain is a preset in the preset format, written by the preset writer, so a session's
    // chain and a preset file never disagree on what a value means.
    auto chainText = PresetWriter::toJson(chain);
    json["chain"] = chainText ? nlohmann::ordered_json::parse(*chainText, nullptr, false)
                              : nlohmann::ordered_json(nullptr);
    json["autoload"] = autoload.toJson();
    json["view"] = view;
    return json;
}

Result<ParsedSession> Session::fromJson(const Json& json) {
    if (!json.is_object()) {
        return Error{"it is not a JSON object"};
    }
    const auto format = json.find("format");
    if (format == json.end() || !format->is_string() || format->get<std::string>() != kFormat) {
        return Error{"it is not a LiveRack session (\"format\" is not \"" + std::string(kFormat) +
                     "\")"};
    }
    const auto version = json.find("version");
    if (version == json.end() || !version->is_number_integer() || version->get<int64_t>() < 1) {
        return Error{"its \"version\" is not a whole number from 1"};
    }
    if (version->get<int64_t>() > kVersion) {
        return Error{"it was saved by a newer LiveRack (session version " +
                     std::to_string(version->get<int64_t>()) + "); update LiveRack"};
    }

    ParsedSession parsed;
    Session& session = parsed.session;
    auto& warnings = parsed.warnings;
    if (const auto devices = json.find("devices"); devices != json.end()) {
        if (devices->is_object()) {
            readString(*devices, "api", session.devices.api, warnings);
            readString(*devices, "input", session.devices.inputDevice, warnings);
            readString(*devices, "output", session.devices.outputDevice, warnings);
            readUnsigned(*devices, "rate", 0, 768000, session.devices.sampleRate, warnings);
            readUnsigned(*devices, "block", StreamConfig::kMinBlockFrames,
                         StreamConfig::kMaxBlockFrames, session.devices.blockFrames, warnings);
            readUnsigned(*devices, "channels", 1, 64, session.devices.channels, warnings);
            readString(*devices, "source", session.devices.source, warnings);
            if (const auto mic = devices->find("virtual_mic"); mic != devices->end()) {
                if (mic->is_boolean()) {
                    session.virtualMicrophone = mic->get<bool>();
                } else {
                    warnings.push_back(
                        "the session's device setting \"virtual_mic\" is not true or false; "
                        "the virtual microphone stays off");
                }
            }
            readString(*devices, "virtual_mic_name", session.virtualMicrophoneName, warnings);
        } else {
            warnings.push_back("the session's \"devices\" is not an object; using the defaults");
        }
    }
    if (const auto chain = json.find("chain"); chain != json.end() && !chain->is_null()) {
        auto read = PresetReader::readText(chain->dump(), "session chain");
        if (read) {
            session.chain = std::move(read->preset);
            for (auto& warning : read->warnings) {
                warnings.push_back(std::move(warning));
            }
        } else {
            warnings.push_back("the session's chain could not be restored, so it starts empty: " +
                               read.error());
        }
    }
    if (const auto autoload = json.find("autoload"); autoload != json.end()) {
        auto rules = AutoloadRules::fromJson(*autoload);
        if (rules) {
            session.autoload = std::move(*rules);
        } else {
            warnings.push_back(rules.error() + "; the autoload rules start empty");
        }
    }
    if (const auto view = json.find("view"); view != json.end()) {
        bool allText = view->is_object();
        if (allText) {
            for (const auto& [key, value] : view->items()) {
                if (value.is_string()) {
                    session.view[key] = value.get<std::string>();
                } else {
                    allText = false;
                }
            }
        }
        if (!allText) {
            warnings.push_back("some of the window's view settings were not text and were reset");
        }
    }
    return parsed;
}

}  // namespace liverack::core
