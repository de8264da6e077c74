#pragma once
// BlockingConnection: a synchronous libpq session for command-line tools (hotel-migrate,
// `hoteld create-admin`, the start-up schema check) and for test fixtures. Request handling
// never uses it: an I/O thread must not block on the database.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pg/rows.hpp"
#include "pg/sql.hpp"

struct pg_conn;

namespace hotel::pg {

using Param = std::optional<std::string>;

class BlockingConnection {
  public:
    // Connects with the given libpq connection string (URI or key=value) and sets
    // application_name. Throws Error on failure, with libpq's message but never the password.
    static BlockingConnection open(const std::string& conninfo,
                                   const std::string& application_name);

    BlockingConnection(BlockingConnection&&) noexcept;
    BlockingConnection& operator=(BlockingConnection&&) noexcept;
    ~BlockingConnection();

    // One parameterised statement (extended protocol, text parameters).
    Rows query(Sql sql, const std::vector<Param>& params = {});

    // A script of one or more statements from a trusted file (a migration). Simple protocol,
    // so it may hold several statements; it never carries request data.
    void run_script(std::string_view script);

    bool in_transaction() const;

  private:
    explicit BlockingConnection(pg_conn* conn);
    pg_conn* conn_;
};

}  // namespace hotel::pg
