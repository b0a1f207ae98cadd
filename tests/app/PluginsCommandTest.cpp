// `liverack plugins` against lilv's own lister, lv2ls (lilv-utils), as the independent oracle of
// which plugins are installed; x42 Autotune (x42-plugins) as a known plugin; usage errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/Subprocess.h"

namespace liverack::test {
namespace {

constexpr const char* kLv2ls = "/usr/bin/lv2ls";
constexpr const char* kAutotune = "http://gareus.org/oss/lv2/fat1";
using Environment = std::map<std::string, std::string>;

// The URIs lv2ls prints, one a line.
std::multiset<std::string> lv2lsUris(const Environment& environment) {
    Subprocess lv2ls({kLv2ls}, environment);
    EXPECT_EQ(lv2ls.wait(60.0), 0) << "lv2ls (package lilv-utils): " << lv2ls.err();
    std::multiset<std::string> uris;
    std::istringstream lines(lv2ls.out());
    for (std::string line; std::getline(lines, line);) {
        if (!line.empty()) {
            uris.insert(line);
        }
    }
    return uris;
}

nlohmann::json pluginsJson(const Environment& environment) {
    Subprocess plugins({LIVERACK_BINARY, "plugins", "--json"}, environment);
    EXPECT_EQ(plugins.wait(120.0), 0) << plugins.err();
    auto json = nlohmann::json::parse(plugins.out(), nullptr, false);
    EXPECT_FALSE(json.is_discarded()) << plugins.out().substr(0, 2000);
    return json;
}

std::multiset<std::string> urisOf(const nlohmann::json& json) {
    std::multiset<std::string> uris;
    for (const auto& plugin : json.at("plugins")) {
        uris.insert(plugin.at("uri").get<std::string>());
    }
    return uris;
}

// A folder holding only x42 Autotune's bundle, for LV2_PATH; removed at the end of the test.
class SingleBundlePath {
public:
    SingleBundlePath()
        : dir_(std::filesystem::temp_directory_path() /
               ("liverack-plugins-test-" + std::to_string(::getpid()))) {
        std::filesystem::create_directories(dir_);
        std::filesystem::create_directory_symlink("/usr/lib/lv2/fat1.lv2", dir_ / "fat1.lv2");
    }
    ~SingleBundlePath() { std::filesystem::remove_all(dir_); }
    std::string path() const { return dir_.string(); }

private:
    std::filesystem::path dir_;
};

TEST(PluginsCommandTest, JsonListsExactlyTheUrisLv2lsPrints) {
    const auto expected = lv2lsUris({});
    ASSERT_FALSE(expected.empty()) << "no LV2 plugins installed (x42-plugins, lsp-plugins-lv2)";
    const auto json = pluginsJson({});
    ASSERT_TRUE(json.is_object());
    EXPECT_EQ(json.at("count").get<size_t>(), expected.size());
    EXPECT_EQ(json.at("plugins").size(), expected.size());
    const auto listed = urisOf(json);
    std::vector<std::string> missing;
    std::set_difference(expected.begin(), expected.end(), listed.begin(), listed.end(),
                        std::back_inserter(missing));
    std::vector<std::string> extra;
    std::set_difference(listed.begin(), listed.end(), expected.begin(), expected.end(),
                        std::back_inserter(extra));
    EXPECT_TRUE(missing.empty()) << missing.size() << " missing, first " << missing.front();
    EXPECT_TRUE(extra.empty()) << extra.size() << " not from lv2ls, first " << extra.front();
    EXPECT_GT(json.at("scan_seconds").get<double>(), 0.0);
}

TEST(PluginsCommandTest, Lv2PathNamingOneBundleListsOnlyItsPluginForBoth) {
    const SingleBundlePath folder;
    const Environment environment{{"LV2_PATH", folder.path()}};
    const auto expected = lv2lsUris(environment);
    // The bundle holds Autotune and its microtonal and scales variants.
    ASSERT_EQ(expected.count(kAutotune), 1u);
    for (const auto& uri : expected) {
        EXPECT_EQ(uri.rfind(kAutotune, 0), 0u) << uri;
    }
    EXPECT_EQ(urisOf(pluginsJson(environment)), expected);
}

TEST(PluginsCommandTest, TextFirstLineCountsTheUrisLv2lsPrintsAndEachHasALine) {
    const auto expected = lv2lsUris({});
    Subprocess plugins({LIVERACK_BINARY, "plugins"});
    ASSERT_EQ(plugins.wait(120.0), 0) << plugins.err();
    const std::string& out = plugins.out();
    const std::string firstLine = out.substr(0, out.find('\n'));
    EXPECT_EQ(firstLine.rfind(std::to_string(expected.size()) + " LV2 plugin", 0), 0u) << firstLine;
    EXPECT_NE(firstLine.find("described in "), std::string::npos) << "the scan time: " << firstLine;
    EXPECT_EQ(static_cast<size_t>(std::count(out.begin(), out.end(), '\n')), expected.size() + 1);
    for (const auto& uri : expected) {
        EXPECT_NE(out.find(" " + uri), std::string::npos) << uri;
    }
}

TEST(PluginsCommandTest, X42AutotuneIsSupportedHasParameterCorrAndReportsLatency) {
    const auto json = pluginsJson({});
    const auto& list = json.at("plugins");
    const auto it = std::find_if(list.begin(), list.end(),
                                 [](const auto& p) { return p.at("uri") == kAutotune; });
    ASSERT_NE(it, list.end()) << "x42 Autotune is not installed (package x42-plugins)";
    const auto& autotune = *it;
    EXPECT_EQ(autotune.at("supported"), true);
    EXPECT_FALSE(autotune.contains("reason"));
    EXPECT_EQ(autotune.at("latency"), true);
    EXPECT_EQ(autotune.at("audio_inputs"), 1);
    EXPECT_EQ(autotune.at("audio_outputs"), 1);
    EXPECT_EQ(autotune.at("group"), "Pitch");
    const auto& parameters = autotune.at("parameters");
    const auto corr = std::find_if(parameters.begin(), parameters.end(),
                                   [](const auto& p) { return p.at("symbol") == "corr"; });
    ASSERT_NE(corr, parameters.end()) << parameters.dump();
    EXPECT_LE(corr->at("min").get<double>(), corr->at("default").get<double>());
    EXPECT_LE(corr->at("default").get<double>(), corr->at("max").get<double>());
    EXPECT_LT(corr->at("min").get<double>(), corr->at("max").get<double>());
}

TEST(PluginsCommandTest, ExactlyTheUnsupportedPluginsCarryAReason) {
    const auto json = pluginsJson({});
    for (const auto& plugin : json.at("plugins")) {
        if (plugin.at("supported") == true) {
            EXPECT_FALSE(plugin.contains("reason")) << plugin.at("uri");
        } else {
            ASSERT_TRUE(plugin.contains("reason")) << plugin.at("uri");
            EXPECT_FALSE(plugin.at("reason").get<std::string>().empty()) << plugin.at("uri");
        }
    }
}

TEST(PluginsCommandTest, UnknownOptionIsBadUsage) {
    Subprocess plugins({LIVERACK_BINARY, "plugins", "--frobnicate"});
    EXPECT_EQ(plugins.wait(20.0), 2);
    EXPECT_NE(plugins.err().find("frobnicate"), std::string::npos) << plugins.err();
    EXPECT_NE(plugins.err().find("liverack plugins --help"), std::string::npos) << plugins.err();
    EXPECT_TRUE(plugins.out().empty()) << plugins.out();
}

}  // namespace
}  // namespace liverack::test
