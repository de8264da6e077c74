#pragma once
// A PostgreSQL cluster of a test's own, for tests that stop and start the server. It lives in
// a temp directory with its own socket, and is removed when the object is destroyed.

#include <string>

namespace hotel::test {

class PrivateCluster {
  public:
    // initdb + start; throws on failure. extra_conf: lines appended to postgresql.conf.
    explicit PrivateCluster(const std::string& extra_conf = "");
    ~PrivateCluster();
    void stop(const std::string& mode = "fast");  // pg_ctl stop -m <mode>
    void start();                                 // pg_ctl start
    // A connection string for a database in this cluster (created on first use by the test).
    std::string conninfo(const std::string& dbname = "postgres") const;
    void create_database(const std::string& name) const;

  private:
    std::string dir_;
};

}  // namespace hotel::test
