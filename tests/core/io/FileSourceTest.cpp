// FileSource against files written independently with libsndfile: sample-exact playback at the
// file's own rate, channel mapping, seamless loops, seeks, pause, and resampling checked against
// SoX (a separate program) within -90 dB. Files shorter than the ring play out of the ring filled
// by prepare(), so the checks never depend on thread timing.
#include "core/io/FileSource.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <random>
#include <thread>

#include "core/io/SourceFactory.h"
#include "tests/support/SndfileIo.h"
#include "tests/support/TempFolder.h"

namespace liverack::core {
namespace {

using test::TempFolder;

std::vector<std::vector<float>> noise(size_t channels, size_t frames, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> value(-0.5f, 0.5f);
    std::vector<std::vector<float>> out(channels, std::vector<float>(frames));
    for (auto& channel : out) {
        for (float& s : channel) {
            s = value(rng);
        }
    }
    return out;
}

// Plays `frames` out of the source in blocks of `block`; returns channels × frames.
std::vector<std::vector<float>> play(FileSource& source, uint32_t channels, size_t frames,
                                     uint32_t block = 256) {
    AudioBuffer buffer(channels, block);
    std::vector<std::vector<float>> out(channels);
    for (size_t done = 0; done < frames;) {
        const auto n = static_cast<uint32_t>(std::min<size_t>(block, frames - done));
        source.process(buffer.block(n));
        for (uint32_t c = 0; c < channels; ++c) {
            out[c].insert(out[c].end(), buffer.channel(c), buffer.channel(c) + n);
        }
        done += n;
    }
    return out;
}

// Waits (bounded) for the reader thread to finish a seek.
bool seekSettles(const FileSource& source) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (source.isSeeking() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::yield();
    }
    return !source.isSeeking();
}

std::unique_ptr<FileSource> openFile(const std::string& path, bool loop) {
    auto source = FileSource::open(path, loop);
    EXPECT_TRUE(source) << source.error();
    return source ? std::move(source.value()) : nullptr;
}

TEST(FileSourceTest, SameRateFilePlaysSampleForSampleThenSilenceWhenPlayedOnce) {
    TempFolder folder;
    const auto signal = noise(2, 48000, 1);
    const std::string path = folder.file("in.wav");
    ASSERT_TRUE(test::writeFloatWav(path, 48000, signal));
    auto source = openFile(path, false);
    ASSERT_TRUE(source);
    source->prepare({48000.0, 256, 2});
    EXPECT_FALSE(source->isResampling());

    const auto out = play(*source, 2, 48000 + 4800);
    for (uint32_t c = 0; c < 2; ++c) {
        for (size_t i = 0; i < 48000; ++i) {
            ASSERT_EQ(out[c][i], signal[c][i]) << "channel " << c << " frame " << i;
        }
        for (size_t i = 48000; i < out[c].size(); ++i) {
            ASSERT_EQ(out[c][i], 0.0f) << "after the end, frame " << i;
        }
    }
    EXPECT_TRUE(source->hasEnded());
    EXPECT_DOUBLE_EQ(source->positionSeconds(), 1.0);
    EXPECT_EQ(source->underrunFrames(), 0u);  // the end of the file is not an underrun
}

TEST(FileSourceTest, LoopedFileRepeatsWithoutAGapOrARepeatedSample) {
    TempFolder folder;
    const size_t length = 12000;  // 0.25 s: the first 1.5 s played hold six loops
    const auto signal = noise(2, length, 2);
    const std::string path = folder.file("loop.wav");
    ASSERT_TRUE(test::writeFloatWav(path, 48000, signal));
    auto source = openFile(path, true);
    ASSERT_TRUE(source);
    source->prepare({48000.0, 100, 2});  // 100 does not divide the loop length
    const auto out = play(*source, 2, 72000, 100);
    for (uint32_t c = 0; c < 2; ++c) {
        for (size_t i = 0; i < out[c].size(); ++i) {
            ASSERT_EQ(out[c][i], signal[c][i % length]) << "channel " << c << " frame " << i;
        }
    }
    EXPECT_FALSE(source->hasEnded());
    EXPECT_NEAR(source->positionSeconds(), 0.0, 1e-9);  // six whole loops
}

TEST(FileSourceTest, MonoFileFeedsEveryChannel) {
    TempFolder folder;
    const auto signal = noise(1, 4800, 3);
    const std::string path = folder.file("mono.wav");
    ASSERT_TRUE(test::writeFloatWav(path, 48000, signal));
    auto source = openFile(path, false);
    ASSERT_TRUE(source);
    source->prepare({48000.0, 64, 3});
    const auto out = play(*source, 3, 4800, 64);
    for (uint32_t c = 0; c < 3; ++c) {
        for (size_t i = 0; i < 4800; ++i) {
            ASSERT_EQ(out[c][i], signal[0][i]);
        }
    }
}

TEST(FileSourceTest, FileWithMoreChannelsThanTheStreamGivesItsFirstChannels) {
    TempFolder folder;
    const auto signal = noise(4, 4800, 4);
    const std::string path = folder.file("quad.wav");
    ASSERT_TRUE(test::writeFloatWav(path, 48000, signal));
    auto source = openFile(path, false);
    ASSERT_TRUE(source);
    EXPECT_EQ(source->fileChannels(), 4u);
    source->prepare({48000.0, 64, 2});
    const auto out = play(*source, 2, 4800, 64);
    for (uint32_t c = 0; c < 2; ++c) {
        for (size_t i = 0; i < 4800; ++i) {
            ASSERT_EQ(out[c][i], signal[c][i]);
        }
    }
}

// The file's samples count up, so every output sample says where in the file it came from.
TEST(FileSourceTest, SeekContinuesExactlyFromTheRequestedFrame) {
    TempFolder folder;
    const size_t length = 48000;
    std::vector<std::vector<float>> ramp(1, std::vector<float>(length));
    for (size_t n = 0; n < length; ++n) {
        ramp[0][n] = static_cast<float>(double(n) / (1 << 20));  // exact in float
    }
    const std::string path = folder.file("ramp.wav");
    ASSERT_TRUE(test::writeFloatWav(path, 48000, ramp));
    auto source = openFile(path, false);
    ASSERT_TRUE(source);
    source->prepare({48000.0, 256, 1});
    (void)play(*source, 1, 2560);
    EXPECT_NEAR(source->positionSeconds(), 2560.0 / 48000.0, 1e-9);

    source->seek(0.75);                                 // frame 36000
    EXPECT_DOUBLE_EQ(source->positionSeconds(), 0.75);  // at once, for the slider
    ASSERT_TRUE(seekSettles(*source));
    const auto out = play(*source, 1, 4800);
    for (size_t i = 0; i < out[0].size(); ++i) {
        ASSERT_EQ(out[0][i], ramp[0][36000 + i]) << "frame " << i << " after the seek";
    }
    EXPECT_NEAR(source->positionSeconds(), 0.75 + 0.1, 1e-9);
    EXPECT_EQ(source->underrunFrames(), 0u);
}

// Played once, the whole short file is read ahead at once; switching looping on afterwards must
// play the rest of it and go on from the start with no gap, no repeat and no jump.
TEST(FileSourceTest, LoopSwitchedOnAfterTheEndWasReadCarriesOnIntoTheStartWithoutAGap) {
    TempFolder folder;
    const size_t length = 24000;
    std::vector<std::vector<float>> ramp(1, std::vector<float>(length));
    for (size_t n = 0; n < length; ++n) {
        ramp[0][n] = static_cast<float>(double(n + 1) / (1 << 20));
    }
    const std::string path = folder.file("ramp.wav");
    ASSERT_TRUE(test::writeFloatWav(path, 48000, ramp));
    auto source = openFile(path, false);
    ASSERT_TRUE(source);
    source->prepare({48000.0, 256, 1});
    auto out = play(*source, 1, 12000);
    source->setLooping(true);
    ASSERT_TRUE(seekSettles(*source));
    auto more = play(*source, 1, 6000);
    EXPECT_NEAR(source->positionSeconds(), 18000.0 / 48000.0, 1e-9);  // still the first pass
    out[0].insert(out[0].end(), more[0].begin(), more[0].end());
    more = play(*source, 1, 24000);
    out[0].insert(out[0].end(), more[0].begin(), more[0].end());
    for (size_t i = 0; i < out[0].size(); ++i) {
        ASSERT_EQ(out[0][i], ramp[0][i % length]) << "frame " << i;
    }
    EXPECT_NEAR(source->positionSeconds(), 18000.0 / 48000.0, 1e-9);  // second pass
    EXPECT_FALSE(source->hasEnded());
    EXPECT_EQ(source->underrunFrames(), 0u);
}

// Two threads as in the engine: one plays blocks (paced near real time), the other seeks, pauses,
// resumes and switches looping. Whatever the interleaving, every sample that comes out is silence
// or a sample of the file, each block continues the file in order except at one seam, and the
// position stays inside the file. (Also the case the thread sanitizer build runs.)
TEST(FileSourceTest, TransportFromAnotherThreadWhilePlayingNeverGivesForeignSamples) {
    TempFolder folder;
    const size_t length = 48000;
    std::vector<std::vector<float>> ramp(1, std::vector<float>(length));
    for (size_t n = 0; n < length; ++n) {
        ramp[0][n] = static_cast<float>(double(n + 1) / (1 << 20));  // 0 is never a file sample
    }
    const std::string path = folder.file("ramp.wav");
    ASSERT_TRUE(test::writeFloatWav(path, 48000, ramp));
    auto source = openFile(path, true);
    ASSERT_TRUE(source);
    source->prepare({48000.0, 256, 1});

    std::atomic<bool> done{false};
    size_t foreign = 0;
    size_t brokenBlocks = 0;
    std::thread audio([&] {
        AudioBuffer buffer(1, 256);
        for (int b = 0; b < 600; ++b) {
            source->process(buffer.block());
            size_t seams = 0;
            for (uint32_t i = 0; i < 256; ++i) {
                const double index = double(buffer.channel(0)[i]) * (1 << 20);
                if (index != 0.0 && (index != std::floor(index) || index < 1 || index > length)) {
                    ++foreign;
                }
                if (i > 0 && buffer.channel(0)[i] != 0.0f && buffer.channel(0)[i - 1] != 0.0f &&
                    buffer.channel(0)[i] != buffer.channel(0)[i - 1] + float(1.0 / (1 << 20))) {
                    ++seams;
                }
            }
            brokenBlocks += seams > 1 ? 1 : 0;
            std::this_thread::sleep_for(std::chrono::microseconds(1300));  // pacing: ~4x real time
        }
        done = true;
    });
    std::mt19937 rng(4);
    std::uniform_real_distribution<double> place(0.0, 1.0);
    int step = 0;
    while (!done) {
        source->seek(place(rng));
        if (++step % 4 == 0) {
            source->pause();
        } else if (step % 4 == 1) {
            source->play();
        }
        if (step % 5 == 0) {
            source->setLooping(!source->isLooping());
        }
        const double position = source->positionSeconds();
        EXPECT_GE(position, 0.0);
        EXPECT_LE(position, 1.0);
        std::this_thread::sleep_for(std::chrono::milliseconds(7));  // pacing, not synchronisation
    }
    audio.join();
    EXPECT_EQ(foreign, 0u) << "samples that are neither silence nor from the file";
    EXPECT_EQ(brokenBlocks, 0u) << "blocks that jump more than once";
    EXPECT_GT(step, 20);
}

TEST(FileSourceTest, PauseHoldsThePositionAndPlaysSilenceThenResumesWhereItStopped) {
    TempFolder folder;
    const auto signal = noise(1, 9600, 5);
    const std::string path = folder.file("p.wav");
    ASSERT_TRUE(test::writeFloatWav(path, 48000, signal));
    auto source = openFile(path, false);
    ASSERT_TRUE(source);
    source->prepare({48000.0, 480, 1});
    (void)play(*source, 1, 960, 480);
    source->pause();
    EXPECT_FALSE(source->isPlaying());
    const auto paused = play(*source, 1, 4800, 480);
    for (float s : paused[0]) {
        ASSERT_EQ(s, 0.0f);
    }
    EXPECT_NEAR(source->positionSeconds(), 0.02, 1e-9);
    source->play();
    const auto resumed = play(*source, 1, 960, 480);
    for (size_t i = 0; i < 960; ++i) {
        ASSERT_EQ(resumed[0][i], signal[0][960 + i]);
    }
    EXPECT_EQ(source->underrunFrames(), 0u);
}

TEST(FileSourceTest, LengthNameAndDescriptionComeFromTheFile) {
    TempFolder folder;
    const std::string path = folder.file("intro.wav");
    ASSERT_TRUE(test::writeFloatWav(path, 44100, noise(2, 22050, 6)));
    auto source = openFile(path, true);
    ASSERT_TRUE(source);
    EXPECT_DOUBLE_EQ(source->lengthSeconds(), 0.5);
    EXPECT_EQ(source->fileName(), "intro.wav");
    EXPECT_EQ(source->description(), "file intro.wav");
    EXPECT_DOUBLE_EQ(source->fileSampleRate(), 44100.0);
    EXPECT_TRUE(source->isLooping());
    source->setLooping(false);
    EXPECT_FALSE(source->isLooping());
}

// Resampling is compared with SoX run as a separate program at its very-high quality
// (`rate -v`, linear phase): same source, independent implementation of the conversion.
TEST(FileSourceTest, ResampledPlaybackMatchesSoxWithinMinus90Decibels) {
    TempFolder folder;
    const double fileRate = 44100;
    const size_t frames = 44100;  // 1 s; 48000 frames out fit the 2 s ring
    // Content well inside both resamplers' pass band: tones up to 15 kHz at random phases.
    std::vector<std::vector<float>> signal(2, std::vector<float>(frames));
    std::mt19937 rng(9);
    std::uniform_real_distribution<double> phase(0.0, 2.0 * M_PI);
    for (auto& channel : signal) {
        const double freqs[] = {100.0, 997.0, 4321.0, 9000.0, 15000.0};
        double phases[5];
        for (double& p : phases) {
            p = phase(rng);
        }
        for (size_t n = 0; n < frames; ++n) {
            double s = 0.0;
            for (int k = 0; k < 5; ++k) {
                s += 0.1 * std::sin(2.0 * M_PI * freqs[k] * n / fileRate + phases[k]);
            }
            channel[n] = static_cast<float>(s);
        }
    }
    const std::string in = folder.file("in44.wav");
    const std::string oracle = folder.file("sox48.wav");
    ASSERT_TRUE(test::writeFloatWav(in, fileRate, signal));
    const std::string command =
        "sox '" + in + "' -e floating-point -b 32 '" + oracle + "' rate -v 48000 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    const test::PlanarAudio expected = test::readAudio(oracle);
    ASSERT_EQ(expected.channels.size(), 2u);
    ASSERT_NEAR(double(expected.frames()), 48000.0, 1.0);

    auto source = openFile(in, false);
    ASSERT_TRUE(source);
    source->prepare({48000.0, 256, 2});
    EXPECT_TRUE(source->isResampling());
    const auto out = play(*source, 2, 48000 + 1024);

    // Compare away from the two ends, where each resampler treats the edge of the file its own
    // way; the middle 0.9 s is the steady state that matters.
    double errorEnergy = 0.0;
    double signalEnergy = 0.0;
    double worst = 0.0;
    for (uint32_t c = 0; c < 2; ++c) {
        for (size_t i = 2400; i < 45600; ++i) {
            const double d = double(out[c][i]) - expected.channels[c][i];
            errorEnergy += d * d;
            signalEnergy += double(expected.channels[c][i]) * expected.channels[c][i];
            worst = std::max(worst, std::abs(d));
        }
    }
    const double errorDb = 10.0 * std::log10(errorEnergy / signalEnergy);
    const double worstDbfs = 20.0 * std::log10(worst + 1e-30);
    std::printf("[ resample ] error %.1f dB relative, worst sample %.1f dBFS\n", errorDb,
                worstDbfs);
    RecordProperty("errorDb", std::to_string(errorDb));
    EXPECT_LT(errorDb, -90.0);
    EXPECT_LT(worstDbfs, -90.0);
    EXPECT_EQ(source->underrunFrames(), 0u);
}

TEST(FileSourceTest, MissingFileIsASentenceNamingIt) {
    auto source = SourceFactory::create("file:/nonexistent/take 1.wav");
    ASSERT_FALSE(source);
    EXPECT_NE(source.error().find("/nonexistent/take 1.wav"), std::string::npos) << source.error();
    EXPECT_NE(source.error().find("No such file"), std::string::npos) << source.error();
}

TEST(FileSourceTest, CorruptFileIsASentenceSayingItIsNotAudio) {
    TempFolder folder;
    const std::string path =
        folder.write("broken.wav", "RIFF\x10\0\0\0WAVEgarbage that is no fmt chunk");
    auto source = SourceFactory::create("file:" + path);
    ASSERT_FALSE(source);
    EXPECT_NE(source.error().find("broken.wav"), std::string::npos) << source.error();
    EXPECT_NE(source.error().find("as audio"), std::string::npos) << source.error();
}

// Damage in the middle of a FLAC file (the header is fine, so it opens): playback stops where the
// damage starts, with a sentence, and what follows is silence, not noise and not a crash.
TEST(FileSourceTest, DamagedFileStopsWhereTheDamageStartsWithASentence) {
    TempFolder folder;
    const std::string good = folder.file("good.flac");
    const std::string bad = folder.file("damaged.flac");
    ASSERT_EQ(std::system(("sox -n -r 48000 -c 2 -b 24 '" + good + "' synth 1.5 sine 440").c_str()),
              0);
    std::string bytes = test::readBytes(good);
    ASSERT_GT(bytes.size(), 30000u);
    for (size_t i = bytes.size() / 3; i < bytes.size() / 3 + 4000; ++i) {
        bytes[i] = static_cast<char>((i * 7) & 0xff);
    }
    folder.write("damaged.flac", bytes);
    auto source = openFile(bad, true);
    ASSERT_TRUE(source);
    source->prepare({48000.0, 256, 2});
    const auto out = play(*source, 2, 72000);
    const std::string error = source->error();
    EXPECT_NE(error.find("damaged.flac"), std::string::npos) << error;
    EXPECT_NE(error.find("failed"), std::string::npos) << error;
    EXPECT_TRUE(source->hasEnded());
    size_t audible = 0;
    for (size_t i = 0; i < out[0].size(); ++i) {
        ASSERT_TRUE(std::isfinite(out[0][i]) && std::abs(out[0][i]) <= 1.0f);
        audible += out[0][i] != 0.0f ? 1 : 0;
    }
    EXPECT_GT(audible, 10000u);  // the undamaged start played
    EXPECT_LT(audible, 48000u);  // and nothing after the damage
    for (size_t i = 60000; i < out[0].size(); ++i) {
        ASSERT_EQ(out[0][i], 0.0f);
    }
}

TEST(FileSourceTest, EmptyFileNameIsASentence) {
    auto source = SourceFactory::create("file:");
    ASSERT_FALSE(source);
    EXPECT_NE(source.error().find("path"), std::string::npos) << source.error();
}

TEST(FileSourceTest, SourceFactoryMakesAFileSourceForFileSpecs) {
    TempFolder folder;
    const std::string path = folder.file("ok.wav");
    ASSERT_TRUE(test::writeFloatWav(path, 48000, noise(1, 480, 7)));
    auto source = SourceFactory::create("file:" + path);
    ASSERT_TRUE(source) << source.error();
    ASSERT_NE(dynamic_cast<FileSource*>(source.value().get()), nullptr);
    EXPECT_EQ(source.value()->description(), "file ok.wav");
}

}  // namespace
}  // namespace liverack::core
