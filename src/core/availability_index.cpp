#include "core/availability_index.hpp"

#include <locale.h>
#include <algorithm>
#include <array>
#include <cwctype>
#include <unordered_map>

#include "core/hotel_time.hpp"
#include "core/money.hpp"
#include "core/pricing.hpp"
#include "core/stay.hpp"

namespace hotel::core {

// --- ids and text ---------------------------------------------------------------------------

std::optional<Uuid128> parse_uuid128(std::string_view t) noexcept {
    if (t.size() != 36 || t[8] != '-' || t[13] != '-' || t[18] != '-' || t[23] != '-')
        return std::nullopt;
    Uuid128 out;
    int nibbles = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23)
            continue;
        const char c = t[i];
        std::uint64_t v;
        if (c >= '0' && c <= '9')
            v = static_cast<std::uint64_t>(c - '0');
        else if (c >= 'a' && c <= 'f')
            v = static_cast<std::uint64_t>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v = static_cast<std::uint64_t>(c - 'A' + 10);
        else
            return std::nullopt;
        auto& half = nibbles < 16 ? out.hi : out.lo;
        half = (half << 4) | v;
        ++nibbles;
    }
    return out;
}

std::string format_uuid128(const Uuid128& id) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (int i = 0; i < 32; ++i) {
        if (i == 8 || i == 12 || i == 16 || i == 20)
            out += '-';
        const std::uint64_t half = i < 16 ? id.hi : id.lo;
        const int shift = (15 - (i % 16)) * 4;
        out += hex[(half >> shift) & 0xF];
    }
    return out;
}

namespace {

locale_t utf8_locale() {
    static const locale_t loc = [] {
        locale_t l = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
        return l;
    }();
    return loc;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

}  // namespace

std::string city_key(std::string_view city) {
    std::string out;
    out.reserve(city.size());
    const locale_t loc = utf8_locale();
    for (std::size_t i = 0; i < city.size();) {
        const auto b = static_cast<unsigned char>(city[i]);
        if (b < 0x80) {
            out += static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b);
            ++i;
            continue;
        }
        const int len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        if (len == 1 || i + static_cast<std::size_t>(len) > city.size()) {
            out += static_cast<char>(b);  // not UTF-8: kept as it is (the API refuses it anyway)
            ++i;
            continue;
        }
        char32_t cp = b & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
        for (int k = 1; k < len; ++k)
            cp = (cp << 6) |
                 (static_cast<unsigned char>(city[i + static_cast<std::size_t>(k)]) & 0x3F);
        if (loc != static_cast<locale_t>(nullptr))
            cp = static_cast<char32_t>(towlower_l(static_cast<wint_t>(cp), loc));
        append_utf8(out, cp);
        i += static_cast<std::size_t>(len);
    }
    return out;
}

// --- the per-hotel state --------------------------------------------------------------------

namespace {

struct Period {
    Micros starts;
    Micros ends;
    Uuid128 booking;
};

struct RoomState {
    Uuid128 id;
    int type = -1;                // index into HotelState::types
    std::vector<Period> periods;  // active ones, sorted by start; never overlapping once caught up
};

// Free for [s, e) when no active period overlaps it: the last period starting before e must
// end at or before s (periods of one room do not overlap, so it ends last among them).
bool room_free(const RoomState& room, Micros s, Micros e) {
    const auto it = std::lower_bound(room.periods.begin(), room.periods.end(), e,
                                     [](const Period& p, Micros v) { return p.starts < v; });
    if (it == room.periods.begin())
        return true;
    return std::prev(it)->ends <= s;
}

// Periods that ended this long ago can no longer meet a search (arrivals are today or later).
constexpr Micros kKeepPast = 3LL * 24 * 3600 * 1'000'000;

struct HotelState {
    Hotel hotel;
    std::optional<Currency> currency;
    std::optional<HotelClock> clock;  // of hotel.timezone; nullopt: unknown zone, never listed
    std::vector<RoomType> types;      // ordered by code
    std::vector<RatePlan> plans;      // ordered by code
    std::vector<RoomState> rooms;
    std::unordered_map<Uuid128, int, Uuid128Hash> room_at;
    // The rooms are grouped by type: those of type t are rooms[type_start[t], type_start[t+1]),
    // so checking a type's rooms walks one run of memory instead of a list of indices.
    std::vector<int> type_start;
    // What the pricing loop reads of each type and plan, apart from their big records.
    std::vector<int> type_occupancy;        // max_occupancy per type
    std::vector<Occupancy> plan_occupancy;  // the occupancy terms per plan
    Date rates_from{};
    int rate_days = 0;
    std::vector<PackedRate> rates;  // [day][type][plan]; an empty row counts as no row
    long long catalogue_version = 0;

