// Intake of one agency file in the interchange format: a victim file (SPEC section
// 5) or a legal-progress file (section 8), told apart by the request or the header.
//
// Import() reads the file, validates every row, and in one transaction stores
// accepted rows as source-record versions and rejected rows in quarantine with their
// line, raw cells and every reason. Re-importing a file whose rows are all
// unchanged, and which this agency has imported before, writes nothing and reports
// `already_imported`. A failure anywhere (unreadable file, unknown agency, database
// error, kill) leaves the store as it was.
//
// Import() reads and validates on a thread of its own (joined before it returns)
// while the calling thread stores, with at most 8 chunks of 1,024 rows in flight;
// the file's digest is computed on a third. `progress` is called on the calling
// thread.
// Errors: NotFound (unknown agency, missing file), InvalidArgument (not a readable
// table, header without required columns), and storage errors as they come.
// One ImportService may run imports on several threads at once only if the Store
// allows it; the indexes must outlive it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "core/country_index.h"
#include "core/date.h"
#include "core/region_index.h"
#include "domain/repository.h"
#include "ingest/legal.h"
#include "ingest/reader.h"

namespace gugus::domain {

struct ImportRequest {
  std::string path;
  std::string agency_code;
  std::string file_name;  // the name the user knows the file by; "" = path's base name
  Date today = TodayInJakarta();  // reference for "in the future"
  // The kind of file (SPEC sections 5 and 8); nullopt: recognised from the header.
  std::optional<ingest::FileKind> kind;
  // Called every few thousand rows and at the end: bytes read, file size, rows.
  std::function<void(uint64_t, uint64_t, int64_t)> progress;
};

struct ImportReport {
  ingest::FileKind kind = ingest::FileKind::kVictims;
  int64_t batch_id = 0;
  bool already_imported = false;  // identical to an earlier import: nothing written
  ImportCounts counts;
  ingest::FileInfo file;
};

class ImportService {
 public:
  ImportService(Store& store, const RegionIndex& regions, const CountryIndex& countries);
  absl::StatusOr<ImportReport> Import(const ImportRequest& request);

 private:
  Store& store_;
  const RegionIndex& regions_;
  const CountryIndex& countries_;
};

// Hex BLAKE2b-256 of a file's bytes, read in chunks: how a re-submitted file is
// recognised (BLAKE2b rather than SHA-256 because libsodium's is faster, and the
// import shares the machine's cores with it).
absl::StatusOr<std::string> FileDigest(const std::string& path);

}  // namespace gugus::domain
