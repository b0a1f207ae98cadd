// FileAnalyzer on files written for the test: a -23 dBFS 1 kHz stereo sine measures as theory says
// (peaks, RMS, R128 loudness, spectrum peak, pitch), the JSON has DESIGN.md's shape, and bad
// files give a sentence instead of a crash.
#include "core/analysis/FileAnalyzer.h"

#include <gtest/gtest.h>

#include <unistd.h>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/io/AudioFileWriter.h"
#include "tests/core/analysis/AnalysisTestSignals.h"

namespace liverack::core {
namespace {

namespace fs = std::filesystem;

class FileAnalyzerTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("liverack-file-analyzer-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    // Writes channels copies of `mono` (scaled per channel) as 32-bit float WAV.
    std::string writeWav(const std::string& name, double rate, const std::vector<float>& mono,
                         uint32_t channels = 2) {
        const std::string path = (dir_ / name).string();
        auto writer = AudioFileWriter::create(path, rate, channels, AudioFileFormat::WavFloat32);
        EXPECT_TRUE(writer.ok()) << writer.error();
        std::vector<float> copy = mono;
        std::vector<float*> pointers(channels, copy.data());
        EXPECT_TRUE(
            (*writer)->write(AudioBlock(pointers.data(), channels, uint32_t(copy.size()))).ok());
        EXPECT_TRUE((*writer)->commit().ok());
        return path;
    }

    fs::path dir_;
};

TEST_F(FileAnalyzerTest, SineAtMinus23DbfsMeasuresAsTheoryAtEveryRate) {
    for (double rate : {44100.0, 48000.0, 96000.0}) {
        const double amplitude = std::pow(10.0, -23.0 / 20.0);
        const std::string path = writeWav(
            "sine.wav", rate, testsignals::sine(1000.0, amplitude, rate, size_t(rate * 20)));
        auto result = FileAnalyzer::analyze(path);
        ASSERT_TRUE(result.ok()) << result.error();
        const FileAnalysis& a = *result;
        EXPECT_EQ(a.sampleRate, rate);
        EXPECT_EQ(a.channels, 2u);
        EXPECT_NEAR(a.durationSeconds, 20.0, 1e-9);
        ASSERT_EQ(a.samplePeakDbfs.size(), 2u);
        for (uint32_t c = 0; c < 2; ++c) {
            // 1 kHz divides 48 and 96 kHz evenly: the samples then hit the crest exactly; at
            // 44.1 kHz they come within 0.01 dB of it over 20 s.
            EXPECT_NEAR(a.samplePeakDbfs[c], -23.0, 0.01);
            EXPECT_NEAR(a.rmsDbfs[c], -23.0 - 3.0103, 0.01);
        }
        EXPECT_NEAR(a.truePeakDbtp, -23.0, 0.2);
        EXPECT_NEAR(a.integratedLufs, -23.0, 0.1);
        EXPECT_NEAR(a.loudnessRangeLu, 0.0, 1.0);
        EXPECT_NEAR(a.momentaryMaxLufs, -23.0, 0.1);
        EXPECT_NEAR(a.shortTermMaxLufs, -23.0, 0.1);
        EXPECT_NEAR(a.spectrumPeakHz, 1000.0, 0.05 * rate / FileAnalyzer::kSpectrumFftSize);
        EXPECT_NEAR(a.spectrumPeakDbfs, -23.0, 0.1);
        EXPECT_NEAR(a.pitchMedianHz, 1000.0, 0.01);
        EXPECT_EQ(a.pitchNote, "B5");
        EXPECT_NEAR(a.pitchCents, 1200.0 * std::log2(1000.0 / 440.0) - 1400.0, 0.05);
        EXPECT_NEAR(a.voicedFraction, 1.0, 1e-9);
        ASSERT_FALSE(a.track.empty());
        // One row per hop, each frame inside the file; times increase by the hop.
        const double hop = a.track[1].timeSeconds - a.track[0].timeSeconds;
        EXPECT_GT(hop, 0.0);
        EXPECT_GE(a.track.front().timeSeconds, 0.0);
        EXPECT_LE(a.track.back().timeSeconds, 20.0);
        EXPECT_NEAR(a.track.size(), 20.0 / hop, 2.0);
    }
}

TEST_F(FileAnalyzerTest, JsonHasTheFieldsOfDesignInOrder) {
    const std::string path =
        writeWav("tone.wav", 48000.0, testsignals::sine(440.0, 0.5, 48000.0, 48000 * 4));
    auto result = FileAnalyzer::analyze(path);
    ASSERT_TRUE(result.ok()) << result.error();
    const nlohmann::ordered_json json = FileAnalyzer::toJson(*result);
    std::vector<std::string> keys;
    for (const auto& item : json.items()) {
        keys.push_back(item.key());
    }
    EXPECT_EQ(keys, (std::vector<std::string>{"file", "sample_rate", "channels", "duration_s",
                                              "sample_peak_dbfs", "rms_dbfs", "true_peak_dbtp",
                                              "loudness", "spectrum", "pitch"}));
    EXPECT_EQ(json["file"], path);
    EXPECT_EQ(json["sample_rate"], 48000);
    EXPECT_TRUE(json["sample_rate"].is_number_integer());
    EXPECT_EQ(json["channels"], 2);
    EXPECT_TRUE(json["loudness"].contains("integrated_lufs"));
    EXPECT_TRUE(json["loudness"].contains("range_lu"));
    EXPECT_TRUE(json["loudness"].contains("momentary_max_lufs"));
    EXPECT_TRUE(json["loudness"].contains("short_term_max_lufs"));
    EXPECT_TRUE(json["spectrum"].contains("peak_hz"));
    EXPECT_TRUE(json["spectrum"].contains("peak_dbfs"));
    EXPECT_EQ(json["pitch"]["note"], "A4");
    EXPECT_NEAR(json["pitch"]["median_hz"].get<double>(), 440.0, 0.01);
    const auto& row = json["pitch"]["track"][0];
    ASSERT_EQ(row.size(), 3u);  // [time_s, hz, confidence]
    EXPECT_NEAR(row[1].get<double>(), 440.0, 0.01);
    EXPECT_TRUE(FileAnalyzer::toTable(*result).find("A4") != std::string::npos);
}

TEST_F(FileAnalyzerTest, SilentFileReportsNullsNotNumbers) {
    const std::string path =
        writeWav("silence.wav", 48000.0, std::vector<float>(48000 * 2, 0.0f), 1);
    auto result = FileAnalyzer::analyze(path);
    ASSERT_TRUE(result.ok()) << result.error();
    const nlohmann::ordered_json json = FileAnalyzer::toJson(*result);
    EXPECT_TRUE(json["sample_peak_dbfs"][0].is_null());
    EXPECT_TRUE(json["loudness"]["integrated_lufs"].is_null());
    EXPECT_EQ(json["pitch"]["voiced_fraction"], 0.0);
    EXPECT_EQ(json["pitch"]["note"], "");
    // Every track row says unvoiced: hz 0.
    for (const auto& row : json["pitch"]["track"]) {
        EXPECT_EQ(row[1], 0.0);
    }
}

TEST_F(FileAnalyzerTest, MissingFileIsASentenceNamingIt) {
    const std::string path = (dir_ / "no-such-file.wav").string();
    auto result = FileAnalyzer::analyze(path);
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().find(path), std::string::npos) << result.error();
}

TEST_F(FileAnalyzerTest, TextFileIsASentenceNotACrash) {
    const std::string path = (dir_ / "notes.wav").string();
    std::ofstream(path) << "this is not audio\n";
    auto result = FileAnalyzer::analyze(path);
    ASSERT_FALSE(result.ok());
    EXPECT_FALSE(result.error().empty());
}

TEST_F(FileAnalyzerTest, FolderIsASentenceNotACrash) {
    auto result = FileAnalyzer::analyze(dir_.string());
    ASSERT_FALSE(result.ok());
    EXPECT_FALSE(result.error().empty());
}

}  // namespace
}  // namespace liverack::core
