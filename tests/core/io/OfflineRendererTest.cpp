// OfflineRenderer: files are read, processed by the live EffectChain and written with the same
// length, rate and channels; an empty chain is bit-transparent; chain latency is compensated so
// output lines up with input; an impulse through `delay` lands at the delay time; failures leave
// no file behind. Files are made and checked with libsndfile directly (tests/support/SndfileIo).
#include "core/io/OfflineRenderer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "core/dsp/EffectFactory.h"
#include "tests/support/FileSizeLimit.h"
#include "tests/support/SndfileIo.h"
#include "tests/support/TempFolder.h"

namespace liverack::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::vector<float>> noise(size_t channels, size_t frames, float peak, unsigned seed) {
    std::mt19937 random(seed);
    std::uniform_real_distribution<float> sample(-peak, peak);
    std::vector<std::vector<float>> audio(channels, std::vector<float>(frames));
    for (auto& channel : audio) {
        for (auto& s : channel) {
            s = sample(random);
        }
    }
    return audio;
}

bool bitIdentical(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// A pure delay of a fixed number of frames that reports exactly that latency: the renderer's
// compensation must turn it back into the identity.
class PureDelayEffect final : public Effect {
public:
    explicit PureDelayEffect(uint32_t frames) : Effect(staticInfo()), frames_(frames) {}
    static const EffectInfo& staticInfo() {
        static const EffectInfo info{"test_pure_delay", "Pure delay", {}};
        return info;
    }
    const EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const ProcessSpec& spec) override {
        lines_.assign(spec.channels, std::vector<float>(frames_ + 1, 0.0f));
        position_ = 0;
    }
    void process(AudioBlock block) noexcept override {
        for (uint32_t i = 0; i < block.frameCount(); ++i) {
            for (uint32_t c = 0; c < block.channelCount(); ++c) {
                auto& line = lines_[c];
                line[position_] = block.channel(c)[i];
                block.channel(c)[i] = line[(position_ + 1) % line.size()];
            }
            position_ = (position_ + 1) % (frames_ + 1);
        }
    }
    void reset() noexcept override {
        for (auto& line : lines_) {
            std::fill(line.begin(), line.end(), 0.0f);
        }
    }
    uint32_t latencyFrames() const noexcept override { return frames_; }

private:
    uint32_t frames_;
    std::vector<std::vector<float>> lines_;
    size_t position_ = 0;
};

// Turns every 100th sample into NaN and every 100th (offset by 50) into +Inf.
class NonFiniteEffect final : public Effect {
public:
    NonFiniteEffect() : Effect(staticInfo()) {}
    static const EffectInfo& staticInfo() {
        static const EffectInfo info{"test_non_finite", "Non-finite", {}};
        return info;
    }
    const EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const ProcessSpec&) override {}
    void process(AudioBlock block) noexcept override {
        for (uint32_t i = 0; i < block.frameCount(); ++i, ++frame_) {
            if (frame_ % 100 == 0) {
                block.channel(0)[i] = std::numeric_limits<float>::quiet_NaN();
            } else if (frame_ % 100 == 50) {
                block.channel(0)[i] = std::numeric_limits<float>::infinity();
            }
        }
    }
    void reset() noexcept override { frame_ = 0; }

private:
    uint64_t frame_ = 0;
};

EffectChain chainOf(std::unique_ptr<Effect> effect) {
    return EffectChain({std::make_shared<EffectSlot>(std::move(effect))});
}

class OfflineRendererTest : public ::testing::Test {
protected:
    std::string makeInput(const std::vector<std::vector<float>>& audio, double rate = 48000.0) {
        const std::string path = folder_.file("in.wav");
        EXPECT_TRUE(test::writeFloatWav(path, rate, audio));
        return path;
    }
    test::TempFolder folder_;
};

