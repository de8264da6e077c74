#pragma once
// A small HTTP receiver for webhook tests, on 127.0.0.1 only: it records every request it gets
// (target, headers, body, the status it answered) and answers 200, or fails on purpose (the
// next N requests with a status, or every request until told otherwise), optionally after a
// delay. One connection at a time, each read under a deadline; stopped by the destructor.

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hotel::test {

class WebhookReceiver {
  public:
    struct Received {
        std::string target;
        std::map<std::string, std::string> headers;  // names lower-case
        std::string body;
        int answered = 0;  // the status it was answered with
    };

    WebhookReceiver();
    ~WebhookReceiver();
    WebhookReceiver(const WebhookReceiver&) = delete;
    WebhookReceiver& operator=(const WebhookReceiver&) = delete;

    unsigned short port() const { return port_; }
    std::string url(const std::string& path = "/hook") const;

    // The next n requests are answered `status`.
    void fail_next(int n, int status = 500);
    // Every request is answered `status` until fail_always(0).
    void fail_always(int status);
    // Wait this long before answering each request.
    void delay(std::chrono::milliseconds d);

    std::vector<Received> received() const;
    // Waits (bounded) until at least `count` requests were answered 2xx.
    bool wait_for_ok(std::size_t count, std::chrono::milliseconds within) const;
    // Waits (bounded) until at least `count` requests arrived, whatever they were answered.
    bool wait_for_any(std::size_t count, std::chrono::milliseconds within) const;

  private:
    void run();
    void serve(int fd);
    std::size_t ok_count() const;

    int listen_fd_ = -1;
    unsigned short port_ = 0;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    std::vector<Received> received_;
    int fail_next_ = 0;
    int fail_status_ = 500;
    int fail_always_ = 0;
    std::chrono::milliseconds delay_{0};
    std::thread thread_;
};

// HMAC-SHA256 of `message` under `key`, lower-case hex (tests check signatures with it).
std::string hmac_sha256_hex(const std::string& key, const std::string& message);

}  // namespace hotel::test
