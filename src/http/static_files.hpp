#pragma once
// The web app's files (issue 14), read once at start from a directory and served from memory:
// each with its Content-Type, a strong ETag (a hash of its bytes) that a conditional GET
// answers with 304, a gzip copy when the client accepts it and it is smaller, and the security
// headers of an app page (a Content-Security-Policy allowing only the app's own origin). The
// page names the other files under a path of their release, cached for good.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace hotel::http {

class StaticFiles {
  public:
    // Every regular file directly in `dir` (none when it does not exist).
    static StaticFiles load(const std::filesystem::path& dir);

    // The answer to a GET of the file `name` ("index.html", "app.js"), asked for under the
    // release `release` (/app/<release>/<name>; empty: by its plain name); nullopt when there
    // is no such file.
    std::optional<Response> serve(std::string_view name, const Request& request,
                                  std::string_view release = {}) const;
    std::size_t size() const { return files_.size(); }
    // A hash of every file but the page: index.html names the others under /app/<release>/,
    // where they are cached for good (a new release is a new path).
    const std::string& release() const { return release_; }

  private:
    struct File {
        std::string content_type;
        std::string body;
        std::string gzip;  // empty when compressing does not pay
        std::string etag;
    };
    std::map<std::string, File, std::less<>> files_;
    std::string release_;
};

// The Content-Security-Policy of the app's pages: the app's own origin only.
inline constexpr std::string_view kAppContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'";

}  // namespace hotel::http
