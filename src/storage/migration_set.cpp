#include "storage/migration_set.hpp"

#include <sodium.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace hotel::storage {

std::string sha256_hex(const std::string& data) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(sizeof digest * 2);
    for (unsigned char b : digest) {
        out.push_back(hex[b >> 4]);
        out.push_back(hex[b & 0xf]);
    }
    return out;
}

std::vector<MigrationFile> read_migration_dir(const std::filesystem::path& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw MigrationError(1, "migrations directory not found: " + dir.string());
    std::vector<MigrationFile> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".sql")
            continue;
        std::ifstream in(entry.path(), std::ios::binary);
        if (!in)
            throw MigrationError(1, "cannot read " + entry.path().string());
        std::ostringstream text;
        text << in.rdbuf();
        files.push_back({entry.path().filename().string(), text.str()});
    }
    return files;
}

std::vector<Migration> make_migration_set(const std::vector<MigrationFile>& files) {
    static const std::regex pattern(R"(^([0-9]{4})_[a-z0-9][a-z0-9_]*\.sql$)");
    std::vector<Migration> out;
    std::set<int> seen;
    for (const auto& f : files) {
        std::smatch m;
        if (!std::regex_match(f.name, m, pattern))
            throw MigrationError(
                2, "migration file name '" + f.name + "' does not match NNNN_name.sql");
        const int version = std::stoi(m[1].str());
        if (version == 0)
            throw MigrationError(2, "migration number 0000 is reserved: " + f.name);
        if (!seen.insert(version).second)
            throw MigrationError(2, "two migration files share the number " + m[1].str());
        if (f.sql.find('\0') != std::string::npos)
            throw MigrationError(2, "migration " + f.name + " contains a NUL byte");
        out.push_back({version, f.name, f.sql, sha256_hex(f.sql)});
    }
    std::sort(out.begin(), out.end(),
              [](const Migration& a, const Migration& b) { return a.version < b.version; });
    return out;
}

}  // namespace hotel::storage
