#include "app/QuitOnSignal.h"

#include <QSocketNotifier>

#include <sys/socket.h>
#include <unistd.h>

#include <csignal>

namespace liverack::app {

namespace {

int sockets[2] = {-1, -1};  // [0] written by the handler, [1] read by the event loop
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

}  // namespace

QuitOnSignal::QuitOnSignal(std::function<void()> quit, QObject* parent)
    : QObject(parent), quit_(std::move(quit)) {
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, sockets) != 0) {
        return;  // signals keep their default action: the program still ends
    }
    notifier_ = new QSocketNotifier(sockets[1], QSocketNotifier::Read, this);
    connect(notifier_, &QSocketNotifier::activated, this, [this] {
        char byte = 0;
        if (::read(sockets[1], &byte, 1) == 1 && quit_) {
            quit_();
        }
    });
    struct sigaction action {};
    action.sa_handler = &QuitOnSignal::handle;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (const int signal : kSignals) {
        ::sigaction(signal, &action, nullptr);
    }
}

QuitOnSignal::~QuitOnSignal() {
    struct sigaction action {};
    action.sa_handler = SIG_DFL;
    for (const int signal : kSignals) {
        ::sigaction(signal, &action, nullptr);
    }
    ::close(sockets[0]);
    ::close(sockets[1]);
    sockets[0] = sockets[1] = -1;
}

void QuitOnSignal::handle(int) {
    const char byte = 1;
    // Only async-signal-safe calls here. A full socket means a quit is already pending.
    [[maybe_unused]] const ssize_t written = ::write(sockets[0], &byte, 1);
}

}  // namespace liverack::app
