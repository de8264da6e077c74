#pragma once
// Rows: one statement's result, read through result_traits. Owns the PGresult.

#include <memory>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "pg/types.hpp"

struct pg_result;

namespace hotel::pg {

namespace detail {
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
}  // namespace detail

class Rows {
  public:
    Rows() = default;
    explicit Rows(pg_result* result);
    int size() const noexcept;
    bool empty() const noexcept { return size() == 0; }
    int columns() const noexcept;
    bool is_null(int row, int column) const;
    Oid column_type(int column) const;
    const char* column_name(int column) const;
    // The index of the column named `name` (as the statement names it); throws
    // Error(type_mismatch) when there is none. Look it up once per result, not per row.
    int column(std::string_view name) const;
    // Text form of a value; std::nullopt for NULL. Throws for an out-of-range cell.
    std::optional<std::string_view> get(int row, int column) const;
    // Text form of a non-NULL value; throws Error(unexpected_null) for NULL.
    std::string_view text(int row, int column) const;
    // Rows affected by INSERT/UPDATE/DELETE.
    long long affected() const;
    // The command tag ("INSERT 0 1", "COMMIT", "ROLLBACK", ...).
    std::string_view command_tag() const;

    // A typed value: T must fit the column's type; NULL only into std::optional<T>.
    template <class T>
    T get_as(int row, int column) const {
        if constexpr (detail::is_optional<T>::value) {
            check_cell(row, column);
            if (is_null(row, column))
                return std::nullopt;
            return get_as<typename T::value_type>(row, column);
        } else {
            check_cell(row, column);
            if (is_null(row, column))
                throw_null(column);
            const Oid type = column_type(column);
            if (!result_traits<T>::accepts(type))
                throw_mismatch(column, type);
            return result_traits<T>::from_text(*get(row, column), type);
        }
    }

    // One row as a tuple; the column count must match.
    template <class... Ts>
    std::tuple<Ts...> row(int r) const {
        if (columns() != static_cast<int>(sizeof...(Ts)))
            throw_column_count(sizeof...(Ts));
        return row_impl<Ts...>(r, std::index_sequence_for<Ts...>{});
    }

    template <class... Ts>
    std::vector<std::tuple<Ts...>> all() const {
        std::vector<std::tuple<Ts...>> out;
        out.reserve(static_cast<std::size_t>(size()));
        for (int r = 0; r < size(); ++r)
            out.push_back(row<Ts...>(r));
        return out;
    }

    // The single value of a one-row, one-column result.
    template <class T>
    T scalar() const {
        if (size() != 1 || columns() != 1)
            throw_not_scalar();
        return get_as<T>(0, 0);
    }

  private:
    template <class... Ts, std::size_t... I>
    std::tuple<Ts...> row_impl(int r, std::index_sequence<I...>) const {
        return std::tuple<Ts...>{get_as<Ts>(r, static_cast<int>(I))...};
    }
    void check_cell(int row, int column) const;
    [[noreturn]] void throw_null(int column) const;
    [[noreturn]] void throw_mismatch(int column, Oid type) const;
    [[noreturn]] void throw_column_count(std::size_t wanted) const;
    [[noreturn]] void throw_not_scalar() const;

    std::shared_ptr<pg_result> result_;
};

}  // namespace hotel::pg
