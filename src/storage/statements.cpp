#include "storage/statements.hpp"

namespace hotel::storage::sql {

const std::vector<pg::Statement>& all() {
    static const std::vector<pg::Statement> statements = [] {
        std::vector<pg::Statement> out;
        for (const auto* list :
             {&identity_statements(), &catalogue_statements(), &booking_statements(),
              &shopping_statements(), &index_statements(), &report_statements(),
              &event_statements()})
            out.insert(out.end(), list->begin(), list->end());
        return out;
    }();
    return statements;
}

}  // namespace hotel::storage::sql
