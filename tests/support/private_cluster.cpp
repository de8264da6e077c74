#include "private_cluster.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "process.hpp"

namespace hotel::test {
namespace {

std::string pg_bin() {
    const char* b = std::getenv("HOTEL_TEST_PG_BIN");
    return b ? b : "/usr/lib/postgresql/15/bin";
}

// Runs a PostgreSQL program as the cluster's owner: initdb and postgres refuse to run as root,
// so as root the cluster belongs to `postgres`.
std::string run_as_owner(const std::string& program, const std::vector<std::string>& args) {
    std::vector<std::string> argv;
    std::string path = program;
    if (geteuid() == 0) {
        path = "/usr/sbin/runuser";
        argv = {"-u", "postgres", "--", program};
    }
    argv.insert(argv.end(), args.begin(), args.end());
    auto [rc, out] = run_process(path, argv, {}, std::chrono::seconds(90));
    if (rc != 0)
        throw std::runtime_error(program + " failed: " + out);
    return out;
}

}  // namespace

PrivateCluster::PrivateCluster(const std::string& extra_conf) {
    char tmpl[] = "/tmp/hotel-pc-XXXXXX";
    if (!mkdtemp(tmpl))
        throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    std::filesystem::permissions(dir_, std::filesystem::perms(0755));
    if (geteuid() == 0)
        run_process("/bin/chown", {"postgres:postgres", dir_});
    run_as_owner(pg_bin() + "/initdb", {"-D", dir_ + "/data", "-U", "postgres", "--auth=trust",
                                        "-E", "UTF8", "--locale=C.UTF-8"});
    std::ofstream conf(dir_ + "/data/postgresql.conf", std::ios::app);
    conf << "listen_addresses = ''\nunix_socket_directories = '" << dir_ << "'\nfsync = off\n"
         << "wal_level = logical\nmax_wal_senders = 16\nmax_replication_slots = 16\n"
         << extra_conf;
    conf.close();
    start();
}

PrivateCluster::~PrivateCluster() {
    try {
        run_as_owner(pg_bin() + "/pg_ctl", {"-D", dir_ + "/data", "-m", "immediate", "-w", "stop"});
    } catch (...) {
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

void PrivateCluster::stop(const std::string& mode) {
    run_as_owner(pg_bin() + "/pg_ctl", {"-D", dir_ + "/data", "-m", mode, "-w", "stop"});
}

void PrivateCluster::start() {
    run_as_owner(pg_bin() + "/pg_ctl",
                 {"-D", dir_ + "/data", "-l", dir_ + "/log", "-w", "-t", "60", "start"});
}

std::string PrivateCluster::conninfo(const std::string& dbname) const {
    return "host=" + dir_ + " port=5432 user=postgres dbname=" + dbname;
}

void PrivateCluster::create_database(const std::string& name) const {
    auto [rc, out] = run_process("/usr/bin/psql", {"-qX", "-h", dir_, "-U", "postgres", "-d",
                                                   "postgres", "-c", "CREATE DATABASE " + name});
    if (rc != 0)
        throw std::runtime_error("createdb failed: " + out);
}

}  // namespace hotel::test