    // Day-major: the rows of every (type, plan) for one day sit together, so pricing a stay
    // for all of a hotel's pairs reads one contiguous run of memory instead of one run per
    // pair (the search is bound by cache misses on these rows, measured with perf).
    std::size_t slot(std::size_t type, std::size_t plan, int day) const {
        return (static_cast<std::size_t>(day) * types.size() + type) * plans.size() + plan;
    }
    const PackedRate* rate(std::size_t type, std::size_t plan, int day) const {
        if (day < 0 || day >= rate_days)
            return nullptr;
        return &rates[slot(type, plan, day)];
    }
    long long period_count() const {
        long long n = 0;
        for (const auto& r : rooms)
            n += static_cast<long long>(r.periods.size());
        return n;
    }
};

bool by_code(const auto& a, const auto& b) {
    return a.code < b.code || (a.code == b.code && a.id < b.id);
}

void place(RoomState& room, const Period& p) {
    auto it = std::lower_bound(room.periods.begin(), room.periods.end(), p.starts,
                               [](const Period& q, Micros v) { return q.starts < v; });
    room.periods.insert(it, p);
}

bool unplace(HotelState& st, const Uuid128& booking) {
    for (auto& room : st.rooms) {
        auto it = std::find_if(room.periods.begin(), room.periods.end(),
                               [&](const Period& p) { return p.booking == booking; });
        if (it != room.periods.end()) {
            room.periods.erase(it);
            return true;
        }
    }
    return false;
}

HotelState build(HotelSnapshot snap) {
    HotelState st;
    st.hotel = std::move(snap.hotel);
    st.catalogue_version = snap.catalogue_version;
    st.currency = Currency::of(st.hotel.currency);
    st.clock = HotelClock::for_zone(st.hotel.timezone);
    st.types = std::move(snap.types);
    std::sort(st.types.begin(), st.types.end(), by_code<RoomType, RoomType>);
    st.plans = std::move(snap.plans);
    std::sort(st.plans.begin(), st.plans.end(), by_code<RatePlan, RatePlan>);

    std::unordered_map<std::string, int> type_at, plan_at;
    for (std::size_t i = 0; i < st.types.size(); ++i)
        type_at[st.types[i].id] = static_cast<int>(i);
    for (std::size_t i = 0; i < st.plans.size(); ++i)
        plan_at[st.plans[i].id] = static_cast<int>(i);

    for (const auto& t : st.types)
        st.type_occupancy.push_back(t.max_occupancy);
    for (const auto& p : st.plans)
        st.plan_occupancy.push_back(p.occupancy);
    for (const auto& r : snap.rooms) {
        const auto id = parse_uuid128(r.id);
        const auto t = type_at.find(r.room_type_id);
        if (!id || t == type_at.end())
            continue;
        st.rooms.push_back({*id, t->second, {}});
    }
    std::stable_sort(st.rooms.begin(), st.rooms.end(),
                     [](const RoomState& a, const RoomState& b) { return a.type < b.type; });
    st.type_start.assign(st.types.size() + 1, 0);
    for (const auto& room : st.rooms)
        ++st.type_start[static_cast<std::size_t>(room.type) + 1];
    for (std::size_t t = 0; t < st.types.size(); ++t)
        st.type_start[t + 1] += st.type_start[t];
    for (std::size_t i = 0; i < st.rooms.size(); ++i)
        st.room_at[st.rooms[i].id] = static_cast<int>(i);
    for (const auto& s : snap.stays) {
        if (!s.active)
            continue;
        const auto at = st.room_at.find(s.room);
        if (at != st.room_at.end())
            st.rooms[static_cast<std::size_t>(at->second)].periods.push_back(
                {s.starts, s.ends, s.booking});
    }
    for (auto& room : st.rooms)
        std::sort(room.periods.begin(), room.periods.end(),
                  [](const Period& a, const Period& b) { return a.starts < b.starts; });

    if (!snap.rates.empty() && !st.types.empty() && !st.plans.empty()) {
        Date lo = snap.rates.front().rate.date, hi = lo;
        for (const auto& c : snap.rates) {
            lo = std::min(lo, c.rate.date);
            hi = std::max(hi, c.rate.date);
        }
        st.rates_from = lo;
        st.rate_days = days_between(lo, hi) + 1;
        st.rates.assign(st.types.size() * st.plans.size() * static_cast<std::size_t>(st.rate_days),
                        PackedRate{});
        for (const auto& c : snap.rates) {
            const auto t = type_at.find(c.room_type_id);
            const auto p = plan_at.find(c.rate_plan_id);
            if (t == type_at.end() || p == plan_at.end())
                continue;
            st.rates[st.slot(static_cast<std::size_t>(t->second),
                             static_cast<std::size_t>(p->second), days_between(lo, c.rate.date))] =
                PackedRate(c.rate);
        }
    }
    return st;
}

}  // namespace