TEST_F(OfflineRendererTest, EmptyChainRenderIsBitIdenticalToTheInput) {
    // Peaks above full scale too: float output keeps headroom, nothing is clamped or faded.
    const auto input = noise(2, 48000 + 123, 2.0f, 1);
    const std::string in = makeInput(input);
    EffectChain empty;
    const auto rendered = OfflineRenderer::render(empty, in, folder_.file("out.wav"));
    ASSERT_TRUE(rendered.ok()) << rendered.error();
    const auto output = test::readAudio(folder_.file("out.wav"));
    EXPECT_EQ(output.sampleRate, 48000.0);
    EXPECT_EQ(output.format, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    ASSERT_EQ(output.channels.size(), 2u);
    EXPECT_TRUE(bitIdentical(output.channels[0], input[0]));
    EXPECT_TRUE(bitIdentical(output.channels[1], input[1]));
    EXPECT_EQ(rendered->frames, static_cast<int64_t>(input[0].size()));
}

TEST_F(OfflineRendererTest, KeepsLengthRateAndChannelsAtEveryBlockSize) {
    for (const size_t channels : {1u, 3u}) {
        const auto input = noise(channels, 10007, 0.5f, 2);
        const std::string in = makeInput(input, 44100.0);
        for (const uint32_t block : {1u, 64u, 1000u, 65536u}) {
            auto chain = chainOf(EffectFactory::create("gain"));
            const std::string out = folder_.file("out.wav");
            RenderOptions options;
            options.blockFrames = block;
            const auto rendered = OfflineRenderer::render(chain, in, out, options);
            ASSERT_TRUE(rendered.ok()) << rendered.error();
            const auto output = test::readAudio(out);
            EXPECT_EQ(output.sampleRate, 44100.0);
            ASSERT_EQ(output.channels.size(), channels);
            ASSERT_EQ(output.frames(), input[0].size()) << "block " << block;
            for (size_t c = 0; c < channels; ++c) {
                EXPECT_TRUE(bitIdentical(output.channels[c], input[c]));  // gain at 0 dB
            }
        }
    }
}

TEST_F(OfflineRendererTest, ChainLatencyIsCompensatedSoOutputLinesUpWithInput) {
    const auto input = noise(2, 5000, 0.5f, 3);
    const std::string in = makeInput(input);
    for (const uint32_t latency : {1u, 63u, 64u, 777u, 6000u}) {  // 6000: longer than the file
        for (const uint32_t block : {64u, 1024u}) {
            auto chain = chainOf(std::make_unique<PureDelayEffect>(latency));
            RenderOptions options;
            options.blockFrames = block;
            const auto rendered =
                OfflineRenderer::render(chain, in, folder_.file("out.wav"), options);
            ASSERT_TRUE(rendered.ok()) << rendered.error();
            EXPECT_EQ(rendered->latencyFrames, latency);
            const auto output = test::readAudio(folder_.file("out.wav"));
            ASSERT_EQ(output.channels.size(), 2u);
            EXPECT_TRUE(bitIdentical(output.channels[0], input[0]))
                << "latency " << latency << ", block " << block;
            EXPECT_TRUE(bitIdentical(output.channels[1], input[1]));
        }
    }
}

TEST_F(OfflineRendererTest, LimiterLookaheadIsCompensatedForAQuietSignal) {
    // Far below the ceiling the limiter's gain is exactly 1: what remains is its look-ahead
    // delay, which the render must take back out.
    const auto input = noise(2, 20000, 0.05f, 11);
    const std::string in = makeInput(input);
    auto effect = EffectFactory::create("limiter");
    ASSERT_NE(effect, nullptr) << "the limiter effect is not registered";
    const int lookahead = effect->info().indexOf("lookahead_ms");
    ASSERT_GE(lookahead, 0);
    effect->parameters().set(static_cast<size_t>(lookahead), 5.0f);
    auto chain = chainOf(std::move(effect));
    const auto rendered = OfflineRenderer::render(chain, in, folder_.file("out.wav"));
    ASSERT_TRUE(rendered.ok()) << rendered.error();
    EXPECT_GT(rendered->latencyFrames, 0u);
    const auto output = test::readAudio(folder_.file("out.wav"));
    ASSERT_EQ(output.frames(), input[0].size());
    for (size_t c = 0; c < 2; ++c) {
        for (size_t i = 0; i < input[c].size(); ++i) {
            ASSERT_NEAR(output.channels[c][i], input[c][i], 1e-6f) << "frame " << i;
        }
    }
}

TEST_F(OfflineRendererTest, ClickThroughPitchAtUnisonStaysInPlace) {
    // Rubber Band at a pitch ratio of 1 smears a click but keeps it where it was, once the
    // latency the effect reports is taken back out.
    const size_t frames = 48000;
    const size_t clickAt = 20000;
    std::vector<std::vector<float>> input(2, std::vector<float>(frames, 0.0f));
    input[0][clickAt] = input[1][clickAt] = 1.0f;
    const std::string in = makeInput(input);
    auto chain = chainOf(EffectFactory::create("pitch"));
    ASSERT_EQ(chain.size(), 1u);
    const auto rendered = OfflineRenderer::render(chain, in, folder_.file("out.wav"));
    ASSERT_TRUE(rendered.ok()) << rendered.error();
    EXPECT_GT(rendered->latencyFrames, 0u);
    const auto output = test::readAudio(folder_.file("out.wav"));
    ASSERT_EQ(output.frames(), frames);
    size_t loudest = 0;
    for (size_t i = 0; i < frames; ++i) {
        if (std::abs(output.channels[0][i]) > std::abs(output.channels[0][loudest])) {
            loudest = i;
        }
    }
    EXPECT_NEAR(static_cast<double>(loudest), static_cast<double>(clickAt), 2.0)
        << "reported latency " << rendered->latencyFrames;
}

TEST_F(OfflineRendererTest, ImpulseThroughDelayLandsAtTheDelayTime) {
    for (const double rate : {44100.0, 48000.0, 96000.0}) {
        const size_t frames = static_cast<size_t>(rate);  // 1 s
        const size_t impulseAt = 1000;
        std::vector<std::vector<float>> input(2, std::vector<float>(frames, 0.0f));
        input[0][impulseAt] = 1.0f;
        input[1][impulseAt] = 1.0f;
        const std::string in = makeInput(input, rate);

        auto effect = EffectFactory::create("delay");
        ASSERT_NE(effect, nullptr) << "the delay effect is not registered";
        auto set = [&](const char* id, float value) {
            const int index = effect->info().indexOf(id);
            ASSERT_GE(index, 0) << id;
            effect->parameters().set(static_cast<size_t>(index), value);
        };
        const float timeMs = 250.0f;
        set("time_ms", timeMs);
        set("feedback", 0.0f);
        set("mix", 0.5f);
        set("pingpong", 0.0f);
        set("highcut_hz", 20000.0f);
        auto chain = chainOf(std::move(effect));
        RenderOptions options;
        options.blockFrames = 256;
        const auto rendered = OfflineRenderer::render(chain, in, folder_.file("out.wav"), options);
        ASSERT_TRUE(rendered.ok()) << rendered.error();

        const auto output = test::readAudio(folder_.file("out.wav"));
        ASSERT_EQ(output.frames(), frames);
        const size_t expected =
            impulseAt + static_cast<size_t>(std::lround(timeMs * rate / 1000.0));
        for (const auto& channel : output.channels) {
            // After the dry impulse, the loudest sample is the echo, exactly delay-time later,
            // and nothing comes out between the two.
            size_t loudest = impulseAt + 1;
            for (size_t i = impulseAt + 1; i < frames; ++i) {
                if (std::abs(channel[i]) > std::abs(channel[loudest])) {
                    loudest = i;
                }
            }
            EXPECT_EQ(loudest, expected) << "at " << rate << " Hz";
            EXPECT_GT(std::abs(channel[expected]), 0.1f);
            for (size_t i = impulseAt + 1; i + 2 < expected; ++i) {
                ASSERT_LT(std::abs(channel[i]), 1e-3f) << "at " << i << ", " << rate << " Hz";
            }
        }
    }
}

TEST_F(OfflineRendererTest, NonFiniteSamplesBecomeZero) {
    const auto input = noise(2, 1000, 0.5f, 4);
    const std::string in = makeInput(input);
    auto chain = chainOf(std::make_unique<NonFiniteEffect>());
    const auto rendered = OfflineRenderer::render(chain, in, folder_.file("out.wav"));
    ASSERT_TRUE(rendered.ok()) << rendered.error();
    EXPECT_EQ(rendered->nonFiniteSamples, 20);
    const auto output = test::readAudio(folder_.file("out.wav"));
    for (size_t i = 0; i < 1000; ++i) {
        if (i % 50 == 0) {
            EXPECT_EQ(output.channels[0][i], 0.0f) << i;
        } else {
            EXPECT_EQ(output.channels[0][i], input[0][i]) << i;
        }
    }
}

TEST_F(OfflineRendererTest, FlacOutputIsChosenByExtension) {
    const auto input = noise(2, 4800, 0.9f, 5);
    const std::string in = makeInput(input);
    EffectChain empty;
    const auto rendered = OfflineRenderer::render(empty, in, folder_.file("out.flac"));
    ASSERT_TRUE(rendered.ok()) << rendered.error();
    const auto output = test::readAudio(folder_.file("out.flac"));
    EXPECT_EQ(output.format & SF_FORMAT_TYPEMASK, SF_FORMAT_FLAC);
    EXPECT_EQ(output.format & SF_FORMAT_SUBMASK, SF_FORMAT_PCM_24);
    ASSERT_EQ(output.frames(), input[0].size());
    for (size_t i = 0; i < input[0].size(); ++i) {
        // 24-bit: one step of rounding plus libsndfile's scale (2^23 - 1 on write, 2^23 on read).
        ASSERT_NEAR(output.channels[0][i], input[0][i], 2.0 / (1 << 23));
    }
}

TEST_F(OfflineRendererTest, FlacOutputClipsBeyondFullScaleAndCountsIt) {
    const auto input = noise(2, 4800, 2.0f, 10);
    int64_t beyond = 0;
    for (const auto& channel : input) {
        beyond += std::count_if(channel.begin(), channel.end(),
                                [](float s) { return std::abs(s) > 1.0f; });
    }
    ASSERT_GT(beyond, 0);
    const std::string in = makeInput(input);
    EffectChain empty;
    const auto rendered = OfflineRenderer::render(empty, in, folder_.file("out.flac"));
    ASSERT_TRUE(rendered.ok()) << rendered.error();
    EXPECT_EQ(rendered->clippedSamples, beyond);
    const auto output = test::readAudio(folder_.file("out.flac"));
    ASSERT_EQ(output.frames(), input[0].size());
    for (size_t c = 0; c < 2; ++c) {
        for (size_t i = 0; i < input[c].size(); ++i) {
            ASSERT_NEAR(output.channels[c][i], std::clamp(input[c][i], -1.0f, 1.0f),
                        2.0 / (1 << 23));
        }
    }
}

TEST_F(OfflineRendererTest, ProgressIsReportedUpToTheEnd) {
    const auto input = noise(1, 600000, 0.1f, 6);
    const std::string in = makeInput(input);
    EffectChain empty;
    std::vector<int64_t> done;
    RenderOptions options;
    options.progress = [&](int64_t frames, int64_t total) {
        EXPECT_EQ(total, 600000);
        done.push_back(frames);
    };
    ASSERT_TRUE(OfflineRenderer::render(empty, in, folder_.file("out.wav"), options).ok());
    ASSERT_GE(done.size(), 2u);
    EXPECT_TRUE(std::is_sorted(done.begin(), done.end()));
    EXPECT_EQ(done.back(), 600000);
}

TEST_F(OfflineRendererTest, UnreadableInputIsASentence) {
    EffectChain empty;
    const auto missing =
        OfflineRenderer::render(empty, folder_.file("none.wav"), folder_.file("o.wav"));
    ASSERT_FALSE(missing.ok());
    EXPECT_THAT(missing.error(), HasSubstr("none.wav"));
    EXPECT_THAT(missing.error(), HasSubstr("No such file"));

    const auto folder = OfflineRenderer::render(empty, folder_.path(), folder_.file("o.wav"));
    ASSERT_FALSE(folder.ok());
    EXPECT_THAT(folder.error(), HasSubstr("folder"));

    const std::string text = folder_.write("notes.wav", "these are not samples");
    const auto notAudio = OfflineRenderer::render(empty, text, folder_.file("o.wav"));
    ASSERT_FALSE(notAudio.ok());
    EXPECT_THAT(notAudio.error(), HasSubstr("notes.wav"));
    EXPECT_THAT(folder_.entries(), ElementsAre("notes.wav"));  // no output was started
}

TEST_F(OfflineRendererTest, UnwritableOutputIsASentenceAndLeavesNoFile) {
    const std::string in = makeInput(noise(2, 1000, 0.5f, 7));
    EffectChain empty;
    const std::string intoMissing = folder_.file("no/such/folder/out.wav");
    const auto missingFolder = OfflineRenderer::render(empty, in, intoMissing);
    ASSERT_FALSE(missingFolder.ok());
    EXPECT_THAT(missingFolder.error(), HasSubstr(intoMissing));

    const auto badExtension = OfflineRenderer::render(empty, in, folder_.file("out.mp3"));
    ASSERT_FALSE(badExtension.ok());
    EXPECT_THAT(badExtension.error(), HasSubstr(".wav or .flac"));
    EXPECT_THAT(folder_.entries(), ElementsAre("in.wav"));
}

// The disk refuses the write halfway (a file size limit acts like a full disk). The render must
// fail with a sentence and leave neither the output nor its partial temporary file.
TEST_F(OfflineRendererTest, WriteFailingHalfwayLeavesNoPartialFile) {
    const std::string in = makeInput(noise(2, 48000, 0.5f, 8));  // 384 kB of float samples
    const std::string out = folder_.file("out.wav");
    auto chain = chainOf(EffectFactory::create("gain"));

    test::FileSizeLimit fullDisk(64 * 1024);
    ASSERT_TRUE(fullDisk.isActive());
    const auto rendered = OfflineRenderer::render(chain, in, out);
    fullDisk.lift();

    ASSERT_FALSE(rendered.ok());
    EXPECT_THAT(rendered.error(), HasSubstr(out));
    EXPECT_THAT(folder_.entries(), ElementsAre("in.wav"));
}

TEST_F(OfflineRendererTest, BlockSizeOutsideTheLimitsIsASentence) {
    const std::string in = makeInput(noise(1, 100, 0.5f, 9));
    EffectChain empty;
    RenderOptions options;
    options.blockFrames = 0;
    const auto zero = OfflineRenderer::render(empty, in, folder_.file("o.wav"), options);
    ASSERT_FALSE(zero.ok());
    EXPECT_THAT(zero.error(), HasSubstr("block size"));
    options.blockFrames = RenderOptions::kMaxBlockFrames + 1;
    EXPECT_FALSE(OfflineRenderer::render(empty, in, folder_.file("o.wav"), options).ok());
}

}  // namespace
}  // namespace liverack::core

