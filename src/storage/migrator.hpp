#pragma once
// Applies migrations to a database: in order, each in its own transaction, recorded with its
// checksum in schema_migrations, under an advisory lock so that concurrent runners serialise.

#include <functional>
#include <string>
#include <vector>

#include "pg/blocking_connection.hpp"
#include "storage/migration_set.hpp"

namespace hotel::storage {

struct AppliedMigration {
    int version = 0;
    std::string name;
    std::string checksum;
    std::string applied_at;
};

struct MigrationStatus {
    std::vector<AppliedMigration> applied;
    std::vector<Migration> pending;
    // Applied in the database but unknown to this build (the database is newer).
    std::vector<AppliedMigration> unknown;
};

class Migrator {
  public:
    Migrator(pg::BlockingConnection& db, std::vector<Migration> migrations);

    // Reads what is applied and compares it with the known files. Throws MigrationError(2)
    // when an applied file was edited, or when a pending file is numbered below an applied one.
    MigrationStatus status();

    // Applies every pending migration; returns how many were applied. Throws MigrationError(2)
    // for the history problems status() reports and for migrations unknown to this build, and
    // MigrationError(1) when a file fails (that file is rolled back; earlier ones stay).
    int apply(const std::function<void(const Migration&)>& on_applied = {});

  private:
    MigrationStatus read_status(bool table_known_to_exist);

    pg::BlockingConnection& db_;
    std::vector<Migration> migrations_;
};

}  // namespace hotel::storage
