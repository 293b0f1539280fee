// Private to src/storage/postgres: one thread's connection, with the statements it
// has prepared, and the repositories' constructors.
#pragma once

#include <functional>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <unordered_map>

#include "domain/justice/justice_repository.h"
#include "domain/repository.h"

namespace gugus::storage::pg {

class Connection {
 public:
  explicit Connection(const std::string& conninfo) : c_(conninfo) {}
  pqxx::connection& get() { return c_; }
  bool is_open() const { return c_.is_open(); }
  // The name of `sql` prepared on this connection (prepared on first use): the
  // small queries every request makes (its session, its account) are parsed once.
  const std::string& Prepared(const std::string& sql) {
    auto [it, inserted] = prepared_.try_emplace(sql);
    if (inserted) {
      it->second = "s" + std::to_string(prepared_.size());
      c_.prepare(it->second, sql);
    }
    return it->second;
  }

 private:
  pqxx::connection c_;
  std::unordered_map<std::string, std::string> prepared_;
};

// The calling thread's connection (opened on first use, opened again when the
// server dropped it).
using ConnectionFn = std::function<Connection&()>;

// An import, and a read that streams, runs on a connection of its own, opened with
// `conninfo`: its transaction stays open while the caller uses the store.
std::unique_ptr<domain::RecordRepository> NewRecordRepository(ConnectionFn conn,
                                                              std::string conninfo);
std::unique_ptr<domain::LinkRepository> NewLinkRepository(ConnectionFn conn);
std::unique_ptr<domain::AccountRepository> NewAccountRepository(ConnectionFn conn);
std::unique_ptr<domain::AuditRepository> NewAuditRepository(ConnectionFn conn);
std::unique_ptr<domain::StatsRepository> NewStatsRepository(ConnectionFn conn);
std::unique_ptr<domain::JobRepository> NewJobRepository(ConnectionFn conn);
std::unique_ptr<domain::JusticeRepository> NewJusticeRepository(ConnectionFn conn,
                                                                std::string conninfo);

}  // namespace gugus::storage::pg
