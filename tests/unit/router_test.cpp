#include <gtest/gtest.h>

#include "http/request_id.hpp"
#include "http/router.hpp"

using namespace hotel::http;

namespace {
Handler noop() {
    return [](Request&) -> boost::asio::awaitable<Response> { co_return Response{}; };
}
}  // namespace

TEST(Router, CapturesPathParameters) {
    Router r;
    r.add("GET", "/v1/hotels/{id}/rooms/{room_id}", noop());
    auto m = r.match("GET", "/v1/hotels/abc/rooms/42");
    ASSERT_EQ(m.kind, Router::Match::Kind::found);
    ASSERT_EQ(m.params.size(), 2u);
    EXPECT_EQ(m.params[0].first, "id");
    EXPECT_EQ(m.params[0].second, "abc");
    EXPECT_EQ(m.params[1].second, "42");
}

TEST(Router, UnknownPathIsNotFound) {
    Router r;
    r.add("GET", "/health", noop());
    EXPECT_EQ(r.match("GET", "/healthz").kind, Router::Match::Kind::not_found);
    EXPECT_EQ(r.match("GET", "/health/x").kind, Router::Match::Kind::not_found);
    EXPECT_EQ(r.match("GET", "").kind, Router::Match::Kind::not_found);
}

TEST(Router, EmptyParameterSegmentDoesNotMatch) {
    Router r;
    r.add("GET", "/v1/hotels/{id}", noop());
    EXPECT_EQ(r.match("GET", "/v1/hotels/").kind, Router::Match::Kind::not_found);
}

TEST(Router, WrongMethodListsAllowedMethodsSorted) {
    Router r;
    r.add("POST", "/v1/hotels", noop());
    r.add("GET", "/v1/hotels", noop());
    auto m = r.match("DELETE", "/v1/hotels");
    ASSERT_EQ(m.kind, Router::Match::Kind::method_not_allowed);
    EXPECT_EQ(m.allow, "GET, HEAD, POST");
}

TEST(RequestId, AcceptsOnlyTheDocumentedAlphabetAndLength) {
    EXPECT_TRUE(is_valid_request_id("abc-123_X.y"));
    EXPECT_TRUE(is_valid_request_id(std::string(128, 'a')));
    EXPECT_FALSE(is_valid_request_id(std::string(129, 'a')));
    EXPECT_FALSE(is_valid_request_id(""));
    EXPECT_FALSE(is_valid_request_id("has space"));
    EXPECT_FALSE(is_valid_request_id("semi;colon"));
}

TEST(RequestId, GeneratedIdsAreValidAndDistinct) {
    auto a = generate_request_id();
    auto b = generate_request_id();
    EXPECT_TRUE(is_valid_request_id(a));
    EXPECT_EQ(a.size(), 32u);
    EXPECT_NE(a, b);
}

TEST(Router, HeadIsRoutedToGetAndListedBesideIt) {
    Router r;
    r.add("GET", "/v1/hotels", noop(), Access::optional);
    r.add("POST", "/v1/hotels", noop());
    r.add("POST", "/v1/auth/login", noop());
    auto m = r.match("HEAD", "/v1/hotels");
    ASSERT_EQ(m.kind, Router::Match::Kind::found);
    EXPECT_EQ(m.access, Access::optional);
    EXPECT_EQ(r.match("DELETE", "/v1/hotels").allow, "GET, HEAD, POST");
    // A path without GET has no HEAD either.
    auto login = r.match("HEAD", "/v1/auth/login");
    EXPECT_EQ(login.kind, Router::Match::Kind::method_not_allowed);
    EXPECT_EQ(login.allow, "POST");
}
