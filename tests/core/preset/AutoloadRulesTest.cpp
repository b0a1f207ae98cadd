// AutoloadRules: an exact device name wins, then the first rule whose text is a part of the
// name (ignoring case), then the fallback; the rules survive their JSON form unchanged.
#include "core/preset/AutoloadRules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace liverack::core {
namespace {

using Match = AutoloadRule::Match;
using ::testing::HasSubstr;

AutoloadRules sampleRules() {
    AutoloadRules rules;
    rules.rules = {{"usb", Match::Substring, "Podcast voice"},
                   {"Scarlett 2i2 USB", Match::Exact, "Guitar crunch"},
                   {"HEADPHONES", Match::Substring, "Vocal tuner monitor"}};
    rules.fallback = "Loudness-safe master";
    return rules;
}

TEST(AutoloadRulesTest, AnExactNameSelectsItsPresetEvenWhenASubstringRuleComesFirst) {
    EXPECT_EQ(sampleRules().presetFor("Scarlett 2i2 USB"), "Guitar crunch");
}

TEST(AutoloadRulesTest, ExactRulesCompareCaseSensitively) {
    // Not the exact rule; "usb" is still a part of it, so the substring rule applies.
    EXPECT_EQ(sampleRules().presetFor("scarlett 2i2 usb"), "Podcast voice");
}

TEST(AutoloadRulesTest, ASubstringRuleMatchesAnyPartOfTheNameIgnoringCase) {
    EXPECT_EQ(sampleRules().presetFor("Blue Yeti USB Microphone"), "Podcast voice");
    EXPECT_EQ(sampleRules().presetFor("Built-in Headphones"), "Vocal tuner monitor");
}

TEST(AutoloadRulesTest, TheFirstMatchingSubstringRuleWins) {
    EXPECT_EQ(sampleRules().presetFor("USB Headphones"), "Podcast voice");
}

TEST(AutoloadRulesTest, ADeviceNoRuleMatchesGetsTheFallback) {
    EXPECT_EQ(sampleRules().presetFor("HDMI output"), "Loudness-safe master");
    EXPECT_EQ(sampleRules().presetFor(""), "Loudness-safe master");
}

TEST(AutoloadRulesTest, WithoutAFallbackAnUnmatchedDeviceGetsNoPreset) {
    AutoloadRules rules = sampleRules();
    rules.fallback.reset();
    EXPECT_FALSE(rules.presetFor("HDMI output").has_value());
    EXPECT_FALSE(AutoloadRules{}.presetFor("anything").has_value());
}

TEST(AutoloadRulesTest, AnEmptySubstringMatchesNothing) {
    AutoloadRules rules;
    rules.rules = {{"", Match::Substring, "Everything"}};
    EXPECT_FALSE(rules.presetFor("Any device").has_value());
}

TEST(AutoloadRulesTest, JsonRoundTripKeepsEveryRuleAndTheFallback) {
    const AutoloadRules rules = sampleRules();
    const auto json = rules.toJson();
    EXPECT_EQ(json.at("rules").at(1).at("match"), "exact");
    EXPECT_EQ(json.at("rules").at(0).at("match"), "substring");
    const auto back = AutoloadRules::fromJson(nlohmann::json::parse(json.dump()));
    ASSERT_TRUE(back.ok()) << back.error();
    EXPECT_EQ(back.value(), rules);

    AutoloadRules noFallback;
    const auto empty = AutoloadRules::fromJson(noFallback.toJson());
    ASSERT_TRUE(empty.ok());
    EXPECT_EQ(empty.value(), noFallback);
}

TEST(AutoloadRulesTest, MalformedRulesGiveASentenceNamingTheRule) {
    const auto notObject = AutoloadRules::fromJson(nlohmann::json::array());
    ASSERT_FALSE(notObject.ok());
    const auto badMatch = AutoloadRules::fromJson(nlohmann::json::parse(
        R"({"rules": [{"device": "a", "match": "exact", "preset": "p"},
                      {"device": "b", "match": "regex", "preset": "p"}]})"));
    ASSERT_FALSE(badMatch.ok());
    EXPECT_THAT(badMatch.error(), HasSubstr("autoload rule 2"));
    EXPECT_THAT(badMatch.error(), HasSubstr("\"exact\" or \"substring\""));
    const auto noPreset =
        AutoloadRules::fromJson(nlohmann::json::parse(R"({"rules": [{"device": "a"}]})"));
    ASSERT_FALSE(noPreset.ok());
    EXPECT_THAT(noPreset.error(), HasSubstr("\"preset\""));
    const auto badFallback = AutoloadRules::fromJson(nlohmann::json::parse(R"({"fallback": 3})"));
    ASSERT_FALSE(badFallback.ok());
    EXPECT_THAT(badFallback.error(), HasSubstr("fallback"));
}

}  // namespace
}  // namespace liverack::core
