// The RTP send controls and the receive readout: see NetworkPanel.h.
#include "ui/NetworkPanel.h"

#include <QBoxLayout>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QResizeEvent>
#include <QSaveFile>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStandardPaths>
#include <QVBoxLayout>

#include <algorithm>

#include "core/net/RtpSource.h"
#include "core/net/RtpStreamer.h"
#include "core/net/WebServer.h"
#include "ui/StreamController.h"
#include "ui/TransportPanel.h"  // formatBytes

namespace liverack::ui {

namespace {

constexpr const char* kSendText = "Send";
constexpr const char* kStopText = "■ Stop";
constexpr const char* kErrorColour = "#e06c60";
constexpr int kSdpMinimumLines = 3;
// QLineEdit's own space either side of its text (QLineEditPrivate's horizontal margin, plus a
// pixel for the cursor).
constexpr int kLineEditTextPadding = 3;

// The receive table, in reading order: two label/value pairs a row.
struct ReceiveRow {
    const char* label;
    const char* toolTip;
};
constexpr ReceiveRow kReceiveRows[] = {
    {"Packets", "Packets accepted into the jitter buffer"},
    {"Lost", "Packets that never came in time (concealed)"},
    {"Late", "Packets that came after their turn was given up"},
    {"Reordered", "Packets that came out of order (put back in order)"},
    {"Duplicates", "Packets that came twice"},
    {"Concealed", "Packet turns filled by concealment: lost, or the buffer ran dry"},
    {"Malformed", "Datagrams that are not RTP, or a payload the codec cannot read"},
    {"Foreign", "Packets of another sender (SSRC) or payload type than the stream's"},
    {"Underruns", "Frames of silence played because the buffer was empty"},
    {"Rebuffers", "Times playout stopped to fill its buffer again"},
    {"Jitter", "Interarrival jitter (RFC 3550)"},
    {"Buffer", "Audio held against jitter now, and the target"},
    {"Drift", "How much faster the sender's clock runs than the device's"},
};

constexpr QChar kWordJoiner(0x2060);

// Command-line options in a wrapped label: an option and its value never split across lines, nor
// an option after its dashes (where the line breaker would otherwise break). The word joiners are
// invisible; the label is not selectable, so nobody copies them.
QString unbreakable(QString text) {
    for (const char* option : {"--web PORT", "--web-control"}) {
        QString joined;
        for (const QChar c : QString::fromLatin1(option)) {
            if (!joined.isEmpty()) {
                joined += kWordJoiner;
            }
            joined += c == QLatin1Char(' ') ? QChar(QChar::Nbsp) : c;
        }
        text.replace(QString::fromLatin1(option), joined);
    }
    return text;
}

// An address to read and select, not to edit: a line edit (a long one scrolls instead of widening
// the dock) without its frame and field colour.
QLineEdit* makeAddressLine(QWidget* parent) {
    auto* line = new QLineEdit(parent);
    line->setReadOnly(true);
    line->setFrame(false);
    line->setFocusPolicy(Qt::ClickFocus);
    QPalette palette = line->palette();
    palette.setColor(QPalette::Base, palette.color(QPalette::Window));
    line->setPalette(palette);
    return line;
}

}  // namespace

NetworkPanel::NetworkPanel(StreamController& stream, QWidget* parent)
    : QWidget(parent), stream_(stream) {
    // Sending.
    sendBox_ = new QGroupBox(tr("Send"), this);
    sendBox_->setFlat(true);  // a title line, no frame, as in the transport dock
    address_ = new QLineEdit(QString::fromLatin1(kDefaultAddress), sendBox_);
    address_->setPlaceholderText(tr("host:port"));
    address_->setToolTip(
        tr("Where to send, as host:port: a machine (192.168.1.20:5004) or a multicast group "
           "(239.69.1.1:5004) that every receiver on the network can join. RTCP reports go to "
           "the next port up."));
    address_->setClearButtonEnabled(true);
    codec_ = new QComboBox(sendBox_);
    codec_->addItem(tr("Opus"), static_cast<int>(core::RtpCodec::Opus));
    codec_->addItem(tr("L24"), static_cast<int>(core::RtpCodec::L24));
    codec_->addItem(tr("L16"), static_cast<int>(core::RtpCodec::L16));
    codec_->setToolTip(
        tr("Opus: compressed, for any network. L24 and L16: uncompressed 24- or 16-bit PCM at "
           "the stream's rate, for a wired local network."));
    bitrate_ = new QSpinBox(sendBox_);
    bitrate_->setRange(kMinBitrateKbps, kMaxBitrateKbps);
    bitrate_->setValue(kDefaultBitrateKbps);
    bitrate_->setSuffix(tr(" kb/s"));
    bitrate_->setToolTip(tr("Opus bitrate of the whole stream, 6 to 510 kb/s"));
    send_ = new QPushButton(tr(kSendText), sendBox_);
    send_->setCheckable(true);
    send_->setEnabled(false);
    send_->setToolTip(tr("Send the output as an RTP stream while the audio stream runs"));
    sendStatus_ = new QLabel(sendBox_);
    // The readout must not widen the dock: it takes what is left of its row.
    sendStatus_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    message_ = new QLabel(sendBox_);
    message_->setWordWrap(true);
    message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    message_->hide();
    sdpView_ = new QPlainTextEdit(sendBox_);
    sdpView_->setReadOnly(true);
    sdpView_->setLineWrapMode(QPlainTextEdit::NoWrap);
    sdpView_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    sdpView_->setPlaceholderText(
        tr("Press Send: the SDP a receiver opens (VLC, ffplay, another LiveRack) shows here."));
    sdpView_->setToolTip(tr("The session description of the stream being sent"));
    // At least a few lines in a short dock; it takes any height the dock has to spare.
    const QMargins margins = sdpView_->contentsMargins();
    sdpView_->setMinimumHeight(sdpView_->fontMetrics().lineSpacing() * kSdpMinimumLines +
                               2 * static_cast<int>(sdpView_->document()->documentMargin()) +
                               margins.top() + margins.bottom() + 2 * sdpView_->frameWidth());
    sdpView_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    copy_ = new QPushButton(tr("Copy"), sendBox_);
    copy_->setToolTip(tr("Copy the SDP to the clipboard"));
    saveSdp_ = new QPushButton(tr("Save SDP…"), sendBox_);
    saveSdp_->setToolTip(tr("Save the SDP as a file a receiver can open"));
    copy_->setEnabled(false);
    saveSdp_->setEnabled(false);

    auto* sendLayout = new QGridLayout(sendBox_);
    sendLayout->addWidget(new QLabel(tr("Address"), sendBox_), 0, 0);
    sendLayout->addWidget(address_, 0, 1, 1, 3);
    sendLayout->addWidget(new QLabel(tr("Codec"), sendBox_), 1, 0);
    sendLayout->addWidget(codec_, 1, 1);
    sendLayout->addWidget(bitrate_, 1, 2);
    sendLayout->addWidget(send_, 1, 3);
    sendLayout->addWidget(message_, 2, 0, 1, 4);
    sendLayout->addWidget(sdpView_, 3, 0, 1, 4);
    // The counters go beside the SDP's buttons: every line the SDP box keeps counts.
    auto* sdpButtons = new QHBoxLayout;
    sdpButtons->addWidget(copy_);
    sdpButtons->addWidget(saveSdp_);
    sdpButtons->addSpacing(6);
    sdpButtons->addWidget(sendStatus_, 1);
    sendLayout->addLayout(sdpButtons, 4, 0, 1, 4);
    sendLayout->setColumnStretch(1, 1);
    sendLayout->setColumnStretch(2, 1);
    sendLayout->setRowStretch(3, 1);
    sendLayout->setVerticalSpacing(4);

    connect(codec_, &QComboBox::currentIndexChanged, this, [this] {
        bitrate_->setEnabled(!isSending() &&
                             static_cast<core::RtpCodec>(codec_->currentData().toInt()) ==
                                 core::RtpCodec::Opus);
    });
    connect(send_, &QPushButton::clicked, this, [this](bool on) {
        if (on) {
            startSending();
        } else {
            stopSending();
        }
    });
    connect(address_, &QLineEdit::returnPressed, this, [this] {
        if (!isSending() && send_->isEnabled()) {
            send_->click();
        }
    });
    connect(copy_, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(sdp_);
        showMessage(tr("The SDP is on the clipboard."), false);
    });
    connect(saveSdp_, &QPushButton::clicked, this, &NetworkPanel::chooseSdpPath);

