#pragma once
// Child processes for tests: hoteld, hotel-migrate. Output goes to a temp file so a test can
// read what the process printed; every wait is bounded.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hotel::test {

class Process {
  public:
    // env: added to (or overriding) the test's own environment. An entry "NAME" without '='
    // removes NAME.
    static Process spawn(const std::string& path, const std::vector<std::string>& args,
                         const std::vector<std::string>& env = {});
    Process(Process&&) noexcept;
    Process& operator=(Process&&) = delete;
    ~Process();  // kills (SIGKILL) and reaps a child still running

    pid_t pid() const { return pid_; }
    void signal(int signo) const;
    // Exit code, or 128+signal; std::nullopt when it is still running at the deadline.
    std::optional<int> wait(std::chrono::milliseconds timeout);
    bool running();
    // Everything the child wrote to stdout and stderr so far.
    std::string output() const;

  private:
    Process(pid_t pid, std::string log_path) : pid_(pid), log_path_(std::move(log_path)) {}
    pid_t pid_ = -1;
    std::string log_path_;
    std::optional<int> status_;
};

// Runs to completion (bounded) and returns {exit code, output}.
std::pair<int, std::string> run_process(
    const std::string& path, const std::vector<std::string>& args,
    const std::vector<std::string>& env = {},
    std::chrono::milliseconds timeout = std::chrono::seconds(120));

// A loopback TCP port that was free a moment ago.
unsigned short free_port();

}  // namespace hotel::test
