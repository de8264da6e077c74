#pragma once
// The statement catalogue: every SQL statement the server runs while serving requests, named,
// in one place. Connections prepare them on first use; tests/db prepares all of them against
// the migrated schema, so a statement that does not fit the schema fails CI, not production.

#include <vector>

#include "pg/statement.hpp"

namespace hotel::storage::sql {

// Readiness probe.
inline constexpr pg::Statement ping{"ping", "SELECT 1"};

// Every statement above, for the catalogue test.
const std::vector<pg::Statement>& all();

}  // namespace hotel::storage::sql
