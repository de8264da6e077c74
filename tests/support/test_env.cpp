#include "test_env.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "http_client.hpp"

namespace hotel::test {
namespace {

pg::BlockingConnection admin_connection() {
    // PGHOST, PGPORT and PGUSER come from ./hotel test.
    return pg::BlockingConnection::open("dbname=postgres", "hotel-tests");
}

}  // namespace

std::string hoteld_path() {
    return HOTELD_BIN;
}
std::string test_jwt_secret() {
    return "test-secret-0123456789-abcdefghijklmnop";
}
std::string migrate_path() {
    return HOTEL_MIGRATE_BIN;
}
std::string source_dir() {
    return HOTEL_SOURCE_DIR;
}

TestDatabase::TestDatabase(bool migrate_now) {
    static std::atomic<int> counter{0};
    name_ = "hotel_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    auto admin = admin_connection();
    // The name is made only of digits and a fixed prefix: no quoting issue.
    admin.run_script("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    admin.run_script("CREATE DATABASE " + name_);
    if (migrate_now)
        migrate();
}

TestDatabase::~TestDatabase() {
    try {
        auto admin = admin_connection();
        admin.run_script("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
        // The cluster is thrown away at the end of the run anyway.
    }
}

std::string TestDatabase::url() const {
    return "dbname=" + name_;
}

pg::BlockingConnection TestDatabase::connect() const {
    return pg::BlockingConnection::open(url(), "hotel-tests");
}

void TestDatabase::migrate() const {
    auto [rc, out] = run_process(migrate_path(), {}, {"DATABASE_URL=" + url()});
    if (rc != 0)
        throw std::runtime_error("hotel-migrate failed: " + out);
}

Hoteld::Hoteld(const TestDatabase& db, std::vector<std::string> env)
    : Hoteld(db.url(), std::move(env)) {}

Hoteld::Hoteld(const std::string& database_url, std::vector<std::string> env) : port_(free_port()) {
    env.insert(env.begin(), {"DATABASE_URL=" + database_url,
                             "HOTEL_LISTEN=127.0.0.1:" + std::to_string(port_), "HOTEL_THREADS=2",
                             "HOTEL_LOG_LEVEL=info", "HOTEL_JWT_SECRET=" + test_jwt_secret()});
    process_ = std::make_unique<Process>(Process::spawn(hoteld_path(), {}, env));
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < until) {
        if (!process_->running())
            throw std::runtime_error("hoteld exited during start-up: " + process_->output());
        try {
            if (http_request(port_, "GET", "/health").status == 200)
                return;
        } catch (const std::exception&) {
            // not listening yet
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("hoteld did not become healthy: " + process_->output());
}

}  // namespace hotel::test