struct AvailabilityIndex::Slot {
    mutable std::mutex mutex;
    HotelState state;
};

struct AvailabilityIndex::Directory {
    std::unordered_map<Uuid128, std::shared_ptr<Slot>, Uuid128Hash> by_id;
    // Per city key, the hotels ordered by name then id (the SQL path's ORDER BY name, id).
    std::unordered_map<std::string, std::vector<std::shared_ptr<Slot>>> by_city;
};

namespace {
struct Listing {
    std::string city;
    std::string name;
    Uuid128 id;
};
}  // namespace

AvailabilityIndex::AvailabilityIndex() : directory_(std::make_shared<const Directory>()) {}
AvailabilityIndex::~AvailabilityIndex() = default;

std::shared_ptr<const AvailabilityIndex::Directory> AvailabilityIndex::directory() const {
    std::lock_guard lock(directory_mutex_);
    return directory_;
}

void AvailabilityIndex::publish(std::shared_ptr<const Directory> next) {
    std::lock_guard lock(directory_mutex_);
    directory_ = std::move(next);
}

std::shared_ptr<AvailabilityIndex::Slot> AvailabilityIndex::slot_of(const Uuid128& id) const {
    const auto dir = directory();
    const auto it = dir->by_id.find(id);
    return it == dir->by_id.end() ? nullptr : it->second;
}

namespace {
// The city lists of a directory, rebuilt from its slots (names and cities read under each lock).
template <class Dir>
void index_cities(Dir& dir) {
    dir.by_city.clear();
    std::vector<std::pair<Listing, typename decltype(dir.by_id)::mapped_type>> all;
    for (const auto& [id, slot] : dir.by_id) {
        std::lock_guard lock(slot->mutex);
        all.push_back({{city_key(slot->state.hotel.city), slot->state.hotel.name, id}, slot});
    }
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
        if (a.first.name != b.first.name)
            return a.first.name < b.first.name;
        return a.first.id < b.first.id;
    });
    for (auto& [listing, slot] : all)
        dir.by_city[listing.city].push_back(slot);
}
}  // namespace

AvailabilityIndex::Loading AvailabilityIndex::start_loading() const {
    return Loading(std::make_shared<Directory>());
}

void AvailabilityIndex::Loading::add(HotelSnapshot hotel) {
    const auto id = parse_uuid128(hotel.hotel.id);
    if (!id)
        return;
    auto slot = std::make_shared<Slot>();
    slot->state = build(std::move(hotel));
    next_->by_id[*id] = std::move(slot);
}

void AvailabilityIndex::finish_loading(Loading loading) {
    std::lock_guard writer(writer_mutex_);
    index_cities(*loading.next_);
    publish(std::move(loading.next_));
}

void AvailabilityIndex::replace_all(std::vector<HotelSnapshot> hotels) {
    auto loading = start_loading();
    for (auto& h : hotels)
        loading.add(std::move(h));
    finish_loading(std::move(loading));
}

