#include "process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace hotel::test {

Process Process::spawn(const std::string& path, const std::vector<std::string>& args,
                       const std::vector<std::string>& env) {
    char log_template[] = "/tmp/hotel-proc-XXXXXX";
    const int log_fd = mkstemp(log_template);
    if (log_fd < 0)
        throw std::runtime_error("mkstemp failed");

    std::vector<std::string> envs;
    for (char** e = environ; *e; ++e) {
        std::string entry(*e);
        const auto name = entry.substr(0, entry.find('='));
        bool overridden = false;
        for (const auto& o : env)
            if (o.substr(0, o.find('=')) == name)
                overridden = true;
        if (!overridden)
            envs.push_back(entry);
    }
    // Later overrides of the same name win.
    for (size_t i = 0; i < env.size(); ++i) {
        const auto& o = env[i];
        if (o.find('=') == std::string::npos)
            continue;
        const auto name = o.substr(0, o.find('='));
        bool later = false;
        for (size_t j = i + 1; j < env.size(); ++j)
            if (env[j].substr(0, env[j].find('=')) == name)
                later = true;
        if (!later)
            envs.push_back(o);
    }

    std::vector<std::string> argv_s{path};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& e : envs)
        envp.push_back(e.data());
    envp.push_back(nullptr);

    const pid_t pid = fork();
    if (pid < 0)
        throw std::runtime_error("fork failed");
    if (pid == 0) {
        dup2(log_fd, 1);
        dup2(log_fd, 2);
        close(log_fd);
        const int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, 0);
        execve(path.c_str(), argv.data(), envp.data());
        _exit(127);
    }
    close(log_fd);
    return Process(pid, log_template);
}

Process::Process(Process&& o) noexcept
    : pid_(o.pid_), log_path_(std::move(o.log_path_)), status_(o.status_) {
    o.pid_ = -1;
    o.log_path_.clear();
}

Process::~Process() {
    if (pid_ > 0 && !status_) {
        ::kill(pid_, SIGKILL);
        int st = 0;
        waitpid(pid_, &st, 0);
    }
    if (!log_path_.empty())
        unlink(log_path_.c_str());
}

void Process::signal(int signo) const {
    if (pid_ > 0 && !status_)
        ::kill(pid_, signo);
}

std::optional<int> Process::wait(std::chrono::milliseconds timeout) {
    if (status_)
        return status_;
    const auto until = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int st = 0;
        const pid_t r = waitpid(pid_, &st, WNOHANG);
        if (r == pid_) {
            status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            return status_;
        }
        if (std::chrono::steady_clock::now() >= until)
            return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

bool Process::running() {
    return !wait(std::chrono::milliseconds(0)).has_value();
}

std::string Process::output() const {
    std::ifstream in(log_path_);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::pair<int, std::string> run_process(const std::string& path,
                                        const std::vector<std::string>& args,
                                        const std::vector<std::string>& env,
                                        std::chrono::milliseconds timeout) {
    auto p = Process::spawn(path, args, env);
    auto rc = p.wait(timeout);
    if (!rc) {
        p.signal(SIGKILL);
        p.wait(std::chrono::seconds(5));
        return {-1, p.output() + "\n[killed: timed out]"};
    }
    return {*rc, p.output()};
}

unsigned short free_port() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        close(fd);
        throw std::runtime_error("bind failed");
    }
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    return ntohs(addr.sin_port);
}

}  // namespace hotel::test
