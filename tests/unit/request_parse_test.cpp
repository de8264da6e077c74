// The request framing step on a byte buffer (what the fuzz target drives): the same Request
// the server builds from a socket, and the same answers for requests it cannot read.

#include <gtest/gtest.h>

#include "http/request_parse.hpp"

using namespace hotel::http;
using Status = ParsedRequest::Status;

TEST(RequestParse, ACompleteRequestBecomesARequest) {
    const std::string bytes =
        "POST /v1/hotels?city=Lisbon HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "X-Request-Id: abc\r\nContent-Length: 2\r\n\r\n{}GET / HTTP/1.1\r\n\r\n";
    auto p = parse_request(bytes, {});
    ASSERT_EQ(p.status, Status::complete);
    EXPECT_EQ(p.request.method, "POST");
    EXPECT_EQ(p.request.path, "/v1/hotels");
    EXPECT_EQ(p.request.query, "city=Lisbon");
    EXPECT_EQ(p.request.body, "{}");
    EXPECT_EQ(p.request.header("x-request-id").value_or(""), "abc");
    EXPECT_EQ(p.request.headers.front().name, "host");  // names lower-case
    EXPECT_TRUE(p.keep_alive);
    // Only this request's bytes are consumed; the pipelined one stays.
    EXPECT_EQ(bytes.substr(p.consumed), "GET / HTTP/1.1\r\n\r\n");
}

TEST(RequestParse, ChunkedBodiesAreJoined) {
    auto p = parse_request(
        "POST /x HTTP/1.1\r\nTransfer-Encoding: "
        "chunked\r\n\r\n3\r\n{\"a\r\n4\r\n\":1}\r\n0\r\n\r\n",
        {});
    ASSERT_EQ(p.status, Status::complete);
    EXPECT_EQ(p.request.body, "{\"a\":1}");
}

TEST(RequestParse, LimitsAndGarbageGetTheServersAnswers) {
    const ReadLimits limits{256, 16};
    auto big = parse_request("POST /x HTTP/1.1\r\nContent-Length: 17\r\n\r\n", limits);
    EXPECT_EQ(big.status, Status::body_too_large);
    EXPECT_EQ(read_problem(big.status, limits).status, 413);
    auto head =
        parse_request("GET /x HTTP/1.1\r\nX-Big: " + std::string(300, 'a') + "\r\n\r\n", limits);
    EXPECT_EQ(head.status, Status::header_too_large);
    EXPECT_EQ(read_problem(head.status, limits).status, 431);
    auto garbage = parse_request("\x16\x03\x01 this is not http\r\n\r\n", limits);
    EXPECT_EQ(garbage.status, Status::malformed);
    EXPECT_EQ(read_problem(garbage.status, limits).code, "bad_request");
    EXPECT_EQ(parse_request("GET /x HTTP/1.1\r\nHost:", limits).status, Status::incomplete);
    EXPECT_EQ(parse_request("POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\nab", limits).status,
              Status::incomplete);
    EXPECT_EQ(parse_request("", limits).status, Status::incomplete);
}