    // Receiving.
    receiveBox_ = new QGroupBox(tr("Receive"), this);
    receiveBox_->setFlat(true);
    noSource_ = new QLabel(tr("No RTP source: choose rtp://@:PORT as the input."), receiveBox_);
    noSource_->setWordWrap(true);
    noSource_->setForegroundRole(QPalette::PlaceholderText);  // a hint, not a control
    noSource_->setToolTip(
        tr("Start LiveRack with --source rtp://@:5006 (or --source sdp:FILE) to play an RTP "
           "stream from the network through the rack."));
    receiveStatus_ = new QLabel(receiveBox_);
    receiveStatus_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    receiveStatus_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    receiveTable_ = new QWidget(receiveBox_);
    auto* grid = new QGridLayout(receiveTable_);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(2);
    int index = 0;
    for (const ReceiveRow& row : kReceiveRows) {
        receiveValues_[QString::fromLatin1(row.label)] =
            addReceiveRow(grid, index++, tr(row.label), tr(row.toolTip));
    }
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
    auto* receiveLayout = new QVBoxLayout(receiveBox_);
    receiveLayout->setSpacing(4);
    receiveLayout->addWidget(noSource_);
    receiveLayout->addWidget(receiveStatus_);
    receiveLayout->addWidget(receiveTable_);

