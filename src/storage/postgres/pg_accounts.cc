// The AccountRepository (users, sessions) and the AuditRepository (hash-chained
// audit entries) over PostgreSQL: the same contract as storage/sqlite's, shared by
// every server on the database (a session made through one is found by all).
#include <algorithm>
#include <cctype>
#include <span>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "core/date.h"
#include "core/status.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_util.h"

namespace gugus::storage::pg {
namespace {

using domain::AuditEntry;
using domain::AuditQuery;
using SealFn = domain::AuditRepository::SealFn;
using domain::Role;
using domain::Session;
using domain::User;

std::string Lower(std::string_view s) {
  std::string out(s);
  absl::AsciiStrToLower(&out);
  return out;
}

constexpr std::string_view kUserSelect =
    "SELECT u.id, u.username, u.role, u.region_code, u.agency_id, a.code, "
    "u.password_hash, u.disabled, u.must_change_password, u.version, u.created_at, "
    "u.updated_at FROM users u JOIN agencies a ON a.id = u.agency_id";

User ReadUser(const pqxx::row& row) {
  User u;
  u.id = row[0].as<int64_t>();
  u.username = row[1].c_str();
  std::optional<Role> parsed = domain::ParseRole(row[2].c_str());
  // The schema's CHECK constraint admits only known roles.
  if (!parsed) throw std::runtime_error("an account has an unknown role");
  u.role = *parsed;
  u.region_code = row[3].c_str();
  u.agency_id = row[4].as<int64_t>();
  u.agency_code = row[5].c_str();
  u.password_hash = row[6].c_str();
  u.disabled = row[7].as<bool>();
  u.must_change_password = row[8].as<bool>();
  u.version = row[9].as<int64_t>();
  u.created_at = row[10].c_str();
  u.updated_at = row[11].c_str();
  return u;
}

// The code of agency `id`, or FailedPrecondition.
absl::StatusOr<std::string> AgencyCode(pqxx::transaction_base& w, int64_t id) {
  pqxx::result r = w.exec_params("SELECT code FROM agencies WHERE id = $1", id);
  if (r.empty())
    return absl::FailedPreconditionError("the account's agency does not exist");
  return std::string(r[0][0].c_str());
}

class PgAccountRepository : public domain::AccountRepository {
 public:
  explicit PgAccountRepository(ConnectionFn conn) : conn_(std::move(conn)) {}

  absl::Status AddUser(User& user) override {
    const std::string username = Lower(user.username);
    auto taken = [&] {
      return absl::AlreadyExistsError(
          StrCat("the username '", username, "' is already taken"));
    };
    absl::Status added = Guard("cannot add the account", [&]() -> absl::Status {
      pqxx::work w(conn_().get());
      if (!w.exec_params("SELECT 1 FROM users WHERE username = $1", username).empty())
        return taken();
      GUGUS_ASSIGN_OR_RETURN(std::string agency_code, AgencyCode(w, user.agency_id));
      const std::string now = NowUtc();
      pqxx::result r = w.exec_params(
          "INSERT INTO users (username, role, region_code, agency_id, password_hash, "
          "disabled, must_change_password, version, created_at, updated_at) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8) RETURNING id",
          username, std::string(domain::RoleName(user.role)), user.region_code,
          user.agency_id, user.password_hash, user.disabled, user.must_change_password,
          now);
      w.commit();
      user.id = r[0][0].as<int64_t>();
      user.username = username;
      user.agency_code = std::move(agency_code);
      user.version = 1;
      user.created_at = now;
      user.updated_at = now;
      return absl::OkStatus();
    });
    // Another server took the name between the check and the insert.
    if (absl::IsFailedPrecondition(added) &&
        absl::StrContains(added.message(), "users_username_key"))
      return taken();
    return added;
  }

  absl::StatusOr<User> FindUser(std::string_view username) override {
    return FindOne(StrCat(kUserSelect, " WHERE u.username = $1"), Lower(username));
  }

  absl::StatusOr<User> FindUserById(int64_t id) override {
    return FindOne(StrCat(kUserSelect, " WHERE u.id = $1"), id);
  }

  absl::StatusOr<std::vector<User>> ListUsers() override {
    return Guard("cannot read accounts", [&]() -> absl::StatusOr<std::vector<User>> {
      pqxx::read_transaction w(conn_().get());
      std::vector<User> out;
      for (const auto& row : w.exec(StrCat(kUserSelect, " ORDER BY u.username")))
        out.push_back(ReadUser(row));
      return out;
    });
  }

