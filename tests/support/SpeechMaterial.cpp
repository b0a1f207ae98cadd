#include "tests/support/SpeechMaterial.h"

#include <soxr.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <random>

#include "tests/support/SndfileIo.h"
#include "tests/support/Subprocess.h"

namespace liverack::test {
namespace {

// Subprocess runs a path, not a name: find espeak-ng on PATH.
std::string findOnPath(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::string folders = path != nullptr ? path : "/usr/bin";
    size_t start = 0;
    while (start <= folders.size()) {
        const size_t end = std::min(folders.find(':', start), folders.size());
        const std::string candidate = folders.substr(start, end - start) + "/" + program;
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
        start = end + 1;
    }
    return program;
}

}  // namespace

Speech speak(const std::vector<std::string>& sentences, const std::string& voice, double rate,
             double pauseSeconds, const std::string& folder) {
    Speech speech;
    const auto pause = static_cast<size_t>(pauseSeconds * rate);
    for (size_t s = 0; s < sentences.size(); ++s) {
        const std::string path = folder + "/sentence" + std::to_string(s) + "-" + voice + ".wav";
        Subprocess espeak({findOnPath("espeak-ng"), "-v", voice, "-w", path, sentences[s]});
        if (!espeak.started() || espeak.wait(60.0) != 0) {
            return {};
        }
        const PlanarAudio spoken = readAudio(path);
        if (spoken.frames() == 0) {
            return {};
        }
        std::vector<float> converted(
            static_cast<size_t>(std::ceil(spoken.frames() * rate / spoken.sampleRate)) + 16);
        size_t made = 0;
        const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
        const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_VHQ, 0);
        if (soxr_oneshot(spoken.sampleRate, rate, 1, spoken.channels[0].data(), spoken.frames(),
                         nullptr, converted.data(), converted.size(), &made, &io, &quality,
                         nullptr) != nullptr) {
            return {};
        }
        const size_t begin = speech.samples.size();
        speech.samples.insert(speech.samples.end(), converted.begin(), converted.begin() + made);
        speech.sentences.emplace_back(begin, speech.samples.size());
        speech.pauses.emplace_back(speech.samples.size(), speech.samples.size() + pause);
        speech.samples.resize(speech.samples.size() + pause, 0.0f);
    }
    return speech;
}

std::vector<float> pinkNoise(size_t frames, float rmsDbfs, uint32_t seed) {
    // Voss–McCartney: row k is redrawn every 2^k samples; their sum falls at 3 dB per octave.
    constexpr int kRows = 16;
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> white(-1.0f, 1.0f);
    float rows[kRows];
    float sum = 0.0f;
    for (float& r : rows) {
        r = white(rng);
        sum += r;
    }
    std::vector<float> out(frames);
    for (size_t i = 0; i < frames; ++i) {
        // The row to redraw is the number of trailing zeros of the counter.
        const auto n = static_cast<uint32_t>(i + 1);
        const int k = std::min(kRows - 1, __builtin_ctz(n));
        sum -= rows[k];
        rows[k] = white(rng);
        sum += rows[k];
        out[i] = sum + white(rng);
    }
    const double scale = std::pow(10.0, rmsDbfs / 20.0) / std::sqrt(meanSquare(out, 0, frames));
    for (float& v : out) {
        v = static_cast<float>(v * scale);
    }
    return out;
}

double meanSquare(const std::vector<float>& x, size_t begin, size_t end) {
    double sum = 0.0;
    end = std::min(end, x.size());
    for (size_t i = begin; i < end; ++i) {
        sum += static_cast<double>(x[i]) * x[i];
    }
    return end > begin ? sum / static_cast<double>(end - begin) : 0.0;
}

double toDb(double meanSquare) {
    return 10.0 * std::log10(std::max(meanSquare, 1e-30));
}

}  // namespace liverack::test