    // The web monitor: where it is and who is connected, or how to start it. The panel's own
    // group boxes are its two RTP sections, the pair resizeEvent lays out; this one sits in a
    // holder under Receive.
    webSection_ = new QWidget(this);
    webBox_ = new QGroupBox(tr("Web monitor"), webSection_);
    auto* webSectionLayout = new QVBoxLayout(webSection_);
    webSectionLayout->setContentsMargins(0, 0, 0, 0);
    webSectionLayout->addWidget(webBox_);
    webBox_->setFlat(true);
    webHint_ = new QLabel(
        unbreakable(tr("Not serving. Start LiveRack with %1 (and %2 to allow changes from the "
                       "page), or:")
                        .arg(QLatin1String("--web PORT"), QLatin1String("--web-control"))),
        webBox_);
    webHint_->setWordWrap(true);
    webHint_->setForegroundRole(QPalette::PlaceholderText);
    webHint_->setToolTip(
        tr("The web monitor shows the meters, loudness, spectrum and tuner in a browser and can "
           "play the output there (Listen)."));
    webStart_ = new QPushButton(
        tr("Start on %1:%2").arg(QLatin1String(kDefaultWebHost)).arg(kDefaultWebPort), webBox_);
    webStart_->setToolTip(
        tr("Serve the web monitor on this machine only, read-only, until LiveRack closes"));
    webDetails_ = new QWidget(webBox_);
    webUrl_ = makeAddressLine(webDetails_);
    webCopy_ = new QPushButton(tr("Copy"), webDetails_);
    webCopy_->setToolTip(tr("Copy the monitor's address to the clipboard"));
    webControlState_ = new QLabel(webDetails_);
    webControl_ = makeAddressLine(webDetails_);
    webCopyControl_ = new QPushButton(tr("Copy"), webDetails_);
    webCopyControl_->setToolTip(tr("Copy the address with the token to the clipboard"));
    webClients_ = new QLabel(webDetails_);
    webClients_->setToolTip(tr("Open WebSocket connections, and those of them playing the audio"));
    webMessage_ = new QLabel(webDetails_);
    webMessage_->setWordWrap(true);
    webMessage_->setForegroundRole(QPalette::PlaceholderText);
    webMessage_->hide();
    auto* webGrid = new QGridLayout(webDetails_);
    webGrid->setContentsMargins(0, 0, 0, 0);
    webGrid->setHorizontalSpacing(8);
    webGrid->setVerticalSpacing(2);
    const auto webRow = [this](const QString& label, const QString& toolTip) {
        auto* name = new QLabel(label, webDetails_);
        name->setForegroundRole(QPalette::PlaceholderText);
        name->setToolTip(toolTip);
        return name;
    };
    webGrid->addWidget(webRow(tr("Page"), tr("The monitor's address: open it in a browser")), 0, 0);
    webGrid->addWidget(webUrl_, 0, 1);
    webGrid->addWidget(webCopy_, 0, 2);
    webGrid->addWidget(webRow(tr("Control"), tr("The page's address with the token that lets it "
                                                "bypass slots and change parameters")),
                       1, 0);
    webGrid->addWidget(webControlState_, 1, 1);
    webGrid->addWidget(webCopyControl_, 1, 2);
    // The address with the token is long: it gets the whole width, to show the token's start.
    webGrid->addWidget(webControl_, 2, 0, 1, 3);
    webGrid->addWidget(webRow(tr("Clients"), webClients_->toolTip()), 3, 0);
    webGrid->addWidget(webClients_, 3, 1, 1, 2);
    webGrid->addWidget(webMessage_, 4, 0, 1, 3);
    webGrid->setColumnStretch(1, 1);
    auto* webLayout = new QVBoxLayout(webBox_);
    webLayout->setSpacing(4);
    webLayout->addWidget(webHint_);
    webLayout->addWidget(webStart_, 0, Qt::AlignLeft);
    webLayout->addWidget(webDetails_);

