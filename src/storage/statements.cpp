#include "storage/statements.hpp"

namespace hotel::storage::sql {

const std::vector<pg::Statement>& all() {
    static const std::vector<pg::Statement> statements = {
        ping,
        user_insert,
        user_hotels_insert,
        user_by_email,
        user_by_id,
        login_blocked_for,
        login_failure_insert,
        login_failures_prune,
    };
    return statements;
}

}  // namespace hotel::storage::sql
