// The network panel on a running null-device stream: Send delivers RTP version 2 packets of
// payload type 96 to a UDP socket of the test and shows the SDP that describes them, the SDP saves
// as a file, a bad address is a sentence while the audio runs on, Stop (and the stream stopping)
// end the sending, and an RTP source's counters show while it plays.
#include <QComboBox>
#include <QFile>
#include <QGroupBox>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include "core/engine/AudioEngine.h"
#include "core/net/RtpSource.h"
#include "ui/NetworkPanel.h"
#include "ui/StreamController.h"

using namespace liverack;

namespace {

constexpr int kTimeoutMs = 10000;
constexpr size_t kRtpHeaderBytes = 12;

// A UDP socket on 127.0.0.1 at a port the system chose: what a receiver of the stream sees,
// without any of LiveRack's RTP code.
class UdpListener {
public:
    UdpListener() {
        fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = 0;
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            return;
        }
        socklen_t size = sizeof address;
        if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) == 0) {
            port_ = ntohs(address.sin_port);
        }
    }
    ~UdpListener() { close(); }
    UdpListener(const UdpListener&) = delete;
    UdpListener& operator=(const UdpListener&) = delete;

    uint16_t port() const { return port_; }
    void close() {
        if (fd_ >= 0) {
            ::close(fd_);
            fd_ = -1;
        }
    }
    // One datagram if one is waiting (never blocks).
    bool receive(std::vector<uint8_t>& datagram) {
        datagram.resize(65536);
        const ssize_t got = ::recv(fd_, datagram.data(), datagram.size(), MSG_DONTWAIT);
        if (got < 0) {
            datagram.clear();
            return false;
        }
        datagram.resize(static_cast<size_t>(got));
        return true;
    }
    // Empties the socket's queue; how many datagrams it held.
    int drain() {
        std::vector<uint8_t> datagram;
        int count = 0;
        while (receive(datagram)) {
            ++count;
        }
        return count;
    }

private:
    int fd_ = -1;
    uint16_t port_ = 0;
};

}  // namespace

class NetworkPanelTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir folder_;

    static bool startStream(ui::StreamController& stream, const std::string& source = "sine:440") {
        core::StreamConfig config;
        config.api = "null";
        config.inputDevice = core::StreamConfig::kNone;
        config.sampleRate = 48000;
        config.blockFrames = 256;
        config.channels = 2;
        config.source = source;
        return stream.start(config);
    }

    static void sendTo(ui::NetworkPanel& panel, const QString& address) {
        panel.addressField().setText(address);
        panel.sendButton().click();
    }

    // Waits (bounded) until the engine has run `blocks` more callbacks: time passing for the
    // audio, measured by the audio itself rather than by a sleep.
    static bool waitForCallbacks(core::AudioEngine& engine, uint64_t blocks) {
        const uint64_t before = engine.stats().callbacks;
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::milliseconds(kTimeoutMs);
        while (engine.stats().callbacks < before + blocks &&
               std::chrono::steady_clock::now() < deadline) {
            QTest::qWait(5);  // polls; the condition, not the wait, decides
        }
        return engine.stats().callbacks >= before + blocks;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(folder_.isValid()); }

    void defaultsAreLocalhostOpusAt128k() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::NetworkPanel panel(stream);
        QCOMPARE(panel.addressField().text(), QStringLiteral("127.0.0.1:5004"));
        QCOMPARE(panel.codecBox().currentText(), QStringLiteral("Opus"));
        QCOMPARE(panel.bitrateBox().value(), 128);
        QCOMPARE(panel.bitrateBox().minimum(), 6);
        QCOMPARE(panel.bitrateBox().maximum(), 510);
        QVERIFY(!panel.sendButton().isEnabled());  // nothing to send before the stream runs
        QVERIFY(!panel.copyButton().isEnabled());
        QVERIFY(!panel.saveSdpButton().isEnabled());
        panel.codecBox().setCurrentIndex(panel.codecBox().findText(QStringLiteral("L24")));
        QVERIFY(!panel.bitrateBox().isEnabled());  // PCM has no bitrate to choose
        panel.codecBox().setCurrentIndex(0);
        QVERIFY(panel.bitrateBox().isEnabled());
    }

    void sectionsSitSideBySideOnlyWhereBothFit() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        // In a scroll area as in the window's dock, which holds its widget at least as wide as the
        // widget's minimum; with no horizontal bar, a panel too wide for it shows clipped.
        QScrollArea scroll;
        auto* panel = new ui::NetworkPanel(stream);
        scroll.setWidget(panel);
        scroll.setWidgetResizable(true);
        scroll.setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        const auto boxes = panel->findChildren<QGroupBox*>(Qt::FindDirectChildrenOnly);
        QCOMPARE(boxes.size(), 2);
        const auto sideBySide = [&] { return boxes[1]->x() > boxes[0]->x(); };
        const auto whole = [&] {
            return boxes[0]->geometry().right() < scroll.viewport()->width() &&
                   boxes[1]->geometry().right() < scroll.viewport()->width();
        };
        scroll.resize(900, 300);
        scroll.show();
        QVERIFY(QTest::qWaitForWindowExposed(&scroll));
        QTRY_VERIFY(sideBySide());
        QVERIFY(whole());
        scroll.resize(360, 300);  // a side column's width, with a vertical scroll bar
        QTRY_VERIFY(!sideBySide());
        QTRY_VERIFY(whole());
        scroll.resize(900, 300);
        QTRY_VERIFY(sideBySide());
    }

    void sendDeliversRtpVersion2PayloadType96AndShowsItsSdp() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::NetworkPanel panel(stream);
        UdpListener listener;
        QVERIFY(listener.port() != 0);
        QVERIFY(startStream(stream));
        QVERIFY(panel.sendButton().isEnabled());

        sendTo(panel, QStringLiteral("127.0.0.1:%1").arg(listener.port()));
        QVERIFY2(panel.isSending(), qPrintable(panel.message()));
        QVERIFY(panel.sendButton().isChecked());
        QVERIFY(!panel.addressField().isEnabled());  // the stream's fields hold while it runs

        std::vector<uint8_t> datagram;
        QTRY_VERIFY_WITH_TIMEOUT(listener.receive(datagram), kTimeoutMs);
        QVERIFY(datagram.size() > kRtpHeaderBytes);
        QCOMPARE(datagram[0] >> 6, 2);     // RTP version
        QCOMPARE(datagram[1] & 0x7f, 96);  // payload type, marker bit aside

        const QString sdp = panel.sdpText();
        QVERIFY2(sdp.contains(QStringLiteral("m=audio %1 RTP/AVP 96").arg(listener.port())),
                 qPrintable(sdp));
        QVERIFY2(sdp.contains(QStringLiteral("opus/48000/2")), qPrintable(sdp));
        QVERIFY(!sdp.contains('\r'));           // the box shows plain lines...
        QVERIFY(panel.sdp().contains("\r\n"));  // ...the SDP itself keeps SDP's line ends
        QVERIFY(panel.copyButton().isEnabled());
        QVERIFY(panel.saveSdpButton().isEnabled());

        QTRY_VERIFY_WITH_TIMEOUT((panel.refresh(), panel.sendStatusText().contains("packets") &&
                                                       !panel.sendStatusText().startsWith("0 ")),
                                 kTimeoutMs);
        QVERIFY(engine.isRunning());
    }

    void pcmCodecDescribesItselfAtTheStreamRate() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::NetworkPanel panel(stream);
        UdpListener listener;
        QVERIFY(startStream(stream));
        panel.codecBox().setCurrentIndex(panel.codecBox().findText(QStringLiteral("L24")));
        sendTo(panel, QStringLiteral("127.0.0.1:%1").arg(listener.port()));
        QVERIFY2(panel.isSending(), qPrintable(panel.message()));
        QVERIFY2(panel.sdpText().contains(QStringLiteral("L24/48000/2")),
                 qPrintable(panel.sdpText()));
        std::vector<uint8_t> datagram;
        QTRY_VERIFY_WITH_TIMEOUT(listener.receive(datagram), kTimeoutMs);
        QCOMPARE(datagram[0] >> 6, 2);
    }

    void saveSdpWritesTheSdpAsItWasSent() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::NetworkPanel panel(stream);
        UdpListener listener;
        QVERIFY(!panel.saveSdp(folder_.filePath("early.sdp")).isEmpty());  // nothing sent yet
        QVERIFY(startStream(stream));
        sendTo(panel, QStringLiteral("127.0.0.1:%1").arg(listener.port()));
        QVERIFY(panel.isSending());

        const QString path = folder_.filePath("stream.sdp");
        QCOMPARE(panel.saveSdp(path), QString());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(file.readAll()), panel.sdp());

        const QString error = panel.saveSdp(folder_.filePath("no/such/folder/stream.sdp"));
        QVERIFY(!error.isEmpty());
        QVERIFY2(error.contains(QStringLiteral("stream.sdp")), qPrintable(error));
    }

    void unknownHostIsASentenceAndTheAudioRunsOn() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::NetworkPanel panel(stream);
        UdpListener listener;
        QVERIFY(startStream(stream));
        sendTo(panel, QStringLiteral("127.0.0.1:%1").arg(listener.port()));
        QVERIFY(panel.isSending());
        panel.sendButton().click();
        QVERIFY(!panel.sdpText().isEmpty());  // the stream that ended is still described

        sendTo(panel, QStringLiteral("nohost.invalid:5004"));
        QVERIFY(!panel.isSending());
        QVERIFY(!panel.sendButton().isChecked());
        QVERIFY(panel.addressField().isEnabled());
        QVERIFY2(panel.message().contains(QStringLiteral("nohost.invalid")),
                 qPrintable(panel.message()));
        QVERIFY(panel.message().endsWith('.'));
        QVERIFY(panel.sdpText().isEmpty());  // not the earlier stream's, beside this sentence
        QVERIFY(!panel.copyButton().isEnabled());
        QVERIFY(!panel.saveSdpButton().isEnabled());
        QVERIFY(engine.isRunning());
        QVERIFY(waitForCallbacks(engine, 4));

        sendTo(panel, QStringLiteral("127.0.0.1"));
        QVERIFY(!panel.isSending());
        QVERIFY2(panel.message().contains(QStringLiteral("port")), qPrintable(panel.message()));
        sendTo(panel, QString());
        QVERIFY(!panel.isSending());
        QVERIFY2(panel.message().contains(QStringLiteral("host:port")),
                 qPrintable(panel.message()));
        QVERIFY(engine.isRunning());
    }

    void stopEndsSending() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::NetworkPanel panel(stream);
        UdpListener listener;
        QVERIFY(startStream(stream));
        sendTo(panel, QStringLiteral("127.0.0.1:%1").arg(listener.port()));
        QVERIFY(panel.isSending());
        std::vector<uint8_t> datagram;
        QTRY_VERIFY_WITH_TIMEOUT(listener.receive(datagram), kTimeoutMs);

        panel.sendButton().click();
        QVERIFY(!panel.isSending());
        QVERIFY(!panel.sendButton().isChecked());
        QVERIFY(panel.addressField().isEnabled());
        QVERIFY2(panel.message().startsWith(QStringLiteral("Sent ")), qPrintable(panel.message()));
        // The network thread is joined: what it sent is already queued on loopback. After that,
        // 40 blocks of audio (0.2 s) bring nothing more.
        listener.drain();
        QVERIFY(waitForCallbacks(engine, 40));
        QCOMPARE(listener.drain(), 0);
        QVERIFY(engine.isRunning());
    }

    void stoppingOrReopeningTheStreamStopsSending() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::NetworkPanel panel(stream);
        UdpListener listener;
        QVERIFY(startStream(stream));
        sendTo(panel, QStringLiteral("127.0.0.1:%1").arg(listener.port()));
        QVERIFY(panel.isSending());

        // A reopen prepares the taps again, replacing the rings the network thread reads.
        QVERIFY(startStream(stream));
        QVERIFY(!panel.isSending());
        QVERIFY(!panel.sendButton().isChecked());
        QVERIFY(panel.sendButton().isEnabled());
        QVERIFY2(panel.message().contains(QStringLiteral("stopped with the audio stream")),
                 qPrintable(panel.message()));

        sendTo(panel, QStringLiteral("127.0.0.1:%1").arg(listener.port()));
        QVERIFY(panel.isSending());
        stream.stop();
        QVERIFY(!panel.isSending());
        QVERIFY(!panel.sendButton().isEnabled());
        listener.drain();
        QCOMPARE(listener.drain(), 0);
    }

    void receiveSectionShowsTheRtpSourceWhilePlaying() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::NetworkPanel panel(stream);
        QVERIFY(startStream(stream));
        QCOMPARE(panel.receiveStatusText(),
                 QStringLiteral("No RTP source: choose rtp://@:PORT as the input."));
        QVERIFY(panel.receiveValue(QStringLiteral("Packets")).isEmpty());

        // A port that was free a moment ago: the source binds it when the stream opens.
        uint16_t port = 0;
        {
            UdpListener reserve;
            port = reserve.port();
        }
        QVERIFY(port != 0);
        QVERIFY(startStream(stream, "rtp://@:" + std::to_string(port)));
        QVERIFY(panel.rtpSource() != nullptr);
        QCOMPARE(panel.receiveStatusText(),
                 QStringLiteral("Waiting for a stream on port %1").arg(port));
        QCOMPARE(panel.receiveValue(QStringLiteral("Packets")), QStringLiteral("0"));

        // The stream's own output, sent back to its input: a sender the test does not have to
        // write.
        sendTo(panel, QStringLiteral("127.0.0.1:%1").arg(port));
        QVERIFY2(panel.isSending(), qPrintable(panel.message()));
        QTRY_VERIFY_WITH_TIMEOUT((panel.refresh(), panel.receiveStatusText().startsWith(
                                                       QStringLiteral("Playing from "))),
                                 kTimeoutMs);
        QVERIFY2(panel.receiveStatusText().contains(QStringLiteral("127.0.0.1:")),
                 qPrintable(panel.receiveStatusText()));
        QVERIFY(panel.receiveValue(QStringLiteral("Packets")).toULongLong() > 0);
        QCOMPARE(panel.receiveValue(QStringLiteral("Malformed")), QStringLiteral("0"));
        QVERIFY(panel.receiveValue(QStringLiteral("Buffer")).endsWith(QStringLiteral(" ms")));

        stream.stop();
        QVERIFY(panel.rtpSource() == nullptr);
        QCOMPARE(panel.receiveStatusText(),
                 QStringLiteral("No RTP source: choose rtp://@:PORT as the input."));
    }
};

QTEST_MAIN(NetworkPanelTest)
#include "NetworkPanelTest.moc"
