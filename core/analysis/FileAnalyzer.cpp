// Whole-file measurement: one pass over the file in blocks, feeding the same measurement classes
// the live analysis thread uses.
#include "core/analysis/FileAnalyzer.h"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <limits>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

#include "core/analysis/LoudnessMeter.h"
#include "core/analysis/NoteName.h"
#include "core/analysis/PitchDetector.h"
#include "core/analysis/SpectrumAnalyzer.h"
#include "core/dsp/AudioBuffer.h"
#include "core/io/AudioFileReader.h"

namespace liverack::core {

namespace {

constexpr double kMinusInfinity = -std::numeric_limits<double>::infinity();

double toDb(double linear) {
    return linear > 0.0 ? 20.0 * std::log10(linear) : kMinusInfinity;
}

// Dividing the rounded integer (rather than multiplying by the step) gives the double nearest to
// the decimal, which the JSON writer then prints as written: 0.1493, not 0.14930000000000002.
nlohmann::ordered_json number(double value, int decimals = 2) {
    if (!std::isfinite(value)) {
        return nullptr;
    }
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale + 0.0;  // + 0.0 turns -0 into 0
}

std::string formatDb(double value, const char* unit) {
    if (!std::isfinite(value)) {
        return std::string("-inf ") + unit;
    }
    char text[32];
    std::snprintf(text, sizeof(text), "%.2f %s", value, unit);
    return text;
}

// libebur128 (its 4x true-peak oversampling above all) is about two thirds of a file's analysis,
// so it runs on a second thread, one block behind the reading and the other measurements.
class LoudnessThread {
public:
    LoudnessThread(LoudnessMeter& meter, uint32_t channels, uint32_t blockFrames)
        : meter_(meter), buffer_(channels, blockFrames) {
        try {
            thread_ = std::thread([this] { run(); });
        } catch (const std::system_error&) {
            // No second thread to be had: measure inline, just slower.
        }
    }
    ~LoudnessThread() {
        {
            std::lock_guard lock(mutex_);
            quit_ = true;
        }
        changed_.notify_all();
        if (thread_.joinable()) {
            thread_.join();
        }
    }
    LoudnessThread(const LoudnessThread&) = delete;
    LoudnessThread& operator=(const LoudnessThread&) = delete;

    // Waits for the previous block to be measured, then hands this one over (copied).
    void submit(const AudioBlock& block) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return !busy_; });
        frames_ = block.frameCount();
        buffer_.block(frames_).copyFrom(block);
        if (!thread_.joinable()) {
            measure();
            return;
        }
        busy_ = true;
        lock.unlock();
        changed_.notify_all();
    }
    // Waits until every submitted block is measured.
    void finish() {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return !busy_; });
    }

    double momentaryMax = kMinusInfinity;
    double shortTermMax = kMinusInfinity;

private:
    void run() {
        std::unique_lock lock(mutex_);
        for (;;) {
            changed_.wait(lock, [this] { return busy_ || quit_; });
            if (!busy_) {
                return;
            }
            lock.unlock();
            measure();
            lock.lock();
            busy_ = false;
            changed_.notify_all();
        }
    }
    // Called once per 100 ms block: the maxima are read at that rate, as EBU Tech 3341 asks.
    void measure() {
        meter_.process(buffer_.block(frames_).channels(), frames_);
        momentaryMax = std::max(momentaryMax, double(meter_.momentaryLufs()));
        shortTermMax = std::max(shortTermMax, double(meter_.shortTermLufs()));
    }

    LoudnessMeter& meter_;
    AudioBuffer buffer_;
    uint32_t frames_ = 0;
    std::mutex mutex_;
    std::condition_variable changed_;
    bool busy_ = false;
    bool quit_ = false;
    std::thread thread_;
};

}  // namespace