void AvailabilityIndex::replace_hotel(const Uuid128& id, std::optional<HotelSnapshot> hotel) {
    std::lock_guard writer(writer_mutex_);
    const auto dir = directory();
    const auto it = dir->by_id.find(id);
    if (!hotel) {
        if (it == dir->by_id.end())
            return;
        auto next = std::make_shared<Directory>(*dir);
        next->by_id.erase(id);
        index_cities(*next);
        publish(std::move(next));
        return;
    }
    HotelState state = build(std::move(*hotel));
    if (it != dir->by_id.end()) {
        bool listed_the_same;
        {
            std::lock_guard lock(it->second->mutex);
            listed_the_same = it->second->state.hotel.name == state.hotel.name &&
                              it->second->state.hotel.city == state.hotel.city;
            it->second->state = std::move(state);
        }
        if (listed_the_same)
            return;
        auto next = std::make_shared<Directory>(*dir);
        index_cities(*next);
        publish(std::move(next));
        return;
    }
    auto next = std::make_shared<Directory>(*dir);
    auto slot = std::make_shared<Slot>();
    slot->state = std::move(state);
    next->by_id[id] = std::move(slot);
    index_cities(*next);
    publish(std::move(next));
}

void AvailabilityIndex::apply(const OccupancyRow& row, Micros now) {
    const auto slot = slot_of(row.hotel);
    if (!slot)
        return;
    std::lock_guard lock(slot->mutex);
    auto& st = slot->state;
    unplace(st, row.booking);
    if (!row.active)
        return;
    const auto at = st.room_at.find(row.room);
    if (at == st.room_at.end())
        return;
    auto& room = st.rooms[static_cast<std::size_t>(at->second)];
    const Micros cutoff = now - kKeepPast;
    auto keep = std::find_if(room.periods.begin(), room.periods.end(),
                             [&](const Period& p) { return p.ends >= cutoff; });
    room.periods.erase(room.periods.begin(), keep);
    place(room, {row.starts, row.ends, row.booking});
}

void AvailabilityIndex::remove_booking(const Uuid128& hotel, const Uuid128& booking) {
    apply({booking, hotel, {}, 0, 0, false}, 0);
}

bool AvailabilityIndex::has_hotel(const Uuid128& id) const {
    return slot_of(id) != nullptr;
}

// --- readers --------------------------------------------------------------------------------

std::vector<Hotel> AvailabilityIndex::hotels_in_city(std::string_view city) const {
    const auto dir = directory();
    std::vector<Hotel> out;
    const auto it = dir->by_city.find(city_key(city));
    if (it == dir->by_city.end())
        return out;
    out.reserve(it->second.size());
    for (const auto& slot : it->second) {
        std::lock_guard lock(slot->mutex);
        out.push_back(slot->state.hotel);
    }
    return out;
}

namespace {
// What a search asks of one hotel: the cheapest total of the stay over its (type, plan) pairs
// whose type holds the guests and has a room free for [s, e); nullopt when none can sell it.
// The buffers are the caller's, reused from hotel to hotel.
struct HotelPricer {
    const Stay& stay;
    int guests;
    std::array<const PackedRate*, kMaxNights + 1> rows{};
    std::vector<std::pair<std::int64_t, std::size_t>> ranked{};  // (cheapest total, type)

    std::optional<std::int64_t> cheapest_free(const HotelState& st, Date check_in, Micros s,
                                              Micros e) {
        if (!st.currency)
            return std::nullopt;
        const int nights = stay.nights();
        const int first_day = days_between(st.rates_from, check_in);
        ranked.clear();
        for (std::size_t t = 0; t < st.types.size(); ++t) {
            if (st.type_occupancy[t] < guests)
                continue;
            std::optional<std::int64_t> best;
            for (std::size_t p = 0; p < st.plans.size(); ++p) {
                for (int i = 0; i <= nights; ++i)
                    rows[static_cast<std::size_t>(i)] = st.rate(t, p, first_day + i);
                const auto total = stay_total(
                    stay, PackedStayRows{rows.data(), static_cast<std::size_t>(nights) + 1},
                    *st.currency, st.plan_occupancy[p].extra_per_night(guests));
                if (total && (!best || total->minor < *best))
                    best = total->minor;
            }
            if (best)
                ranked.emplace_back(*best, t);
        }
        std::sort(ranked.begin(), ranked.end());
        for (const auto& [total, t] : ranked) {
            const auto first = st.rooms.begin() + st.type_start[t];
            const auto last = st.rooms.begin() + st.type_start[t + 1];
            if (std::any_of(first, last, [&](const RoomState& r) { return room_free(r, s, e); }))
                return total;
        }
        return std::nullopt;
    }
};

// A hit of the page returned: the hotel copied under its lock, with its from-price.
template <class Slot>
HotelHit hit_of(const Slot& slot, std::int64_t total) {
    Hotel hotel;
    {
        std::lock_guard lock(slot.mutex);
        hotel = slot.state.hotel;
    }
    const auto currency = Currency::of(hotel.currency).value_or(Currency{});
    return {std::move(hotel), Money{total, currency}};
}
}  // namespace

