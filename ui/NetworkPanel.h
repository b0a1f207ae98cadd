// The network dock: sends the output as an RTP stream (address, codec, bitrate, a Send toggle and
// the SDP a receiver opens), shows how an RTP input source is receiving, and where the web monitor
// is served and who is connected to it. Everything it shows is read on the GUI timer from the
// streamer's, the source's and the web server's counters; nothing waits on the audio thread.
#pragma once

#include <QString>
#include <QWidget>

#include <cstdint>
#include <map>
#include <memory>

#include "core/net/RtpSendTarget.h"
#include "core/util/Result.h"

class QBoxLayout;
class QComboBox;
class QGridLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace liverack::core {
class RtpSource;
class RtpStreamer;
class WebServer;
}  // namespace liverack::core

namespace liverack::ui {

class StreamController;

class NetworkPanel : public QWidget {
    Q_OBJECT

public:
    static constexpr const char* kDefaultAddress = "127.0.0.1:5004";
    static constexpr int kMinBitrateKbps = 6;  // Opus's range (RFC 7587 leaves it to the encoder)
    static constexpr int kMaxBitrateKbps = 510;
    static constexpr int kDefaultBitrateKbps = 128;
    // From this width on, the send section and the receive and web monitor column sit side by
    // side.
    static constexpr int kSideBySideWidth = 600;
    // Where the Start button serves the web monitor: this machine only, read-only.
    static constexpr const char* kDefaultWebHost = "127.0.0.1";
    static constexpr uint16_t kDefaultWebPort = 8765;

    explicit NetworkPanel(StreamController& stream, QWidget* parent = nullptr);
    ~NetworkPanel() override;

    // GUI timer: the sending and receiving counters, and the web monitor's connections.
    void refresh();

    // The web monitor the window serves, or nullptr: the panel shows it and does not own it (it
    // must outlive the panel or be taken back with nullptr first).
    void setWebServer(const core::WebServer* server);

    // The destination the fields describe ("HOST:PORT", with or without rtp://), or the sentence
    // saying what is wrong with it.
    core::Result<core::RtpSendTarget> target() const;

    bool isSending() const noexcept { return streamer_ != nullptr; }
    // The RTP source of the running stream, or nullptr.
    core::RtpSource* rtpSource() const noexcept { return source_; }

    // The SDP of the last stream sent, as RtpSender wrote it (CRLF line ends); empty before the
    // first and after a failed start.
    const QString& sdp() const noexcept { return sdp_; }
    // Writes sdp() to `path` atomically; a sentence when it cannot, empty when it did.
    QString saveSdp(const QString& path);

    // What the panel shows, for tests and people.
    QString sdpText() const;         // the SDP box
    QString sendStatusText() const;  // "Sending to ... · packets · bytes"
    QString message() const;         // the last sentence about sending (why it failed, saved)
    QString receiveStatusText() const;
    // A value of the receive table by its label ("Packets", "Lost", "Jitter"...); empty if none.
    QString receiveValue(const QString& label) const;
    // The web monitor's lines: its address, the address with the token (or "read-only"), and
    // "N open, M listening"; all empty when it is not served.
    QString webUrlText() const;
    QString webControlText() const;
    QString webClientsText() const;
    // How to start it when it is not served, else empty.
    QString webHintText() const;

    QLineEdit& addressField() noexcept { return *address_; }
    QComboBox& codecBox() noexcept { return *codec_; }
    QSpinBox& bitrateBox() noexcept { return *bitrate_; }
    QPushButton& sendButton() noexcept { return *send_; }
    QPushButton& copyButton() noexcept { return *copy_; }
    QPushButton& saveSdpButton() noexcept { return *saveSdp_; }
    QPushButton& webStartButton() noexcept { return *webStart_; }
    QPushButton& webCopyButton() noexcept { return *webCopy_; }

    QSize minimumSizeHint() const override;

Q_SIGNALS:
    // Start was pressed: serve the web monitor at kDefaultWebHost:kDefaultWebPort, read-only.
    void webStartRequested();

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void streamStarted();
    void streamStopping();
    void startSending();
    // `why` goes under the controls (empty: nothing to say).
    void stopSending(const QString& why = {});
    void failedToStart(const QString& why);
    void setSdp(const QString& sdp);
    void setSendControlsIdle();
    void chooseSdpPath();
    void showSendStatus();
    void showReceiveStats();
    void showWebStatus();
    void copyWebAddress(const QString& address, const QString& what);
    void showMessage(const QString& text, bool isError);
    QLabel* addReceiveRow(QGridLayout* grid, int index, const QString& label,
                          const QString& toolTip);

    StreamController& stream_;
    // Made on Send and gone on stop: it holds the engine's taps, which outlive it only while the
    // stream is open (the window's engine dies before its child widgets).
    std::unique_ptr<core::RtpStreamer> streamer_;
    core::RtpSource* source_ = nullptr;
    QString sdp_;
    QString destination_;  // host:port of the stream being sent

    QBoxLayout* layout_;
    QGroupBox* sendBox_;
    QLineEdit* address_;
    QComboBox* codec_;
    QSpinBox* bitrate_;
    QPushButton* send_;
    QLabel* sendStatus_;
    QLabel* message_;
    QPlainTextEdit* sdpView_;
    QPushButton* copy_;
    QPushButton* saveSdp_;

    QGroupBox* receiveBox_;
    QLabel* noSource_;
    QLabel* receiveStatus_;
    QWidget* receiveTable_;
    std::map<QString, QLabel*> receiveValues_;

    // Receive and the web monitor share the second column.
    QBoxLayout* sideLayout_;
    const core::WebServer* web_ = nullptr;
    QWidget* webSection_;
    QGroupBox* webBox_;
    QLabel* webHint_;
    QPushButton* webStart_;
    QWidget* webDetails_;
    QLineEdit* webUrl_;
    QPushButton* webCopy_;
    QLabel* webControlState_;  // "read-only", or what the line under it is
    QLineEdit* webControl_;
    QPushButton* webCopyControl_;
    QLabel* webClients_;
    QLabel* webMessage_;
};

}  // namespace liverack::ui