Result<FileAnalysis> FileAnalyzer::analyze(const std::string& path) {
    auto opened = AudioFileReader::open(path);
    if (!opened) {
        return Error{opened.error()};
    }
    AudioFileReader& reader = **opened;
    FileAnalysis analysis;
    analysis.file = path;
    analysis.sampleRate = reader.sampleRate();
    analysis.channels = reader.channelCount();

    const uint32_t channels = analysis.channels;
    const double rate = analysis.sampleRate;
    LoudnessMeter loudness;
    if (auto status = loudness.prepare(rate, channels); !status) {
        return Error{"cannot analyse '" + path + "': " + status.error()};
    }
    SpectrumAnalyzer spectrum;
    if (auto status = spectrum.prepare(rate, kSpectrumFftSize); !status) {
        return Error{"cannot analyse '" + path + "': " + status.error()};
    }
    SpectrumSettings settings;
    settings.fftSize = kSpectrumFftSize;
    settings.window = SpectrumWindow::BlackmanHarris;
    settings.overlap = 0.5f;
    settings.averagingSeconds = std::numeric_limits<float>::infinity();
    spectrum.configure(settings);
    PitchDetector pitch;
    if (auto status = pitch.prepare(rate); !status) {
        return Error{"cannot analyse '" + path + "': " + status.error()};
    }

    // Blocks of 100 ms: the momentary and short-term maxima are read at that rate.
    const auto blockFrames = static_cast<uint32_t>(std::max(1.0, std::round(rate / 10.0)));
    AudioBuffer buffer(channels, blockFrames);
    std::vector<float> mono(blockFrames);
    std::vector<double> peaks(channels, 0.0);
    std::vector<double> squares(channels, 0.0);
    uint64_t frames = 0;
    LoudnessThread loudnessThread(loudness, channels, blockFrames);
    std::vector<double> voicedHz;
    const double halfFrame = pitch.frameSize() / 2.0;

    for (;;) {
        const int64_t got = reader.read(buffer.block());
        if (got < 0) {
            return Error{reader.error()};
        }
        if (got == 0) {
            break;
        }
        const auto count = static_cast<uint32_t>(got);
        AudioBlock block = buffer.block(count);
        for (uint32_t c = 0; c < channels; ++c) {
            const float* x = block.channel(c);
            double peak = peaks[c];
            double sum = 0.0;
            for (uint32_t i = 0; i < count; ++i) {
                peak = std::max(peak, double(std::fabs(x[i])));
                sum += double(x[i]) * x[i];
            }
            peaks[c] = peak;
            squares[c] += sum;
        }
        loudnessThread.submit(block);
        frames += count;

        for (uint32_t i = 0; i < count; ++i) {
            float sum = 0.0f;
            for (uint32_t c = 0; c < channels; ++c) {
                sum += block.channel(c)[i];
            }
            mono[i] = sum / float(channels);
        }
        spectrum.process(mono.data(), count);
        pitch.process(mono.data(), count, [&](const PitchEstimate& estimate) {
            // Frames that reach back before the file's start are not reported.
            const double end = double(pitch.samplesConsumed());
            if (end < pitch.frameSize()) {
                return;
            }
            analysis.track.push_back({(end - halfFrame) / rate, estimate.voiced ? estimate.hz : 0.0,
                                      estimate.confidence});
            if (estimate.voiced) {
                voicedHz.push_back(estimate.hz);
            }
        });
    }

    loudnessThread.finish();
    analysis.durationSeconds = double(frames) / rate;
    for (uint32_t c = 0; c < channels; ++c) {
        analysis.samplePeakDbfs.push_back(toDb(peaks[c]));
        analysis.rmsDbfs.push_back(frames ? toDb(std::sqrt(squares[c] / double(frames)))
                                          : kMinusInfinity);
    }
    analysis.truePeakDbtp = loudness.truePeakDbtp();
    analysis.integratedLufs = loudness.integratedLufs();
    analysis.loudnessRangeLu = loudness.loudnessRangeLu();
    analysis.momentaryMaxLufs = loudnessThread.momentaryMax;
    analysis.shortTermMaxLufs = loudnessThread.shortTermMax;
    if (spectrum.framesComputed() > 0 && spectrum.peakDb() > SpectrumAnalyzer::kFloorDb) {
        analysis.spectrumPeakHz = spectrum.peakHz();
        analysis.spectrumPeakDbfs = spectrum.peakDb();
    } else {
        analysis.spectrumPeakHz = 0.0;
        analysis.spectrumPeakDbfs = kMinusInfinity;
    }
    if (!analysis.track.empty()) {
        analysis.voicedFraction = double(voicedHz.size()) / double(analysis.track.size());
    }
    if (!voicedHz.empty()) {
        const auto middle = voicedHz.begin() + voicedHz.size() / 2;
        std::nth_element(voicedHz.begin(), middle, voicedHz.end());
        analysis.pitchMedianHz = *middle;
        const NoteReading note = NoteName::fromHz(analysis.pitchMedianHz);
        analysis.pitchNote = NoteName::toString(note.name);
        analysis.pitchCents = note.cents;
    }
    return analysis;
}

