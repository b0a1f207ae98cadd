#include "core/preset/PluginStateJson.h"

#include <lv2/atom/atom.h>

#include <cmath>
#include <cstring>
#include <limits>

namespace liverack::core {
namespace {

// Base64 (RFC 4648) for opaque state blobs: a dozen lines, and no library in the dependency set
// offers it as a public API (Boost.Beast's is in a detail namespace).
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string toBase64(const std::vector<uint8_t>& bytes) {
    std::string text;
    for (size_t i = 0; i < bytes.size(); i += 3) {
        const uint32_t chunk = (uint32_t(bytes[i]) << 16) |
                               (i + 1 < bytes.size() ? uint32_t(bytes[i + 1]) << 8 : 0) |
                               (i + 2 < bytes.size() ? uint32_t(bytes[i + 2]) : 0);
        text += kAlphabet[(chunk >> 18) & 63];
        text += kAlphabet[(chunk >> 12) & 63];
        text += i + 1 < bytes.size() ? kAlphabet[(chunk >> 6) & 63] : '=';
        text += i + 2 < bytes.size() ? kAlphabet[chunk & 63] : '=';
    }
    return text;
}

bool fromBase64(const std::string& text, std::vector<uint8_t>& bytes) {
    if (text.size() % 4 != 0) {
        return false;
    }
    bytes.clear();
    for (size_t i = 0; i < text.size(); i += 4) {
        uint32_t chunk = 0;
        int padding = 0;
        for (size_t j = 0; j < 4; ++j) {
            const char c = text[i + j];
            uint32_t digit = 0;
            if (c == '=' && i + 4 == text.size() && j >= 2) {
                ++padding;
            } else if (const char* at = std::strchr(kAlphabet, c);
                       at != nullptr && c != '\0' && padding == 0) {
                digit = static_cast<uint32_t>(at - kAlphabet);
            } else {
                return false;
            }
            chunk = (chunk << 6) | digit;
        }
        bytes.push_back(static_cast<uint8_t>(chunk >> 16));
        if (padding < 2) {
            bytes.push_back(static_cast<uint8_t>(chunk >> 8));
        }
        if (padding < 1) {
            bytes.push_back(static_cast<uint8_t>(chunk));
        }
    }
    return true;
}

template <typename T>
std::vector<uint8_t> bytesOf(T value) {
    std::vector<uint8_t> bytes(sizeof(T));
    std::memcpy(bytes.data(), &value, sizeof(T));
    return bytes;
}

template <typename T>
T valueOf(const std::vector<uint8_t>& bytes) {
    T value{};
    std::memcpy(&value, bytes.data(), sizeof(T));
    return value;
}

bool isText(const std::string& type) {
    return type == LV2_ATOM__String || type == LV2_ATOM__Path || type == LV2_ATOM__URI;
}

}  // namespace

nlohmann::ordered_json PluginStateJson::toJson(const PluginState& state) {
    nlohmann::ordered_json json = nlohmann::ordered_json::object();
    for (const auto& [key, property] : state) {
        nlohmann::ordered_json entry = nlohmann::ordered_json::object();
        entry["type"] = property.type;
        const auto& bytes = property.value;
        const std::string& type = property.type;
        if (isText(type) && !bytes.empty() && bytes.back() == 0) {
            entry["value"] = std::string(bytes.begin(), bytes.end() - 1);
        } else if (type == LV2_ATOM__Int && bytes.size() == 4) {
            entry["value"] = valueOf<int32_t>(bytes);
        } else if (type == LV2_ATOM__Long && bytes.size() == 8) {
            entry["value"] = valueOf<int64_t>(bytes);
        } else if (type == LV2_ATOM__Bool && bytes.size() == 4) {
            entry["value"] = valueOf<int32_t>(bytes) != 0;
        } else if (type == LV2_ATOM__Float && bytes.size() == 4 &&
                   std::isfinite(valueOf<float>(bytes))) {
            entry["value"] = valueOf<float>(bytes);
        } else if (type == LV2_ATOM__Double && bytes.size() == 8 &&
                   std::isfinite(valueOf<double>(bytes))) {
            entry["value"] = valueOf<double>(bytes);
        } else {
            entry["base64"] = toBase64(bytes);
        }
        json[key] = std::move(entry);
    }
    return json;
}

PluginState PluginStateJson::fromJson(const nlohmann::json& json,
                                      std::vector<std::string>& problems) {
    PluginState state;
    if (!json.is_object()) {
        problems.push_back("must be an object of state properties keyed by URI");
        return state;
    }
    for (const auto& [key, entry] : json.items()) {
        const std::string place = "property \"" + key + "\"";
        if (!entry.is_object() || !entry.contains("type") || !entry["type"].is_string()) {
            problems.push_back(place + " must be {\"type\": \"<type URI>\", \"value\": ...}");
            continue;
        }
        PluginStateProperty property;
        property.type = entry["type"].get<std::string>();
        const std::string& type = property.type;
        if (entry.contains("base64")) {
            if (!entry["base64"].is_string() ||
                !fromBase64(entry["base64"].get<std::string>(), property.value)) {
                problems.push_back(place + ": \"base64\" is not valid base64 text");
                continue;
            }
        } else if (!entry.contains("value")) {
            problems.push_back(place + " has neither \"value\" nor \"base64\"");
            continue;
        } else {
            const auto& value = entry["value"];
            bool ok = true;
            if (isText(type) && value.is_string()) {
                const std::string text = value.get<std::string>();
                property.value.assign(text.begin(), text.end());
                property.value.push_back(0);
            } else if (type == LV2_ATOM__Int && value.is_number_integer() &&
                       value.get<int64_t>() >= std::numeric_limits<int32_t>::min() &&
                       value.get<int64_t>() <= std::numeric_limits<int32_t>::max()) {
                property.value = bytesOf(static_cast<int32_t>(value.get<int64_t>()));
            } else if (type == LV2_ATOM__Long && value.is_number_integer()) {
                property.value = bytesOf(value.get<int64_t>());
            } else if (type == LV2_ATOM__Bool && value.is_boolean()) {
                property.value = bytesOf<int32_t>(value.get<bool>() ? 1 : 0);
            } else if (type == LV2_ATOM__Float && value.is_number()) {
                property.value = bytesOf(value.get<float>());
            } else if (type == LV2_ATOM__Double && value.is_number()) {
                property.value = bytesOf(value.get<double>());
            } else {
                ok = false;
            }
            if (!ok) {
                problems.push_back(
                    place + ": a value of type " + type + " must be written as " +
                    (isText(type)                                          ? "a string"
                     : type == LV2_ATOM__Bool                              ? "true or false"
                     : type == LV2_ATOM__Int || type == LV2_ATOM__Long     ? "a whole number"
                     : type == LV2_ATOM__Float || type == LV2_ATOM__Double ? "a number"
                                                                           : "\"base64\" text"));
                continue;
            }
        }
        state[key] = std::move(property);
    }
    return state;
}

}  // namespace liverack::core
