#include "core/pricing.hpp"

#include <map>

namespace hotel::core {

const char* reason_of(Restriction r) {
    switch (r) {
        case Restriction::missing_price:
            return "not_for_sale";
        case Restriction::stop_sell:
            return "stop_sell";
        case Restriction::min_stay:
            return "min_stay";
        case Restriction::max_stay:
            return "max_stay";
        case Restriction::closed_to_arrival:
            return "closed_to_arrival";
        case Restriction::closed_to_departure:
            return "closed_to_departure";
    }
    return "not_for_sale";
}

std::string describe(const Violation& v) {
    const auto d = format_date(v.date);
    switch (v.restriction) {
        case Restriction::missing_price:
            return "no price for the night of " + d;
        case Restriction::stop_sell:
            return "sales are stopped for the night of " + d;
        case Restriction::min_stay:
            return "the stay is shorter than the minimum for arrival on " + d;
        case Restriction::max_stay:
            return "the stay is longer than the maximum for arrival on " + d;
        case Restriction::closed_to_arrival:
            return "arrival is closed on " + d;
        case Restriction::closed_to_departure:
            return "departure is closed on " + d;
    }
    return "restricted";
}

Result<Quote, Violation> price_stay(const Stay& stay, const std::vector<DailyRate>& rates,
                                    Currency currency) {
    std::map<int, const DailyRate*> by_day;  // days since the arrival
    for (const auto& r : rates) {
        const int offset = days_between(stay.check_in(), r.date);
        if (offset >= 0 && offset <= stay.nights())
            by_day[offset] = &r;
    }
    auto row = [&](int offset) -> const DailyRate* {
        auto it = by_day.find(offset);
        return it == by_day.end() ? nullptr : it->second;
    };

    Quote quote{{}, Money{0, currency}};
    for (int i = 0; i < stay.nights(); ++i) {
        const auto* r = row(i);
        if (!r || !r->price_minor)
            return fail(Violation{Restriction::missing_price, stay.night(i)});
    }
    for (int i = 0; i < stay.nights(); ++i)
        if (row(i)->stop_sell)
            return fail(Violation{Restriction::stop_sell, stay.night(i)});
    const auto* arrival = row(0);
    if (arrival->min_stay && stay.nights() < *arrival->min_stay)
        return fail(Violation{Restriction::min_stay, stay.check_in()});
    if (arrival->max_stay && stay.nights() > *arrival->max_stay)
        return fail(Violation{Restriction::max_stay, stay.check_in()});
    if (arrival->closed_to_arrival)
        return fail(Violation{Restriction::closed_to_arrival, stay.check_in()});
    if (const auto* departure = row(stay.nights()); departure && departure->closed_to_departure)
        return fail(Violation{Restriction::closed_to_departure, stay.check_out()});

    for (int i = 0; i < stay.nights(); ++i) {
        const Money night{*row(i)->price_minor, currency};
        quote.nightly.push_back(night);
        quote.total.minor += night.minor;
    }
    return quote;
}

}  // namespace hotel::core
