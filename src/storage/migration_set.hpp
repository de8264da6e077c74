#pragma once
// The ordered set of schema migrations: files named NNNN_name.sql, applied in order, each
// identified by its number and guarded by a SHA-256 checksum of its exact bytes.

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace hotel::storage {

struct MigrationFile {
    std::string name;  // file name, e.g. "0001_initial_model.sql"
    std::string sql;
};

struct Migration {
    int version = 0;
    std::string name;
    std::string sql;
    std::string checksum;  // lower-case hex SHA-256 of sql
};

// Refusals carry the process exit code hotel-migrate should use: 2 for a history that does not
// match (edited, missing or out-of-order files), 1 for everything else.
class MigrationError : public std::runtime_error {
  public:
    MigrationError(int exit_code, const std::string& message)
        : std::runtime_error(message), exit_code_(exit_code) {}
    int exit_code() const noexcept { return exit_code_; }

  private:
    int exit_code_;
};

// The migrations compiled into this binary (generated from migrations/ at build time).
const std::vector<MigrationFile>& embedded_migration_files();

// Reads every *.sql file of a directory. Other files are ignored.
std::vector<MigrationFile> read_migration_dir(const std::filesystem::path& dir);

// Validates names and numbering (NNNN_name.sql, unique numbers) and sorts by number.
std::vector<Migration> make_migration_set(const std::vector<MigrationFile>& files);

std::string sha256_hex(const std::string& data);

}  // namespace hotel::storage
