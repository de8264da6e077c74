// Folios and invoices (issue 13, part 4): an issued invoice never changes; a change credits it
// (a credit note in the same gapless series) and issues a new one; staff post charges to a stay
// in the house; a hotel lists its invoices for accounting. Real hoteld, real PostgreSQL.

#include <gtest/gtest.h>

#include "booking_fixture.hpp"

namespace hotel::test {
namespace {

class Folio : public SmallHotel {
  protected:
    json::array invoices(const std::string& id, const std::string& token) {
        auto r = call(port(), "GET", "/v1/bookings/" + id + "/invoices", token);
        EXPECT_EQ(r.status, 200) << r.body;
        auto j = json_of(r);
        return j.at("items").as_array();
    }
    HttpResponse charge(const std::string& id, json::object body, const std::string& token = {}) {
        return call(port(), "POST", "/v1/bookings/" + id + "/charges",
                    token.empty() ? admin_ : token, json::serialize(body));
    }
    static json::object minibar(const std::string& amount = "12.50",
                                const std::string& day = lisbon_date(0)) {
        return {{"description", "Minibar"},
                {"amount", json::object{{"amount", amount}, {"currency", "EUR"}}},
                {"date", day}};
    }
    // "description=amount" per line.
    static std::vector<std::string> lines(const json::value& invoice) {
        std::vector<std::string> out;
        for (const auto& l : invoice.at("lines").as_array())
            out.push_back(s(l.at("description")) + "=" + s(l.at("amount").at("amount")));
        return out;
    }
};

using Lines = std::vector<std::string>;

TEST_F(Folio, AChangeCreditsTheIssuedInvoiceAndIssuesANewOne) {
    const auto a = stay(5, 7);
    auto before = invoices(a, guest_);
    ASSERT_EQ(before.size(), 1u);
    const auto original = before[0].as_object();
    EXPECT_EQ(s(original.at("kind")), "booking");
    EXPECT_EQ(s(original.at("status")), "issued");

    auto r = call(
        port(), "PUT", "/v1/bookings/" + a, guest_,
        json::serialize(json::object{{"check_in", lisbon_date(5)}, {"check_out", lisbon_date(8)}}));
    ASSERT_EQ(r.status, 200) << r.body;
    auto after = invoices(a, guest_);
    ASSERT_EQ(after.size(), 3u) << "the invoice, its credit note, the new invoice";
    const auto& old = after[0].as_object();
    const auto& note = after[1].as_object();
    const auto& fresh = after[2].as_object();
    // The issued invoice is as it was: number, lines and total; only marked void.
    EXPECT_EQ(s(old.at("id")), s(original.at("id")));
    EXPECT_EQ(old.at("number"), original.at("number"));
    EXPECT_EQ(old.at("lines"), original.at("lines"));
    EXPECT_EQ(old.at("total"), original.at("total"));
    EXPECT_EQ(s(old.at("status")), "void");
    EXPECT_FALSE(old.at("voided_at").is_null());
    // The credit note cancels it line by line, numbered right after it and before the new one.
    EXPECT_EQ(s(note.at("kind")), "credit_note");
    EXPECT_EQ(s(note.at("credits_invoice_id")), s(old.at("id")));
    EXPECT_EQ(s(note.at("total").at("amount")), "-160.00");
    EXPECT_EQ(lines(note), (Lines{"Night of " + lisbon_date(5) + "=-80.00",
                                  "Night of " + lisbon_date(6) + "=-80.00"}));
    EXPECT_EQ(note.at("number").as_int64(), old.at("number").as_int64() + 1);
    EXPECT_EQ(fresh.at("number").as_int64(), old.at("number").as_int64() + 2);
    EXPECT_EQ(s(fresh.at("kind")), "booking");
    EXPECT_EQ(s(fresh.at("status")), "issued");
    EXPECT_EQ(s(fresh.at("total").at("amount")), "240.00");
    // The booking shows the new invoice.
    EXPECT_EQ(s(json_of(r).at("invoice").at("id")), s(fresh.at("id")));

    // A cancellation inside the penalty window credits it too and issues the fee.
    const auto b = stay(1, 3);
    ASSERT_EQ(call(port(), "DELETE", "/v1/bookings/" + b, guest_).status, 200);
    auto docs = invoices(b, guest_);
    ASSERT_EQ(docs.size(), 3u);
    EXPECT_EQ(s(docs[1].at("kind")), "credit_note");
    EXPECT_EQ(s(docs[2].at("kind")), "cancellation_fee");
    EXPECT_EQ(s(docs[2].at("total").at("amount")), "80.00");

    // Who sees them: the guest and the hotel's staff; nobody else learns they exist.
    register_user(port(), "other-guest@example.com", "guest password 123");
    const auto other = login(port(), "other-guest@example.com", "guest password 123");
    EXPECT_EQ(call(port(), "GET", "/v1/bookings/" + a + "/invoices", other).status, 404);
    EXPECT_EQ(call(port(), "GET", "/v1/bookings/" + a + "/invoices").status, 401);
    EXPECT_EQ(call(port(), "GET", "/v1/bookings/nope/invoices", admin_).status, 404);
}

TEST_F(Folio, StaffPostChargesToAStayInTheHouseAndTheInvoiceFollows) {
    const auto a = stay(0, 2);
    auto r = charge(a, minibar());
    EXPECT_EQ(r.status, 409) << "not in the house yet: " << r.body;
    EXPECT_EQ(code_of(r), "invalid_state_transition");
    ASSERT_EQ(call(port(), "POST", "/v1/bookings/" + a + "/check-in", admin_).status, 200);

    r = charge(a, minibar());
    ASSERT_EQ(r.status, 201) << r.body;
    auto j = json_of(r);
    EXPECT_EQ(s(j.at("description")), "Minibar");
    EXPECT_EQ(s(j.at("amount").at("amount")), "12.50");
    EXPECT_EQ(s(j.at("date")), lisbon_date(0));
    auto docs = invoices(a, admin_);
    ASSERT_EQ(docs.size(), 3u);
    EXPECT_EQ(s(docs[0].at("status")), "void");
    EXPECT_EQ(s(docs[1].at("kind")), "credit_note");
    EXPECT_EQ(lines(docs[2]), (Lines{"Night of " + lisbon_date(0) + "=80.00",
                                     "Night of " + lisbon_date(1) + "=80.00", "Minibar=12.50"}));
    EXPECT_EQ(s(docs[2].at("total").at("amount")), "172.50");
    auto booking = json_of(call(port(), "GET", "/v1/bookings/" + a, admin_));
    EXPECT_EQ(s(booking.at("invoice").at("total").at("amount")), "172.50");
    EXPECT_EQ(s(booking.at("total").at("amount")), "160.00") << "the stay's price is the nights";

    // Leaving early: the charge stays on the reissued invoice, after the fee.
    ASSERT_EQ(call(port(), "POST", "/v1/bookings/" + a + "/check-out", admin_).status, 200);
    docs = invoices(a, admin_);
    EXPECT_EQ(lines(docs.back()), (Lines{"Night of " + lisbon_date(0) + "=80.00",
                                         "Early departure fee=80.00", "Minibar=12.50"}));
    // Posted after check-out (the late bill): still on the invoice.
    r = charge(a, {{"description", "Parking"},
                   {"amount", json::object{{"amount", "5.00"}, {"currency", "EUR"}}},
                   {"date", lisbon_date(1)}});
    ASSERT_EQ(r.status, 201) << r.body;
    docs = invoices(a, admin_);
    EXPECT_EQ(s(docs.back().at("total").at("amount")), "177.50");

    // Bad input.
    for (const auto& [body, reason] : std::vector<std::pair<json::object, std::string>>{
             {minibar("0.00"), "invalid_amount"},
             {minibar("-3.00"), "invalid_amount"},
             {minibar("12.505"), "invalid_amount"},
             {minibar("12.50", lisbon_date(5)), "invalid_dates"}}) {
        r = charge(a, body);
        EXPECT_EQ(r.status, 422) << r.body;
        EXPECT_NE(r.body.find(reason), std::string::npos) << r.body;
    }
    r = charge(a, {{"description", "Minibar"},
                   {"amount", json::object{{"amount", "1.00"}, {"currency", "USD"}}},
                   {"date", lisbon_date(0)}});
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_NE(r.body.find("currency_mismatch"), std::string::npos) << r.body;
    for (const auto& body : std::vector<json::object>{
             {{"amount", json::object{{"amount", "1.00"}, {"currency", "EUR"}}},
              {"date", lisbon_date(0)}},
             {{"description", ""},
              {"amount", json::object{{"amount", "1.00"}, {"currency", "EUR"}}},
              {"date", lisbon_date(0)}},
             {{"description", "X"}, {"date", lisbon_date(0)}},
             {{"description", "X"}, {"amount", "1.00"}, {"date", lisbon_date(0)}},
             {{"description", "X"},
              {"amount", json::object{{"amount", "1.00"}, {"currency", "EUR"}}},
              {"date", "today"}},
             {{"description", "X"},
              {"amount", json::object{{"amount", "1.00"}, {"currency", "EUR"}}},
              {"date", lisbon_date(0)},
              {"tip", true}}}) {
        EXPECT_EQ(charge(a, body).status, 400) << json::serialize(body);
    }
    // Access: a guest is not the front desk; staff of another hotel do not see the stay.
    EXPECT_EQ(charge(a, minibar("1.00", lisbon_date(1)), guest_).status, 403);
    const auto desk = user("folio-desk@example.com", "staff", lisbon_);
    EXPECT_EQ(charge(a, minibar("1.00", lisbon_date(1)), desk).status, 404);
    EXPECT_EQ(invoices(a, admin_).size(), docs.size()) << "nothing refused was invoiced";
}

TEST_F(Folio, AHotelListsItsInvoicesForAccounting) {
    const auto a = stay(3, 5);
    stay(4, 6);
    ASSERT_EQ(call(port(), "DELETE", "/v1/bookings/" + a, guest_).status, 200);
    const auto path = base_ + "/invoices?from=" + lisbon_date(0) + "&to=" + lisbon_date(1);
    auto r = call(port(), "GET", path, admin_);
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = json_of(r);
    // Two stay invoices, a credit note (the free cancellation issues no fee).
    EXPECT_EQ(j.at("total").as_int64(), 3);
    const auto& items = j.at("items").as_array();
    ASSERT_EQ(items.size(), 3u);
    long long sum = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        EXPECT_EQ(items[i].at("number").as_int64(), static_cast<long long>(i + 1))
            << "number order, gapless";
        const auto amount = s(items[i].at("total").at("amount"));
        sum += std::llround(std::stod(amount) * 100);
    }
    EXPECT_EQ(sum, 16000) << "a credit note and the invoice it credits cancel out";
    // Paged; other days are empty.
    r = call(port(), "GET", path + "&per_page=2&page=2", admin_);
    EXPECT_EQ(json_of(r).at("items").as_array().size(), 1u);
    r = call(port(), "GET", base_ + "/invoices?from=" + lisbon_date(1) + "&to=" + lisbon_date(2),
             admin_);
    EXPECT_EQ(json_of(r).at("total").as_int64(), 0);
    // Bad input and access.
    EXPECT_EQ(call(port(), "GET", base_ + "/invoices?from=" + lisbon_date(0), admin_).status, 400);
    EXPECT_EQ(call(port(), "GET",
                   base_ + "/invoices?from=" + lisbon_date(1) + "&to=" + lisbon_date(0), admin_)
                  .status,
              422);
    EXPECT_EQ(call(port(), "GET",
                   base_ + "/invoices?from=" + lisbon_date(0) + "&to=" + lisbon_date(400), admin_)
                  .status,
              422);
    EXPECT_EQ(call(port(), "GET", path, guest_).status, 403);
    EXPECT_EQ(
        call(port(), "GET",
             "/v1/hotels/nope/invoices?from=" + lisbon_date(0) + "&to=" + lisbon_date(1), admin_)
            .status,
        404);
}

// The folio: what is charged now, every payment and refund, and the balance due; the card's
// captures are recorded by the server, the desk records the rest.
TEST_F(Folio, PaymentsAndRefundsMakeTheBalanceDue) {
    const auto a = stay(0, 2);
    ASSERT_EQ(call(port(), "POST", "/v1/bookings/" + a + "/check-in", admin_).status, 200);
    auto folio = [&](const std::string& token) {
        auto r = call(port(), "GET", "/v1/bookings/" + a + "/folio", token);
        EXPECT_EQ(r.status, 200) << r.body;
        return json_of(r);
    };
    auto pay = [&](json::object body, const std::string& token = {}) {
        return call(port(), "POST", "/v1/bookings/" + a + "/payments",
                    token.empty() ? admin_ : token, json::serialize(body));
    };
    auto eur = [](const std::string& amount) {
        return json::object{{"amount", amount}, {"currency", "EUR"}};
    };
    auto f = folio(guest_);
    EXPECT_EQ(s(f.at("invoiced").at("amount")), "160.00");
    EXPECT_EQ(s(f.at("paid").at("amount")), "0.00");
    EXPECT_EQ(s(f.at("balance_due").at("amount")), "160.00");
    EXPECT_EQ(f.at("lines").as_array().size(), 2u);
    EXPECT_TRUE(f.at("payments").as_array().empty());

    ASSERT_EQ(charge(a, minibar()).status, 201);
    auto r = pay({{"method", "cash"}, {"amount", eur("100.00")}, {"reference", "receipt 17"}});
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(s(json_of(r).at("kind")), "payment");
    EXPECT_EQ(s(json_of(r).at("method")), "cash");
    EXPECT_EQ(s(json_of(r).at("reference")), "receipt 17");
    f = folio(admin_);
    EXPECT_EQ(s(f.at("invoiced").at("amount")), "172.50") << "the nights and the minibar";
    EXPECT_EQ(s(f.at("balance_due").at("amount")), "72.50");
    EXPECT_EQ(f.at("lines").as_array().size(), 3u);
    ASSERT_EQ(pay({{"method", "card"}, {"amount", eur("72.50")}}).status, 201);
    EXPECT_EQ(s(folio(admin_).at("balance_due").at("amount")), "0.00");
    ASSERT_EQ(pay({{"kind", "refund"}, {"method", "cash"}, {"amount", eur("10.00")}}).status, 201);
    f = folio(admin_);
    EXPECT_EQ(s(f.at("paid").at("amount")), "162.50");
    EXPECT_EQ(s(f.at("balance_due").at("amount")), "10.00");
    EXPECT_EQ(f.at("payments").as_array().size(), 3u);
    // The booking says the same, and so does the desk's in-house list.
    auto booking = json_of(call(port(), "GET", "/v1/bookings/" + a, admin_));
    EXPECT_EQ(s(booking.at("balance_due").at("amount")), "10.00");
    auto in_house = json_of(call(port(), "GET", base_ + "/in-house", admin_));
    EXPECT_EQ(s(in_house.at("items").as_array().at(0).at("balance_due").at("amount")), "10.00");

    // Bad input.
    for (const auto& body :
         std::vector<json::object>{{{"kind", "gift"}, {"method", "cash"}, {"amount", eur("1.00")}},
                                   {{"amount", eur("1.00")}},
                                   {{"method", "cheque"}, {"amount", eur("1.00")}},
                                   {{"method", "cash"}},
                                   {{"method", "cash"}, {"amount", eur("1.00")}, {"reference", ""}},
                                   {{"method", "cash"}, {"amount", eur("1.00")}, {"tip", 1}}}) {
        EXPECT_EQ(pay(body).status, 400) << json::serialize(body);
    }
    r = pay({{"method", "cash"}, {"amount", eur("0.00")}});
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_NE(r.body.find("invalid_amount"), std::string::npos);
    r = pay(
        {{"method", "cash"}, {"amount", json::object{{"amount", "1.00"}, {"currency", "USD"}}}});
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_NE(r.body.find("currency_mismatch"), std::string::npos);
    // Access: the guest reads the folio but records nothing; other people see nothing.
    EXPECT_EQ(pay({{"method", "cash"}, {"amount", eur("1.00")}}, guest_).status, 403);
    register_user(port(), "folio-other@example.com", "guest password 123");
    const auto other = login(port(), "folio-other@example.com", "guest password 123");
    EXPECT_EQ(call(port(), "GET", "/v1/bookings/" + a + "/folio", other).status, 404);
    EXPECT_EQ(pay({{"method", "cash"}, {"amount", eur("1.00")}}, other).status, 404);
    EXPECT_EQ(folio(admin_).at("payments").as_array().size(), 3u) << "nothing refused recorded";
}

TEST_F(Folio, TheCardsCaptureAtCheckOutIsOnTheFolio) {
    auto r = book(guest_, json::object{{"hotel_id", ids_["hotel"]},
                                       {"room_type_id", ids_["type"]},
                                       {"rate_plan_id", ids_["plan"]},
                                       {"check_in", lisbon_date(0)},
                                       {"check_out", lisbon_date(1)},
                                       {"guests", 1},
                                       {"card_token", "tok_visa_4242"}});
    ASSERT_EQ(r.status, 201) << r.body;
    const auto id = s(json_of(r).at("id"));
    const auto transaction = s(json_of(r).at("payment").at("transaction_id"));
    EXPECT_EQ(s(json_of(r).at("balance_due").at("amount")), "80.00");
    ASSERT_EQ(call(port(), "POST", "/v1/bookings/" + id + "/check-in", admin_).status, 200);
    r = call(port(), "POST", "/v1/bookings/" + id + "/check-out", admin_);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(s(json_of(r).at("balance_due").at("amount")), "0.00");
    auto f = json_of(call(port(), "GET", "/v1/bookings/" + id + "/folio", guest_));
    ASSERT_EQ(f.at("payments").as_array().size(), 1u);
    const auto& paid = f.at("payments").as_array()[0];
    EXPECT_EQ(s(paid.at("method")), "card");
    EXPECT_EQ(s(paid.at("reference")), transaction);
    EXPECT_EQ(s(paid.at("amount").at("amount")), "80.00");
}

// Taxes: the VAT the prices include is stated on each stay invoice (per line, half-even), the
// city tax is added per person per night; both follow every reissue and every credit note.
TEST_F(Folio, StayInvoicesCarryTheHotelsTaxes) {
    const auto path = base_ + "/taxes";
    auto r = call(port(), "GET", path, admin_);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(json_of(r).at("vat_percent").is_null());
    EXPECT_TRUE(json_of(r).at("city_tax").is_null());
    r = call(port(), "PUT", path, admin_,
             R"({"vat_percent": "10", "city_tax": {"amount": "2.00", "currency": "EUR"}})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(s(json_of(r).at("vat_percent")), "10");
    EXPECT_EQ(s(json_of(call(port(), "GET", path, admin_)).at("vat_percent")), "10.00");
    EXPECT_EQ(s(json_of(r).at("city_tax").at("amount")), "2.00");

    // Two guests, two nights at 80.00: the nights, the city tax per night (2 × 2.00), and the
    // VAT the nights include: 80.00 × 10/110 = 7.2727... → 7.27 per line, 14.54.
    auto b = book(guest_, json::object{{"hotel_id", ids_["hotel"]},
                                       {"room_type_id", ids_["type"]},
                                       {"rate_plan_id", ids_["plan"]},
                                       {"check_in", lisbon_date(5)},
                                       {"check_out", lisbon_date(7)},
                                       {"guests", 2}});
    ASSERT_EQ(b.status, 201) << b.body;
    const auto id = s(json_of(b).at("id"));
    EXPECT_EQ(s(json_of(b).at("total").at("amount")), "160.00") << "the price quoted";
    EXPECT_EQ(s(json_of(b).at("invoice").at("total").at("amount")), "168.00");
    EXPECT_EQ(s(json_of(b).at("balance_due").at("amount")), "168.00");
    auto docs = invoices(id, guest_);
    ASSERT_EQ(docs.size(), 1u);
    EXPECT_EQ(lines(docs[0]), (Lines{"Night of " + lisbon_date(5) + "=80.00",
                                     "Night of " + lisbon_date(6) + "=80.00",
                                     "City tax, night of " + lisbon_date(5) + " (2 guests)=4.00",
                                     "City tax, night of " + lisbon_date(6) + " (2 guests)=4.00",
                                     "VAT 10.00% included=14.54"}));
    const auto& last = docs[0].at("lines").as_array().back();
    EXPECT_EQ(s(last.at("kind")), "tax_included");
    EXPECT_EQ(s(docs[0].at("lines").as_array()[2].at("kind")), "tax");

    // A change credits all of it and issues it again for the new stay.
    r = call(
        port(), "PUT", "/v1/bookings/" + id, guest_,
        json::serialize(json::object{{"check_in", lisbon_date(5)}, {"check_out", lisbon_date(6)}}));
    ASSERT_EQ(r.status, 200) << r.body;
    docs = invoices(id, guest_);
    ASSERT_EQ(docs.size(), 3u);
    EXPECT_EQ(s(docs[1].at("total").at("amount")), "-168.00");
    EXPECT_EQ(s(docs[1].at("lines").as_array().back().at("amount").at("amount")), "-14.54");
    EXPECT_EQ(lines(docs[2]), (Lines{"Night of " + lisbon_date(5) + "=80.00",
                                     "City tax, night of " + lisbon_date(5) + " (2 guests)=4.00",
                                     "VAT 10.00% included=7.27"}));
    EXPECT_EQ(s(docs[2].at("total").at("amount")), "84.00");

    // Half-even per line: at 20%, a line of 0.15 includes 0.025 → 0.02 and one of 0.21 includes
    // 0.035 → 0.04 (half-up would give 0.03 and 0.04).
    {
        auto c = db_->connect();
        auto rounded = c.query(
            "SELECT round_half_even(2.5), round_half_even(3.5), round_half_even(-2.5), "
            "round_half_even(-3.5), round_half_even(2.4999), round_half_even(15 * 20 / 120.0)");
        EXPECT_EQ(std::string(rounded.text(0, 0)), "2");
        EXPECT_EQ(std::string(rounded.text(0, 1)), "4");
        EXPECT_EQ(std::string(rounded.text(0, 2)), "-2");
        EXPECT_EQ(std::string(rounded.text(0, 3)), "-4");
        EXPECT_EQ(std::string(rounded.text(0, 4)), "2");
        EXPECT_EQ(std::string(rounded.text(0, 5)), "2");
    }

    // Cleared: later invoices have no tax lines; issued ones keep theirs.
    r = call(port(), "PUT", path, admin_, R"({"vat_percent": null, "city_tax": null})");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto plain = stay(10, 11);
    EXPECT_EQ(lines(invoices(plain, guest_)[0]), (Lines{"Night of " + lisbon_date(10) + "=80.00"}));
    EXPECT_EQ(lines(invoices(id, guest_)[2]).size(), 3u);

    // Bad input and access.
    for (const char* body :
         {R"({"vat_percent": "100"})", R"({"vat_percent": "7.125"})", R"({"vat_percent": 10})",
          R"({"vat_percent": "-1"})", R"({"city_tax": "2.00"})", R"({"rate": 1})"}) {
        EXPECT_EQ(call(port(), "PUT", path, admin_, body).status, 400) << body;
    }
    r = call(port(), "PUT", path, admin_, R"({"city_tax": {"amount": "2.00", "currency": "USD"}})");
    EXPECT_EQ(r.status, 422) << r.body;
    r = call(port(), "PUT", path, admin_,
             R"({"city_tax": {"amount": "-2.00", "currency": "EUR"}})");
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(call(port(), "GET", path, guest_).status, 403);
    EXPECT_EQ(call(port(), "PUT", path, guest_, R"({"vat_percent": "5"})").status, 403);
    const auto desk = user("tax-desk@example.com", "staff", ids_["hotel"]);
    EXPECT_EQ(call(port(), "GET", path, desk).status, 200) << "the desk reads them";
    EXPECT_EQ(call(port(), "PUT", path, desk, R"({"vat_percent": "5"})").status, 403)
        << "the manager sets them";
    EXPECT_EQ(call(port(), "GET", "/v1/hotels/" + lisbon_ + "/taxes", desk).status, 404);
    EXPECT_EQ(call(port(), "GET", "/v1/hotels/nope/taxes", admin_).status, 404);
}

}  // namespace
}  // namespace hotel::test