    connect(webStart_, &QPushButton::clicked, this, &NetworkPanel::webStartRequested);
    connect(webCopy_, &QPushButton::clicked, this, [this] {
        copyWebAddress(webUrl_->text(), tr("The monitor's address is on the clipboard."));
    });
    connect(webCopyControl_, &QPushButton::clicked, this, [this] {
        copyWebAddress(webControl_->text(),
                       tr("The address with the token is on the clipboard: whoever opens it can "
                          "change the chain."));
    });

    sideLayout_ = new QVBoxLayout;
    sideLayout_->setSpacing(6);
    sideLayout_->addWidget(receiveBox_);
    sideLayout_->addWidget(webSection_);
    sideLayout_->addStretch(1);

    // Stacked in a narrow dock, side by side in a wide one (see resizeEvent); the send section
    // takes the room to spare, for the SDP.
    layout_ = new QBoxLayout(QBoxLayout::TopToBottom, this);
    layout_->setContentsMargins(6, 2, 6, 2);
    layout_->setSpacing(6);
    layout_->addWidget(sendBox_, 1);
    layout_->addLayout(sideLayout_, 0);

    connect(&stream_, &StreamController::started, this, &NetworkPanel::streamStarted);
    connect(&stream_, &StreamController::stopping, this, &NetworkPanel::streamStopping);
    connect(&stream_, &StreamController::stopped, this, [this](const QString&) {
        streamStopping();  // a stream that died without notice: the sender goes all the same
        source_ = nullptr;
        refresh();
    });
    if (stream_.isRunning()) {
        streamStarted();
    } else {
        refresh();
    }
}

NetworkPanel::~NetworkPanel() = default;

QSize NetworkPanel::minimumSizeHint() const {
    // The stacked layout's width whichever way it is laid out now: a scroll area holds its widget
    // at least this wide, so a dock narrower than the side-by-side sections must still get a
    // narrower panel, for resizeEvent to stack them.
    const QMargins margins = layout_->contentsMargins();
    const int width =
        std::max(sendBox_->minimumSizeHint().width(), sideLayout_->minimumSize().width()) +
        margins.left() + margins.right();
    return {width, QWidget::minimumSizeHint().height()};
}

void NetworkPanel::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    // Side by side only where both sections fit whole: the dock never scrolls sideways.
    const QMargins margins = layout_->contentsMargins();
    const int sideBySide = std::max(
        kSideBySideWidth, sendBox_->minimumSizeHint().width() + sideLayout_->minimumSize().width() +
                              layout_->spacing() + margins.left() + margins.right());
    const auto direction =
        width() >= sideBySide ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom;
    if (layout_->direction() != direction) {
        layout_->setDirection(direction);
    }
}

QLabel* NetworkPanel::addReceiveRow(QGridLayout* grid, int index, const QString& label,
                                    const QString& toolTip) {
    auto* name = new QLabel(label, receiveTable_);
    name->setForegroundRole(QPalette::PlaceholderText);
    auto* value = new QLabel(QStringLiteral("–"), receiveTable_);
    value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    name->setToolTip(toolTip);
    value->setToolTip(toolTip);
    const int row = index / 2;
    const int column = (index % 2) * 2;
    grid->addWidget(name, row, column);
    grid->addWidget(value, row, column + 1);
    return value;
}

