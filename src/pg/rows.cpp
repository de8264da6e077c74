#include "pg/rows.hpp"

#include <libpq-fe.h>

#include <string>

namespace hotel::pg {

Rows::Rows(PGresult* result) : result_(result, &PQclear) {}
int Rows::size() const noexcept {
    return result_ ? PQntuples(result_.get()) : 0;
}
int Rows::columns() const noexcept {
    return result_ ? PQnfields(result_.get()) : 0;
}
bool Rows::is_null(int row, int column) const {
    check_cell(row, column);
    return PQgetisnull(result_.get(), row, column) != 0;
}
Oid Rows::column_type(int column) const {
    return PQftype(result_.get(), column);
}
const char* Rows::column_name(int column) const {
    const char* n = result_ ? PQfname(result_.get(), column) : nullptr;
    return n ? n : "?";
}

int Rows::column(std::string_view name) const {
    for (int c = 0; c < columns(); ++c)
        if (name == column_name(c))
            return c;
    throw Error(ErrorKind::type_mismatch, "the result has no column '" + std::string(name) + "'");
}

void Rows::check_cell(int row, int column) const {
    if (row < 0 || row >= size() || column < 0 || column >= columns())
        throw Error(ErrorKind::type_mismatch, "row " + std::to_string(row) + ", column " +
                                                  std::to_string(column) + " is out of range");
}

std::optional<std::string_view> Rows::get(int row, int column) const {
    check_cell(row, column);
    if (PQgetisnull(result_.get(), row, column))
        return std::nullopt;
    return std::string_view(PQgetvalue(result_.get(), row, column),
                            static_cast<size_t>(PQgetlength(result_.get(), row, column)));
}

std::string_view Rows::text(int row, int column) const {
    auto v = get(row, column);
    if (!v)
        throw_null(column);
    return *v;
}

long long Rows::affected() const {
    const char* n = result_ ? PQcmdTuples(result_.get()) : nullptr;
    return (n && *n) ? std::stoll(n) : 0;
}

std::string_view Rows::command_tag() const {
    const char* t = result_ ? PQcmdStatus(result_.get()) : nullptr;
    return t ? std::string_view(t) : std::string_view();
}

void Rows::throw_null(int column) const {
    throw Error(ErrorKind::unexpected_null,
                std::string("NULL in column '") + column_name(column) + "' read as a non-optional");
}

void Rows::throw_mismatch(int column, Oid type) const {
    throw Error(ErrorKind::type_mismatch, std::string("column '") + column_name(column) +
                                              "' has type oid " + std::to_string(type) +
                                              ", which does not fit the requested C++ type");
}

void Rows::throw_column_count(std::size_t wanted) const {
    throw Error(ErrorKind::type_mismatch, "result has " + std::to_string(columns()) +
                                              " columns, the row type has " +
                                              std::to_string(wanted));
}

void Rows::throw_not_scalar() const {
    throw Error(ErrorKind::type_mismatch, "expected one row with one column, got " +
                                              std::to_string(size()) + " rows of " +
                                              std::to_string(columns()) + " columns");
}

}  // namespace hotel::pg