namespace hotel::test {
namespace {

// A confirmed stay says what cancelling it now would cost (the server's figure, for a client to
// show before the guest confirms), and the cancellation then charges exactly that.
TEST_F(Folio, ABookingSaysWhatCancellingItNowWouldCost) {
    const auto late = stay(1, 3);     // inside the 48 h window: the first night
    const auto early = stay(20, 22);  // free until 48 h before arrival
    auto read = [&](const std::string& id) {
        auto r = call(port(), "GET", "/v1/bookings/" + id, guest_);
        EXPECT_EQ(r.status, 200) << r.body;
        return json_of(r);
    };
    EXPECT_EQ(s(read(late).at("cancellation").at("fee_now").at("amount")), "80.00");
    EXPECT_EQ(s(read(early).at("cancellation").at("fee_now").at("amount")), "0.00");
    auto cancelled = call(port(), "DELETE", "/v1/bookings/" + late, guest_);
    ASSERT_EQ(cancelled.status, 200) << cancelled.body;
    EXPECT_EQ(s(json_of(cancelled).at("cancellation_fee").at("amount")), "80.00");
    EXPECT_FALSE(read(late).at("cancellation").as_object().contains("fee_now"))
        << "a cancelled stay has nothing left to cancel";
}

}  // namespace
}  // namespace hotel::test
