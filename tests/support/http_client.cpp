#include "http_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <stdexcept>

namespace hotel::test {

std::optional<std::string> HttpResponse::header(const std::string& name) const {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    for (const auto& [k, v] : headers)
        if (k == lower)
            return v;
    return std::nullopt;
}

HttpConnection::HttpConnection(unsigned short port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0)
        throw std::runtime_error("socket failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        close(fd_);
        fd_ = -1;
        throw std::runtime_error("connect failed");
    }
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

HttpConnection::HttpConnection(HttpConnection&& o) noexcept
    : fd_(o.fd_), buffer_(std::move(o.buffer_)) {
    o.fd_ = -1;
}

HttpConnection::~HttpConnection() {
    if (fd_ >= 0)
        close(fd_);
}

void HttpConnection::send_raw(const std::string& bytes) {
    size_t off = 0;
    while (off < bytes.size()) {
        const ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw std::runtime_error("send failed");
        }
        off += static_cast<size_t>(n);
    }
}

bool HttpConnection::fill(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
        throw std::runtime_error("timed out waiting for the server");
    pollfd p{fd_, POLLIN, 0};
    const int r = poll(&p, 1, static_cast<int>(left.count()));
    if (r == 0)
        throw std::runtime_error("timed out waiting for the server");
    if (r < 0)
        throw std::runtime_error("poll failed");
    char buf[16384];
    const ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n <= 0)
        return false;
    buffer_.append(buf, static_cast<size_t>(n));
    return true;
}

HttpResponse HttpConnection::read_response(std::chrono::milliseconds timeout, bool no_body) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos)
        if (!fill(deadline))
            throw std::runtime_error("connection closed before a response");
    HttpResponse r;
    const std::string head = buffer_.substr(0, header_end);
    size_t line_end = head.find("\r\n");
    const std::string status_line = head.substr(0, line_end);
    if (status_line.size() < 12)
        throw std::runtime_error("bad status line: " + status_line);
    r.status = std::stoi(status_line.substr(9, 3));
    size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
        size_t end = head.find("\r\n", pos);
        if (end == std::string::npos)
            end = head.size();
        const std::string line = head.substr(pos, end - pos);
        const auto colon = line.find(':');
        if (colon != std::string::npos) {
            std::string name = line.substr(0, colon);
            std::transform(name.begin(), name.end(), name.begin(), ::tolower);
            std::string value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ')
                value.erase(0, 1);
            r.headers.emplace_back(name, value);
        }
        pos = end + 2;
    }
    buffer_.erase(0, header_end + 4);
    size_t length = 0;
    if (auto cl = r.header("content-length"); cl && !no_body)
        length = std::stoul(*cl);
    while (buffer_.size() < length)
        if (!fill(deadline))
            throw std::runtime_error("connection closed inside a body");
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return r;
}

HttpResponse HttpConnection::request(
    const std::string& method, const std::string& target,
    const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body) {
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto& [k, v] : headers)
        req += k + ": " + v + "\r\n";
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")
        req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    req += "\r\n" + body;
    send_raw(req);
    auto response = read_response(std::chrono::seconds(10), method == "HEAD");
    note_problem(method, target, response);
    return response;
}

void note_problem(const std::string& method, const std::string& target,
                  const HttpResponse& response) {
    static const char* const log = std::getenv("HOTEL_PROBLEM_LOG");
    if (!log || !*log)
        return;
    auto type = response.header("content-type");
    if (!type || type->find("problem+json") == std::string::npos)
        return;
    std::string code, reason;
    boost::system::error_code ec;
    auto j = boost::json::parse(response.body, ec);
    if (!ec && j.is_object()) {
        if (auto* c = j.as_object().if_contains("code"); c && c->is_string())
            code = c->as_string();
        if (auto* r = j.as_object().if_contains("reason"); r && r->is_string())
            reason = r->as_string();
    }
    const std::string line = method + "\t" + target.substr(0, target.find('?')) + "\t" +
                             std::to_string(response.status) + "\t" + code + "\t" + reason + "\n";
    // One write with O_APPEND: lines from tests running in parallel do not interleave.
    int fd = ::open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    (void)!::write(fd, line.data(), line.size());
    ::close(fd);
}

bool HttpConnection::closed_within(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    try {
        while (fill(deadline)) {
            // Discard whatever the server still sends (for example an error response).
        }
        return true;
    } catch (const std::runtime_error&) {
        return false;
    }
}

HttpResponse http_request(unsigned short port, const std::string& method, const std::string& target,
                          const std::vector<std::pair<std::string, std::string>>& headers,
                          const std::string& body) {
    HttpConnection c(port);
    return c.request(method, target, headers, body);
}

}  // namespace hotel::test
