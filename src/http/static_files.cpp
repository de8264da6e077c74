#include "http/static_files.hpp"

#include <sodium.h>
#include <zlib.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "http/text.hpp"

namespace hotel::http {

namespace {

std::string content_type_of(const std::filesystem::path& p) {
    static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".json", "application/json"},
        {".webmanifest", "application/json"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const auto ext = p.extension().string();
    for (const auto& [suffix, type] : kTypes)
        if (ext == suffix)
            return std::string(type);
    return "application/octet-stream";
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + p.string());
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// A strong validator: the first 16 bytes of the BLAKE2b hash of the bytes, in hex, quoted.
std::string etag_of(const std::string& body) {
    if (sodium_init() < 0)
        throw std::runtime_error("libsodium could not be initialised");
    unsigned char hash[16];
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(body.data()),
                       body.size(), nullptr, 0);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "\"";
    for (unsigned char b : hash) {
        out += hex[b >> 4];
        out += hex[b & 15];
    }
    return out + "\"";
}

// gzip (RFC 1952) at the best level; empty when zlib fails.
std::string gzip_of(const std::string& body) {
    z_stream z{};
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    std::string out(deflateBound(&z, static_cast<uLong>(body.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
    z.avail_in = static_cast<uInt>(body.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return rc == Z_STREAM_END ? out : std::string();
}

// Whether Accept-Encoding lists gzip with a weight above zero.
bool accepts_gzip(const Request& request) {
    const auto header = request.header("accept-encoding");
    if (!header)
        return false;
    for (const auto item : list_items(*header, ',')) {
        const auto semi = item.find(';');
        const auto coding = list_items(item.substr(0, semi), ';');
        if (coding.empty() || (coding[0] != "gzip" && coding[0] != "*"))
            continue;
        if (semi == std::string_view::npos)
            return true;
        const auto q = item.find("q=", semi);
        return q == std::string_view::npos ||
               item.substr(q + 2).find_first_not_of("0.") != std::string_view::npos;
    }
    return false;
}

// Whether If-None-Match names this validator (or is "*").
bool matches(const Request& request, const std::string& etag) {
    const auto header = request.header("if-none-match");
    if (!header)
        return false;
    const std::string_view h = *header;
    if (h.find('*') != std::string_view::npos)
        return true;
    return h.find(etag) != std::string_view::npos;
}

}  // namespace

StaticFiles StaticFiles::load(const std::filesystem::path& dir) {
    StaticFiles out;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        return out;
    std::map<std::string, std::string, std::less<>> bodies;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.is_regular_file())
            bodies.emplace(entry.path().filename().string(), read_file(entry.path()));
    // The release: a hash over every file but the page, by name (the map's order).
    std::string all;
    for (const auto& [name, body] : bodies)
        if (name != "index.html")
            all += name + '\n' + etag_of(body) + '\n';
    out.release_ = etag_of(all).substr(1, 12);
    // The page names its files under the release, so that they can be cached for good.
    if (auto page = bodies.find("index.html"); page != bodies.end()) {
        const std::string from = "\"/app/", to = "\"/app/" + out.release_ + "/";
        std::string& body = page->second;
        for (auto at = body.find(from); at != std::string::npos; at = body.find(from, at)) {
            body.replace(at, from.size(), to);
            at += to.size();
        }
    }
    for (auto& [name, body] : bodies) {
        File f;
        f.content_type = content_type_of(name);
        f.body = std::move(body);
        f.etag = etag_of(f.body);
        if (f.body.size() > 256) {
            auto packed = gzip_of(f.body);
            if (!packed.empty() && packed.size() < f.body.size())
                f.gzip = std::move(packed);
        }
        out.files_.emplace(name, std::move(f));
    }
    return out;
}

std::optional<Response> StaticFiles::serve(std::string_view name, const Request& request,
                                           std::string_view release) const {
    const auto it = files_.find(name);
    if (it == files_.end())
        return std::nullopt;
    const auto& f = it->second;
    Response r;
    r.content_type = f.content_type;
    // Under this release's path a file never changes: cached for a year without asking again.
    // Otherwise (the page, a file by its plain name, a page of another release during a
    // deployment) it is revalidated on every use, which is cheap: a 304 without a body.
    if (!release.empty() && release == release_)
        r.set_header("cache-control", "public, max-age=31536000, immutable");
    else
        r.set_header("cache-control", "no-cache");
    r.set_header("etag", f.etag);
    r.set_header("vary", "Accept-Encoding");
    r.set_header("content-security-policy", std::string(kAppContentSecurityPolicy));
    r.set_header("x-content-type-options", "nosniff");
    r.set_header("referrer-policy", "same-origin");
    if (matches(request, f.etag)) {
        r.status = 304;
        return r;
    }
    if (!f.gzip.empty() && accepts_gzip(request)) {
        r.set_header("content-encoding", "gzip");
        r.body = f.gzip;
    } else {
        r.body = f.body;
    }
    return r;
}

}  // namespace hotel::http
