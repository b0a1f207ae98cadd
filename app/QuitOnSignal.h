// SIGINT, SIGTERM and SIGHUP close the window the way its close button does (the session is
// saved, the stream fades out) instead of killing the program mid-write. The handler only
// writes a byte to a socket; Qt's event loop reads it and calls back (the self-pipe pattern
// from Qt's "Calling Qt Functions From Unix Signal Handlers").
#pragma once

#include <QObject>

#include <functional>

class QSocketNotifier;

namespace liverack::app {

class QuitOnSignal : public QObject {
public:
    // One per process. `quit` runs on the event loop's thread, once per signal.
    explicit QuitOnSignal(std::function<void()> quit, QObject* parent = nullptr);
    ~QuitOnSignal() override;

private:
    static void handle(int signal);

    std::function<void()> quit_;
    QSocketNotifier* notifier_ = nullptr;
};

}  // namespace liverack::app
