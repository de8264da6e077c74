#include <gtest/gtest.h>

#include "core/identity.hpp"

using namespace hotel::core;

namespace {
const std::string A = "00000000-0000-0000-0000-00000000000a";
const std::string B = "00000000-0000-0000-0000-00000000000b";
Caller guest{"u-guest", Role::guest, {}};
Caller staff_a{"u-staff", Role::staff, {A}};
Caller manager_a{"u-manager", Role::manager, {A}};
Caller admin{"u-admin", Role::admin, {}};
}  // namespace

TEST(Authorization, RoleByActionMatrix) {
    struct Row {
        const Caller& who;
        bool create_users, create_hotels, catalogue_a, catalogue_b, operate_a, operate_b;
    };
    const Row rows[] = {
        {guest, false, false, false, false, false, false},
        {staff_a, false, false, false, false, true, false},
        {manager_a, false, false, true, false, true, false},
        {admin, true, true, true, true, true, true},
    };
    for (const auto& r : rows) {
        SCOPED_TRACE(std::string(to_string(r.who.role)));
        EXPECT_EQ(may_create_users(r.who), r.create_users);
        EXPECT_EQ(may_create_hotels(r.who), r.create_hotels);
        EXPECT_EQ(may_manage_catalogue(r.who, A), r.catalogue_a);
        EXPECT_EQ(may_manage_catalogue(r.who, B), r.catalogue_b);
        EXPECT_EQ(may_operate_hotel(r.who, A), r.operate_a);
        EXPECT_EQ(may_operate_hotel(r.who, B), r.operate_b);
    }
}

TEST(Authorization, BookingVisibility) {
    // The guest's own booking at hotel A.
    EXPECT_TRUE(may_see_booking(guest, "u-guest", A));
    EXPECT_FALSE(may_see_booking(Caller{"someone-else", Role::guest, {}}, "u-guest", A));
    EXPECT_TRUE(may_see_booking(staff_a, "u-guest", A));
    EXPECT_FALSE(may_see_booking(staff_a, "u-guest", B));
    EXPECT_TRUE(may_see_booking(manager_a, "u-guest", A));
    EXPECT_FALSE(may_see_booking(manager_a, "u-guest", B));
    EXPECT_TRUE(may_see_booking(admin, "u-guest", B));
}

TEST(Credentials, EmailsAreNormalisedAndChecked) {
    EXPECT_EQ(normalize_email("  Alice@Example.COM\t"), "alice@example.com");
    EXPECT_TRUE(is_valid_email("alice@example.com"));
    EXPECT_TRUE(is_valid_email("a.b+tag@sub.example.co"));
    for (const char* bad :
         {"", "alice", "alice@", "@example.com", "alice@example", "a@b@c.com", "al ice@example.com",
          "alice@example..com", "alice@.com", "alice@example.com."})
        EXPECT_FALSE(is_valid_email(bad)) << bad;
    EXPECT_FALSE(is_valid_email(std::string(250, 'a') + "@b.co"));
}

TEST(Credentials, PasswordsAreTenTo256Characters) {
    EXPECT_FALSE(is_acceptable_password("123456789"));
    EXPECT_TRUE(is_acceptable_password("1234567890"));
    EXPECT_TRUE(is_acceptable_password(std::string(256, 'x')));
    EXPECT_FALSE(is_acceptable_password(std::string(257, 'x')));
    // Characters, not bytes: ten two-byte characters are ten characters.
    std::string ten_e_acute;
    for (int i = 0; i < 10; ++i)
        ten_e_acute += "\xc3\xa9";
    EXPECT_TRUE(is_acceptable_password(ten_e_acute));
    EXPECT_FALSE(is_acceptable_password("\xff\xfe invalid utf-8 here"));
}

TEST(Credentials, RolesParseOnlyTheFourNames) {
    EXPECT_EQ(parse_role("manager"), Role::manager);
    EXPECT_FALSE(parse_role("Manager").has_value());
    EXPECT_FALSE(parse_role("owner").has_value());
    EXPECT_EQ(to_string(Role::staff), "staff");
}
