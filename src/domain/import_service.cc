#include "domain/import_service.h"

#include <sodium.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "core/status.h"
#include "core/strcat.h"
#include "core/text.h"
#include "ingest/interchange.h"

namespace gugus::domain {
namespace {

bool IsBlank(const ingest::RawRow& row) {
  if (!row.problem.empty()) return false;
  for (const std::string& cell : row.cells)
    if (!Trim(cell).empty()) return false;
  return true;
}

// A digest of what the agency submitted for this row, independent of column order
// and header spelling, so that re-exporting the same data is recognised as unchanged.
class ContentHasher {
 public:
  ContentHasher(const std::vector<std::string>& header, const ingest::ColumnMap& columns)
      : columns_(columns) {
    for (int c : columns.extra)
      extra_keys_.push_back(HeaderKey(header[static_cast<size_t>(c)]));
  }

  std::string Hash(const ingest::RawRow& row) {
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, kBytes);
    auto add = [&](std::string_view key, int column) {
      std::string_view value =
          column >= 0 && static_cast<size_t>(column) < row.cells.size()
              ? Trim(row.cells[static_cast<size_t>(column)])
              : std::string_view();
      if (value.empty()) return;  // an absent column and an empty cell are alike
      Update(state, key);
      Update(state, value);
    };
    for (int f = 0; f < ingest::kFieldCount; ++f)
      add(ingest::Fields()[f].key, columns_.column[f]);
    for (size_t i = 0; i < extra_keys_.size(); ++i)
      add(extra_keys_[i], columns_.extra[i]);
    unsigned char out[kBytes];
    crypto_generichash_final(&state, out, kBytes);
    return std::string(reinterpret_cast<const char*>(out), kBytes);
  }

 private:
  static constexpr size_t kBytes = 16;
  static void Update(crypto_generichash_state& state, std::string_view s) {
    uint64_t n = s.size();  // length-prefixed, so "ab"+"c" differs from "a"+"bc"
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(&n),
                              sizeof n);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(s.data()),
                              s.size());
  }
  const ingest::ColumnMap& columns_;
  std::vector<std::string> extra_keys_;
};

}  // namespace

absl::StatusOr<std::string> FileSha256(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"),
                                             &std::fclose);
  if (!file) return absl::NotFoundError("cannot open the file");
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<unsigned char> buffer(1 << 20);
  size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), file.get())) > 0)
    crypto_hash_sha256_update(&state, buffer.data(), n);
  if (std::ferror(file.get())) return absl::DataLossError("error while reading the file");
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex);
}

ImportService::ImportService(Store& store, const RegionIndex& regions,
                             const CountryIndex& countries)
    : store_(store), regions_(regions), countries_(countries) {}

absl::StatusOr<ImportReport> ImportService::Import(const ImportRequest& request) {
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to initialise");
  absl::StatusOr<Agency> agency = store_.agencies().FindByCode(request.agency_code);
  if (absl::IsNotFound(agency.status())) {
    return absl::NotFoundError(StrCat("unknown agency '", request.agency_code,
                                      "': add it first with `gugus agency add`"));
  }
  if (!agency.ok()) return agency.status();

  GUGUS_ASSIGN_OR_RETURN(std::unique_ptr<ingest::RowReader> reader,
                         ingest::OpenTable(request.path));
  GUGUS_ASSIGN_OR_RETURN(ingest::ColumnMap columns, ingest::MapHeader(reader->header()));
  GUGUS_ASSIGN_OR_RETURN(std::string sha256, FileSha256(request.path));

  ImportFileMeta meta;
  meta.agency_id = agency->id;
  meta.file_name = std::filesystem::path(request.path).filename().string();
  meta.sha256 = sha256;
  meta.format = std::string(ingest::FormatName(reader->info().format));
  meta.encoding = reader->info().encoding;
  if (reader->info().delimiter != 0)
    meta.delimiter = std::string(1, reader->info().delimiter);
  meta.header = reader->header();

  GUGUS_ASSIGN_OR_RETURN(std::unique_ptr<ImportTransaction> tx,
                         store_.records().BeginImport(meta));

  ImportReport report;
  report.file = reader->info();
  ImportCounts& counts = report.counts;
  ingest::RowValidator validator(regions_, countries_, request.today);
  ContentHasher hasher(reader->header(), columns);
  ingest::RawRow row;
  constexpr int64_t kProgressEvery = 8192;
  for (;;) {
    GUGUS_ASSIGN_OR_RETURN(bool more, reader->Next(row));
    if (!more) break;
    if (IsBlank(row)) {
      ++counts.blank;
      continue;
    }
    ++counts.rows;
    ingest::Validation v = validator.Validate(row, columns);
    if (!v.accepted) {
      ++counts.rejected;
      GUGUS_RETURN_IF_ERROR(tx->Reject(row.line, row.cells, row.text, v.reasons));
    } else {
      if (!v.record.warnings.empty()) ++counts.warnings;
      GUGUS_ASSIGN_OR_RETURN(UpsertResult r,
                             tx->Upsert(v.record, row.cells, row.line, hasher.Hash(row)));
      switch (r) {
        case UpsertResult::kInserted:
          ++counts.inserted;
          break;
        case UpsertResult::kUpdated:
          ++counts.updated;
          break;
        case UpsertResult::kUnchanged:
          ++counts.unchanged;
          break;
      }
    }
    if (request.progress && counts.rows % kProgressEvery == 0)
      request.progress(reader->bytes_read(), reader->info().size_bytes, counts.rows);
  }
  if (request.progress)
    request.progress(reader->info().size_bytes, reader->info().size_bytes, counts.rows);

  if (counts.inserted == 0 && counts.updated == 0) {
    GUGUS_ASSIGN_OR_RETURN(std::optional<ImportBatch> earlier,
                           store_.records().FindBatch(agency->id, sha256));
    if (earlier) {  // the same file again: leave the store exactly as it is
      report.batch_id = earlier->id;
      report.already_imported = true;
      return report;  // `tx` rolls back
    }
  }
  report.batch_id = tx->batch_id();
  GUGUS_RETURN_IF_ERROR(tx->Commit(counts));
  return report;
}

}  // namespace gugus::domain