  absl::Status UpdateUser(User& user) override {
    return Guard("cannot change the account", [&]() -> absl::Status {
      pqxx::work w(conn_().get());
      GUGUS_ASSIGN_OR_RETURN(std::string agency_code, AgencyCode(w, user.agency_id));
      const std::string now = NowUtc();
      pqxx::result r = w.exec_params(
          "UPDATE users SET role = $1, region_code = $2, agency_id = $3, "
          "password_hash = $4, disabled = $5, must_change_password = $6, "
          "version = version + 1, updated_at = $7 WHERE id = $8 AND version = $9",
          std::string(domain::RoleName(user.role)), user.region_code, user.agency_id,
          user.password_hash, user.disabled, user.must_change_password, now, user.id,
          user.version);
      if (r.affected_rows() == 0) {
        if (w.exec_params("SELECT 1 FROM users WHERE id = $1", user.id).empty())
          return absl::NotFoundError("no such account");
        return absl::AbortedError(
            "the account was changed by someone else meanwhile; reload it and try "
            "again");
      }
      w.commit();
      ++user.version;
      user.updated_at = now;
      user.agency_code = std::move(agency_code);
      return absl::OkStatus();
    });
  }

  absl::Status AddSession(const Session& session) override {
    return Guard("cannot start the session", [&]() -> absl::Status {
      Connection& c = conn_();
      pqxx::work w(c.get());
      w.exec_prepared(c.Prepared("INSERT INTO sessions (token_hash, user_id, created_at, "
                                 "expires_at, address, revoked) VALUES ($1, $2, $3, $4, "
                                 "$5, $6)"),
                      session.token_hash, session.user_id, session.created_at,
                      session.expires_at, session.address, session.revoked);
      w.commit();
      return absl::OkStatus();
    });
  }

  absl::StatusOr<Session> FindSession(std::string_view token_hash) override {
    return Guard("cannot read sessions", [&]() -> absl::StatusOr<Session> {
      Connection& c = conn_();
      pqxx::read_transaction w(c.get());
      pqxx::result r = w.exec_prepared(
          c.Prepared("SELECT token_hash, user_id, created_at, expires_at, address, "
                     "revoked FROM sessions WHERE token_hash = $1"),
          std::string(token_hash));
      if (r.empty()) return absl::NotFoundError("no such session");
      Session out;
      out.token_hash = r[0][0].c_str();
      out.user_id = r[0][1].as<int64_t>();
      out.created_at = r[0][2].c_str();
      out.expires_at = r[0][3].c_str();
      out.address = r[0][4].c_str();
      out.revoked = r[0][5].as<bool>();
      return out;
    });
  }

  absl::Status RevokeSession(std::string_view token_hash) override {
    return Guard("cannot end the session", [&]() -> absl::Status {
      pqxx::work w(conn_().get());
      pqxx::result r =
          w.exec_params("UPDATE sessions SET revoked = true WHERE token_hash = $1",
                        std::string(token_hash));
      if (r.affected_rows() == 0) return absl::NotFoundError("no such session");
      w.commit();
      return absl::OkStatus();
    });
  }