namespace liverack::core {
namespace {

EffectChain heavyChain() {
    std::vector<std::shared_ptr<EffectSlot>> slots;
    for (const char* type :
         {"eq", "compressor", "distortion", "chorus", "delay", "reverb", "limiter"}) {
        auto effect = EffectFactory::create(type);
        EXPECT_NE(effect, nullptr) << type;
        slots.push_back(std::make_shared<EffectSlot>(std::move(effect)));
    }
    return EffectChain(std::move(slots));
}

// Reading, processing and writing run on three threads; the result must be exactly what one
// thread running the chain block by block over the file produces (aligned by the latency).
TEST_F(OfflineRendererTest, ThreadedRenderEqualsTheChainRunBlockByBlockInOneThread) {
    constexpr uint32_t kBlock = 256;
    const auto input = noise(2, 3 * 48000 + 77, 0.5f, 9);  // several chunks and a partial block
    const std::string in = makeInput(input);
    const std::string out = folder_.file("out.wav");
    EffectChain rendered = heavyChain();
    RenderOptions options;
    options.blockFrames = kBlock;
    auto summary = OfflineRenderer::render(rendered, in, out, options);
    ASSERT_TRUE(summary) << summary.error();
    const uint32_t latency = summary->latencyFrames;
    ASSERT_GT(latency, 0u);  // the compensation is exercised

    EffectChain reference = heavyChain();
    reference.prepare({48000.0, kBlock, 2});
    reference.reset();
    const size_t frames = input[0].size();
    const size_t padded = frames + (latency + kBlock - 1) / kBlock * kBlock;
    std::vector<std::vector<float>> expected(2, std::vector<float>(padded, 0.0f));
    for (uint32_t c = 0; c < 2; ++c) {
        std::copy(input[c].begin(), input[c].end(), expected[c].begin());
    }
    // The file in blocks (the last one partial), then whole blocks of silence for the tail.
    const auto runBlock = [&](size_t offset, size_t n) {
        float* pointers[2] = {expected[0].data() + offset, expected[1].data() + offset};
        reference.process(AudioBlock(pointers, 2, static_cast<uint32_t>(n)));
    };
    for (size_t offset = 0; offset < frames; offset += kBlock) {
        runBlock(offset, std::min<size_t>(kBlock, frames - offset));
    }
    for (size_t offset = frames; offset < padded; offset += kBlock) {
        runBlock(offset, kBlock);
    }
    const auto written = test::readAudio(out);
    ASSERT_EQ(written.frames(), frames);
    for (uint32_t c = 0; c < 2; ++c) {
        const std::vector<float> aligned(expected[c].begin() + latency,
                                         expected[c].begin() + latency + frames);
        EXPECT_TRUE(bitIdentical(written.channels[c], aligned)) << "channel " << c;
    }
}

}  // namespace
}  // namespace liverack::core
