// The window's stream lifecycle on a real JACK dummy server: start brings up the engine and the
// analysis together, and when the server dies under a running stream, poll() stops cleanly and
// says why in a sentence.
#include <QSignalSpy>
#include <QTest>

#include <memory>

#include "core/analysis/AnalysisEngine.h"
#include "core/engine/AudioEngine.h"
#include "tests/support/JackServer.h"
#include "ui/StreamController.h"

using namespace liverack;

class StreamControllerTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void lostJackServerStopsTheStreamAndSaysWhy() {
        const auto server = test::JackServer::startWithRetries();
        QVERIFY2(server->isRunning(), server->error().c_str());
        core::AudioEngine engine;
        ui::StreamController stream(engine);
        QSignalSpy stopped(&stream, &ui::StreamController::stopped);
        QSignalSpy errors(&stream, &ui::StreamController::errorOccurred);
        core::StreamConfig config;
        config.api = "jack";
        config.source = "sine:440";
        config.inputDevice = core::StreamConfig::kNone;
        config.autoConnect = false;
        config.sampleRate = 0;
        QVERIFY2(stream.start(config),
                 errors.isEmpty() ? "" : qPrintable(errors.at(0).at(0).toString()));
        QVERIFY(stream.isRunning());
        QVERIFY(stream.analysis() != nullptr);
        // Audio flows: the analysis sees frames from the engine's taps.
        QTRY_VERIFY_WITH_TIMEOUT(stream.analysis()->framesAnalysed(core::Tap::Post) > 0, 10000);

        server->kill();
        QTRY_VERIFY_WITH_TIMEOUT((stream.poll(), !engine.isOpen()), 15000);
        QVERIFY(stream.analysis() == nullptr);
        QCOMPARE(stopped.count(), 1);
        const QString reason = stopped.at(0).at(0).toString();
        QVERIFY2(reason.contains("JACK") || reason.contains("stream"), qPrintable(reason));
        QVERIFY2(reason.at(0).isUpper() && reason.endsWith('.'), qPrintable(reason));
        QCOMPARE(errors.count(), 1);
        QCOMPARE(errors.at(0).at(0).toString(), reason);
    }
};

QTEST_GUILESS_MAIN(StreamControllerTest)
#include "StreamControllerTest.moc"
