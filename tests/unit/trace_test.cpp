// W3C traceparent as the server reads it: strictly, and anything it cannot read starts a new
// trace (never an error).

#include <gtest/gtest.h>

#include <string>

#include "http/trace.hpp"

using hotel::http::parse_traceparent;
using hotel::http::RequestTrace;
using hotel::http::TraceParent;

namespace {
const std::string kTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
const std::string kParent = "00f067aa0ba902b7";

bool parses(const std::string& v) {
    TraceParent p;
    return parse_traceparent(v, p);
}

bool is_lower_hex(std::string_view s) {
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}
}  // namespace

TEST(Traceparent, ReadsVersion00) {
    TraceParent p;
    ASSERT_TRUE(parse_traceparent("00-" + kTrace + "-" + kParent + "-01", p));
    EXPECT_EQ(std::string(p.trace_id, 32), kTrace);
    EXPECT_EQ(std::string(p.parent_id, 16), kParent);
    EXPECT_EQ(p.flags, 1);
    ASSERT_TRUE(parse_traceparent("00-" + kTrace + "-" + kParent + "-ff", p));
    EXPECT_EQ(p.flags, 0xff);
}

TEST(Traceparent, RefusesWhatTheSpecificationRefuses) {
    const std::string ok = "00-" + kTrace + "-" + kParent + "-01";
    EXPECT_FALSE(parses(""));
    EXPECT_FALSE(parses(ok.substr(0, 54)));                                      // short
    EXPECT_FALSE(parses(ok + "-"));                                              // 00 is exactly 55
    EXPECT_FALSE(parses(ok + "0"));                                              //
    EXPECT_FALSE(parses("00-" + std::string(32, '0') + "-" + kParent + "-01"));  // zero trace
    EXPECT_FALSE(parses("00-" + kTrace + "-" + std::string(16, '0') + "-01"));   // zero parent
    EXPECT_FALSE(parses("00-4BF92F3577B34DA6A3CE929D0E0E4736-" + kParent + "-01"));  // upper
    EXPECT_FALSE(parses("00-" + kTrace + "-" + kParent + "-0g"));
    EXPECT_FALSE(parses("ff-" + kTrace + "-" + kParent + "-01"));  // version ff is invalid
    EXPECT_FALSE(parses("0x-" + kTrace + "-" + kParent + "-01"));
    EXPECT_FALSE(parses("00_" + kTrace + "-" + kParent + "-01"));
    EXPECT_FALSE(parses("00-" + kTrace + "_" + kParent + "-01"));
    EXPECT_FALSE(parses(" 00-" + kTrace + "-" + kParent + "-01"));
}

TEST(Traceparent, ReadsTheKnownFieldsOfALaterVersion) {
    EXPECT_TRUE(parses("01-" + kTrace + "-" + kParent + "-01"));
    EXPECT_TRUE(parses("cc-" + kTrace + "-" + kParent + "-01-what-comes-later"));
    EXPECT_FALSE(parses("cc-" + kTrace + "-" + kParent + "-01what"));
}

TEST(RequestTrace, ContinuesAValidTraceWithItsOwnSpan) {
    RequestTrace t;
    t.start("00-" + kTrace + "-" + kParent + "-03");
    EXPECT_EQ(t.id(), kTrace);
    const std::string header(t.traceparent());
    EXPECT_EQ(header.substr(0, 36), "00-" + kTrace + "-");
    EXPECT_NE(header.substr(36, 16), kParent);
    EXPECT_TRUE(is_lower_hex(header.substr(36, 16)));
    EXPECT_EQ(header.substr(52), "-01") << "only the sampled flag is passed on";
    EXPECT_TRUE(parses(header));
}

TEST(RequestTrace, StartsANewTraceForAnythingElse) {
    for (const std::string& bad : {std::string(), std::string("garbage"),
                                   "00-" + std::string(32, '0') + "-" + kParent + "-01"}) {
        RequestTrace t;
        t.start(bad);
        const std::string header(t.traceparent());
        EXPECT_TRUE(parses(header)) << header;
        EXPECT_EQ(header.substr(52), "-00");
        EXPECT_NE(t.id(), std::string(32, '0'));
    }
    RequestTrace a, b;
    a.start({});
    b.start({});
    EXPECT_NE(a.id(), b.id());
}

TEST(RequestTrace, IsTheThreadsCurrentOneOnlyWithinItsScope) {
    EXPECT_EQ(hotel::http::current_trace_id(), "");
    RequestTrace t;
    t.start({});
    {
        hotel::http::TraceScope scope(&t);
        EXPECT_EQ(hotel::http::current_trace_id(), t.id());
        t.clear();  // between two requests of the connection
        EXPECT_EQ(hotel::http::current_trace_id(), "");
    }
    t.start({});
    EXPECT_EQ(hotel::http::current_trace_id(), "");
}
