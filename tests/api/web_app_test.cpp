// The web app's files (issue 14) as hoteld serves them: the page at /, its files at /app/, each
// with its type, a validator answered with 304, gzip when accepted, and a Content-Security-
// Policy that allows only the app's own origin. Real hoteld, real PostgreSQL.

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "api_client.hpp"

namespace hotel::test {
namespace {

class WebApp : public ::testing::Test {
  protected:
    void SetUp() override {
        db_ = std::make_unique<TestDatabase>();
        server_ = std::make_unique<Hoteld>(*db_);
    }
    HttpResponse get(const std::string& path,
                     std::vector<std::pair<std::string, std::string>> headers = {}) {
        return http_request(server_->port(), "GET", path, headers, "");
    }
    std::unique_ptr<TestDatabase> db_;
    std::unique_ptr<Hoteld> server_;
};

std::string source_file(const std::string& name) {
    std::ifstream in(std::string(HOTEL_SOURCE_DIR) + "/web/" + name, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string gunzip(const std::string& packed) {
    z_stream z{};
    EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
    std::string out(packed.size() * 20 + 1024, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
    z.avail_in = static_cast<uInt>(packed.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
    out.resize(z.total_out);
    inflateEnd(&z);
    return out;
}

TEST_F(WebApp, ThePageAndItsFilesAreServedWithTheirTypesAndAPolicyOfTheirOwnOrigin) {
    auto page = get("/");
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
    // The page as written, but naming its files under their release's path.
    const auto release_at = page.body.find("\"/app/") + 6;
    const auto release = page.body.substr(release_at, page.body.find('/', release_at) - release_at);
    ASSERT_EQ(release.size(), 12u) << page.body;
    std::string written = page.body;
    for (auto at = written.find("/app/" + release + "/"); at != std::string::npos;
         at = written.find("/app/" + release + "/"))
        written.erase(at + 5, release.size() + 1);
    EXPECT_EQ(written, source_file("index.html"));
    EXPECT_EQ(page.header("cache-control"), "no-cache");
    const auto csp = page.header("content-security-policy").value_or("");
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
    EXPECT_EQ(page.header("x-content-type-options"), "nosniff");

    auto js = get("/app/app.js");
    ASSERT_EQ(js.status, 200);
    EXPECT_EQ(js.header("content-type"), "text/javascript; charset=utf-8");
    EXPECT_EQ(js.body, source_file("app.js"));
    EXPECT_EQ(get("/app/app.css").header("content-type"), "text/css; charset=utf-8");

    // Unknown files are 404 problems; nothing outside the directory is reachable.
    for (const char* path : {"/app/nope.js", "/app/..%2FCMakeLists.txt", "/app/.."}) {
        auto r = get(path);
        EXPECT_EQ(r.status, 404) << path;
    }
    // The API is unchanged beside it.
    EXPECT_EQ(get("/health").status, 200);
}

TEST_F(WebApp, AConditionalGetIsAnsweredWithoutTheBodyAndGzipWhenAccepted) {
    auto first = get("/app/app.js");
    const auto etag = first.header("etag").value_or("");
    ASSERT_FALSE(etag.empty());
    EXPECT_EQ(etag.front(), '"') << "a strong validator";
    EXPECT_EQ(first.header("cache-control"), "no-cache");
    auto again = get("/app/app.js", {{"If-None-Match", etag}});
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(get("/app/app.js", {{"If-None-Match", "\"other\""}}).status, 200);

    auto packed = get("/app/app.js", {{"Accept-Encoding", "br, gzip;q=0.8"}});
    ASSERT_EQ(packed.status, 200);
    EXPECT_EQ(packed.header("content-encoding"), "gzip");
    EXPECT_LT(packed.body.size(), first.body.size());
    EXPECT_EQ(gunzip(packed.body), first.body);
    EXPECT_EQ(packed.header("vary"), "Accept-Encoding");
    auto refused = get("/app/app.js", {{"Accept-Encoding", "gzip;q=0"}});
    EXPECT_FALSE(refused.header("content-encoding").has_value());
    EXPECT_EQ(refused.body, first.body);
}

// The page names its files under a path of their release, where they are cached for a year
// (a new release is a new path); the page itself, and a file asked for under another release
// (a page of the release before, during a deployment), are revalidated on every use.
TEST_F(WebApp, ThePageNamesItsFilesUnderTheirReleaseWhereTheyAreCachedForGood) {
    auto page = get("/");
    ASSERT_EQ(page.status, 200);
    const auto script = page.body.find("src=\"/app/");
    ASSERT_NE(script, std::string::npos) << page.body;
    const auto path_at = script + 5;
    const auto path = page.body.substr(path_at, page.body.find('"', path_at) - path_at);
    ASSERT_NE(path, "/app/app.js") << "a path of the release, not the plain name";
    ASSERT_TRUE(path.ends_with("/app.js")) << path;
    auto js = get(path);
    ASSERT_EQ(js.status, 200) << path;
    EXPECT_EQ(js.body, source_file("app.js"));
    EXPECT_EQ(js.header("cache-control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(js.header("content-type"), "text/javascript; charset=utf-8");
    const auto css = page.body.find("href=\"/app/");
    ASSERT_NE(css, std::string::npos);
    EXPECT_EQ(get(page.body.substr(css + 6, page.body.find('"', css + 6) - css - 6))
                  .header("cache-control"),
              "public, max-age=31536000, immutable");

    auto other = get("/app/0123456789ab/app.js");
    ASSERT_EQ(other.status, 200);
    EXPECT_EQ(other.body, js.body);
    EXPECT_EQ(other.header("cache-control"), "no-cache");
    EXPECT_EQ(get("/app/app.js").header("cache-control"), "no-cache");
    EXPECT_EQ(get(path.substr(0, path.size() - 6) + "nope.js").status, 404);
}

TEST(WebAppOff, WithoutItsDirectoryThereIsNoAppAndTheApiIsUnchanged) {
    TestDatabase db;
    const auto empty = std::filesystem::temp_directory_path() / "hotel-no-web";
    std::filesystem::create_directories(empty);
    Hoteld server(db, {"HOTEL_WEB_DIR=" + empty.string()});
    EXPECT_EQ(http_request(server.port(), "GET", "/", {}, "").status, 404);
    EXPECT_EQ(http_request(server.port(), "GET", "/app/app.js", {}, "").status, 404);
    EXPECT_EQ(http_request(server.port(), "GET", "/health", {}, "").status, 200);
}

TEST(WebAppOff, ADirectoryWithoutItsPageAnswers404AtTheRootAndServesItsFiles) {
    TestDatabase db;
    const auto dir = std::filesystem::temp_directory_path() / "hotel-web-no-page";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "app.js") << "export const x = 1;\n";
    Hoteld server(db, {"HOTEL_WEB_DIR=" + dir.string()});
    EXPECT_EQ(http_request(server.port(), "GET", "/", {}, "").status, 404);
    EXPECT_EQ(http_request(server.port(), "GET", "/app/app.js", {}, "").status, 200);
    EXPECT_EQ(http_request(server.port(), "GET", "/health", {}, "").status, 200) << "still up";
}

}  // namespace
}  // namespace hotel::test
