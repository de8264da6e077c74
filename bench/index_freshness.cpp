// Index freshness under a steady booking load (bench/index_freshness.sh runs it).
//
// Books through node A at a fixed rate (open loop: booking i is due at start + i / rate, sent
// by whichever booker thread is free) and, for one booking in SAMPLE answered 201 (those with
// (i + i / SLOTS) % SAMPLE == 0, so that the sample turns over the slots), measures the time
// from that 201 until node B's offers for the same hotel and stay no longer show the booked
// room type as available. The world (WORLD file, one "hotel_id type_id plan_id" line per
// room type that has exactly one room) makes every booking take the last room of its type for
// its night: booking i is slot i % SLOTS, one night, FIRST_DATE + i / SLOTS days. B's offers
// are polled every POLL_MS ms, for at most CAP_MS ms per probe.
//
// Usage: index_freshness A_PORT B_PORT WORLD FIRST_DATE DAYS [rate=100] [seconds=30]
//                        [sample=4] [bookers=16] [probers=4] [poll_ms=1] [cap_ms=2000]
// TOKEN (environment): the bearer token the bookings are made with. Loopback only.
// Exit status: 0 when every booking was answered 201 and every probe saw the room go; 1 otherwise.

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;
using std::chrono::duration;
using std::chrono::milliseconds;

namespace {

struct Slot {
    std::string hotel, type, plan;
};

// One keep-alive HTTP/1.1 connection to 127.0.0.1:port, reopened when the server closes it.
class Client {
  public:
    explicit Client(unsigned short port) : port_(port) {}

    struct Answer {
        int status = 0;  // 0: the exchange failed (error holds why)
        std::string body;
        std::string error;
    };

    // GETs are retried once on a fresh connection when a reused one turns out to be closed;
    // other methods are not (the request may have been processed).
    Answer call(bhttp::verb verb, const std::string& target, const std::string& body = {},
                const std::string& token = {}) {
        for (int attempt = 0; attempt < 2; ++attempt) {
            const bool reused = socket_.has_value();
            try {
                if (!socket_)
                    open();
                bhttp::request<bhttp::string_body> req{verb, target, 11};
                req.set(bhttp::field::host, "127.0.0.1");
                req.keep_alive(true);
                if (!token.empty())
                    req.set(bhttp::field::authorization, "Bearer " + token);
                if (!body.empty()) {
                    req.set(bhttp::field::content_type, "application/json");
                    req.body() = body;
                }
                req.prepare_payload();
                bhttp::write(*socket_, req);
                beast::flat_buffer buffer;
                bhttp::response<bhttp::string_body> res;
                bhttp::read(*socket_, buffer, res);
                Answer a{static_cast<int>(res.result_int()), std::move(res.body()), {}};
                if (!res.keep_alive())
                    close();
                return a;
            } catch (const std::exception& e) {
                close();
                if (!(reused && verb == bhttp::verb::get))
                    return Answer{0, {}, e.what()};
            }
        }
        return Answer{0, {}, "unreachable"};
    }

  private:
    void open() {
        socket_.emplace(ioc_);
        socket_->connect({asio::ip::make_address("127.0.0.1"), port_});
        socket_->set_option(asio::ip::tcp::no_delay(true));
    }
    void close() {
        if (socket_) {
            boost::system::error_code ignored;
            socket_->shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
            socket_->close(ignored);
            socket_.reset();
        }
    }

