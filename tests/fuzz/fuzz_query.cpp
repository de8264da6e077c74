// The query-string reader: percent-decoding, the typed readers and paging, against the text
// rule the server applies at the edge.

#include <cstdint>
#include <string_view>

#include "api/query.hpp"
#include "fuzz_check.hpp"
#include "http/problem.hpp"
#include "http/text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace hotel;
    const std::string_view raw(reinterpret_cast<const char*>(data), size);
    const bool edge_accepts = http::check_target_text("/", raw).empty();
    api::Query q(raw);
    // The reader refuses exactly what the edge refuses.
    FUZZ_REQUIRE(q.ok() == edge_accepts);
    if (auto city = q.text("city"))
        FUZZ_REQUIRE(http::is_storable_text(*city));
    if (auto d = q.date("check_in"))
        FUZZ_REQUIRE(d->ok() && core::parse_date(core::format_date(*d)) == d);
    if (auto id = q.uuid("hotel_id"))
        FUZZ_REQUIRE(id->size() == 36);
    if (auto n = q.integer("guests", 1, 50))
        FUZZ_REQUIRE(*n >= 1 && *n <= 50);
    const auto page = api::read_page(q);
    FUZZ_REQUIRE(page.page >= 1 && page.per_page >= 1 && page.per_page <= 100);
    if (!q.ok()) {
        auto r = q.problem();
        FUZZ_REQUIRE(r.status == 400);
        FUZZ_REQUIRE(http::is_valid_utf8(http::render_problem(*r.problem, "fuzz")));
    }
    return 0;
}
