#pragma once
// The demo world that `./hotel run` loads: two hotels in different zones, three room types
// each, 10-30 rooms per type, a flexible and a non-refundable plan, a year of prices (higher on
// weekends), and one admin. Everything goes through the catalogue's use cases, exactly as an
// admin's API calls would, so the demo obeys every rule the API enforces.
// Loading is idempotent: what exists is kept, what is missing is added, and the 365-day price
// window is rewritten from the hotel's today.

#include <string>

#include "pg/blocking_connection.hpp"

namespace hotel::storage {

struct DemoSummary {
    int hotels_created = 0;
    int hotels = 0;
    int rooms = 0;
    long long rate_days_written = 0;
    bool admin_created = false;
};

DemoSummary load_demo_data(const std::string& conninfo, const std::string& admin_email,
                           const std::string& admin_password);

// Demo stays (`hoteld demo-data --stays`, which `./hotel run` uses): in each demo hotel that has
// none yet, a few dozen walk-in stays around today through book_stay (so each has its nights,
// invoice and event like any booking), those that arrived before today checked in. Returns the
// stays written.
int load_demo_stays(const std::string& conninfo, const std::string& admin_email);

// Creates a user with the admin role. Returns false (and changes nothing) when a user with
// that email already exists.
bool create_admin(pg::BlockingConnection& db, const std::string& email, const std::string& password,
                  const std::string& name);

}  // namespace hotel::storage