void NetworkPanel::streamStarted() {
    source_ = dynamic_cast<core::RtpSource*>(stream_.engine().processor().source());
    refresh();
}

void NetworkPanel::streamStopping() {
    // The send rings are fed by the audio thread and replaced when the processor is prepared
    // again: the network thread lets go of them while the stream still runs.
    if (streamer_) {
        stopSending(tr("Sending stopped with the audio stream; press Send to start again."));
    }
}

core::Result<core::RtpSendTarget> NetworkPanel::target() const {
    QString address = address_->text().trimmed();
    if (address.startsWith(QLatin1String("rtp://"), Qt::CaseInsensitive)) {
        address = address.mid(6);
    }
    if (address.isEmpty()) {
        return core::Error{
            tr("type the address to send to, as host:port (example: 192.168.1.20:5004)")
                .toStdString()};
    }
    // The command line's parser checks the host and port, so both say the same about them.
    auto parsed = core::parseRtpSendTarget("rtp://" + address.toStdString());
    if (!parsed) {
        return parsed;
    }
    parsed->codec = static_cast<core::RtpCodec>(codec_->currentData().toInt());
    parsed->bitrate = static_cast<unsigned>(bitrate_->value()) * 1000u;
    return parsed;
}

void NetworkPanel::startSending() {
    if (streamer_ || !stream_.isRunning()) {
        const QSignalBlocker block(send_);
        send_->setChecked(streamer_ != nullptr);
        if (!streamer_) {
            showMessage(tr("Start the audio stream to send."), true);
        }
        return;
    }
    const core::Result<core::RtpSendTarget> destination = target();
    if (!destination) {
        failedToStart(toSentence(destination.error()));
        return;
    }
    // Opening resolves the host: a name the resolver cannot answer at once holds the window
    // that long (the core API is synchronous; a numeric address never waits).
    auto streamer = std::make_unique<core::RtpStreamer>(stream_.engine().processor().taps());
    if (const core::Status started = streamer->start({destination.value()}); !started) {
        failedToStart(toSentence(started.error()));
        return;
    }
    streamer_ = std::move(streamer);
    destination_ = QStringLiteral("%1:%2")
                       .arg(QString::fromStdString(destination->host))
                       .arg(destination->port);
    setSdp(QString::fromStdString(streamer_->sender(0).sdp()));
    message_->hide();
    {
        const QSignalBlocker block(send_);
        send_->setChecked(true);
    }
    send_->setText(tr(kStopText));
    address_->setEnabled(false);
    codec_->setEnabled(false);
    bitrate_->setEnabled(false);
    showSendStatus();
}

void NetworkPanel::failedToStart(const QString& why) {
    setSendControlsIdle();
    // An earlier stream's SDP beside the sentence would be copied for the one that failed.
    setSdp({});
    showMessage(why, true);
}

void NetworkPanel::setSdp(const QString& sdp) {
    sdp_ = sdp;
    // The file keeps SDP's CRLF line ends; the box shows plain lines.
    sdpView_->setPlainText(QString(sdp_).replace(QLatin1String("\r\n"), QLatin1String("\n")));
    copy_->setEnabled(!sdp_.isEmpty());
    saveSdp_->setEnabled(!sdp_.isEmpty());
}

void NetworkPanel::stopSending(const QString& why) {
    if (!streamer_) {
        setSendControlsIdle();
        return;
    }
    const std::vector<core::RtpStreamStats> stats = streamer_->stats();
    streamer_.reset();  // joins the network thread
    setSendControlsIdle();
    sendStatus_->clear();
    if (!why.isEmpty()) {
        showMessage(why, false);
    } else if (!stats.empty()) {
        showMessage(tr("Sent %1 packets (%2) to %3.")
                        .arg(stats.front().sender.packets)
                        .arg(formatBytes(stats.front().sender.payloadBytes), destination_),
                    false);
    }
}

void NetworkPanel::setSendControlsIdle() {
    {
        const QSignalBlocker block(send_);
        send_->setChecked(false);
    }
    send_->setText(tr(kSendText));
    send_->setEnabled(stream_.isRunning());
    address_->setEnabled(true);
    codec_->setEnabled(true);
    bitrate_->setEnabled(static_cast<core::RtpCodec>(codec_->currentData().toInt()) ==
                         core::RtpCodec::Opus);
}

