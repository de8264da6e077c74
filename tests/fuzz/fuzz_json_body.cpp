// The JSON body reader and its field readers: whatever the body, a reader either returns a
// value that obeys the text rules or records a field error, and the problem renders.

#include <cstdint>
#include <string_view>

#include "api/json_body.hpp"
#include "fuzz_check.hpp"
#include "http/problem.hpp"
#include "http/text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace hotel;
    http::Request request;
    request.body.assign(reinterpret_cast<const char*>(data), size);
    api::JsonBody body(request, {"name", "count", "flag", "ids", "total", "note"});
    if (auto s = body.string("name"))
        FUZZ_REQUIRE(http::is_storable_text(*s));
    body.integer("count", false);
    body.boolean("flag", false);
    if (auto ids = body.string_array("ids", false))
        for (const auto& id : *ids)
            FUZZ_REQUIRE(http::is_storable_text(id));
    auto money = body.money("total");
    if (money.amount)
        FUZZ_REQUIRE(http::is_storable_text(*money.amount) && money.currency &&
                     http::is_storable_text(*money.currency));
    if (auto s = body.string("note", false))
        FUZZ_REQUIRE(http::is_storable_text(*s));
    (void)body.has("note");
    (void)body.is_null("note");
    if (!body.ok()) {
        auto r = body.problem();
        FUZZ_REQUIRE(r.status == 400 && r.problem);
        FUZZ_REQUIRE(http::is_valid_utf8(http::render_problem(*r.problem, "fuzz")));
    }
    return 0;
}
