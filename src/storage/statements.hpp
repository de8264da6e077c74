#pragma once
// The statement catalogue: each store's SQL stands beside it (<store>_sql.hpp), named, with the
// store's list of its statements. all() joins the lists for tests/db, which prepares every
// statement against the migrated schema (a statement that does not fit the schema fails CI, not
// production) and checks that every statement defined in a *_sql.hpp is listed.

#include <vector>

#include "storage/booking_sql.hpp"
#include "storage/catalogue_sql.hpp"
#include "storage/event_sql.hpp"
#include "storage/identity_sql.hpp"
#include "storage/index_sql.hpp"
#include "storage/report_sql.hpp"
#include "storage/shopping_sql.hpp"

namespace hotel::storage::sql {

const std::vector<pg::Statement>& all();

}  // namespace hotel::storage::sql
