#include "storage/statements.hpp"

namespace hotel::storage::sql {

const std::vector<pg::Statement>& all() {
    static const std::vector<pg::Statement> statements = {ping};
    return statements;
}

}  // namespace hotel::storage::sql
