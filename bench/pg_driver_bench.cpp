// Primary-key SELECT through the async driver at N concurrent coroutines, for a fixed time.
// Compare with pgbench running the same statement at the same concurrency (bench/pg_driver.sh).
//
// Usage: pg_driver_bench CONNINFO [coroutines=32] [seconds=10] [threads=1] [rows=100000]

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "pg/error.hpp"
#include "pg/pool.hpp"

namespace asio = boost::asio;
using namespace hotel;

namespace {
constexpr pg::Statement select_by_pk{"bench_select_pk", "SELECT v FROM bench_kv WHERE id = $1"};
}

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CONNINFO [coroutines] [seconds] [threads] [rows]\n",
                     argv[0]);
        return 2;
    }
    const std::string conninfo = argv[1];
    const int coroutines = argc > 2 ? std::stoi(argv[2]) : 32;
    const int seconds = argc > 3 ? std::stoi(argv[3]) : 10;
    const int threads = argc > 4 ? std::stoi(argv[4]) : 1;
    const int rows = argc > 5 ? std::stoi(argv[5]) : 100000;

    asio::io_context ioc(threads);
    pg::PoolOptions o;
    o.connect.conninfo = conninfo;
    o.connect.application_name = "pg_driver_bench";
    o.max_size = static_cast<std::size_t>(coroutines);
    o.acquire_timeout = std::chrono::seconds(10);
    auto pool = pg::Pool::create(ioc.get_executor(), o);

    std::atomic<long long> done{0};
    std::atomic<long long> errors{0};
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(coroutines));
    const auto start = pg::Clock::now();
    const auto warmup_end = start + std::chrono::seconds(1);
    const auto end = warmup_end + std::chrono::seconds(seconds);

    for (int c = 0; c < coroutines; ++c) {
        asio::co_spawn(
            asio::make_strand(ioc),
            [&, c]() -> asio::awaitable<void> {
                std::mt19937 rng(static_cast<unsigned>(c) * 7919u + 1);
                std::uniform_int_distribution<int> key(1, rows);
                auto& lat = latencies[static_cast<std::size_t>(c)];
                for (;;) {
                    const auto t0 = pg::Clock::now();
                    if (t0 >= end)
                        break;
                    try {
                        auto r = co_await pool->query(select_by_pk, key(rng));
                        if (r.size() != 1)
                            ++errors;
                    } catch (const pg::Error&) {
                        ++errors;
                    }
                    const auto t1 = pg::Clock::now();
                    if (t0 >= warmup_end) {
                        ++done;
                        lat.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
                    }
                }
            },
            asio::detached);
    }
    std::vector<std::thread> extra;
    for (int i = 1; i < threads; ++i)
        extra.emplace_back([&] { ioc.run(); });
    ioc.run();
    for (auto& t : extra)
        t.join();

    std::vector<double> all;
    for (auto& l : latencies)
        all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    auto pct = [&](double p) {
        return all.empty()
                   ? 0.0
                   : all[std::min(all.size() - 1, static_cast<std::size_t>(p * all.size()))];
    };
    std::printf(
        "driver: coroutines=%d threads=%d seconds=%d queries=%lld errors=%lld tps=%.0f "
        "p50_us=%.0f p99_us=%.0f\n",
        coroutines, threads, seconds, done.load(), errors.load(),
        static_cast<double>(done.load()) / seconds, pct(0.50), pct(0.99));
    return errors.load() == 0 ? 0 : 1;
}
