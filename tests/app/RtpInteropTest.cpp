// LiveRack's RTP against real peers: GStreamer (gst-launch-1.0) and ffmpeg receive what
// `liverack --headless --send` sends, and send what `liverack --headless --source rtp://` plays.
// Each direction is judged on the audio that arrived: the pitch and level of a 1 kHz sine against
// theory, no gap longer than a packet, and linear PCM bit for bit against what LiveRack recorded
// of its own output in the same run.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <cmath>
#include <csignal>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/app/LiveRackOnJackTest.h"
#include "tests/support/EffectTestSupport.h"
#include "tests/support/HeadlessLiveRack.h"
#include "tests/support/JackServer.h"
#include "tests/support/SndfileIo.h"
#include "tests/support/Subprocess.h"
#include "tests/support/TempFolder.h"

namespace liverack::test {
namespace {

constexpr double kStartTimeout = 20.0;
constexpr const char* kGst = "/usr/bin/gst-launch-1.0";
constexpr const char* kFfmpeg = "/usr/bin/ffmpeg";

struct Tone {
    size_t first = 0;  // first frame louder than -40 dBFS
    size_t last = 0;   // last such frame
    double hz = 0.0;   // over the steady middle
    double rmsDb = -200.0;
    size_t longestQuietWindow = 0;  // frames: the longest run of quiet windows between them
};

// What a received 1 kHz sine looks like: where it starts and ends, its frequency and RMS over the
// middle (half a second off each end) and the longest stretch in between of windows whose RMS is
// 20 dB under the middle's (a gap: a lost packet played as silence).
Tone analyzeTone(const std::vector<float>& x, double rate) {
    Tone t;
    const float threshold = 0.01f;
    size_t i = 0;
    while (i < x.size() && std::abs(x[i]) < threshold) {
        ++i;
    }
    if (i == x.size()) {
        return t;
    }
    t.first = i;
    t.last = x.size() - 1;
    while (t.last > t.first && std::abs(x[t.last]) < threshold) {
        --t.last;
    }
    const auto margin = static_cast<size_t>(0.5 * rate);
    if (t.last - t.first < 3 * margin) {
        return t;
    }
    const size_t begin = t.first + margin;
    const size_t end = t.last - margin;
    t.hz = zeroCrossingFrequency(x, begin, end, rate);
    double sum = 0.0;
    for (size_t n = begin; n < end; ++n) {
        sum += double(x[n]) * x[n];
    }
    const double rms = std::sqrt(sum / double(end - begin));
    t.rmsDb = 20.0 * std::log10(rms);
    const size_t window = static_cast<size_t>(rate / 1000.0 * 2.5);  // 2.5 ms: the shortest packet
    size_t run = 0;
    for (size_t n = t.first + window; n + window < t.last - window; n += window) {
        double s = 0.0;
        for (size_t k = n; k < n + window; ++k) {
            s += double(x[k]) * x[k];
        }
        const bool quiet = std::sqrt(s / double(window)) < rms * 0.1;
        run = quiet ? run + window : 0;
        t.longestQuietWindow = std::max(t.longestQuietWindow, run);
    }
    return t;
}

// The frames of `received` (24-bit integers read as floats) matched against `sent` (float)
// quantised to 24 bits as RFC 3190 carries them: the offset where the first 2000 frames agree,
// then the count of frames that differ from there on. (LiveRack's noise lies on a 2^-24 grid, so
// half-way values are common: how ties go matters.) -1: no alignment found.
long alignL24(const std::vector<float>& sent, const std::vector<float>& received, size_t skip,
              size_t& mismatches, size_t& compared) {
    const auto q = [](float v) {
        // To the nearest 24-bit value, a tie to the even one (IEEE 754's default rounding).
        return static_cast<float>(
            std::clamp(std::nearbyint(double(v) * 8388608.0), -8388608.0, 8388607.0) / 8388608.0);
    };
    constexpr size_t kProbe = 2000;
    if (received.size() < skip + kProbe) {
        return -1;
    }
    for (size_t offset = 0; offset + kProbe < sent.size(); ++offset) {
        bool match = true;
        for (size_t k = 0; k < kProbe && match; ++k) {
            match = q(sent[offset + k]) == received[skip + k];
        }
        if (!match) {
            continue;
        }
        mismatches = 0;
        compared = 0;
        for (size_t k = 0; skip + k < received.size() && offset + k < sent.size(); ++k) {
            mismatches += q(sent[offset + k]) != received[skip + k];
            ++compared;
        }
        return static_cast<long>(offset);
    }
    return -1;
}

class RtpInteropTest : public LiveRackOnJackTest {
protected:
    // Sending a 1 kHz sine: what arrived is 1000 Hz, at the level LiveRack recorded of its own
    // output, without a gap.
    void expectSine(const std::string& receivedPath, const std::string& sentPath,
                    const std::string& what) {
        const PlanarAudio received = readAudio(receivedPath);
        const PlanarAudio sent = readAudio(sentPath);
        ASSERT_FALSE(received.channels.empty()) << what << ": nothing written";
        ASSERT_FALSE(sent.channels.empty());
        for (size_t c = 0; c < received.channels.size(); ++c) {
            const Tone r = analyzeTone(received.channels[c], received.sampleRate);
            const Tone s = analyzeTone(sent.channels[c], sent.sampleRate);
            std::printf("%s channel %zu: %.3f Hz, %.3f dB against %.3f dB sent, gap %zu frames\n",
                        what.c_str(), c, r.hz, r.rmsDb, s.rmsDb, r.longestQuietWindow);
            EXPECT_NEAR(r.hz, 1000.0, 0.5) << what << " channel " << c;
            EXPECT_NEAR(r.rmsDb, s.rmsDb, 0.5) << what << " channel " << c;
            EXPECT_LE(r.longestQuietWindow, 0u) << what << " channel " << c;
            EXPECT_GE(r.last - r.first, static_cast<size_t>(2 * received.sampleRate)) << what;
        }
    }
    // What LiveRack recorded of a peer's 1 kHz sine: that pitch, `rmsDb`, no gap, at least
    // `seconds` long.
    static void expectRecordedSine(const std::string& path, double rmsDb, double seconds,
                                   const std::string& what) {
        const PlanarAudio audio = readAudio(path);
        ASSERT_EQ(audio.channels.size(), 2u) << what;
        for (size_t c = 0; c < 2; ++c) {
            const Tone t = analyzeTone(audio.channels[c], audio.sampleRate);
            std::printf("%s, channel %zu: %.3f Hz, %.3f dB, gap %zu frames\n", what.c_str(), c,
                        t.hz, t.rmsDb, t.longestQuietWindow);
            EXPECT_NEAR(t.hz, 1000.0, 0.5) << what << " channel " << c;
            EXPECT_NEAR(t.rmsDb, rmsDb, 0.5) << what << " channel " << c;
            EXPECT_EQ(t.longestQuietWindow, 0u) << what << " channel " << c;
            EXPECT_GE(t.last - t.first, static_cast<size_t>(seconds * audio.sampleRate)) << what;
        }
    }
};

TEST_F(RtpInteropTest, FfmpegReceivesLiveRacksOpusAtTheRightPitchAndLevel) {
    const std::string sdp = folder_.path() + "/s.sdp";
    const std::string sent = folder_.path() + "/sent.wav";
    auto liverack =
        startLiveRack({"--source", "sine:1000", "--record", sent, "--send",
                       "rtp://127.0.0.1:" + std::to_string(freeUdpPort()), "--send-sdp", sdp});
    ASSERT_TRUE(liverack->waitForStderr("its SDP is in", kStartTimeout)) << liverack->err();
    const std::string out = folder_.path() + "/out.wav";
    Subprocess ffmpeg({kFfmpeg, "-nostdin", "-loglevel", "error", "-protocol_whitelist",
                       "file,udp,rtp", "-i", sdp, "-t", "3", "-y", out});
    EXPECT_EQ(ffmpeg.wait(60.0), 0) << ffmpeg.err();
    const auto stats = stopLiveRack(*liverack);
    EXPECT_EQ(stats["send"][0].value("send_errors", 1), 0) << stats.dump();
    expectSine(out, sent, "ffmpeg, Opus");
}

TEST_F(RtpInteropTest, GstreamerReceivesLiveRacksOpusAtTheRightPitchAndLevel) {
    const unsigned port = freeUdpPort();
    const std::string out = folder_.path() + "/out.wav";
    // 300 packets of 10 ms, then the end of the stream: wavenc closes the file, gst-launch exits.
    Subprocess gst({kGst, "-q", "udpsrc", "port=" + std::to_string(port), "num-buffers=300",
                    "caps=application/x-rtp,media=audio,clock-rate=48000,encoding-name=OPUS,"
                    "payload=96",
                    "!", "rtpopusdepay", "!", "opusdec", "!", "audioconvert", "!",
                    "audio/x-raw,format=F32LE", "!", "wavenc", "!", "filesink", "location=" + out});
    const std::string sent = folder_.path() + "/sent.wav";
    auto liverack = startLiveRack({"--source", "sine:1000", "--record", sent, "--send",
                                   "rtp://127.0.0.1:" + std::to_string(port)});
    EXPECT_EQ(gst.wait(60.0), 0) << gst.err() << gst.out();
    stopLiveRack(*liverack);
    expectSine(out, sent, "GStreamer, Opus");
}

// L24: the samples arrive exactly as LiveRack produced them (white noise makes the alignment
// unique), through GStreamer's depayloader and through ffmpeg.
TEST_F(RtpInteropTest, GstreamerAndFfmpegReceiveLiveRacksL24BitExact) {
    const unsigned gstPort = freeUdpPort();
    const unsigned ffmpegPort = freeUdpPort();
    const std::string gstOut = folder_.path() + "/gst.wav";
    Subprocess gst({kGst, "-q", "udpsrc", "port=" + std::to_string(gstPort), "num-buffers=400",
                    "caps=application/x-rtp,media=audio,clock-rate=48000,encoding-name=L24,"
                    "channels=2,payload=96",
                    "!", "rtpL24depay", "!", "audioconvert", "!", "audio/x-raw,format=S24LE", "!",
                    "wavenc", "!", "filesink", "location=" + gstOut});
    const std::string sdp = folder_.path() + "/s.sdp";
    const std::string sent = folder_.path() + "/sent.wav";
    auto liverack = startLiveRack(
        {"--source", "noise", "--record", sent, "--send",
         "rtp://127.0.0.1:" + std::to_string(gstPort) + "?codec=l24", "--send",
         "rtp://127.0.0.1:" + std::to_string(ffmpegPort) + "?codec=l24", "--send-sdp", sdp});
    ASSERT_TRUE(liverack->waitForStderr("s.2.sdp", kStartTimeout)) << liverack->err();
    const std::string ffmpegOut = folder_.path() + "/ffmpeg.wav";
    Subprocess ffmpeg({kFfmpeg, "-nostdin", "-loglevel", "error", "-protocol_whitelist",
                       "file,udp,rtp", "-i", folder_.path() + "/s.2.sdp", "-t", "2", "-c:a",
                       "pcm_s24le", "-y", ffmpegOut});
    EXPECT_EQ(ffmpeg.wait(60.0), 0) << ffmpeg.err();
    EXPECT_EQ(gst.wait(60.0), 0) << gst.err() << gst.out();
    const auto stats = stopLiveRack(*liverack);
    ASSERT_EQ(stats["send"].size(), 2u) << stats.dump();

    const PlanarAudio reference = readAudio(sent);
    ASSERT_EQ(reference.channels.size(), 2u);
    for (const auto& [name, path] : {std::pair{"GStreamer", gstOut}, {"ffmpeg", ffmpegOut}}) {
        const PlanarAudio received = readAudio(path);
        ASSERT_EQ(received.channels.size(), 2u) << name;
        for (size_t c = 0; c < 2; ++c) {
            size_t mismatches = 0;
            size_t compared = 0;
            // A jitter buffer's first frames can be its own: judged from 100 ms on.
            const long offset =
                alignL24(reference.channels[c], received.channels[c], 4800, mismatches, compared);
            ASSERT_GE(offset, 0) << name << " channel " << c << ": no stretch matches";
            std::printf("%s L24 channel %zu: %zu frames compared, %zu differ\n", name, c, compared,
                        mismatches);
            EXPECT_EQ(mismatches, 0u) << name << " channel " << c;
            EXPECT_GE(compared, 48000u) << name << " channel " << c;
        }
    }
}

// The other way: LiveRack records what GStreamer sends (Opus, then L24) from --source rtp://.
TEST_F(RtpInteropTest, LiveRackRecordsGstreamersOpusAndL24) {
    for (const std::string codec : {"opus", "l24"}) {
        const unsigned port = freeUdpPort();
        const std::string recorded = folder_.path() + "/in-" + codec + ".wav";
        auto liverack =
            startLiveRack({"--source", "rtp://@:" + std::to_string(port) + "?codec=" + codec,
                           "--record", recorded});
        const std::vector<std::string> payloader =
            codec == "opus" ? std::vector<std::string>{"opusenc", "!", "rtpopuspay"}
                            : std::vector<std::string>{"rtpL24pay"};
        // 3 s of a live 1 kHz sine at half scale (RMS -9.03 dBFS), 10 ms buffers.
        std::vector<std::string> argv = {kGst,
                                         "-q",
                                         "audiotestsrc",
                                         "is-live=true",
                                         "freq=1000",
                                         "volume=0.5",
                                         "samplesperbuffer=480",
                                         "num-buffers=300",
                                         "!",
                                         "audio/x-raw,rate=48000,channels=2",
                                         "!",
                                         "audioconvert",
                                         "!"};
        argv.insert(argv.end(), payloader.begin(), payloader.end());
        for (const std::string& word : std::vector<std::string>{"!", "udpsink", "host=127.0.0.1",
                                                                "port=" + std::to_string(port)}) {
            argv.push_back(word);
        }
        Subprocess gst(argv);
        EXPECT_EQ(gst.wait(60.0), 0) << gst.err() << gst.out();
        const auto stats = stopLiveRack(*liverack);
        const auto& receive = stats["receive"];
        // GStreamer's Opus packets hold 20 ms, its L24 ones 5 ms (its MTU): at least 3 s of them.
        EXPECT_GE(receive.value("packets", 0u), codec == "opus" ? 145u : 580u) << receive.dump();
        EXPECT_EQ(receive.value("lost", 1u), 0u) << receive.dump();
        EXPECT_EQ(receive.value("malformed", 1u), 0u) << receive.dump();
        expectRecordedSine(recorded, 20 * std::log10(0.5 / std::sqrt(2.0)), 2.5,
                           "GStreamer " + codec + " to LiveRack");
    }
}

// ffmpeg's RTP muxer, with the SDP it writes read by --source sdp:FILE: Opus, and L16 (its
// pcm_s16be), each a 1 kHz sine at -6 dBFS peak.
TEST_F(RtpInteropTest, LiveRackRecordsFfmpegsOpusAndL16FromItsSdp) {
    for (const std::string codec : {"libopus", "pcm_s16be"}) {
        const unsigned port = freeUdpPort();
        const std::string sdp = folder_.path() + "/" + codec + ".sdp";
        // ffmpeg writes its SDP when it starts sending; LiveRack needs it first: a dry run of the
        // same command writes the file without sending anything that matters (-t 0.01).
        const std::vector<std::string> base = {
            kFfmpeg, "-nostdin", "-loglevel",
            "error", "-re",      "-f",
            "lavfi", "-i",       "sine=frequency=1000:sample_rate=48000"};
        std::vector<std::string> dry = base;
        for (const std::string& word : std::vector<std::string>{
                 "-t", "0.01", "-ac", "2", "-c:a", codec, "-f", "rtp", "-sdp_file", sdp}) {
            dry.push_back(word);
        }
        dry.push_back("rtp://127.0.0.1:" + std::to_string(port));
        Subprocess dryRun(dry);
        ASSERT_EQ(dryRun.wait(60.0), 0) << dryRun.err();
        const std::string recorded = folder_.path() + "/in-" + codec + ".wav";
        auto liverack = startLiveRack({"--source", "sdp:" + sdp, "--record", recorded});
        std::vector<std::string> send = base;
        for (const std::string& word :
             std::vector<std::string>{"-t", "3", "-ac", "2", "-c:a", codec, "-f", "rtp"}) {
            send.push_back(word);
        }
        send.push_back("rtp://127.0.0.1:" + std::to_string(port));
        Subprocess ffmpeg(send);
        EXPECT_EQ(ffmpeg.wait(60.0), 0) << ffmpeg.err();
        const auto stats = stopLiveRack(*liverack);
        const auto& receive = stats["receive"];
        EXPECT_GE(receive.value("packets", 0u), 100u) << receive.dump();
        EXPECT_EQ(receive.value("lost", 1u), 0u) << receive.dump();
        // lavfi's sine is 1/8 of full scale, and ffmpeg's mono-to-stereo upmix gives each
        // channel 1/√2 of it: RMS 20·log10(0.125/√2/√2) = -24.08 dBFS.
        expectRecordedSine(recorded, 20 * std::log10(0.125 / 2.0), 2.0,
                           "ffmpeg " + codec + " to LiveRack");
    }
}

}  // namespace
}  // namespace liverack::test
