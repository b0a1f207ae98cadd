// The host's cost of an LV2 slot per block, beyond the plugin's own: Lv2Effect::process (read
// the parameter atomics, copy into and out of the port buffers, worker hand-over, outputs)
// against the same plugin run bare through lilv on buffers prepared once. The difference of each
// pair is the host overhead (issue: at most 1 µs per slot per 128-frame block).
#include <benchmark/benchmark.h>
#include <lilv/lilv.h>
#include <lv2/atom/atom.h>

#include <mutex>
#include <vector>

#include "core/dsp/AudioBuffer.h"
#include "core/dsp/lv2/Lv2Catalogue.h"
#include "core/dsp/lv2/Lv2Effect.h"
#include "core/dsp/lv2/Lv2World.h"
#include "tests/support/EffectTestSupport.h"

namespace {

using namespace liverack::core;

constexpr uint32_t kBlock = 128;
constexpr const char* kPlugins[] = {
    "http://gareus.org/oss/lv2/nodelay",    // almost no DSP: the overhead shows plainly
    "http://gareus.org/oss/lv2/fil4#mono",  // a mono EQ: two instances in a stereo rack
    "http://gareus.org/oss/lv2/fat1",       // x42 Autotune
};

void BM_Lv2Slot(benchmark::State& state) {
    const char* uri = kPlugins[state.range(0)];
    const auto channels = static_cast<uint32_t>(state.range(1));
    auto made = Lv2Effect::create(uri);
    if (!made) {
        state.SkipWithError(made.error().c_str());
        return;
    }
    Lv2Effect& effect = **made;
    effect.prepare({48000.0, kBlock, channels});
    effect.reset();
    AudioBuffer buffer(channels, kBlock);
    const auto noise = liverack::test::bandLimitedNoise(kBlock, 48000.0, 8000.0, 0.1f, 3);
    for (auto _ : state) {
        for (uint32_t c = 0; c < channels; ++c) {
            std::copy(noise.begin(), noise.end(), buffer.channel(c));
        }
        effect.process(buffer.block(kBlock));
        benchmark::DoNotOptimize(buffer.channel(0)[0]);
    }
    state.SetLabel(effect.info().displayName);
}

// The same plugin(s) as bare as a host can run them: lilv instances on fixed buffers.
void BM_BarePlugin(benchmark::State& state) {
    const char* uri = kPlugins[state.range(0)];
    const auto channels = static_cast<uint32_t>(state.range(1));
    const auto info = Lv2Catalogue::shared().find(uri);
    if (!info) {
        state.SkipWithError("plugin not installed");
        return;
    }
    Lv2World& world = Lv2World::shared();
    LV2_Feature map{LV2_URID__map, world.mapFeature()};
    const LV2_Feature* features[] = {&map, nullptr};
    const uint32_t instances = info->mainInputs == 1 && info->mainOutputs == 1 ? channels : 1;
    std::vector<LilvInstance*> running;
    std::vector<std::vector<float>> audio(info->ports.size() * instances,
                                          std::vector<float>(kBlock, 0.0f));
    std::vector<float> controls(info->ports.size() * instances, 0.0f);
    std::vector<std::vector<uint64_t>> atoms(info->ports.size() * instances,
                                             std::vector<uint64_t>(1024, 0));
    for (uint32_t k = 0; k < instances; ++k) {
        LilvInstance* instance = nullptr;
        {
            std::lock_guard lock(world.lilvMutex());
            instance = lilv_plugin_instantiate(info->plugin, 48000.0, features);
        }
        for (const Lv2Port& port : info->ports) {
            const size_t slot = k * info->ports.size() + port.index;
            void* buffer = nullptr;
            if (port.kind == Lv2Port::Kind::Audio) {
                buffer = audio[slot].data();
            } else if (port.kind == Lv2Port::Kind::Control) {
                controls[slot] = port.role == Lv2Port::Role::Enabled ? 1.0f : port.defaultValue;
                buffer = &controls[slot];
            } else if (port.kind == Lv2Port::Kind::Atom) {
                auto* header = reinterpret_cast<uint32_t*>(atoms[slot].data());
                header[0] = port.isInput ? 8 : 8 * 1024 - 8;  // empty sequence / room to write
                header[1] = world.map(port.isInput ? LV2_ATOM__Sequence : LV2_ATOM__Chunk);
                buffer = atoms[slot].data();
            }
            lilv_instance_connect_port(instance, port.index, buffer);
        }
        lilv_instance_activate(instance);
        running.push_back(instance);
    }
    for (auto _ : state) {
        for (LilvInstance* instance : running) {
            lilv_instance_run(instance, kBlock);
        }
        benchmark::DoNotOptimize(audio[0][0]);
    }
    std::lock_guard lock(world.lilvMutex());
    for (LilvInstance* instance : running) {
        lilv_instance_deactivate(instance);
        lilv_instance_free(instance);
    }
}

// Args: plugin index, rack channels.
BENCHMARK(BM_Lv2Slot)->ArgsProduct({{0, 1, 2}, {1, 2}});
BENCHMARK(BM_BarePlugin)->ArgsProduct({{0, 1, 2}, {1, 2}});

}  // namespace
