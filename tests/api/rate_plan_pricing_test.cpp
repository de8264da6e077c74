// Rate plans as revenue managers set them (issue 13, part 2; docs/DOMAIN.md "Rate plans:
// occupancy, inclusions, derived plans"): a price per extra guest, inclusions carved out of each
// night on the invoice, and plans whose prices follow another plan's. Search (index and SQL),
// offers and booking price them alike. Real hoteld, real PostgreSQL.

#include <gtest/gtest.h>

#include "booking_fixture.hpp"

namespace hotel::test {
namespace {

class RatePlanPricing : public SmallHotel {
  protected:
    void TearDown() override {
        if (HasFailure() && server_)
            std::cerr << "hoteld's output:\n" << server_->process().output() << "\n";
    }
    HttpResponse patch_plan(const std::string& plan, const json::object& body) {
        return call(port(), "PATCH", base_ + "/rate-plans/" + plan, admin_, json::serialize(body));
    }
    HttpResponse create_plan(const json::object& body) {
        return call(port(), "POST", base_ + "/rate-plans", admin_, json::serialize(body));
    }
    HttpResponse set_rates(const std::string& plan, int from, int to, const std::string& price) {
        return call(port(), "PUT", base_ + "/rates", admin_,
                    json::serialize(json::object{{"room_type_id", ids_["type"]},
                                                 {"rate_plan_id", plan},
                                                 {"from", lisbon_date(from)},
                                                 {"to", lisbon_date(to)},
                                                 {"price", price}}));
    }
    // The prices of a plan's days [from, to), as the rates endpoint shows them.
    std::vector<std::string> prices(const std::string& plan, int from, int to) {
        auto r = call(port(), "GET",
                      base_ + "/rates?room_type_id=" + ids_["type"] + "&rate_plan_id=" + plan +
                          "&from=" + lisbon_date(from) + "&to=" + lisbon_date(to),
                      admin_);
        EXPECT_EQ(r.status, 200) << r.body;
        std::vector<std::string> out;
        const auto body = json_of(r);
        for (const auto& d : body.at("items").as_array())
            out.push_back(d.at("price").is_null() ? "-" : s(d.at("price").at("amount")));
        return out;
    }
    // plan code → offered total, for a stay of `guests` on `port`.
    std::map<std::string, std::string> offers(int from, int to, int guests, unsigned short on = 0) {
        auto r = http_request(on ? on : port(), "GET",
                              base_ + "/rooms?check_in=" + lisbon_date(from) + "&check_out=" +
                                  lisbon_date(to) + "&guests=" + std::to_string(guests),
                              {}, "");
        EXPECT_EQ(r.status, 200) << r.body;
        std::map<std::string, std::string> out;
        const auto body = json_of(r);
        for (const auto& t : body.at("items").as_array())
            for (const auto& o : t.at("offers").as_array())
                out[s(o.at("rate_plan").at("code"))] = s(o.at("total").at("amount"));
        return out;
    }
    // The small hotel's "from" price in a city search, on `port`.
    std::string from_price(int from, int to, int guests, unsigned short on = 0) {
        auto r = http_request(on ? on : port(), "GET",
                              "/v1/hotels?city=Faro&check_in=" + lisbon_date(from) + "&check_out=" +
                                  lisbon_date(to) + "&guests=" + std::to_string(guests),
                              {}, "");
        EXPECT_EQ(r.status, 200) << r.body;
        const auto body = json_of(r);
        for (const auto& h : body.at("items").as_array())
            if (s(h.at("id")) == ids_["hotel"])
                return s(h.at("from_price").at("amount"));
        return "not found";
    }
    // The search index follows the database a moment later.
    template <class F>
    void eventually(F condition) {
        for (int i = 0; i < 200 && !condition(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        EXPECT_TRUE(condition());
    }
    HttpResponse book_plan(const std::string& plan, int from, int to, int guests) {
        return book(guest_, json::object{{"hotel_id", ids_["hotel"]},
                                         {"room_type_id", ids_["type"]},
                                         {"rate_plan_id", plan},
                                         {"check_in", lisbon_date(from)},
                                         {"check_out", lisbon_date(to)},
                                         {"guests", guests}});
    }
    // "description=amount" per item line of the booking's current invoice.
    std::vector<std::string> invoice_items(const std::string& booking) {
        auto r = call(port(), "GET", "/v1/bookings/" + booking + "/invoices", admin_);
        EXPECT_EQ(r.status, 200) << r.body;
        const auto body = json_of(r);
        const auto& items = body.at("items").as_array();
        std::vector<std::string> out;
        if (items.empty())
            return out;
        for (const auto& l : items.back().at("lines").as_array())
            if (s(l.at("kind")) == "item")
                out.push_back(s(l.at("description")) + "=" + s(l.at("amount").at("amount")));
        return out;
    }
    static json::object eur(const std::string& amount) {
        return {{"amount", amount}, {"currency", "EUR"}};
    }
};

using Strings = std::vector<std::string>;

TEST_F(RatePlanPricing, EachGuestBeyondThoseTheRateIsForAddsToEveryNight) {
    // A new plan prices the room whatever the guests (the default terms); the index has the
    // new hotel a moment after its rates were written.
    eventually([&] { return offers(10, 12, 1)["FLEX"] == "160.00"; });
    EXPECT_EQ(offers(10, 12, 2)["FLEX"], "160.00");

    auto r = patch_plan(ids_["plan"], {{"included_guests", 1}, {"extra_guest", eur("20.00")}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json_of(r).at("included_guests").as_int64(), 1);
    EXPECT_EQ(s(json_of(r).at("extra_guest").at("amount")), "20.00");

    // Offers, the city search from the index, and one on SQL all price 2 guests 2 × (80 + 20).
    eventually([&] { return offers(10, 12, 2)["FLEX"] == "200.00"; });
    EXPECT_EQ(offers(10, 12, 1)["FLEX"], "160.00");
    EXPECT_EQ(from_price(10, 12, 2), "200.00");
    EXPECT_EQ(from_price(10, 12, 1), "160.00");
    Hoteld sql_node(*db_, {"HOTEL_SEARCH=sql"});
    EXPECT_EQ(from_price(10, 12, 2, sql_node.port()), "200.00");
    EXPECT_EQ(from_price(10, 12, 1, sql_node.port()), "160.00");
    EXPECT_EQ(offers(10, 12, 2, sql_node.port())["FLEX"], "200.00");

    // Booking charges the same, night by night; a change of guests is priced anew.
    auto booked = book_plan(ids_["plan"], 10, 12, 2);
    ASSERT_EQ(booked.status, 201) << booked.body;
    const auto b = json_of(booked);
    EXPECT_EQ(s(b.at("total").at("amount")), "200.00");
    const auto id = s(b.at("id"));
    EXPECT_EQ(invoice_items(id), (Strings{"Night of " + lisbon_date(10) + "=100.00",
                                          "Night of " + lisbon_date(11) + "=100.00"}));
    auto changed =
        call(port(), "PUT", "/v1/bookings/" + id, guest_,
             json::serialize(json::object{
                 {"check_in", lisbon_date(10)}, {"check_out", lisbon_date(12)}, {"guests", 1}}));
    ASSERT_EQ(changed.status, 200) << changed.body;
    EXPECT_EQ(s(json_of(changed).at("total").at("amount")), "160.00");

    // A plan whose rate is for two: the second guest costs nothing, a third would.
    r = patch_plan(ids_["plan"], {{"included_guests", 2}});
    ASSERT_EQ(r.status, 200) << r.body;
    eventually([&] { return offers(10, 12, 2)["FLEX"] == "160.00"; });
}

TEST_F(RatePlanPricing, InclusionsAreOfferedAndCarvedOutOfEachNightOnTheInvoice) {
    auto r = patch_plan(
        ids_["plan"],
        {{"inclusions", json::array{json::object{{"name", "Breakfast"}, {"amount", eur("15.00")}},
                                    json::object{{"name", "Wi-Fi"}}}}});
    ASSERT_EQ(r.status, 200) << r.body;
    const auto plan = json_of(r);
    ASSERT_EQ(plan.at("inclusions").as_array().size(), 2u);
    EXPECT_EQ(s(plan.at("inclusions").at(0).at("amount").at("amount")), "15.00");
    EXPECT_TRUE(plan.at("inclusions").at(1).at("amount").is_null());

    // Offers name them (the index reloads the plan a moment later).
    eventually([&] {
        auto o = http_request(
            port(), "GET",
            base_ + "/rooms?check_in=" + lisbon_date(3) + "&check_out=" + lisbon_date(5), {}, "");
        return o.body.find("Breakfast") != std::string::npos;
    });

    // The price stays the price; the invoice says what it is made of.
    auto booked = book_plan(ids_["plan"], 0, 2, 1);
    ASSERT_EQ(booked.status, 201) << booked.body;
    const auto id = s(json_of(booked).at("id"));
    EXPECT_EQ(s(json_of(booked).at("total").at("amount")), "160.00");
    const Strings split{"Night of " + lisbon_date(0) + "=65.00",
                        "Breakfast, night of " + lisbon_date(0) + "=15.00",
                        "Night of " + lisbon_date(1) + "=65.00",
                        "Breakfast, night of " + lisbon_date(1) + "=15.00"};
    EXPECT_EQ(invoice_items(id), split);
    // The folio shows them as well.
    auto folio = call(port(), "GET", "/v1/bookings/" + id + "/folio", guest_);
    ASSERT_EQ(folio.status, 200) << folio.body;
    EXPECT_NE(folio.body.find("Breakfast, night of " + lisbon_date(1)), std::string::npos)
        << folio.body;

    // The stay keeps what it was sold with: the plan drops breakfast, and the invoice reissued
    // for a charge in the house still splits it.
    r = patch_plan(ids_["plan"], {{"inclusions", json::array{}}});
    ASSERT_EQ(r.status, 200) << r.body;
    auto in = call(port(), "POST", "/v1/bookings/" + id + "/check-in", admin_, "");
    ASSERT_EQ(in.status, 200) << in.body;
    auto charged =
        call(port(), "POST", "/v1/bookings/" + id + "/charges", admin_,
             json::serialize(json::object{
                 {"description", "Minibar"}, {"amount", eur("5.00")}, {"date", lisbon_date(0)}}));
    ASSERT_EQ(charged.status, 201) << charged.body;
    auto after = split;
    after.push_back("Minibar=5.00");
    EXPECT_EQ(invoice_items(id), after);
}

TEST_F(RatePlanPricing, ADerivedPlanFollowsItsParentsPrices) {
    auto r = create_plan(
        {{"code", "NRF10"},
         {"name", "Non-refundable"},
         {"refundable", false},
         {"derived_from", {{"rate_plan_id", ids_["plan"]}, {"adjustment_percent", "-10"}}}});
    ASSERT_EQ(r.status, 201) << r.body;
    const auto nrf = s(json_of(r).at("id"));
    EXPECT_EQ(s(json_of(r).at("derived_from").at("adjustment_percent")), "-10.00");
    EXPECT_EQ(prices(nrf, 4, 6), (Strings{"72.00", "72.00"}));

    // The parent's change reaches it in the same write, rounded half to even (99.95 × 0.9 =
    // 89.955 → 89.96; 99.85 × 0.9 = 89.865 → 89.86).
    ASSERT_EQ(set_rates(ids_["plan"], 5, 6, "99.95").status, 200);
    ASSERT_EQ(set_rates(ids_["plan"], 6, 7, "99.85").status, 200);
    EXPECT_EQ(prices(nrf, 4, 8), (Strings{"72.00", "89.96", "89.86", "72.00"}));

    // Its own rates are not written: they follow the parent.
    auto own = set_rates(nrf, 4, 6, "50.00");
    EXPECT_EQ(own.status, 409) << own.body;
    EXPECT_EQ(code_of(own), "conflict");

    // Offered and booked at its price.
    eventually([&] { return offers(5, 7, 1)["NRF10"] == "179.82"; });
    EXPECT_EQ(offers(5, 7, 1)["FLEX"], "199.80");
    auto booked = book_plan(nrf, 5, 7, 1);
    ASSERT_EQ(booked.status, 201) << booked.body;
    EXPECT_EQ(s(json_of(booked).at("total").at("amount")), "179.82");

    // The parent cannot be retired while a plan follows it, nor follow another plan itself.
    auto retire = call(port(), "DELETE", base_ + "/rate-plans/" + ids_["plan"], admin_);
    EXPECT_EQ(retire.status, 409) << retire.body;
    EXPECT_EQ(code_of(retire), "conflict");
    auto chain = patch_plan(
        ids_["plan"], {{"derived_from", {{"rate_plan_id", nrf}, {"adjustment_percent", "5"}}}});
    EXPECT_EQ(chain.status, 409) << chain.body;
    // A plan cannot follow a derived one either.
    auto third =
        create_plan({{"code", "THIRD"},
                     {"name", "Third"},
                     {"refundable", false},
                     {"derived_from", {{"rate_plan_id", nrf}, {"adjustment_percent", "5"}}}});
    EXPECT_EQ(third.status, 422) << third.body;

    // Another adjustment applies at once; made independent, it keeps its prices as its own.
    r = patch_plan(
        nrf, {{"derived_from", {{"rate_plan_id", ids_["plan"]}, {"adjustment_percent", "+12.5"}}}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(prices(nrf, 4, 6), (Strings{"90.00", "112.44"}));
    r = patch_plan(nrf, {{"derived_from", nullptr}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(json_of(r).at("derived_from").is_null());
    ASSERT_EQ(set_rates(ids_["plan"], 4, 6, "100.00").status, 200);
    EXPECT_EQ(prices(nrf, 4, 6), (Strings{"90.00", "112.44"}));
    ASSERT_EQ(set_rates(nrf, 4, 5, "70.00").status, 200);
    EXPECT_EQ(prices(nrf, 4, 6), (Strings{"70.00", "112.44"}));
    retire = call(port(), "DELETE", base_ + "/rate-plans/" + ids_["plan"], admin_);
    EXPECT_NE(retire.status, 409) << retire.body;
}

TEST_F(RatePlanPricing, BadTermsAreRefusedWithTheFieldNamed) {
    struct Case {
        json::object body;
        int status;
        std::string field;
    };
    const std::string other_plan = "00000000-0000-4000-8000-000000000000";
    const std::vector<Case> cases = {
        {{{"included_guests", 0}}, 422, "included_guests"},
        {{{"included_guests", "two"}}, 400, "included_guests"},
        {{{"included_guests", nullptr}}, 400, "included_guests"},
        {{{"extra_guest", eur("-1.00")}}, 422, "extra_guest"},
        {{{"extra_guest", json::object{{"amount", "5.00"}, {"currency", "USD"}}}},
         422,
         "extra_guest"},
        {{{"extra_guest", eur("5.001")}}, 422, "extra_guest"},
        {{{"inclusions", "breakfast"}}, 400, "inclusions"},
        {{{"inclusions", json::array{json::object{{"name", " "}}}}}, 422, "inclusions[0].name"},
        {{{"inclusions", json::array{json::object{{"name", "B"}, {"price", "1"}}}}},
         400,
         "inclusions[0].price"},
        {{{"inclusions", json::array{json::object{{"amount", eur("1.00")}}}}},
         400,
         "inclusions[0].name"},
        {{{"inclusions", json::array(11, json::object{{"name", "B"}})}}, 400, "inclusions"},
        {{{"derived_from", "flex"}}, 400, "derived_from"},
        {{{"derived_from", {{"rate_plan_id", other_plan}}}},
         400,
         "derived_from.adjustment_percent"},
        {{{"derived_from", {{"rate_plan_id", other_plan}, {"adjustment_percent", "-100"}}}},
         422,
         "derived_from.adjustment_percent"},
        {{{"derived_from", {{"rate_plan_id", other_plan}, {"adjustment_percent", "1.234"}}}},
         422,
         "derived_from.adjustment_percent"},
        {{{"derived_from", {{"rate_plan_id", other_plan}, {"adjustment_percent", "-10"}}}},
         422,
         "derived_from.rate_plan_id"},
        {{{"derived_from", {{"rate_plan_id", ids_["plan"]}, {"adjustment_percent", "-10"}}}},
         422,
         "derived_from.rate_plan_id"},
    };
    for (const auto& c : cases) {
        auto r = patch_plan(ids_["plan"], c.body);
        EXPECT_EQ(r.status, c.status) << json::serialize(c.body) << " → " << r.body;
        EXPECT_NE(r.body.find("\"" + c.field + "\""), std::string::npos)
            << json::serialize(c.body) << " → " << r.body;
    }
    // Nothing was changed by any of them.
    auto plans = json_of(call(port(), "GET", base_ + "/rate-plans", admin_));
    const auto& plan = plans.at("items").at(0);
    EXPECT_EQ(plan.at("included_guests").as_int64(), 1);
    EXPECT_EQ(s(plan.at("extra_guest").at("amount")), "0.00");
    EXPECT_TRUE(plan.at("inclusions").as_array().empty());
    EXPECT_TRUE(plan.at("derived_from").is_null());
}

}  // namespace
}  // namespace hotel::test
