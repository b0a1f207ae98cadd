// The analysis thread: see AnalysisEngine.h. It pops the rings in chunks of a few milliseconds,
// feeds each measurement and publishes after every chunk, so readers see ~100 updates a second.
#include "core/analysis/AnalysisEngine.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <system_error>
#include <vector>

#include "core/analysis/LevelMeter.h"
#include "core/analysis/LoudnessMeter.h"
#include "core/analysis/NoteName.h"
#include "core/analysis/PitchDetector.h"
#include "core/analysis/SpectrumAnalyzer.h"
#include "core/analysis/SpectrumBands.h"

namespace liverack::core {

namespace {

constexpr uint32_t kChunkFrames = 512;
// When both rings are empty the thread naps this long: a 48 kHz stream fills 768 frames
// meanwhile, far below the rings' one second, and half the window's 30 Hz frame at most.
// (Each nap costs a wake-up: at 5 ms they were a sixth of this thread's time.)
constexpr auto kIdleWait = std::chrono::milliseconds(16);
// EBU Tech 3341 asks for momentary and short-term readings at 10 Hz or more; each short-term
// reading sums 3 s of samples, so not more often than that.
constexpr double kLoudnessPublishSeconds = 0.1;

}  // namespace

struct AnalysisEngine::Worker {
    double sampleRate = 48000.0;
    uint32_t channels = 2;
    LevelMeter levels[2];
    LoudnessMeter loudness;
    SpectrumAnalyzer spectrum;
    PitchDetector pitch;
    std::vector<float> storage[2];  // channels x kChunkFrames per tap
    std::vector<float*> pointers[2];
    std::vector<float> mono;
    uint64_t frames[2] = {0, 0};
    uint64_t sequence = 0;
    uint64_t lastLoudnessFrame = 0;
    Tap spectrumTap = Tap::Post;
    Tap pitchTap = Tap::Post;
    bool spectrumWanted = true;
    bool pitchWanted = true;
    float referenceA4 = 440.0f;
    bool spectrumFresh = false;
    MonitorSnapshot monitor{};  // assembled as the parts are published