  absl::Status RevokeUserSessions(int64_t user_id) override {
    return Guard("cannot end the sessions", [&]() -> absl::Status {
      pqxx::work w(conn_().get());
      w.exec_params(
          "UPDATE sessions SET revoked = true WHERE user_id = $1 AND NOT revoked",
          user_id);
      w.commit();
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<domain::LoginFailures>> FindLoginFailures(
      const std::vector<std::string>& keys) override {
    return Guard("cannot read failed logins",
                 [&]() -> absl::StatusOr<std::vector<domain::LoginFailures>> {
                   Connection& c = conn_();
                   pqxx::read_transaction w(c.get());
                   std::vector<domain::LoginFailures> out;
                   for (const std::string& key : keys) {
                     pqxx::result r = w.exec_prepared(
                         c.Prepared("SELECT count, last_ms FROM login_failures "
                                    "WHERE key = $1"),
                         key);
                     domain::LoginFailures f;
                     if (!r.empty()) {
                       f.count = r[0][0].as<int>();
                       f.last_ms = r[0][1].as<int64_t>();
                     }
                     out.push_back(f);
                   }
                   return out;
                 });
  }

  absl::Status AddLoginFailure(const std::vector<std::string>& keys, int64_t now_ms,
                               int64_t forget_before_ms) override {
    return Guard("cannot record a failed login", [&]() -> absl::Status {
      Connection& c = conn_();
      pqxx::work w(c.get());
      for (const std::string& key : keys)
        w.exec_prepared(c.Prepared(kAddLoginFailure), key, now_ms, forget_before_ms);
      w.exec_prepared(c.Prepared("DELETE FROM login_failures WHERE last_ms < $1"),
                      forget_before_ms);
      w.commit();
      return absl::OkStatus();
    });
  }

  absl::Status ClearLoginFailures(const std::vector<std::string>& keys) override {
    return Guard("cannot clear failed logins", [&]() -> absl::Status {
      Connection& c = conn_();
      pqxx::work w(c.get());
      for (const std::string& key : keys)
        w.exec_prepared(c.Prepared("DELETE FROM login_failures WHERE key = $1"), key);
      w.commit();
      return absl::OkStatus();
    });
  }

 private:
  template <typename Key>
  absl::StatusOr<User> FindOne(const std::string& sql, const Key& key) {
    return Guard("cannot read accounts", [&]() -> absl::StatusOr<User> {
      Connection& c = conn_();
      pqxx::read_transaction w(c.get());
      pqxx::result r = w.exec_prepared(c.Prepared(sql), key);
      if (r.empty()) return absl::NotFoundError("no such account");
      return ReadUser(r[0]);
    });
  }

  ConnectionFn conn_;
};

constexpr std::string_view kAuditSelect =
    "SELECT seq, at, actor, address, action, target, detail, prev_hash, hash "
    "FROM audit_entries";

AuditEntry ReadEntry(const pqxx::row& row) {
  AuditEntry e;
  e.seq = row[0].as<int64_t>();
  e.at = row[1].c_str();
  e.actor = row[2].c_str();
  e.address = row[3].c_str();
  e.action = row[4].c_str();
  e.target = row[5].c_str();
  e.detail = row[6].c_str();
  e.prev_hash = row[7].c_str();
  e.hash = row[8].c_str();
  return e;
}

class PgAuditRepository : public domain::AuditRepository {
 public:
  explicit PgAuditRepository(ConnectionFn conn) : conn_(std::move(conn)) {}

  absl::Status AppendBatch(std::span<AuditEntry> entries, const SealFn& seal) override {
    if (entries.empty()) return absl::OkStatus();
    return Guard("cannot write the audit trail", [&]() -> absl::Status {
      Connection& c = conn_();
      pqxx::work w(c.get());
      // The head row's lock serialises every append on the database, from any
      // server or command: the next append reads the head only after this one has
      // committed (or rolled back), so the chain cannot fork.
      pqxx::row head =
          w.exec_prepared1(c.Prepared("SELECT seq, hash FROM audit_head FOR UPDATE"));
      int64_t last = head[0].as<int64_t>();
      std::string prev = head[1].c_str();
      // Sealed copies: the caller's entries change only once the batch is committed.
      std::vector<AuditEntry> sealed(entries.begin(), entries.end());
      const std::string& insert = c.Prepared(
          "INSERT INTO audit_entries (seq, at, actor, address, action, target, detail, "
          "prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
      for (AuditEntry& e : sealed) {
        e.seq = ++last;
        e.prev_hash = std::move(prev);
        e.hash = seal(e);
        prev = e.hash;
        w.exec_prepared(insert, e.seq, e.at, e.actor, e.address, e.action, e.target,
                        e.detail, e.prev_hash, e.hash);
      }
      w.exec_prepared(c.Prepared("UPDATE audit_head SET seq = $1, hash = $2"), last,
                      prev);
      w.commit();
      std::move(sealed.begin(), sealed.end(), entries.begin());
      return absl::OkStatus();
    });
  }

  absl::Status ForEachAudit(
      const std::function<absl::Status(const AuditEntry&)>& visit) override {
    return Guard("cannot read the audit trail", [&]() -> absl::Status {
      pqxx::read_transaction w(conn_().get());
      // A cursor: the trail may be far larger than memory wants to hold at once.
      pqxx::icursorstream cursor(w, StrCat(kAuditSelect, " ORDER BY seq"), "audit",
                                 10000);
      pqxx::result chunk;
      while (cursor >> chunk) {
        for (const auto& row : chunk) GUGUS_RETURN_IF_ERROR(visit(ReadEntry(row)));
      }
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<AuditEntry>> FindAudit(const AuditQuery& query) override {
    return Guard("cannot read the audit trail",
                 [&]() -> absl::StatusOr<std::vector<AuditEntry>> {
                   pqxx::read_transaction w(conn_().get());
                   std::string sql = StrCat(kAuditSelect, " WHERE seq > $1");
                   // Unused parameters are compared with themselves, so that one
                   // statement serves every combination.
                   sql += " AND ($2 = '' OR actor = $2) AND ($3 = '' OR action = $3)";
                   sql += " ORDER BY seq";
                   // A limit of 0 or less means every matching entry.
                   if (query.limit > 0) sql += StrCat(" LIMIT ", query.limit);
                   std::vector<AuditEntry> out;
                   for (const auto& row :
                        w.exec_params(sql, query.after_seq, query.actor, query.action))
                     out.push_back(ReadEntry(row));
                   return out;
                 });
  }

 private:
  ConnectionFn conn_;
};

}  // namespace

std::unique_ptr<domain::AccountRepository> NewAccountRepository(ConnectionFn conn) {
  return std::make_unique<PgAccountRepository>(std::move(conn));
}

std::unique_ptr<domain::AuditRepository> NewAuditRepository(ConnectionFn conn) {
  return std::make_unique<PgAuditRepository>(std::move(conn));
}

}  // namespace gugus::storage::pg
