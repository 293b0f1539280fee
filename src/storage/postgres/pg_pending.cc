// TEMPORARY while the repositories are being written (branch only, never on main).
#include "storage/postgres/pg_connection.h"

namespace gugus::storage::pg {

std::unique_ptr<domain::LinkRepository> NewLinkRepository(ConnectionFn) { return nullptr; }
std::unique_ptr<domain::AccountRepository> NewAccountRepository(ConnectionFn) {
  return nullptr;
}
std::unique_ptr<domain::AuditRepository> NewAuditRepository(ConnectionFn) {
  return nullptr;
}
std::unique_ptr<domain::StatsRepository> NewStatsRepository(ConnectionFn) {
  return nullptr;
}

}  // namespace gugus::storage::pg
