#pragma once
// JSON text written straight into a string, for the answers that are hot enough for their
// intermediate DOM to show in profiles (the offers of a hotel: an object per night). Keys and
// strings are escaped as RFC 8259 asks; the caller writes a well-formed document (begin/end
// paired, a key before each value in an object).

#include <string>
#include <string_view>
#include <vector>

namespace hotel::api {

class JsonText {
  public:
    JsonText() { out_.reserve(4096); }
    JsonText& begin_object();
    JsonText& end_object();
    JsonText& begin_array();
    JsonText& end_array();
    JsonText& key(std::string_view name);
    JsonText& string(std::string_view value);
    JsonText& number(long long value);
    JsonText& boolean(bool value);
    JsonText& null();
    std::string take() { return std::move(out_); }

  private:
    void value_starts();  // the comma before a value of an array or a key of an object
    void escaped(std::string_view text);
    std::string out_;
    std::vector<bool> first_;  // per open object or array: nothing written in it yet
    bool after_key_ = false;
};

}  // namespace hotel::api
