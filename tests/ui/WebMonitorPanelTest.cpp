// The web monitor in the window: the Network dock shows the server's address, the token only with
// control, and its connections as they open and close; the window serves the running stream
// (through a stop and a new start), its rack follows a bypass and a parameter written from the
// page, and a port in use is a sentence in the banner while the window goes on.
#include <QAbstractItemModel>
#include <QClipboard>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QGuiApplication>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/dsp/EffectSlot.h"
#include "core/engine/AudioEngine.h"
#include "core/net/WebServer.h"
#include "tests/support/WebTestClient.h"
#include "ui/MainWindow.h"
#include "ui/NetworkPanel.h"
#include "ui/ParameterPanel.h"
#include "ui/RackController.h"
#include "ui/RackModel.h"
#include "ui/RackView.h"
#include "ui/StreamController.h"

using namespace liverack;

namespace {

constexpr int kTimeoutMs = 10000;

// A server on a port the system chose, on this machine, with no chain behind it.
std::unique_ptr<core::WebServer> startServer(bool control) {
    core::WebServerOptions options;
    options.control = control;
    options.pageFolder = core::WebServerOptions::installedPageFolder();
    auto started = core::WebServer::start(options, nullptr);
    if (!started) {
        qWarning("%s", started.error().c_str());
        return nullptr;
    }
    return std::move(started.value());
}

core::WebAddress anyFreePort() {
    core::WebAddress address;
    address.port = 0;
    return address;
}

// The panel's client count once it reads `expected` (the panel is refreshed as the window's
// 10 Hz timer would).
bool panelShowsClients(ui::NetworkPanel& panel, const QString& expected) {
    return QTest::qWaitFor(
        [&] {
            panel.refresh();
            return panel.webClientsText() == expected;
        },
        kTimeoutMs);
}

nlohmann::json getJson(uint16_t port, const std::string& target) {
    const test::HttpReply reply = test::httpRequest(port, "GET", target);
    if (reply.status != 200) {
        return nullptr;
    }
    return nlohmann::json::parse(reply.body, nullptr, false);
}

// The stream's facts the server reads, as GET /api/snapshot gives them (null before any).
nlohmann::json streamFacts(uint16_t port) {
    const nlohmann::json snapshot = getJson(port, "/api/snapshot");
    return snapshot.is_object() && snapshot.contains("stream") ? snapshot["stream"]
                                                               : nlohmann::json();
}

bool servesARunningStream(uint16_t port) {
    return QTest::qWaitFor(
        [port] {
            const nlohmann::json facts = streamFacts(port);
            return facts.is_object() && facts.value("running", false) &&
                   facts.value("sample_rate", 0.0) == 48000.0;
        },
        kTimeoutMs);
}

ui::LaunchOptions onNullDevice() {
    ui::LaunchOptions options;
    options.streamOptionsGiven = true;
    options.restoreSession = false;
    options.config.api = "null";
    options.config.source = "sine:440";
    options.config.sampleRate = 48000;
    return options;
}

}  // namespace

class WebMonitorPanelTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);  // the window's session goes to a test location
        QCoreApplication::setOrganizationName("LiveRackTest");
        QCoreApplication::setApplicationName("liverack-web-ui-test");
    }

    void withoutAServerThePanelSaysHowToStartItAndStartAsksForOne() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::NetworkPanel panel(stream);
        QVERIFY2(panel.webHintText().contains("--web PORT"), qPrintable(panel.webHintText()));
        QVERIFY(panel.webUrlText().isEmpty());
        QVERIFY(panel.webClientsText().isEmpty());
        QSignalSpy asked(&panel, &ui::NetworkPanel::webStartRequested);
        panel.webStartButton().click();
        QCOMPARE(asked.count(), 1);
    }

    void panelShowsTheAddressAndWithControlTheToken() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::NetworkPanel panel(stream);
        std::unique_ptr<core::WebServer> server = startServer(true);
        QVERIFY(server);
        panel.setWebServer(server.get());
        const QString url = QStringLiteral("http://127.0.0.1:%1/").arg(server->port());
        QCOMPARE(panel.webUrlText(), url);
        QCOMPARE(panel.webControlText(),
                 url + QStringLiteral("?token=") + QString::fromStdString(server->token()));
        QVERIFY(panel.webHintText().isEmpty());
        QCOMPARE(panel.webClientsText(), QStringLiteral("0 open, 0 listening"));
        panel.webCopyButton().click();
        QCOMPARE(QGuiApplication::clipboard()->text(), url);
        // Taken back (the window closing): the panel says how to start one again.
        panel.setWebServer(nullptr);
        QVERIFY(panel.webUrlText().isEmpty());
        QVERIFY(panel.webHintText().contains("--web PORT"));
    }

    void readOnlyServerShowsNoToken() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::NetworkPanel panel(stream);
        std::unique_ptr<core::WebServer> server = startServer(false);
        QVERIFY(server);
        panel.setWebServer(server.get());
        QCOMPARE(panel.webControlText(), QStringLiteral("read-only"));
        QVERIFY(!panel.webUrlText().contains("token"));
    }

    void aWebSocketClientShowsAsOneOpenUntilItCloses() {
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        ui::NetworkPanel panel(stream);
        std::unique_ptr<core::WebServer> server = startServer(false);
        QVERIFY(server);
        panel.setWebServer(server.get());
        {
            test::WebSocketTestClient client;
            QVERIFY(client.connect(server->port()));
            QVERIFY2(panelShowsClients(panel, "1 open, 0 listening"),
                     qPrintable(panel.webClientsText()));
        }
        QVERIFY2(panelShowsClients(panel, "0 open, 0 listening"),
                 qPrintable(panel.webClientsText()));
    }

    void windowServesItsStreamThroughAStopAndANewStart() {
        ui::MainWindow window;
        window.launch(onNullDevice());
        QVERIFY(window.stream().isRunning());
        QVERIFY(window.startWebMonitor(anyFreePort(), false));
        core::WebServer* server = window.webServer();
        QVERIFY(server != nullptr);
        QCOMPARE(window.networkPanel().webUrlText(), QString::fromStdString(server->url()));
        QVERIFY(servesARunningStream(server->port()));

        // Stopped: the server has let go of the stream (no facts any more) and still answers.
        window.stream().stop();
        const nlohmann::json stopped = streamFacts(server->port());
        QVERIFY(stopped.is_object());
        QCOMPARE(stopped.value("running", true), false);
        QCOMPARE(stopped.value("sample_rate", -1.0), 0.0);

        // Started again: new rings and a new analysis engine, served as the old ones were.
        QVERIFY(window.stream().start(onNullDevice().config));
        QVERIFY(servesARunningStream(server->port()));
        // And a restart in one step (start() stops first).
        QVERIFY(window.stream().start(onNullDevice().config));
        QVERIFY(servesARunningStream(server->port()));
    }

    void windowShowsItsClientsInTheNetworkDock() {
        ui::MainWindow window;
        window.launch(onNullDevice());
        QVERIFY(window.startWebMonitor(anyFreePort(), false));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* dock = window.findChild<QDockWidget*>("networkDock");
        QVERIFY(dock != nullptr);
        dock->raise();
        {
            test::WebSocketTestClient client;
            QVERIFY(client.connect(window.webServer()->port()));
            // The window's own timer refreshes the dock.
            QTRY_COMPARE_WITH_TIMEOUT(window.networkPanel().webClientsText(),
                                      QStringLiteral("1 open, 0 listening"), kTimeoutMs);
        }
        QTRY_COMPARE_WITH_TIMEOUT(window.networkPanel().webClientsText(),
                                  QStringLiteral("0 open, 0 listening"), kTimeoutMs);
    }

    void rackFollowsABypassAndAParameterWrittenFromThePage() {
        ui::MainWindow window;
        window.launch(onNullDevice());
        QVERIFY(window.rack().addEffect("gain"));
        QVERIFY(window.startWebMonitor(anyFreePort(), true));
        const uint16_t port = window.webServer()->port();
        const std::map<std::string, std::string> bearer = {
            {"Authorization", "Bearer " + window.webServer()->token()}};

        // The chain the page sees follows the rack's edits.
        QVERIFY(window.rack().addEffect("gain"));
        QCOMPARE(getJson(port, "/api/chain")["slots"].size(), size_t(2));
        window.rackView().selectSlot(0);

        ui::RackModel& model = window.rackView().model();
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        // The card of slot 0 was told its bypass changed (the model also says, on a timer, that
        // latencies may have).
        const auto bypassRepainted = [&changed] {
            for (const QList<QVariant>& signal : changed) {
                if (signal.at(0).value<QModelIndex>().row() == 0 &&
                    signal.at(2).value<QList<int>>().contains(ui::RackModel::BypassedRole)) {
                    return true;
                }
            }
            return false;
        };
        QCOMPARE(test::httpRequest(port, "POST", "/api/chain/0/bypass", "true", bearer).status,
                 200);
        QVERIFY(window.rack().slotAt(0)->isBypassed());
        QTRY_VERIFY_WITH_TIMEOUT(bypassRepainted(), kTimeoutMs);
        QCOMPARE(model.data(model.index(0), ui::RackModel::BypassedRole).toBool(), true);
        QVERIFY(!window.rack().slotAt(1)->isBypassed());

        auto* parameters = window.findChild<ui::ParameterPanel*>();
        QVERIFY(parameters != nullptr);
        QCOMPARE(parameters->slot(), window.rack().slotAt(0));
        const size_t gainDb = 0;
        QCOMPARE(parameters->slot()->effect().info().parameters[gainDb].id, std::string("gain_db"));
        QCOMPARE(
            test::httpRequest(port, "POST", "/api/chain/0/params", R"({"gain_db": -12})", bearer)
                .status,
            200);
        QTRY_COMPARE_WITH_TIMEOUT(parameters->spinBoxFor(gainDb)->value(), -12.0, kTimeoutMs);
    }

    void portInUseIsASentenceInTheBannerAndTheWindowGoesOn() {
        std::unique_ptr<core::WebServer> other = startServer(false);
        QVERIFY(other);
        ui::MainWindow window;
        window.launch(onNullDevice());
        core::WebAddress taken;
        taken.port = other->port();
        QVERIFY(!window.startWebMonitor(taken, true));
        QVERIFY(window.webServer() == nullptr);
        QVERIFY2(window.bannerText().contains("in use"), qPrintable(window.bannerText()));
        QVERIFY(window.stream().isRunning());
        QVERIFY(window.networkPanel().webHintText().contains("--web PORT"));
    }
};

QTEST_MAIN(WebMonitorPanelTest)
#include "WebMonitorPanelTest.moc"