nlohmann::ordered_json FileAnalyzer::toJson(const FileAnalysis& a) {
    nlohmann::ordered_json json;
    json["file"] = a.file;
    // Whole rates print as integers (48000, not 48000.0), as DESIGN.md shows them.
    if (a.sampleRate == std::round(a.sampleRate)) {
        json["sample_rate"] = static_cast<int64_t>(a.sampleRate);
    } else {
        json["sample_rate"] = a.sampleRate;
    }
    json["channels"] = a.channels;
    json["duration_s"] = number(a.durationSeconds, 3);
    json["sample_peak_dbfs"] = nlohmann::ordered_json::array();
    for (double v : a.samplePeakDbfs) {
        json["sample_peak_dbfs"].push_back(number(v));
    }
    json["rms_dbfs"] = nlohmann::ordered_json::array();
    for (double v : a.rmsDbfs) {
        json["rms_dbfs"].push_back(number(v));
    }
    json["true_peak_dbtp"] = number(a.truePeakDbtp);
    json["loudness"] = {{"integrated_lufs", number(a.integratedLufs)},
                        {"range_lu", number(a.loudnessRangeLu)},
                        {"momentary_max_lufs", number(a.momentaryMaxLufs)},
                        {"short_term_max_lufs", number(a.shortTermMaxLufs)}};
    json["spectrum"] = {{"peak_hz", number(a.spectrumPeakHz)},
                        {"peak_dbfs", number(a.spectrumPeakDbfs)}};
    nlohmann::ordered_json track = nlohmann::ordered_json::array();
    for (const auto& point : a.track) {
        track.push_back(
            {number(point.timeSeconds, 4), number(point.hz, 2), number(point.confidence, 2)});
    }
    json["pitch"] = {{"median_hz", number(a.pitchMedianHz)},
                     {"note", a.pitchNote},
                     {"cents", number(a.pitchCents, 1)},
                     {"voiced_fraction", number(a.voicedFraction, 3)},
                     {"track", std::move(track)}};
    return json;
}

std::string FileAnalyzer::toTable(const FileAnalysis& a) {
    std::string out;
    char line[256];
    auto add = [&](const char* label, const std::string& value) {
        std::snprintf(line, sizeof(line), "%-22s %s\n", label, value.c_str());
        out += line;
    };
    add("file", a.file);
    std::snprintf(line, sizeof(line), "%.0f Hz, %u channel%s, %.3f s", a.sampleRate, a.channels,
                  a.channels == 1 ? "" : "s", a.durationSeconds);
    add("format", line);
    for (uint32_t c = 0; c < a.channels; ++c) {
        const std::string label = "channel " + std::to_string(c + 1) + " peak / RMS";
        add(label.c_str(),
            formatDb(a.samplePeakDbfs[c], "dBFS") + " / " + formatDb(a.rmsDbfs[c], "dBFS"));
    }
    add("true peak", formatDb(a.truePeakDbtp, "dBTP"));
    add("integrated loudness", formatDb(a.integratedLufs, "LUFS"));
    add("loudness range", formatDb(a.loudnessRangeLu, "LU"));
    add("momentary max", formatDb(a.momentaryMaxLufs, "LUFS"));
    add("short-term max", formatDb(a.shortTermMaxLufs, "LUFS"));
    if (std::isfinite(a.spectrumPeakDbfs)) {
        std::snprintf(line, sizeof(line), "%.2f Hz at %s", a.spectrumPeakHz,
                      formatDb(a.spectrumPeakDbfs, "dBFS").c_str());
        add("spectrum peak", line);
    } else {
        add("spectrum peak", "none (silence)");
    }
    if (a.pitchMedianHz > 0.0) {
        std::snprintf(line, sizeof(line), "%.2f Hz, %s %+.1f cents, voiced %.1f%% of the time",
                      a.pitchMedianHz, a.pitchNote.c_str(),
                      std::round(a.pitchCents * 10.0) / 10.0 + 0.0, 100.0 * a.voicedFraction);
        add("pitch (median)", line);
    } else {
        add("pitch (median)", "none (no pitched frames)");
    }
    return out;
}

}  // namespace liverack::core