    unsigned short port_;
    asio::io_context ioc_;
    std::optional<asio::ip::tcp::socket> socket_;
};

std::string date_plus(const std::chrono::sys_days& first, int days) {
    const std::chrono::year_month_day d{first + std::chrono::days{days}};
    char out[16];
    std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(d.year()),
                  static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
    return out;
}

// How many rooms of `type` B's offers show as available for the stay; 0 when the type is not
// listed. nullopt when the answer is not a 200 with the expected shape.
std::optional<long long> available_on(Client& b, const Slot& s, const std::string& check_in,
                                      const std::string& check_out, std::string* problem) {
    const auto a =
        b.call(bhttp::verb::get,
               "/v1/hotels/" + s.hotel + "/rooms?check_in=" + check_in + "&check_out=" + check_out);
    if (a.status != 200) {
        *problem = a.status == 0 ? a.error : "status " + std::to_string(a.status) + ": " + a.body;
        return std::nullopt;
    }
    boost::system::error_code ec;
    const auto doc = json::parse(a.body, ec);
    if (ec || !doc.is_object() || !doc.as_object().contains("items") ||
        !doc.at("items").is_array()) {
        *problem = "unexpected offers body: " + a.body.substr(0, 200);
        return std::nullopt;
    }
    for (const auto& item : doc.at("items").as_array()) {
        const auto* rt = item.is_object() ? item.as_object().if_contains("room_type") : nullptr;
        const auto* id = rt && rt->is_object() ? rt->as_object().if_contains("id") : nullptr;
        const auto* av = item.as_object().if_contains("available");
        if (id && id->is_string() && id->as_string() == s.type) {
            if (!av || !av->is_int64()) {
                *problem = "offer without an integer available: " + a.body.substr(0, 200);
                return std::nullopt;
            }
            return av->as_int64();
        }
    }
    return 0;
}

double ms(Clock::duration d) {
    return duration<double, std::milli>(d).count();
}

// Nearest-rank percentile of a sorted sample.
double pct(const std::vector<double>& sorted, double p) {
    if (sorted.empty())
        return 0;
    auto rank = static_cast<std::size_t>(p * static_cast<double>(sorted.size()) + 0.999999);
    return sorted[std::min(sorted.size(), std::max<std::size_t>(rank, 1)) - 1];
}

struct Probe {
    long long booking;
    std::size_t slot;
    Clock::time_point answered;  // A's 201 was read
};

}  // namespace

