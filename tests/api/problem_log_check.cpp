// Runs after every API test (a ctest fixture cleanup): each problem the tests were answered
// with (logged by the test client, see note_problem) must be documented for its operation in
// api/openapi.json: its status among the operation's responses, its `code` in that response's
// code enum, and its `reason`, if any, in the reason enum. A test that provokes an undocumented
// problem fails the run here, so the document cannot fall behind what the server answers.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_env.hpp"

namespace json = boost::json;

namespace {

json::value load_document() {
    std::ifstream in(hotel::test::source_dir() + "/api/openapi.json");
    std::stringstream s;
    s << in.rdbuf();
    return json::parse(s.str());
}

std::vector<std::string> segments(const std::string& path) {
    std::vector<std::string> out;
    std::stringstream s(path);
    std::string part;
    while (std::getline(s, part, '/'))
        out.push_back(part);
    return out;
}

// The documented path that a concrete path matches ("" when none): {x} matches any segment;
// a literal segment wins over a parameter (as the router decides).
std::string documented_path(const json::object& paths, const std::string& path) {
    const auto parts = segments(path);
    std::string best;
    int best_literals = -1;
    for (const auto& [key, _] : paths) {
        const auto pattern = segments(std::string(key));
        if (pattern.size() != parts.size())
            continue;
        int literals = 0;
        bool match = true;
        for (std::size_t i = 0; i < parts.size() && match; ++i) {
            if (pattern[i].size() > 1 && pattern[i].front() == '{')
                match = !parts[i].empty();
            else if (pattern[i] == parts[i])
                ++literals;
            else
                match = false;
        }
        if (match && literals > best_literals) {
            best = std::string(key);
            best_literals = literals;
        }
    }
    return best;
}

const json::value& resolve(const json::value& doc, const json::value& v) {
    if (v.is_object() && v.as_object().contains("$ref")) {
        std::string ref(v.at("$ref").as_string());
        return resolve(doc, doc.at_pointer(ref.substr(1)));
    }
    return v;
}

// The values a problem response allows for `property`: its own narrowing (the allOf member
// beside the $ref to Problem) decides when there is one, and a property it does not name is
// not allowed there (a reason on an operation that documents none); else Problem's own enum.
std::set<std::string> allowed(const json::value& doc, const json::value& schema,
                              const std::string& property) {
    std::set<std::string> out;
    auto enum_of = [&](const json::value& s) {
        const auto* props = resolve(doc, s).as_object().if_contains("properties");
        const auto* p = props ? props->as_object().if_contains(property) : nullptr;
        if (p && p->as_object().contains("enum"))
            for (const auto& e : p->at("enum").as_array())
                out.insert(std::string(e.as_string()));
    };
    const auto& s = resolve(doc, schema);
    if (const auto* parts = s.as_object().if_contains("allOf")) {
        for (const auto& part : parts->as_array())
            if (!part.as_object().contains("$ref")) {
                enum_of(part);
                return out;
            }
    }
    enum_of(s);
    return out;
}

TEST(ProblemLog, EveryProblemTheTestsSawIsDocumentedForItsOperation) {
    const char* log = std::getenv("HOTEL_PROBLEM_LOG");
    ASSERT_TRUE(log && *log) << "HOTEL_PROBLEM_LOG is not set (ctest sets it)";
    std::ifstream in(log);
    if (!in)
        GTEST_SKIP() << "no API test ran, so no problem was logged";
    const auto doc = load_document();
    const auto& paths = doc.at("paths").as_object();

    std::set<std::string> undocumented;
    std::size_t lines = 0, checked = 0;
    std::string line;
    while (std::getline(in, line)) {
        ++lines;
        std::vector<std::string> f;
        std::stringstream s(line);
        std::string field;
        while (std::getline(s, field, '\t'))
            f.push_back(field);
        f.resize(5);
        const auto& [method, path, status, code, reason] = std::tie(f[0], f[1], f[2], f[3], f[4]);
        // Answered at the edge, before routing or whatever the route: a target that breaks
        // the text rules (400), a body or header over the limits (413, 431), a body that is not
        // JSON (415), and CORS preflights (OPTIONS).
        const bool edge = method == "OPTIONS" || status == "400" || status == "413" ||
                          status == "415" || status == "431";
        const auto documented = documented_path(paths, path);
        if (documented.empty()) {
            // A path that is not part of the API gets the server's 404; anything else means
            // hoteld routes a path that the document does not name.
            if (status != "404" && !edge)
                undocumented.insert(method + " " + path + " " + status + ": path not documented");
            continue;
        }
        std::string m = method;
        for (auto& c : m)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (m == "head")
            continue;  // answered as GET without a body
        const auto& item = paths.at(documented).as_object();
        if (!item.contains(m)) {
            // 405 for a method the path does not have; anything else is an undocumented route.
            if (status != "405" && !edge)
                undocumented.insert(method + " " + documented + " " + status +
                                    ": operation not documented");
            continue;
        }
        ++checked;
        const std::string where = method + " " + documented + " ";
        const auto& responses = item.at(m).at("responses").as_object();
        if (!responses.contains(status)) {
            undocumented.insert(where + status + " (" + code + "): status not documented");
            continue;
        }
        const auto& response = resolve(doc, responses.at(status));
        const auto* content = response.as_object().if_contains("content");
        const json::value* schema = nullptr;
        if (content && content->as_object().contains("application/problem+json"))
            schema = &content->at("application/problem+json").at("schema");
        if (!schema) {
            undocumented.insert(where + status + ": no problem+json body documented");
            continue;
        }
        if (!allowed(doc, *schema, "code").count(code))
            undocumented.insert(where + status + " code " + code + " not in its enum");
        if (!reason.empty() && !allowed(doc, *schema, "reason").count(reason))
            undocumented.insert(where + status + " reason " + reason + " not in its enum");
    }
    for (const auto& u : undocumented)
        ADD_FAILURE() << u;
    std::printf("problems logged: %zu, answers of documented operations checked: %zu\n", lines,
                checked);
}

}  // namespace
