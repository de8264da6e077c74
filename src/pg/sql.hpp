#pragma once
// Sql: the only way to name SQL text for a parameterised statement. Its constructor is
// consteval, so the text must be a compile-time constant: SQL cannot be assembled from request
// data at run time. Values always travel as parameters.

namespace hotel::pg {

struct Sql {
    consteval Sql(const char* sql) : text(sql) {}  // NOLINT(google-explicit-constructor)
    const char* text;
};

}  // namespace hotel::pg