HotelHits AvailabilityIndex::search(const std::vector<StayWindow>& stays, Date check_in,
                                    Date check_out, int guests, long long offset,
                                    long long limit) const {
    HotelHits hits;
    auto stay = Stay::make(check_in, check_out, check_in);
    if (!stay)
        return hits;
    const auto dir = directory();

    // Ranked by (total, name, id); the hotel itself is copied only for the page returned.
    struct Found {
        std::int64_t total;
        const std::string* name;  // stable while the hotel's lock is not needed: see below
        Uuid128 id;
        const Slot* slot;
    };
    std::vector<Found> found;
    std::vector<std::string> names;
    found.reserve(stays.size());
    names.reserve(stays.size());
    HotelPricer pricer{*stay, guests};
    for (const auto& window : stays) {
        const auto id = parse_uuid128(window.hotel_id);
        if (!id)
            continue;
        const auto it = dir->by_id.find(*id);
        if (it == dir->by_id.end())
            continue;
        std::lock_guard lock(it->second->mutex);
        const auto& st = it->second->state;
        const auto total =
            pricer.cheapest_free(st, check_in, micros_of(window.starts), micros_of(window.ends));
        if (total) {
            names.push_back(st.hotel.name);
            found.push_back({*total, nullptr, *id, it->second.get()});
        }
    }
    // The names were copied under each hotel's lock; `dir` keeps every slot alive.
    for (std::size_t i = 0; i < found.size(); ++i)
        found[i].name = &names[i];
    std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
        if (a.total != b.total)
            return a.total < b.total;
        if (*a.name != *b.name)
            return *a.name < *b.name;
        return a.id < b.id;
    });
    hits.total = static_cast<long long>(found.size());
    for (long long i = std::max(0LL, offset); i < hits.total && i < offset + limit; ++i) {
        const auto& f = found[static_cast<std::size_t>(i)];
        hits.items.push_back(hit_of(*f.slot, f.total));
    }
    return hits;
}

HotelHits AvailabilityIndex::search_city(std::string_view city, Date check_in, Date check_out,
                                         int guests, Instant now, long long offset,
                                         long long limit) const {
    HotelHits hits;
    auto stay = Stay::make(check_in, check_out, check_in);
    if (!stay)
        return hits;
    const auto dir = directory();
    const auto listed = dir->by_city.find(city_key(city));
    if (listed == dir->by_city.end())
        return hits;
    // The city's hotels are listed by name then id, so a hotel's place in the list ranks it
    // among hotels of the same total: no name is copied or compared per search.
    const auto& slots = listed->second;
    std::vector<std::pair<std::int64_t, std::size_t>> found;  // (total, place in the list)
    found.reserve(slots.size());
    HotelPricer pricer{*stay, guests};
    // A city's hotels mostly share a zone and their check-in and check-out times: the last
    // hotel's interval serves the next one with the same (each costs three lookups in the
    // zone's rules, which were a tenth of a search).
    std::string last_zone;
    TimeOfDay last_in{-1, -1}, last_out{-1, -1};
    std::optional<StayInterval> interval;
    for (std::size_t place = 0; place < slots.size(); ++place) {
        // The next hotel's slot (its lock and its state's header) is on its way meanwhile:
        // a search is a walk of dependent cache misses, hotel after hotel.
        if (place + 1 < slots.size())
            __builtin_prefetch(slots[place + 1].get());
        std::lock_guard lock(slots[place]->mutex);
        const auto& st = slots[place]->state;
        if (!st.clock)
            continue;
        if (st.clock->zone_name() != last_zone || st.hotel.check_in_time != last_in ||
            st.hotel.check_out_time != last_out) {
            interval = stay_interval(st.hotel, *st.clock, check_in, check_out, now);
            last_zone = st.clock->zone_name();
            last_in = st.hotel.check_in_time;
            last_out = st.hotel.check_out_time;
        }
        if (!interval)
            continue;
        if (const auto total = pricer.cheapest_free(st, check_in, micros_of(interval->starts),
                                                    micros_of(interval->ends)))
            found.emplace_back(*total, place);
    }
    std::sort(found.begin(), found.end());
    hits.total = static_cast<long long>(found.size());
    for (long long i = std::max(0LL, offset); i < hits.total && i < offset + limit; ++i) {
        const auto& [total, place] = found[static_cast<std::size_t>(i)];
        hits.items.push_back(hit_of(*slots[place], total));
    }
    return hits;
}

