#pragma once
// A raw HTTP/1.1 client over a loopback socket, so tests can send exactly the bytes they want
// (garbage, half requests, oversized headers) as well as ordinary requests.

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hotel::test {

struct HttpResponse {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
    std::string body;
    std::optional<std::string> header(const std::string& name) const;
};

class HttpConnection {
  public:
    explicit HttpConnection(unsigned short port);
    HttpConnection(HttpConnection&&) noexcept;
    ~HttpConnection();

    void send_raw(const std::string& bytes);
    // Reads one response (Content-Length framed; with no_body, as the answer to HEAD: the
    // header only, whatever Content-Length says). Throws on timeout or a closed connection.
    HttpResponse read_response(std::chrono::milliseconds timeout = std::chrono::seconds(10),
                               bool no_body = false);
    HttpResponse request(const std::string& method, const std::string& target,
                         const std::vector<std::pair<std::string, std::string>>& headers = {},
                         const std::string& body = {});
    // True when the server closes the connection (EOF or reset) within the timeout.
    bool closed_within(std::chrono::milliseconds timeout);

  private:
    bool fill(std::chrono::steady_clock::time_point deadline);
    int fd_ = -1;
    std::string buffer_;
};

// With HOTEL_PROBLEM_LOG set (ctest sets it for the API tests), every problem+json answer to
// a request made here is appended to that file as "METHOD<TAB>path<TAB>status<TAB>code<TAB>reason",
// so a last test can check that each one is documented for its operation.
void note_problem(const std::string& method, const std::string& target,
                  const HttpResponse& response);

// One request on a fresh connection.
HttpResponse http_request(unsigned short port, const std::string& method, const std::string& target,
                          const std::vector<std::pair<std::string, std::string>>& headers = {},
                          const std::string& body = {});

}  // namespace hotel::test
