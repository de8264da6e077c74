#pragma once
// A datagram socket standing in for systemd's notification socket ($NOTIFY_SOCKET): bound to a
// fresh path under /tmp, or to a name in the abstract namespace, it receives what a service
// sends with sd_notify(3). Closed (and its file removed) when destroyed.

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>

namespace hotel::test {

class NotifySocket {
  public:
    enum class Kind { path, abstract };

    explicit NotifySocket(Kind kind = Kind::path) {
        static std::atomic<int> counter{0};
        const std::string unique =
            "hotel-notify-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0)
            throw std::runtime_error("socket() failed");
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        socklen_t length = 0;
        if (kind == Kind::path) {
            path_ = "/tmp/" + unique + ".sock";
            ::unlink(path_.c_str());
            std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);
            length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path_.size() + 1);
            name_ = path_;
        } else {
            std::memcpy(addr.sun_path + 1, unique.data(), unique.size());
            length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + unique.size());
            name_ = "@" + unique;
        }
        if (::bind(fd_, reinterpret_cast<const sockaddr*>(&addr), length) != 0) {
            ::close(fd_);
            throw std::runtime_error("bind() failed for " + name_);
        }
    }
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;
    ~NotifySocket() {
        ::close(fd_);
        if (!path_.empty())
            ::unlink(path_.c_str());
    }

    // What to put in NOTIFY_SOCKET: the path, or '@' and the abstract name.
    const std::string& name() const { return name_; }

    // The next datagram, or nothing when none arrives within `timeout`.
    std::optional<std::string> receive(std::chrono::milliseconds timeout) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1)
            return std::nullopt;
        char buf[4096];
        const auto n = ::recv(fd_, buf, sizeof buf, 0);
        if (n < 0)
            return std::nullopt;
        return std::string(buf, static_cast<std::size_t>(n));
    }

  private:
    int fd_ = -1;
    std::string path_;
    std::string name_;
};

}  // namespace hotel::test
