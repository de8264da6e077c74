// JsonText: JSON written straight into a string reads back as the document it describes, with
// every string escaped (quotes, backslashes, control characters; UTF-8 as it is).

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/json_text.hpp"

namespace hotel::api {
namespace {

TEST(JsonTextOut, WritesWhatAParserReadsBack) {
    const std::string tricky = "a \"quote\", a \\ backslash,\n\t\r\b\f, \x01\x1f, café, 日本";
    JsonText out;
    out.begin_object();
    out.key("empty_object").begin_object().end_object();
    out.key("empty_array").begin_array().end_array();
    out.key("list").begin_array();
    out.number(0).number(-9223372036854775807LL - 1).number(42).boolean(true).boolean(false).null();
    out.begin_object().key("k").string("v").key(tricky).string(tricky).end_object();
    out.begin_array().begin_array().end_array().string("").end_array();
    out.end_array();
    out.key("last").string("x");
    out.end_object();
    const auto text = out.take();

    boost::json::error_code ec;
    const auto parsed = boost::json::parse(text, ec);
    ASSERT_FALSE(ec) << text;
    const boost::json::value want = {{"empty_object", boost::json::object{}},
                                     {"empty_array", boost::json::array{}},
                                     {"list",
                                      {0, -9223372036854775807LL - 1, 42, true, false, nullptr,
                                       boost::json::object{{"k", "v"}, {tricky, tricky}},
                                       boost::json::array{boost::json::array{}, ""}}},
                                     {"last", "x"}};
    EXPECT_EQ(parsed, want) << text;
    EXPECT_EQ(text.find('\n'), std::string::npos) << "control characters are escaped";
    EXPECT_NE(text.find("\\u0001"), std::string::npos);
    EXPECT_NE(text.find("café"), std::string::npos) << "UTF-8 is written as it is";
}

}  // namespace
}  // namespace hotel::api