void NetworkPanel::chooseSdpPath() {
    if (sdp_.isEmpty()) {
        return;
    }
    QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (folder.isEmpty()) {
        folder = QDir::homePath();
    }
    QString chosen =
        QFileDialog::getSaveFileName(this, tr("Save SDP"), QDir(folder).filePath("liverack.sdp"),
                                     tr("Session descriptions (*.sdp)"));
    if (chosen.isEmpty()) {
        return;
    }
    if (QFileInfo(chosen).suffix().isEmpty()) {
        chosen += QStringLiteral(".sdp");
    }
    const QString error = saveSdp(chosen);
    if (error.isEmpty()) {
        showMessage(tr("Saved %1.").arg(QFileInfo(chosen).fileName()), false);
        message_->setToolTip(QDir::toNativeSeparators(chosen));
    } else {
        showMessage(error, true);
    }
}

QString NetworkPanel::saveSdp(const QString& path) {
    if (sdp_.isEmpty()) {
        return tr("There is no SDP yet: press Send first.");
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return tr("Cannot write %1: %2.").arg(QDir::toNativeSeparators(path), file.errorString());
    }
    file.write(sdp_.toUtf8());
    if (!file.commit()) {
        return tr("Cannot save %1: %2.").arg(QDir::toNativeSeparators(path), file.errorString());
    }
    return {};
}

void NetworkPanel::refresh() {
    const bool running = stream_.isRunning();
    if (!running) {
        source_ = nullptr;
    }
    send_->setEnabled(running || streamer_ != nullptr);
    showSendStatus();
    showReceiveStats();
    showWebStatus();
}

void NetworkPanel::setWebServer(const core::WebServer* server) {
    web_ = server;
    webMessage_->hide();
    if (web_ == nullptr) {
        webUrl_->clear();
        webControl_->clear();
        webControlState_->clear();
        webClients_->clear();
        showWebStatus();
        return;
    }
    const core::WebClientCounts counts = web_->counts();
    const QString url = QString::fromStdString(web_->url());
    webUrl_->setText(url);
    webUrl_->setCursorPosition(0);
    webUrl_->setToolTip(tr("%1\nOpen this address in a browser").arg(url));
    // The page's address always shows whole; the one with the token as much of it as fits (all
    // of it in the tooltip and by Copy).
    const QMargins margins = webUrl_->textMargins();
    webUrl_->setMinimumWidth(webUrl_->fontMetrics().horizontalAdvance(url) + margins.left() +
                             margins.right() + 2 * kLineEditTextPadding);
    const QString controlUrl = QString::fromStdString(web_->controlUrl());
    webControl_->setText(counts.control ? controlUrl : QString());
    webControl_->setCursorPosition(0);
    webControl_->setToolTip(
        tr("%1\nWhoever opens this address can bypass slots and change parameters")
            .arg(controlUrl));
    webControlState_->setText(counts.control ? tr("with the token:") : tr("read-only"));
    webControlState_->setToolTip(
        counts.control ? webControl_->toolTip()
                       : tr("The page only watches: start LiveRack with --web-control to let it "
                            "bypass slots and change parameters"));
    webControl_->setVisible(counts.control);
    webCopyControl_->setVisible(counts.control);
    if (!web_->hasPage()) {
        webMessage_->setText(
            tr("The page is not installed: only /api/snapshot and /api/chain answer."));
        webMessage_->show();
    }
    showWebStatus();
}

void NetworkPanel::showWebStatus() {
    const bool serving = web_ != nullptr;
    webHint_->setVisible(!serving);
    webStart_->setVisible(!serving);
    webDetails_->setVisible(serving);
    if (!serving) {
        return;
    }
    const core::WebClientCounts counts = web_->counts();
    webClients_->setText(tr("%1 open, %2 listening").arg(counts.clients).arg(counts.listeners));
}

void NetworkPanel::copyWebAddress(const QString& address, const QString& what) {
    QGuiApplication::clipboard()->setText(address);
    webMessage_->setText(what);
    webMessage_->show();
}

