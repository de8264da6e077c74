// Holds N idle keep-alive HTTP connections to a server on this machine (bench/health.sh): opens
// them (at most 256 connects in flight), sends one `GET PATH` on each, reads each answer's status
// line, then keeps them all open, idle, for HOLD seconds and exits. Prints one line when every
// connection has been answered (or the deadline of 60 s has passed): "holding OPEN answered
// OK200 failed FAILED", and at the end how many were still open. Loopback only: the address must
// be in 127.0.0.0/8. Every loop is bounded in count and in time.
//   idle_connections ADDRESS PORT PATH COUNT HOLD_SECONDS
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

enum class State { connecting, sending, reading, answered, failed };

struct Conn {
    int fd = -1;
    State state = State::connecting;
    std::string in;
    std::size_t sent = 0;
};

using Clock = std::chrono::steady_clock;

}  // namespace

int main(int argc, char** argv) {
    if (argc != 6) {
        std::fprintf(stderr, "usage: %s ADDRESS PORT PATH COUNT HOLD_SECONDS\n", argv[0]);
        return 2;
    }
    const char* address = argv[1];
    const int port = std::atoi(argv[2]);
    const std::string path = argv[3];
    const long count = std::atol(argv[4]);
    const long hold = std::atol(argv[5]);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(port));
    if (inet_pton(AF_INET, address, &to.sin_addr) != 1 || (ntohl(to.sin_addr.s_addr) >> 24) != 127) {
        std::fprintf(stderr, "the address must be a loopback address (127.0.0.0/8)\n");
        return 2;
    }
    if (port <= 0 || port > 65535 || count < 1 || count > 100000 || hold < 0 || hold > 600) {
        std::fprintf(stderr, "PORT 1-65535, COUNT 1-100000, HOLD_SECONDS 0-600\n");
        return 2;
    }

    // Room for the connections: the soft limit raised to the hard one.
    rlimit lim{};
    getrlimit(RLIMIT_NOFILE, &lim);
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
    getrlimit(RLIMIT_NOFILE, &lim);
    if (lim.rlim_cur < static_cast<rlim_t>(count) + 16) {
        std::fprintf(stderr, "the open-file limit (%lu) is below %ld connections\n",
                     static_cast<unsigned long>(lim.rlim_cur), count);
        return 1;
    }

    const std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + address + "\r\n\r\n";
    std::vector<Conn> conns(static_cast<std::size_t>(count));
    const int ep = epoll_create1(0);
    if (ep < 0) {
        std::perror("epoll_create1");
        return 1;
    }
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    long next = 0, in_flight = 0, done = 0, ok = 0, failed = 0;
    auto fail = [&](Conn& c) {
        if (c.fd >= 0) {
            epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
            close(c.fd);
            c.fd = -1;
        }
        c.state = State::failed;
        ++failed;
        ++done;
        --in_flight;
    };
    std::vector<epoll_event> events(512);
    while (done < count && Clock::now() < deadline) {
        // Start connects, at most 256 unanswered at a time.
        while (next < count && in_flight < 256) {
            Conn& c = conns[static_cast<std::size_t>(next)];
            c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            ++in_flight;
            ++next;
            if (c.fd < 0) {
                fail(c);
                continue;
            }
            if (connect(c.fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0 &&
                errno != EINPROGRESS) {
                fail(c);
                continue;
            }
            epoll_event ev{};
            ev.events = EPOLLOUT | EPOLLIN;
            ev.data.u64 = static_cast<std::uint64_t>(next - 1);
            if (epoll_ctl(ep, EPOLL_CTL_ADD, c.fd, &ev) != 0)
                fail(c);
        }
        const int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 100);
        for (int i = 0; i < n; ++i) {
            Conn& c = conns[events[static_cast<std::size_t>(i)].data.u64];
            if (c.fd < 0 || c.state == State::answered)
                continue;
            if (events[static_cast<std::size_t>(i)].events & (EPOLLERR | EPOLLHUP)) {
                fail(c);
                continue;
            }
            if (c.state == State::connecting || c.state == State::sending) {
                c.state = State::sending;
                const ssize_t w = send(c.fd, request.data() + c.sent, request.size() - c.sent,
                                       MSG_NOSIGNAL);
                if (w < 0 && errno != EAGAIN) {
                    fail(c);
                    continue;
                }
                if (w > 0)
                    c.sent += static_cast<std::size_t>(w);
                if (c.sent == request.size()) {
                    c.state = State::reading;
                    epoll_event ev{};
                    ev.events = EPOLLIN;
                    ev.data.u64 = events[static_cast<std::size_t>(i)].data.u64;
                    epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &ev);
                }
                continue;
            }
            char buf[4096];
            const ssize_t r = recv(c.fd, buf, sizeof buf, 0);
            if (r == 0 || (r < 0 && errno != EAGAIN)) {
                fail(c);
                continue;
            }
            if (r > 0)
                c.in.append(buf, static_cast<std::size_t>(r));
            // The whole header: the answer is in; the connection stays open, idle.
            if (c.in.find("\r\n\r\n") != std::string::npos) {
                if (c.in.rfind("HTTP/1.1 200", 0) == 0)
                    ++ok;
                c.state = State::answered;
                epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
                c.in.clear();
                c.in.shrink_to_fit();
                ++done;
                --in_flight;
            }
        }
    }
    long open = 0;
    for (const auto& c : conns)
        open += c.fd >= 0 ? 1 : 0;
    std::printf("holding %ld answered %ld failed %ld\n", open, ok, failed + (count - done));
    std::fflush(stdout);

    // Idle for HOLD seconds; then count the connections the server has not closed.
    std::this_thread::sleep_for(std::chrono::seconds(hold));
    long still = 0;
    for (const auto& c : conns) {
        if (c.fd < 0)
            continue;
        pollfd p{c.fd, POLLIN | POLLRDHUP, 0};
        char b;
        const bool closed = poll(&p, 1, 0) == 1 &&
                            ((p.revents & (POLLRDHUP | POLLHUP | POLLERR)) ||
                             recv(c.fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) == 0);
        still += closed ? 0 : 1;
    }
    std::printf("still open after %ld s: %ld\n", hold, still);
    for (auto& c : conns)
        if (c.fd >= 0)
            close(c.fd);
    return 0;
}
