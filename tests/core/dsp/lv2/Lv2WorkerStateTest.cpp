// The LV2 worker, state and log host features, through a test plugin that uses them for its
// gain (tests/core/dsp/lv2/plugin): work scheduled in run() is done on the slot's thread and
// answered back into the plugin; the state it saves travels through a preset and is restored
// before the first block; messages it logs from run() are counted, never printed there.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "core/dsp/AudioBuffer.h"
#include "core/dsp/lv2/Lv2Effect.h"
#include "core/preset/PluginStateJson.h"
#include "core/preset/PresetLoader.h"
#include "core/preset/PresetReader.h"
#include "core/preset/PresetWriter.h"

namespace liverack::core {
namespace {

const bool kLv2PathSet = [] { return ::setenv("LV2_PATH", LIVERACK_TEST_LV2_PATH, 1) == 0; }();
constexpr const char* kPlugin = "urn:liverack:test:worker-gain";

size_t outputIndex(const Effect& effect, const std::string& id) {
    for (size_t i = 0; i < effect.info().outputs.size(); ++i) {
        if (effect.info().outputs[i].id == id) {
            return i;
        }
    }
    ADD_FAILURE() << "no output " << id;
    return 0;
}

// Processes blocks of a constant 0.25 until the plugin reports `gain` applied, or 10 s pass
// (the worker runs on another thread; this waits for an event, with a deadline, not a time).
bool processUntilApplied(Effect& effect, AudioBuffer& buffer, float gain) {
    const size_t applied = outputIndex(effect, "applied");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        std::fill_n(buffer.channel(0), 64, 0.25f);
        effect.process(buffer.block(64));
        if (effect.outputs().get(applied) == gain) {
            return true;
        }
        std::this_thread::yield();
    }
    return false;
}

TEST(Lv2WorkerState, WorkScheduledInRunIsDoneOffTheAudioThreadAndAnsweredIntoThePlugin) {
    auto made = Lv2Effect::create(kPlugin);
    ASSERT_TRUE(made) << made.error();
    Lv2Effect& effect = **made;
    effect.prepare({48000.0, 64, 1});
    effect.reset();
    AudioBuffer buffer(1, 64);
    effect.parameters().set(static_cast<size_t>(effect.info().indexOf("request")), 0.5f);
    ASSERT_TRUE(processUntilApplied(effect, buffer, 0.5f));
    EXPECT_EQ(effect.outputs().get(outputIndex(effect, "responses")), 1.0f)
        << "one request, one answer";
    std::fill_n(buffer.channel(0), 64, 0.25f);
    effect.process(buffer.block(64));
    EXPECT_EQ(buffer.channel(0)[63], 0.125f) << "0.25 at the gain the worker brought back";
    EXPECT_GE(effect.droppedLogMessages(), 1u) << "its log line from run() was not printed";
}

TEST(Lv2WorkerState, StateSavedFromARunningSlotTravelsThroughAPresetAndIsRestoredBeforePlaying) {
    auto made = Lv2Effect::create(kPlugin);
    ASSERT_TRUE(made) << made.error();
    std::vector<std::shared_ptr<EffectSlot>> slots{std::make_shared<EffectSlot>(std::move(*made))};
    EffectChain chain(std::move(slots));
    chain.prepare({48000.0, 64, 1});
    chain.reset();
    Effect& effect = chain.slots()[0]->effect();
    AudioBuffer buffer(1, 64);
    effect.parameters().set(static_cast<size_t>(effect.info().indexOf("request")), 0.75f);
    ASSERT_TRUE(processUntilApplied(effect, buffer, 0.75f));

    const Preset saved = PresetLoader::fromChain(chain, "stateful");
    ASSERT_EQ(saved.chain[0].state.count("urn:liverack:test:worker-gain#gain"), 1u);
    auto json = PresetWriter::toJson(saved);
    ASSERT_TRUE(json) << json.error();
    EXPECT_NE(json->find("\"value\": 0.75"), std::string::npos) << *json;
    auto read = PresetReader::readText(*json, "stateful.json");
    ASSERT_TRUE(read) << read.error();
    EXPECT_EQ(read->preset, saved);

    // A new slot whose parameter asks for nothing new: only the restored state sets its gain.
    Preset restoredPreset = read->preset;
    restoredPreset.chain[0].params["request"] = 1.0f;
    auto rebuilt = PresetLoader::buildChain(restoredPreset);
    ASSERT_TRUE(rebuilt) << rebuilt.error();
    (*rebuilt)->prepare({48000.0, 64, 1});
    (*rebuilt)->reset();
    std::fill_n(buffer.channel(0), 64, 0.25f);
    (*rebuilt)->process(buffer.block(64));
    EXPECT_EQ(buffer.channel(0)[0], 0.1875f) << "0.25 × the restored 0.75 from the first sample";
}

TEST(Lv2WorkerState, ResetKeepsTheRestoredStateInTheNewInstances) {
    auto made = Lv2Effect::create(kPlugin);
    ASSERT_TRUE(made) << made.error();
    Lv2Effect& effect = **made;
    PluginState state;
    const float gain = 1.5f;
    std::vector<uint8_t> bytes(sizeof(float));
    std::memcpy(bytes.data(), &gain, sizeof(float));
    state["urn:liverack:test:worker-gain#gain"] = {"http://lv2plug.in/ns/ext/atom#Float", bytes};
    effect.setState(state);
    effect.parameters().set(static_cast<size_t>(effect.info().indexOf("request")), 1.0f);
    effect.prepare({48000.0, 64, 1});
    AudioBuffer buffer(1, 64);
    for (int round = 0; round < 3; ++round) {
        effect.reset();
        std::fill_n(buffer.channel(0), 64, 0.25f);
        effect.process(buffer.block(64));
        EXPECT_EQ(buffer.channel(0)[0], 0.375f) << "round " << round;
    }
}

}  // namespace
}  // namespace liverack::core