void NetworkPanel::showSendStatus() {
    if (!streamer_) {
        const QString idle =
            stream_.isRunning() ? QString() : tr("Start the audio stream to send.");
        sendStatus_->setText(idle);
        return;
    }
    const std::vector<core::RtpStreamStats> stats = streamer_->stats();
    if (stats.empty()) {
        return;
    }
    const core::RtpStreamStats& s = stats.front();
    QString text =
        tr("%1 packets · %2").arg(s.sender.packets).arg(formatBytes(s.sender.payloadBytes));
    if (s.sender.sendErrors > 0) {
        text += tr(" · <span style='color:%1'>%2 refused</span>")
                    .arg(QLatin1String(kErrorColour))
                    .arg(s.sender.sendErrors);
    }
    if (s.droppedFrames > 0) {
        text += tr(" · <span style='color:%1'>%2 dropped</span>")
                    .arg(QLatin1String(kErrorColour))
                    .arg(s.droppedFrames);
    }
    sendStatus_->setText(text);
    sendStatus_->setToolTip(
        tr("Sending to %1: packets and payload bytes so far").arg(destination_));
}

void NetworkPanel::showReceiveStats() {
    const bool hasSource = source_ != nullptr;
    noSource_->setVisible(!hasSource);
    receiveStatus_->setVisible(hasSource);
    receiveTable_->setVisible(hasSource);
    if (!hasSource) {
        return;
    }
    const core::RtpReceiverStats s = source_->stats();
    const QString sender = QString::fromStdString(s.sender);
    if (s.playing) {
        receiveStatus_->setText(tr("Playing from %1").arg(sender));
    } else if (!sender.isEmpty()) {
        receiveStatus_->setText(tr("Buffering from %1").arg(sender));
    } else {
        receiveStatus_->setText(tr("Waiting for a stream on port %1").arg(source_->localPort()));
    }
    const auto set = [this](const char* label, const QString& text) {
        receiveValues_.at(QString::fromLatin1(label))->setText(text);
    };
    set("Packets", QString::number(s.packets));
    set("Lost", QString::number(s.lost));
    set("Late", QString::number(s.late));
    set("Reordered", QString::number(s.reordered));
    set("Duplicates", QString::number(s.duplicates));
    set("Concealed", QString::number(s.concealed));
    set("Malformed", QString::number(s.malformed));
    set("Foreign", QString::number(s.foreign));
    set("Underruns", QString::number(s.underrunFrames));
    set("Rebuffers", QString::number(s.rebuffers));
    set("Jitter", tr("%1 ms").arg(s.jitterMs, 0, 'f', 1));
    set("Buffer", tr("%1 / %2 ms").arg(s.bufferMs, 0, 'f', 0).arg(s.targetMs, 0, 'f', 0));
    set("Drift", tr("%1 ppm").arg(s.driftPpm, 0, 'f', 1));
}

void NetworkPanel::showMessage(const QString& text, bool isError) {
    message_->setText(text);
    message_->setStyleSheet(isError ? QStringLiteral("color: %1;").arg(QLatin1String(kErrorColour))
                                    : QString());
    message_->setVisible(!text.isEmpty());
}

QString NetworkPanel::sdpText() const {
    return sdpView_->toPlainText();
}

QString NetworkPanel::sendStatusText() const {
    return sendStatus_->text();
}

QString NetworkPanel::message() const {
    return message_->isHidden() ? QString() : message_->text();
}

QString NetworkPanel::receiveStatusText() const {
    return source_ ? receiveStatus_->text() : noSource_->text();
}

QString NetworkPanel::receiveValue(const QString& label) const {
    const auto found = receiveValues_.find(label);
    return found == receiveValues_.end() || !source_ ? QString() : found->second->text();
}

QString NetworkPanel::webUrlText() const {
    return web_ ? webUrl_->text() : QString();
}

QString NetworkPanel::webControlText() const {
    if (!web_) {
        return {};
    }
    return webControl_->text().isEmpty() ? webControlState_->text() : webControl_->text();
}

QString NetworkPanel::webClientsText() const {
    return web_ ? webClients_->text() : QString();
}

QString NetworkPanel::webHintText() const {
    return web_ ? QString()
                : QString(webHint_->text()).remove(kWordJoiner).replace(QChar::Nbsp, ' ');
}

}  // namespace liverack::ui
