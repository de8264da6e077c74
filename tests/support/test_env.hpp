#pragma once
// The test run's PostgreSQL (started by ./hotel test; PGHOST etc. point at it) and the binaries
// under test. Each test gets its own database, so suites never see each other's rows.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "pg/blocking_connection.hpp"
#include "process.hpp"

namespace hotel::test {

std::string hoteld_path();
std::string migrate_path();
std::string source_dir();
// The signing secret every test hoteld runs with (tests forge tokens with and without it).
std::string test_jwt_secret();

class TestDatabase {
  public:
    // Creates a fresh, empty database; with migrate=true, applies every migration.
    explicit TestDatabase(bool migrate = true);
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    const std::string& name() const { return name_; }
    // A libpq connection string for this database.
    std::string url() const;
    pg::BlockingConnection connect() const;
    // Runs hotel-migrate against this database and fails the test if it does not succeed.
    void migrate() const;

  private:
    std::string name_;
};

// A running hoteld on a free loopback port, stopped (SIGKILL) when destroyed.
class Hoteld {
  public:
    // Starts hoteld and waits (bounded) until GET /health answers 200.
    Hoteld(const TestDatabase& db, std::vector<std::string> env = {});
    Hoteld(const std::string& database_url, std::vector<std::string> env = {});
    unsigned short port() const { return port_; }
    Process& process() { return *process_; }

  private:
    unsigned short port_;
    std::unique_ptr<Process> process_;
};

}  // namespace hotel::test
