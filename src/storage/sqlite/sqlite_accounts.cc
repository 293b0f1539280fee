#include "storage/sqlite/sqlite_accounts.h"

#include <algorithm>
#include <cctype>
#include <span>
#include <vector>

#include "absl/strings/ascii.h"
#include "core/status.h"
#include "storage/sqlite/sqlite_util.h"

namespace gugus::storage::internal {
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

constexpr const char* kUserSelect =
    "SELECT u.id, u.username, u.role, u.region_code, u.agency_id, a.code, "
    "u.password_hash, u.disabled, u.must_change_password, u.version, u.created_at, "
    "u.updated_at FROM users u JOIN agencies a ON a.id = u.agency_id";

User ReadUser(SQLite::Statement& s) {
  User u;
  u.id = s.getColumn(0).getInt64();
  u.username = s.getColumn(1).getString();
  std::string role = s.getColumn(2).getString();
  std::optional<Role> parsed = domain::ParseRole(role);
  // The schema's CHECK constraint admits only known roles.
  if (!parsed) throw std::runtime_error("an account has an unknown role");
  u.role = *parsed;
  u.region_code = s.getColumn(3).getString();
  u.agency_id = s.getColumn(4).getInt64();
  u.agency_code = s.getColumn(5).getString();
  u.password_hash = s.getColumn(6).getString();
  u.disabled = s.getColumn(7).getInt() != 0;
  u.must_change_password = s.getColumn(8).getInt() != 0;
  u.version = s.getColumn(9).getInt64();
  u.created_at = s.getColumn(10).getString();
  u.updated_at = s.getColumn(11).getString();
  return u;
}

class SqliteAccountRepository : public domain::AccountRepository {
 public:
  explicit SqliteAccountRepository(std::function<SQLite::Database&()> db)
      : db_(std::move(db)) {}