std::vector<TypeAvailability> AvailabilityIndex::free_rooms(std::string_view hotel_id,
                                                            Instant starts, Instant ends) const {
    std::vector<TypeAvailability> out;
    const auto slot = slot_named(hotel_id);
    if (!slot)
        return out;
    std::lock_guard lock(slot->mutex);
    const auto& st = slot->state;
    const Micros s = micros_of(starts);
    const Micros e = micros_of(ends);
    for (std::size_t t = 0; t < st.types.size(); ++t) {
        int free = 0;
        for (int r = st.type_start[t]; r < st.type_start[t + 1]; ++r)
            free += room_free(st.rooms[static_cast<std::size_t>(r)], s, e) ? 1 : 0;
        out.push_back({st.types[t], free});
    }
    return out;
}

namespace {
// A cell of the rate grid that stands for a row of daily_rates (an empty cell stands for none,
// as the SQL path reads no row there).
bool holds_a_rate(const PackedRate* r) {
    return r && !r->empty();
}
}  // namespace

std::shared_ptr<AvailabilityIndex::Slot> AvailabilityIndex::slot_named(
    std::string_view hotel_id) const {
    const auto id = parse_uuid128(hotel_id);
    return id ? slot_of(*id) : nullptr;
}

std::vector<RateCell> AvailabilityIndex::rates_for_stay(std::string_view hotel_id, Date check_in,
                                                        Date check_out) const {
    std::vector<RateCell> out;
    const auto slot = slot_named(hotel_id);
    if (!slot)
        return out;
    std::lock_guard lock(slot->mutex);
    const auto& st = slot->state;
    const int first_day = days_between(st.rates_from, check_in);
    const int days = days_between(check_in, check_out);
    for (std::size_t t = 0; t < st.types.size(); ++t)
        for (std::size_t p = 0; p < st.plans.size(); ++p)
            for (int i = 0; i <= days; ++i) {
                const auto* r = st.rate(t, p, first_day + i);
                if (!holds_a_rate(r))
                    continue;
                out.push_back({st.types[t].id, st.plans[p].id, r->unpack(add_days(check_in, i))});
            }
    return out;
}

std::optional<Hotel> AvailabilityIndex::find_hotel(std::string_view hotel_id) const {
    const auto slot = slot_named(hotel_id);
    if (!slot)
        return std::nullopt;
    std::lock_guard lock(slot->mutex);
    return slot->state.hotel;
}

std::vector<RatePlan> AvailabilityIndex::rate_plans(std::string_view hotel_id) const {
    const auto slot = slot_named(hotel_id);
    if (!slot)
        return {};
    std::lock_guard lock(slot->mutex);
    return slot->state.plans;
}