int main(int argc, char** argv) {
    if (argc < 6) {
        std::fprintf(stderr,
                     "usage: %s A_PORT B_PORT WORLD FIRST_DATE DAYS [rate] [seconds] [sample] "
                     "[bookers] [probers] [poll_ms] [cap_ms]\n",
                     argv[0]);
        return 2;
    }
    const auto a_port = static_cast<unsigned short>(std::stoi(argv[1]));
    const auto b_port = static_cast<unsigned short>(std::stoi(argv[2]));
    const std::string world_file = argv[3];
    int y = 0;
    unsigned m = 0, d = 0;
    if (std::sscanf(argv[4], "%d-%u-%u", &y, &m, &d) != 3) {
        std::fprintf(stderr, "FIRST_DATE must be YYYY-MM-DD\n");
        return 2;
    }
    const std::chrono::sys_days first{std::chrono::year{y} / std::chrono::month{m} /
                                      std::chrono::day{d}};
    const int days = std::stoi(argv[5]);
    const double rate = argc > 6 ? std::stod(argv[6]) : 100;
    const double seconds = argc > 7 ? std::stod(argv[7]) : 30;
    const long long sample = argc > 8 ? std::stoll(argv[8]) : 4;
    const int bookers = argc > 9 ? std::stoi(argv[9]) : 16;
    const int probers = argc > 10 ? std::stoi(argv[10]) : 4;
    const milliseconds poll{argc > 11 ? std::stoi(argv[11]) : 1};
    const milliseconds cap{argc > 12 ? std::stoi(argv[12]) : 2000};
    const char* token_env = std::getenv("TOKEN");
    const std::string token = token_env ? token_env : "";
    if (token.empty() || rate <= 0 || seconds <= 0 || sample < 1 || bookers < 1 || probers < 1) {
        std::fprintf(stderr, "TOKEN must be set; rate, seconds, sample, bookers, probers > 0\n");
        return 2;
    }

    std::vector<Slot> slots;
    {
        std::ifstream in(world_file);
        std::string line;
        while (std::getline(in, line)) {
            std::istringstream words(line);
            Slot s;
            if (words >> s.hotel >> s.type >> s.plan)
                slots.push_back(std::move(s));
        }
    }
    const auto total = static_cast<long long>(rate * seconds);
    if (slots.empty() || total > static_cast<long long>(slots.size()) * days) {
        std::fprintf(stderr, "the world holds %zu slots x %d nights: too few for %lld bookings\n",
                     slots.size(), days, total);
        return 2;
    }
    auto stay = [&](long long i) {
        const int day = static_cast<int>(i / static_cast<long long>(slots.size()));
        return std::pair{date_plus(first, day), date_plus(first, day + 1)};
    };

    // Before the load: B must show the first stays as available (1 room), or the probes would
    // measure nothing.
    {
        Client b(b_port);
        for (long long i = 0; i < std::min<long long>(total, 8); ++i) {
            std::string problem;
            const auto [in, out] = stay(i);
            const auto n = available_on(b, slots[static_cast<std::size_t>(i) % slots.size()], in,
                                        out, &problem);
            if (n != 1) {
                std::fprintf(stderr, "before the load, node B shows %s for booking %lld (%s)\n",
                             n ? std::to_string(*n).c_str() : "no answer", i, problem.c_str());
                return 1;
            }
        }
    }

    const auto period = std::chrono::duration_cast<Clock::duration>(duration<double>(1.0 / rate));
    const auto start = Clock::now() + milliseconds(100);
    // Bounded: no booking is sent after this, whatever the backlog.
    const auto last_send = start +
                           std::chrono::duration_cast<Clock::duration>(duration<double>(seconds)) +
                           std::chrono::seconds(5);

    std::atomic<long long> next{0};
    std::mutex mu;  // guards everything below it
    std::condition_variable ready;
    std::deque<Probe> queue;
    bool bookings_over = false;
    long long created = 0, refused = 0, other = 0, failed = 0, unsent = 0;
    std::vector<double> booking_ms, lateness_ms;
    std::string first_problem;
    Clock::time_point last_answer = start;

    std::vector<std::thread> threads;
    for (int t = 0; t < bookers; ++t) {
        threads.emplace_back([&] {
            Client a(a_port);
            for (;;) {
                const long long i = next++;
                if (i >= total)
                    return;
                const auto due = start + i * period;
                std::this_thread::sleep_until(due);
                const auto sent = Clock::now();
                if (sent > last_send) {
                    std::lock_guard lock(mu);
                    ++unsent;
                    continue;
                }
                const auto& s = slots[static_cast<std::size_t>(i) % slots.size()];
                const auto [in, out] = stay(i);
                const auto body = R"({"hotel_id":")" + s.hotel + R"(","room_type_id":")" + s.type +
                                  R"(","rate_plan_id":")" + s.plan + R"(","check_in":")" + in +
                                  R"(","check_out":")" + out + R"(","guests":1})";
                const auto answer = a.call(bhttp::verb::post, "/v1/bookings", body, token);
                const auto answered = Clock::now();
                std::lock_guard lock(mu);
                booking_ms.push_back(ms(answered - sent));
                lateness_ms.push_back(ms(sent - due));
                last_answer = std::max(last_answer, answered);
                if (answer.status == 201) {
                    ++created;
                    if ((i + i / static_cast<long long>(slots.size())) % sample == 0) {
                        queue.push_back(
                            Probe{i, static_cast<std::size_t>(i) % slots.size(), answered});
                        ready.notify_one();
                    }
                } else {
                    if (answer.status == 409)
                        ++refused;
                    else if (answer.status == 0)
                        ++failed;
                    else
                        ++other;
                    if (first_problem.empty())
                        first_problem = "booking " + std::to_string(i) + ": " +
                                        (answer.status == 0 ? answer.error
                                                            : std::to_string(answer.status) + " " +
                                                                  answer.body.substr(0, 300));
                }
            }
        });
    }

    std::vector<double> delay_ms, pickup_ms;
    long long probes = 0, hidden = 0, timed_out = 0, probe_errors = 0, polls = 0, at_first = 0;
    std::string probe_problem;
    std::vector<std::thread> prober_threads;
    for (int t = 0; t < probers; ++t) {
        prober_threads.emplace_back([&] {
            Client b(b_port);
            for (;;) {
                Probe p;
                {
                    std::unique_lock lock(mu);
                    ready.wait(lock, [&] { return !queue.empty() || bookings_over; });
                    if (queue.empty())
                        return;
                    p = queue.front();
                    queue.pop_front();
                }
                const auto picked = Clock::now();
                const auto [in, out] = stay(p.booking);
                long long n_polls = 0;
                std::optional<double> seen;
                std::string problem;
                bool error = false;
                for (;;) {  // bounded by cap (time) and by cap / poll + 1 (count)
                    const auto n = available_on(b, slots[p.slot], in, out, &problem);
                    const auto now = Clock::now();
                    ++n_polls;
                    if (!n) {
                        error = true;
                        break;
                    }
                    if (*n == 0) {
                        seen = ms(now - p.answered);
                        break;
                    }
                    if (now - p.answered >= cap || n_polls > cap / poll + 1)
                        break;
                    std::this_thread::sleep_for(poll);
                }
                std::lock_guard lock(mu);
                ++probes;
                polls += n_polls;
                pickup_ms.push_back(ms(picked - p.answered));
                if (error) {
                    ++probe_errors;
                    if (probe_problem.empty())
                        probe_problem = problem;
                } else if (seen) {
                    ++hidden;
                    if (n_polls == 1)
                        ++at_first;
                    delay_ms.push_back(*seen);
                } else {
                    ++timed_out;
                }
            }
        });
    }

    for (auto& t : threads)
        t.join();
    {
        std::lock_guard lock(mu);
        bookings_over = true;
    }
    ready.notify_all();
    for (auto& t : prober_threads)
        t.join();

    std::sort(delay_ms.begin(), delay_ms.end());
    std::sort(booking_ms.begin(), booking_ms.end());
    std::sort(lateness_ms.begin(), lateness_ms.end());
    std::sort(pickup_ms.begin(), pickup_ms.end());
    const double elapsed = duration<double>(last_answer - start).count();
    std::printf("bookings via A: scheduled %lld at %.0f/s over %.0f s with %d booker connections\n",
                total, rate, seconds, bookers);
    std::printf(
        "  201: %lld, 409: %lld, other: %lld, failed: %lld, not sent (past the bound): %lld\n",
        created, refused, other, failed, unsent);
    std::printf(
        "  achieved: %.1f bookings/s (201s / %.2f s from the first due time to the last "
        "answer)\n",
        elapsed > 0 ? static_cast<double>(created) / elapsed : 0.0, elapsed);
    std::printf("  booking latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f\n",
                pct(booking_ms, 0.5), pct(booking_ms, 0.9), pct(booking_ms, 0.99),
                booking_ms.empty() ? 0.0 : booking_ms.back());
    std::printf("  send lateness behind schedule ms: p50 %.2f  p99 %.2f  max %.2f\n",
                pct(lateness_ms, 0.5), pct(lateness_ms, 0.99),
                lateness_ms.empty() ? 0.0 : lateness_ms.back());
    if (!first_problem.empty())
        std::printf("  first problem: %s\n", first_problem.c_str());
    std::printf(
        "freshness on B (1 in %lld of the 201s; from A's 201 to B's offers without the "
        "type; poll %lld ms, cap %lld ms):\n",
        sample, static_cast<long long>(poll.count()), static_cast<long long>(cap.count()));
    std::printf(
        "  probes: %lld, gone: %lld, still available at the cap: %lld, probe errors: "
        "%lld, polls per probe: %.1f, gone at the first poll: %lld\n",
        probes, hidden, timed_out, probe_errors,
        probes ? static_cast<double>(polls) / static_cast<double>(probes) : 0.0, at_first);
    std::printf("  delay ms: count %zu  p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n", delay_ms.size(),
                pct(delay_ms, 0.5), pct(delay_ms, 0.9), pct(delay_ms, 0.99),
                delay_ms.empty() ? 0.0 : delay_ms.back());
    std::printf("  prober pickup after the 201 ms: p50 %.2f  p99 %.2f  max %.2f\n",
                pct(pickup_ms, 0.5), pct(pickup_ms, 0.99),
                pickup_ms.empty() ? 0.0 : pickup_ms.back());
    if (!probe_problem.empty())
        std::printf("  first probe problem: %s\n", probe_problem.c_str());
    const bool met =
        timed_out == 0 && probe_errors == 0 && !delay_ms.empty() && pct(delay_ms, 0.99) <= 100.0;
    std::printf("target p99 <= 100 ms: %s\n", met ? "met" : "NOT met");
    return created == total && timed_out == 0 && probe_errors == 0 ? 0 : 1;
}
