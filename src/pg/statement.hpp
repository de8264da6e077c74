#pragma once
// A named SQL statement. Every statement the application runs is declared once, as a constant,
// in a catalogue (storage/statements.hpp); connections prepare each one the first time they
// run it, and a test prepares the whole catalogue against the migrated schema.

#include "pg/sql.hpp"

namespace hotel::pg {

struct Statement {
    const char* name;  // unique across the catalogue
    Sql sql;
};

}  // namespace hotel::pg