std::optional<BookingContext> AvailabilityIndex::booking_context(std::string_view hotel_id,
                                                                 std::string_view room_type_id,
                                                                 std::string_view rate_plan_id,
                                                                 Date first_night,
                                                                 Date departure) const {
    const auto slot = slot_named(hotel_id);
    if (!slot)
        return std::nullopt;
    std::lock_guard lock(slot->mutex);
    const auto& st = slot->state;
    BookingContext ctx;
    ctx.hotel = st.hotel;
    ctx.catalogue_version = st.catalogue_version;
    std::optional<std::size_t> type, plan;
    for (std::size_t t = 0; t < st.types.size(); ++t)
        if (st.types[t].id == room_type_id) {
            type = t;
            ctx.room_type = st.types[t];
        }
    for (std::size_t p = 0; p < st.plans.size(); ++p)
        if (st.plans[p].id == rate_plan_id) {
            plan = p;
            ctx.rate_plan = st.plans[p];
        }
    if (!type || !plan)
        return ctx;
    // As the SQL path reads them: the rows that exist, from the first night to the departure.
    const int first_day = days_between(st.rates_from, first_night);
    const int days = days_between(first_night, departure);
    for (int i = 0; i <= days; ++i) {
        const auto* r = st.rate(*type, *plan, first_day + i);
        if (!holds_a_rate(r))
            continue;
        ctx.rates.push_back(r->unpack(add_days(first_night, i)));
    }
    return ctx;
}

IndexCounts AvailabilityIndex::counts() const {
    IndexCounts c;
    const auto dir = directory();
    for (const auto& [id, slot] : dir->by_id) {
        std::lock_guard lock(slot->mutex);
        ++c.hotels;
        c.rooms += static_cast<long long>(slot->state.rooms.size());
        c.periods += slot->state.period_count();
        c.rate_days += static_cast<long long>(slot->state.rates.size());
    }
    return c;
}

// --- the store adapter ----------------------------------------------------------------------

IndexedShoppingStore::Async<std::vector<Hotel>> IndexedShoppingStore::hotels_in_city(
    std::string city) {
    if (!index_.live())
        co_return co_await fallback_.hotels_in_city(std::move(city));
    co_return index_.hotels_in_city(city);
}

IndexedShoppingStore::Async<HotelHits> IndexedShoppingStore::search(std::vector<StayWindow> stays,
                                                                    Date check_in, Date check_out,
                                                                    int guests, long long offset,
                                                                    long long limit) {
    if (!index_.live())
        co_return co_await fallback_.search(std::move(stays), check_in, check_out, guests, offset,
                                            limit);
    co_return index_.search(stays, check_in, check_out, guests, offset, limit);
}

IndexedShoppingStore::Async<HotelHits> IndexedShoppingStore::search_city(
    std::string city, Date check_in, Date check_out, int guests, Instant now, long long offset,
    long long limit) {
    if (!index_.live())
        co_return co_await fallback_.search_city(std::move(city), check_in, check_out, guests, now,
                                                 offset, limit);
    co_return index_.search_city(city, check_in, check_out, guests, now, offset, limit);
}

IndexedShoppingStore::Async<std::vector<TypeAvailability>> IndexedShoppingStore::free_rooms(
    std::string hotel_id, Instant starts, Instant ends) {
    if (!index_.live())
        co_return co_await fallback_.free_rooms(std::move(hotel_id), starts, ends);
    co_return index_.free_rooms(hotel_id, starts, ends);
}

IndexedShoppingStore::Async<std::vector<RateCell>> IndexedShoppingStore::rates_for_stay(
    std::string hotel_id, Date check_in, Date check_out) {
    if (!index_.live())
        co_return co_await fallback_.rates_for_stay(std::move(hotel_id), check_in, check_out);
    co_return index_.rates_for_stay(hotel_id, check_in, check_out);
}

IndexedShoppingStore::Async<std::optional<Hotel>> IndexedShoppingStore::find_hotel(
    std::string hotel_id) {
    // A hotel created a moment ago may not be indexed yet: a miss is checked in SQL, so offers
    // answer "no rooms yet" for those milliseconds rather than "no such hotel".
    if (index_.live()) {
        if (auto hotel = index_.find_hotel(hotel_id))
            co_return hotel;
    }
    co_return co_await fallback_.find_hotel(std::move(hotel_id));
}

IndexedShoppingStore::Async<std::vector<RatePlan>> IndexedShoppingStore::rate_plans(
    std::string hotel_id) {
    if (!index_.live())
        co_return co_await fallback_.rate_plans(std::move(hotel_id));
    co_return index_.rate_plans(hotel_id);
}

}  // namespace hotel::core
