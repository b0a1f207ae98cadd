// Runs a program (the real liverack binary) as a child process for command-line tests: captures
// stdout and stderr, waits for text to appear, sends signals, collects the exit code.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace liverack::test {

class Subprocess {
public:
    // Starts argv[0] with the given extra environment variables. Check started().
    Subprocess(const std::vector<std::string>& argv,
               const std::map<std::string, std::string>& environment = {});
    ~Subprocess();

    bool started() const { return pid_ > 0; }
    // Reads output until `text` appears on stderr, the child exits, or the timeout passes.
    bool waitForStderr(const std::string& text, double timeoutSeconds);
    void sendSignal(int signal);
    // Waits for the exit (bounded; kills the child on timeout). Exit code, or -1 on a timeout or a
    // death by signal.
    int wait(double timeoutSeconds);

    const std::string& out() const { return out_; }
    const std::string& err() const { return err_; }

private:
    void drain(int timeoutMs);

    pid_t pid_ = -1;
    int outFd_ = -1;
    int errFd_ = -1;
    std::string out_;
    std::string err_;
    int exitCode_ = -1;
    bool exited_ = false;
};

}  // namespace liverack::test
