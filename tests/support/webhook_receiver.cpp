#include "webhook_receiver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

namespace hotel::test {

namespace {

std::string lower(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return s;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    const auto e = s.find_last_not_of(" \t\r");
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Reads into `buf` until `pred` holds, EOF, or the deadline. False on EOF/timeout/error.
template <class Pred>
bool read_until(int fd, std::string& buf, std::chrono::steady_clock::time_point deadline,
                Pred pred) {
    char chunk[4096];
    while (!pred()) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return false;
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
            return false;
        const auto n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0)
            return false;
        buf.append(chunk, static_cast<std::size_t>(n));
        if (buf.size() > 1024 * 1024)
            return false;
    }
    return true;
}

}  // namespace

WebhookReceiver::WebhookReceiver() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd_ < 0)
        throw std::runtime_error("socket failed");
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 64) != 0)
        throw std::runtime_error("bind/listen failed");
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
}

WebhookReceiver::~WebhookReceiver() {
    stop_ = true;
    if (thread_.joinable())
        thread_.join();
    ::close(listen_fd_);
}

std::string WebhookReceiver::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void WebhookReceiver::fail_next(int n, int status) {
    std::lock_guard lock(mutex_);
    fail_next_ = n;
    fail_status_ = status;
}

void WebhookReceiver::fail_always(int status) {
    std::lock_guard lock(mutex_);
    fail_always_ = status;
}

void WebhookReceiver::delay(std::chrono::milliseconds d) {
    std::lock_guard lock(mutex_);
    delay_ = d;
}

std::vector<WebhookReceiver::Received> WebhookReceiver::received() const {
    std::lock_guard lock(mutex_);
    return received_;
}

std::size_t WebhookReceiver::ok_count() const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& r : received_)
        n += r.answered >= 200 && r.answered < 300;
    return n;
}

bool WebhookReceiver::wait_for_ok(std::size_t count, std::chrono::milliseconds within) const {
    const auto until = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < until) {
        if (ok_count() >= count)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return ok_count() >= count;
}

bool WebhookReceiver::wait_for_any(std::size_t count, std::chrono::milliseconds within) const {
    const auto until = std::chrono::steady_clock::now() + within;
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            if (received_.size() >= count)
                return true;
        }
        if (std::chrono::steady_clock::now() >= until)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void WebhookReceiver::run() {
    while (!stop_) {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0)
            continue;
        const int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0)
            continue;
        serve(fd);
        ::close(fd);
    }
}

void WebhookReceiver::serve(int fd) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    std::string buf;
    if (!read_until(fd, buf, deadline, [&] { return buf.find("\r\n\r\n") != std::string::npos; }))
        return;
    const auto head_end = buf.find("\r\n\r\n");
    Received r;
    std::size_t pos = buf.find("\r\n");
    const std::string request_line = buf.substr(0, pos);
    const auto sp1 = request_line.find(' ');
    const auto sp2 = request_line.find(' ', sp1 + 1);
    r.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
    while (pos < head_end) {
        const auto next = buf.find("\r\n", pos + 2);
        const std::string line = buf.substr(pos + 2, next - pos - 2);
        const auto colon = line.find(':');
        if (colon != std::string::npos)
            r.headers[lower(line.substr(0, colon))] = trim(line.substr(colon + 1));
        pos = next;
    }
    std::size_t length = 0;
    if (auto it = r.headers.find("content-length"); it != r.headers.end())
        length = static_cast<std::size_t>(std::stoul(it->second));
    if (!read_until(fd, buf, deadline, [&] { return buf.size() >= head_end + 4 + length; }))
        return;
    r.body = buf.substr(head_end + 4, length);

    std::chrono::milliseconds wait{0};
    {
        std::lock_guard lock(mutex_);
        wait = delay_;
        if (fail_always_ != 0)
            r.answered = fail_always_;
        else if (fail_next_ > 0) {
            --fail_next_;
            r.answered = fail_status_;
        } else
            r.answered = 200;
    }
    // The delay is spent before the request counts as received: a test that kills the sender
    // meanwhile sees a request it never answered as not received.
    const auto until = std::chrono::steady_clock::now() + wait;
    while (!stop_ && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const std::string response = "HTTP/1.1 " + std::to_string(r.answered) +
                                 " Status\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
    const auto sent = ::send(fd, response.data(), response.size(), MSG_NOSIGNAL);
    if (sent != static_cast<ssize_t>(response.size()))
        r.answered = 0;  // the sender was gone: it never saw an answer
    std::lock_guard lock(mutex_);
    received_.push_back(std::move(r));
}

std::string hmac_sha256_hex(const std::string& key, const std::string& message) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
    std::string out;
    char hex[3];
    for (unsigned int i = 0; i < len; ++i) {
        std::snprintf(hex, sizeof hex, "%02x", mac[i]);
        out += hex;
    }
    return out;
}

}  // namespace hotel::test