    Status prepare(double rate, uint32_t channelCount, uint32_t ringChannels[2]) {
        sampleRate = rate;
        channels = channelCount;
        for (int t = 0; t < 2; ++t) {
            // The rings may carry more or fewer channels than the stream; pop them all.
            const uint32_t popped = std::max(1u, ringChannels[t]);
            storage[t].assign(size_t(popped) * kChunkFrames, 0.0f);
            pointers[t].resize(popped);
            for (uint32_t c = 0; c < popped; ++c) {
                pointers[t][c] = storage[t].data() + size_t(c) * kChunkFrames;
            }
            levels[t].prepare(rate, std::min(channelCount, popped));
        }
        mono.assign(kChunkFrames, 0.0f);
        if (auto status =
                loudness.prepare(rate, std::min(channelCount, std::max(1u, ringChannels[1])),
                                 LoudnessMeter::History::Bounded);
            !status) {
            return status;
        }
        if (auto status = spectrum.prepare(rate); !status) {
            return status;
        }
        return pitch.prepare(rate);
    }
};

AnalysisEngine::AnalysisEngine(SampleRing& preTap, SampleRing& postTap)
    : preTap_(preTap), postTap_(postTap) {}

AnalysisEngine::~AnalysisEngine() {
    stop();
}

void AnalysisEngine::start(double sampleRate, uint32_t channels) {
    stop();
    auto worker = std::make_unique<Worker>();
    uint32_t ringChannels[2] = {preTap_.channelCount(), postTap_.channelCount()};
    if (!worker->prepare(sampleRate, std::max(1u, channels), ringChannels)) {
        // Without a valid format there is nothing to measure; the snapshots stay empty.
        return;
    }
    worker_ = std::move(worker);
    // Old samples belong to a previous stream.
    preTap_.discard();
    postTap_.discard();
    stopRequested_.store(false, std::memory_order_release);
    running_.store(true, std::memory_order_release);
    try {
        thread_ = std::thread([this] { run(); });
    } catch (const std::system_error&) {
        // No thread to be had (resource limits): the meters stay still rather than throw.
        running_.store(false, std::memory_order_release);
    }
}

void AnalysisEngine::stop() {
    if (thread_.joinable()) {
        stopRequested_.store(true, std::memory_order_release);
        thread_.join();
    }
    running_.store(false, std::memory_order_release);
}

void AnalysisEngine::run() {
    Worker& w = *worker_;
    SampleRing* rings[2] = {&preTap_, &postTap_};
    LatestValue<LevelSnapshot>* levelCells[2] = {&preLevels_, &postLevels_};

    while (!stopRequested_.load(std::memory_order_acquire)) {
        // Settings and requests from other threads.
        SpectrumSettings settings;
        settings.fftSize = fftSize_.load(std::memory_order_relaxed);
        settings.window = window_.load(std::memory_order_relaxed);
        settings.overlap = overlap_.load(std::memory_order_relaxed);
        settings.averagingSeconds = averagingSeconds_.load(std::memory_order_relaxed);
        const SpectrumSettings& current = w.spectrum.settings();
        if (settings.fftSize != current.fftSize || settings.window != current.window ||
            settings.overlap != current.overlap ||
            settings.averagingSeconds != current.averagingSeconds) {
            w.spectrum.configure(settings);
        }
        const Tap spectrumTap = spectrumTap_.load(std::memory_order_relaxed);
        if (spectrumTap != w.spectrumTap) {
            w.spectrumTap = spectrumTap;
            w.spectrum.resetAverage();
            w.spectrum.resetPeakHold();
        }
        const Tap pitchTap = pitchTap_.load(std::memory_order_relaxed);
        if (pitchTap != w.pitchTap) {
            w.pitchTap = pitchTap;
            w.pitch.resetStream();
        }
        w.referenceA4 = referenceA4_.load(std::memory_order_relaxed);
        // Back from a pause, the analysers' windows hold samples from before it: they start
        // afresh (the peak hold stays).
        const bool spectrumWanted = spectrumWanted_.load(std::memory_order_relaxed);
        if (spectrumWanted != w.spectrumWanted) {
            w.spectrumWanted = spectrumWanted;
            w.spectrum.resetAverage();
        }
        const bool pitchWanted = pitchWanted_.load(std::memory_order_relaxed);
        if (pitchWanted != w.pitchWanted) {
            w.pitchWanted = pitchWanted;
            w.pitch.resetStream();
        }
        if (resetLoudness_.exchange(false, std::memory_order_acq_rel)) {
            (void)w.loudness.reset();
        }
        if (resetPeakHold_.exchange(false, std::memory_order_acq_rel)) {
            w.levels[0].resetPeakHold();
            w.levels[1].resetPeakHold();
            w.spectrum.resetPeakHold();
        }
        for (int t = 0; t < 2; ++t) {
            if (resetClips_[t].exchange(false, std::memory_order_acq_rel)) {
                w.levels[t].resetClips();
            }
        }

        bool worked = false;
        for (int t = 0; t < 2; ++t) {
            const Tap tap = t == 0 ? Tap::Pre : Tap::Post;
            const size_t frames = rings[t]->pop(w.pointers[t].data(), kChunkFrames);
            if (frames == 0) {
                continue;
            }
            worked = true;
            const auto count = static_cast<uint32_t>(frames);
            w.frames[t] += count;
            const double now = double(w.frames[t]) / w.sampleRate;
            const uint32_t channels = w.levels[t].channelCount();

            w.levels[t].process(w.pointers[t].data(), count);
            LevelSnapshot& level = levelCells[t]->writeSlot();
            level.sequence = ++w.sequence;
            level.streamTimeSeconds = now;
            level.channelCount = channels;
            for (uint32_t c = 0; c < kMaxMeterChannels; ++c) {
                level.channels[c] = w.levels[t].level(c);
            }
            (t == 0 ? w.monitor.preLevels : w.monitor.postLevels) = level;
            levelCells[t]->publish();

            if (tap == Tap::Post) {
                w.loudness.process(w.pointers[t].data(), count);
                if (now - double(w.lastLoudnessFrame) / w.sampleRate >= kLoudnessPublishSeconds) {
                    w.lastLoudnessFrame = w.frames[t];
                    LoudnessSnapshot& loud = loudness_.writeSlot();
                    loud.sequence = ++w.sequence;
                    loud.streamTimeSeconds = now;
                    loud.momentaryLufs = w.loudness.momentaryLufs();
                    loud.shortTermLufs = w.loudness.shortTermLufs();
                    loud.integratedLufs = w.loudness.integratedLufs();
                    loud.loudnessRangeLu = w.loudness.loudnessRangeLu();
                    loud.truePeakDbtp = w.loudness.truePeakDbtp();
                    w.monitor.loudness = loud;
                    loudness_.publish();
                }
            }

            const bool spectrumHere = w.spectrumWanted && tap == w.spectrumTap;
            const bool pitchHere = w.pitchWanted && tap == w.pitchTap;
            if (!spectrumHere && !pitchHere) {
                continue;
            }
            // Spectrum and pitch see the mean of the channels: an in-phase full-scale sine on
            // every channel still reads 0 dBFS.
            const uint32_t mixed = std::max(1u, channels);
            for (uint32_t i = 0; i < count; ++i) {
                float sum = 0.0f;
                for (uint32_t c = 0; c < mixed; ++c) {
                    sum += w.pointers[t][c][i];
                }
                w.mono[i] = sum / float(mixed);
            }
            if (spectrumHere) {
                const uint64_t firstFrame = w.frames[t] - count;
                const uint64_t consumedBefore = w.spectrum.samplesConsumed();
                w.spectrum.process(w.mono.data(), count, [&] {
                    // A frame ends inside the chunk; its last sample dates it.
                    w.spectrumFresh = true;
                    SpectrogramColumn column;
                    column.sequence = ++w.sequence;
                    column.streamTimeSeconds =
                        double(firstFrame + (w.spectrum.samplesConsumed() - consumedBefore)) /
                        w.sampleRate;
                    w.spectrum.fillColumn(column);
                    columns_.push(column);  // dropped when the reader is away
                });
                if (w.spectrumFresh) {
                    w.spectrumFresh = false;
                    SpectrumSnapshot& snapshot = spectrum_.writeSlot();
                    snapshot.sequence = ++w.sequence;
                    snapshot.streamTimeSeconds = now;
                    w.spectrum.fillSnapshot(snapshot);
                    w.monitor.spectrumSampleRate = snapshot.sampleRate;
                    w.monitor.spectrumFftSize = snapshot.fftSize;
                    w.monitor.spectrumPeakHz = snapshot.peakHz;
                    w.monitor.spectrumPeakDb = snapshot.peakDb;
                    w.monitor.spectrumMinHz = kMonitorSpectrumMinHz;
                    w.monitor.spectrumMaxHz = std::min(
                        kMonitorSpectrumMaxHz, static_cast<float>(snapshot.sampleRate / 2.0));
                    SpectrumBands::reduce(snapshot, w.monitor.spectrumMinHz,
                                          w.monitor.spectrumMaxHz, w.monitor.spectrumDb);
                    spectrum_.publish();
                }
            }
            if (pitchHere) {
                const uint64_t firstFrame = w.frames[t] - count;
                const uint64_t consumedBefore = w.pitch.samplesConsumed();
                w.pitch.process(w.mono.data(), count, [&](const PitchEstimate& estimate) {
                    PitchSnapshot& snapshot = pitch_.writeSlot();
                    snapshot.sequence = ++w.sequence;
                    snapshot.streamTimeSeconds =
                        double(firstFrame + (w.pitch.samplesConsumed() - consumedBefore)) /
                        w.sampleRate;
                    snapshot.voiced = estimate.voiced;
                    snapshot.hz = static_cast<float>(estimate.hz);
                    snapshot.confidence = estimate.confidence;
                    snapshot.referenceA4Hz = w.referenceA4;
                    if (estimate.voiced) {
                        const NoteReading note = NoteName::fromHz(estimate.hz, w.referenceA4);
                        snapshot.midiNote = note.midiNote;
                        snapshot.cents = note.cents;
                        snapshot.noteName = note.name;
                    } else {
                        snapshot.midiNote = 0;
                        snapshot.cents = 0.0f;
                        snapshot.noteName = {};
                    }
                    w.monitor.pitch = snapshot;
                    pitch_.publish();
                });
            }
        }
        for (int t = 0; t < 2; ++t) {
            framesAnalysed_[t].store(w.frames[t], std::memory_order_release);
        }
        if (worked) {
            w.monitor.sequence = ++w.sequence;
            monitor_.publish(w.monitor);
        } else {
            std::this_thread::sleep_for(kIdleWait);
        }
    }
}

void AnalysisEngine::setSpectrumTap(Tap tap) noexcept {
    spectrumTap_.store(tap);
}

void AnalysisEngine::setFftSize(uint32_t size) noexcept {
    const uint32_t clamped =
        std::clamp(std::bit_floor(std::max(size, 1u)), SpectrumAnalyzer::kMinFftSize,
                   SpectrumAnalyzer::kMaxFftSize);
    fftSize_.store(clamped);
}

void AnalysisEngine::setWindow(SpectrumWindow window) noexcept {
    window_.store(window);
}

void AnalysisEngine::setOverlap(float fraction) noexcept {
    overlap_.store(std::clamp(std::isfinite(fraction) ? fraction : 0.75f, 0.5f, 0.875f));
}

void AnalysisEngine::setAveragingSeconds(float seconds) noexcept {
    averagingSeconds_.store(std::clamp(std::isfinite(seconds) ? seconds : 0.0f, 0.0f, 60.0f));
}

void AnalysisEngine::setPitchTap(Tap tap) noexcept {
    pitchTap_.store(tap);
}

void AnalysisEngine::setReferenceA4(float hz) noexcept {
    referenceA4_.store(std::clamp(std::isfinite(hz) ? hz : 440.0f, NoteName::kMinReferenceA4,
                                  NoteName::kMaxReferenceA4));
}

}  // namespace liverack::core