  absl::Status AddUser(User& user) override {
    return Guard("cannot add the account", [&]() -> absl::Status {
      SQLite::Database& d = db_();
      SQLite::Transaction tx(d, SQLite::TransactionBehavior::IMMEDIATE);
      const std::string username = Lower(user.username);
      {
        SQLite::Statement s(d, "SELECT 1 FROM users WHERE username = ?");
        s.bind(1, username);
        if (s.executeStep())
          return absl::AlreadyExistsError(
              StrCat("the username '", username, "' is already taken"));
      }
      std::string agency_code;
      {
        SQLite::Statement s(d, "SELECT code FROM agencies WHERE id = ?");
        s.bind(1, static_cast<int64_t>(user.agency_id));
        if (!s.executeStep())
          return absl::FailedPreconditionError("the account's agency does not exist");
        agency_code = s.getColumn(0).getString();
      }
      const std::string now = NowUtc();
      SQLite::Statement s(
          d,
          "INSERT INTO users (username, role, region_code, agency_id, "
          "password_hash, disabled, must_change_password, version, "
          "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
      s.bind(1, username);
      s.bind(2, std::string(domain::RoleName(user.role)));
      s.bind(3, user.region_code);
      s.bind(4, static_cast<int64_t>(user.agency_id));
      s.bind(5, user.password_hash);
      s.bind(6, user.disabled ? 1 : 0);
      s.bind(7, user.must_change_password ? 1 : 0);
      s.bind(8, now);
      s.bind(9, now);
      s.exec();
      user.id = d.getLastInsertRowid();
      tx.commit();
      user.username = username;
      user.agency_code = std::move(agency_code);
      user.version = 1;
      user.created_at = now;
      user.updated_at = now;
      return absl::OkStatus();
    });
  }

  absl::StatusOr<User> FindUser(std::string_view username) override {
    return Guard("cannot read accounts", [&]() -> absl::StatusOr<User> {
      SQLite::Statement s(db_(), StrCat(kUserSelect, " WHERE u.username = ?"));
      s.bind(1, Lower(username));
      if (!s.executeStep()) return absl::NotFoundError("no such account");
      return ReadUser(s);
    });
  }

  absl::StatusOr<User> FindUserById(int64_t id) override {
    return Guard("cannot read accounts", [&]() -> absl::StatusOr<User> {
      CachedStatement s(db_(), StrCat(kUserSelect, " WHERE u.id = ?"));
      s->bind(1, static_cast<int64_t>(id));
      if (!s->executeStep()) return absl::NotFoundError("no such account");
      return ReadUser(*s);
    });
  }

  absl::StatusOr<std::vector<User>> ListUsers() override {
    return Guard("cannot read accounts", [&]() -> absl::StatusOr<std::vector<User>> {
      SQLite::Statement s(db_(), StrCat(kUserSelect, " ORDER BY u.username"));
      std::vector<User> out;
      while (s.executeStep()) out.push_back(ReadUser(s));
      return out;
    });
  }

  absl::Status UpdateUser(User& user) override {
    return Guard("cannot change the account", [&]() -> absl::Status {
      SQLite::Database& d = db_();
      SQLite::Transaction tx(d, SQLite::TransactionBehavior::IMMEDIATE);
      std::string agency_code;
      {
        SQLite::Statement s(d, "SELECT code FROM agencies WHERE id = ?");
        s.bind(1, static_cast<int64_t>(user.agency_id));
        if (!s.executeStep())
          return absl::FailedPreconditionError("the account's agency does not exist");
        agency_code = s.getColumn(0).getString();
      }
      const std::string now = NowUtc();
      SQLite::Statement s(d,
                          "UPDATE users SET role = ?, region_code = ?, agency_id = ?, "
                          "password_hash = ?, disabled = ?, must_change_password = ?, "
                          "version = version + 1, updated_at = ? "
                          "WHERE id = ? AND version = ?");
      s.bind(1, std::string(domain::RoleName(user.role)));
      s.bind(2, user.region_code);
      s.bind(3, static_cast<int64_t>(user.agency_id));
      s.bind(4, user.password_hash);
      s.bind(5, user.disabled ? 1 : 0);
      s.bind(6, user.must_change_password ? 1 : 0);
      s.bind(7, now);
      s.bind(8, static_cast<int64_t>(user.id));
      s.bind(9, static_cast<int64_t>(user.version));
      if (s.exec() == 0) {
        SQLite::Statement exists(d, "SELECT 1 FROM users WHERE id = ?");
        exists.bind(1, static_cast<int64_t>(user.id));
        if (!exists.executeStep()) return absl::NotFoundError("no such account");
        return absl::AbortedError(
            "the account was changed by someone else meanwhile; reload it and try "
            "again");
      }
      tx.commit();
      ++user.version;
      user.updated_at = now;
      user.agency_code = std::move(agency_code);
      return absl::OkStatus();
    });
  }

  absl::Status AddSession(const Session& session) override {
    return Guard("cannot start the session", [&]() -> absl::Status {
      SQLite::Statement s(db_(),
                          "INSERT INTO sessions (token_hash, user_id, created_at, "
                          "expires_at, address, revoked) VALUES (?, ?, ?, ?, ?, ?)");
      s.bind(1, session.token_hash);
      s.bind(2, static_cast<int64_t>(session.user_id));
      s.bind(3, session.created_at);
      s.bind(4, session.expires_at);
      s.bind(5, session.address);
      s.bind(6, session.revoked ? 1 : 0);
      s.exec();
      return absl::OkStatus();
    });
  }

  absl::StatusOr<Session> FindSession(std::string_view token_hash) override {
    return Guard("cannot read sessions", [&]() -> absl::StatusOr<Session> {
      CachedStatement s(db_(),
                        "SELECT token_hash, user_id, created_at, expires_at, address, "
                        "revoked FROM sessions WHERE token_hash = ?");
      s->bind(1, std::string(token_hash));
      if (!s->executeStep()) return absl::NotFoundError("no such session");
      Session out;
      out.token_hash = s->getColumn(0).getString();
      out.user_id = s->getColumn(1).getInt64();
      out.created_at = s->getColumn(2).getString();
      out.expires_at = s->getColumn(3).getString();
      out.address = s->getColumn(4).getString();
      out.revoked = s->getColumn(5).getInt() != 0;
      return out;
    });
  }

  absl::Status RevokeSession(std::string_view token_hash) override {
    return Guard("cannot end the session", [&]() -> absl::Status {
      SQLite::Statement s(db_(), "UPDATE sessions SET revoked = 1 WHERE token_hash = ?");
      s.bind(1, std::string(token_hash));
      if (s.exec() == 0) return absl::NotFoundError("no such session");
      return absl::OkStatus();
    });
  }

  absl::Status RevokeUserSessions(int64_t user_id) override {
    return Guard("cannot end the sessions", [&]() -> absl::Status {
      SQLite::Statement s(db_(),
                          "UPDATE sessions SET revoked = 1 WHERE user_id = ? AND "
                          "revoked = 0");
      s.bind(1, static_cast<int64_t>(user_id));
      s.exec();
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<domain::LoginFailures>> FindLoginFailures(
      const std::vector<std::string>& keys) override {
    return Guard("cannot read failed logins",
                 [&]() -> absl::StatusOr<std::vector<domain::LoginFailures>> {
                   SQLite::Statement s(
                       db_(), "SELECT count, last_ms FROM login_failures WHERE key = ?");
                   std::vector<domain::LoginFailures> out;
                   for (const std::string& key : keys) {
                     s.reset();
                     s.bind(1, key);
                     domain::LoginFailures f;
                     if (s.executeStep()) {
                       f.count = s.getColumn(0).getInt();
                       f.last_ms = s.getColumn(1).getInt64();
                     }
                     out.push_back(f);
                   }
                   return out;
                 });
  }

  absl::Status AddLoginFailure(const std::vector<std::string>& keys, int64_t now_ms,
                               int64_t forget_before_ms) override {
    return Guard("cannot record a failed login", [&]() -> absl::Status {
      SQLite::Database& d = db_();
      SQLite::Transaction tx(d, SQLite::TransactionBehavior::IMMEDIATE);
      SQLite::Statement add(d, kAddLoginFailure);
      for (const std::string& key : keys) {
        add.reset();
        add.bind(1, key);
        add.bind(2, now_ms);
        add.bind(3, forget_before_ms);
        add.exec();
      }
      SQLite::Statement forget(d, "DELETE FROM login_failures WHERE last_ms < ?");
      forget.bind(1, forget_before_ms);
      forget.exec();
      tx.commit();
      return absl::OkStatus();
    });
  }

  absl::Status ClearLoginFailures(const std::vector<std::string>& keys) override {
    return Guard("cannot clear failed logins", [&]() -> absl::Status {
      SQLite::Statement s(db_(), "DELETE FROM login_failures WHERE key = ?");
      for (const std::string& key : keys) {
        s.reset();
        s.bind(1, key);
        s.exec();
      }
      return absl::OkStatus();
    });
  }

 private:
  std::function<SQLite::Database&()> db_;
};

constexpr const char* kAuditSelect =
    "SELECT seq, at, actor, address, action, target, detail, prev_hash, hash "
    "FROM audit_entries";

AuditEntry ReadEntry(SQLite::Statement& s) {
  AuditEntry e;
  e.seq = s.getColumn(0).getInt64();
  e.at = s.getColumn(1).getString();
  e.actor = s.getColumn(2).getString();
  e.address = s.getColumn(3).getString();
  e.action = s.getColumn(4).getString();
  e.target = s.getColumn(5).getString();
  e.detail = s.getColumn(6).getString();
  e.prev_hash = s.getColumn(7).getString();
  e.hash = s.getColumn(8).getString();
  return e;
}

class SqliteAuditRepository : public domain::AuditRepository {
 public:
  explicit SqliteAuditRepository(std::function<SQLite::Database&()> db)
      : db_(std::move(db)) {}

  absl::Status AppendBatch(std::span<AuditEntry> entries, const SealFn& seal) override {
    if (entries.empty()) return absl::OkStatus();
    return Guard("cannot write the audit trail", [&]() -> absl::Status {
      SQLite::Database& d = db_();
      // IMMEDIATE takes the write lock before reading the head, so two appends (from
      // this process or another) cannot both chain onto the same entry.
      SQLite::Transaction tx(d, SQLite::TransactionBehavior::IMMEDIATE);
      int64_t last = 0;
      std::string prev;
      {
        SQLite::Statement s(d,
                            "SELECT seq, hash FROM audit_entries ORDER BY seq DESC "
                            "LIMIT 1");
        if (s.executeStep()) {
          last = s.getColumn(0).getInt64();
          prev = s.getColumn(1).getString();
        }
      }
      // Sealed copies: the caller's entries change only once the batch is committed.
      std::vector<AuditEntry> sealed(entries.begin(), entries.end());
      SQLite::Statement insert(d,
                               "INSERT INTO audit_entries (seq, at, actor, address, "
                               "action, target, detail, prev_hash, hash) VALUES (?, ?, "
                               "?, ?, ?, ?, ?, ?, ?)");
      for (AuditEntry& e : sealed) {
        e.seq = ++last;
        e.prev_hash = std::move(prev);
        e.hash = seal(e);
        prev = e.hash;
        insert.reset();
        insert.bind(1, static_cast<int64_t>(e.seq));
        insert.bind(2, e.at);
        insert.bind(3, e.actor);
        insert.bind(4, e.address);
        insert.bind(5, e.action);
        insert.bind(6, e.target);
        insert.bind(7, e.detail);
        insert.bind(8, e.prev_hash);
        insert.bind(9, e.hash);
        insert.exec();
      }
      tx.commit();
      std::move(sealed.begin(), sealed.end(), entries.begin());
      return absl::OkStatus();
    });
  }

  absl::Status ForEachAudit(
      const std::function<absl::Status(const AuditEntry&)>& visit) override {
    return Guard("cannot read the audit trail", [&]() -> absl::Status {
      // seq is the rowid: this is storage order.
      SQLite::Statement s(db_(), StrCat(kAuditSelect, " ORDER BY rowid"));
      while (s.executeStep()) GUGUS_RETURN_IF_ERROR(visit(ReadEntry(s)));
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<AuditEntry>> FindAudit(const AuditQuery& query) override {
    return Guard("cannot read the audit trail",
                 [&]() -> absl::StatusOr<std::vector<AuditEntry>> {
                   std::string sql = StrCat(kAuditSelect, " WHERE seq > ?");
                   if (!query.actor.empty()) sql += " AND actor = ?";
                   if (!query.action.empty()) sql += " AND action = ?";
                   sql += " ORDER BY seq LIMIT ?";
                   SQLite::Statement s(db_(), sql);
                   int i = 1;
                   s.bind(i++, static_cast<int64_t>(query.after_seq));
                   if (!query.actor.empty()) s.bind(i++, query.actor);
                   if (!query.action.empty()) s.bind(i++, query.action);
                   // A limit of 0 or less means every matching entry.
                   s.bind(i++, query.limit > 0 ? query.limit : -1);
                   std::vector<AuditEntry> out;
                   while (s.executeStep()) out.push_back(ReadEntry(s));
                   return out;
                 });
  }

 private:
  std::function<SQLite::Database&()> db_;
};

}  // namespace

std::unique_ptr<domain::AccountRepository> NewSqliteAccountRepository(
    std::function<SQLite::Database&()> db) {
  return std::make_unique<SqliteAccountRepository>(std::move(db));
}

std::unique_ptr<domain::AuditRepository> NewSqliteAuditRepository(
    std::function<SQLite::Database&()> db) {
  return std::make_unique<SqliteAuditRepository>(std::move(db));
}

}  // namespace gugus::storage::internal
