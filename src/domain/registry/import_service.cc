#include "domain/registry/import_service.h"

#include <pthread.h>
#include <sodium.h>

#include <cstdio>
#include <deque>
#include <filesystem>
#include <future>
#include <memory>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "core/status.h"
#include "core/strcat.h"
#include "core/text.h"
#include "absl/container/flat_hash_set.h"
#include "domain/justice/justice_repository.h"
#include "ingest/interchange.h"
#include "ingest/legal.h"
#include "ingest/stored_form.h"

namespace gugus::domain {
namespace {

// A digest of what the agency submitted for this row, independent of column order
// and header spelling, so that re-exporting the same data is recognised as unchanged.
class ContentHasher {
 public:
  // `fields` are the format's field keys, `columns` where each is in the row (-1:
  // absent); `extra` the other columns.
  template <size_t N>
  ContentHasher(const std::vector<std::string>& header,
                const std::array<ingest::FieldSpec, N>& fields,
                const std::array<int, N>& columns, const std::vector<int>& extra) {
    for (size_t f = 0; f < N; ++f) keyed_.emplace_back(std::string(fields[f].key), columns[f]);
    for (int c : extra) keyed_.emplace_back(HeaderKey(header[static_cast<size_t>(c)]), c);
  }

  // Into `out`: a 16-byte digest is past std::string's inline capacity, and the
  // buffer is reused from row to row.
  void Hash(const ingest::RawRow& row, std::string& out) {
    // The fields are laid out length-prefixed in one buffer ("ab"+"c" differs from
    // "a"+"bc") and hashed in one call: many small updates cost more than the hash.
    buffer_.clear();
    for (const auto& [key, column] : keyed_) {
      std::string_view value =
          column >= 0 && static_cast<size_t>(column) < row.cells.size()
              ? Trim(row.cells[static_cast<size_t>(column)])
              : std::string_view();
      if (value.empty()) continue;  // an absent column and an empty cell are alike
      Append(key);
      Append(value);
    }
    unsigned char digest[kBytes];
    crypto_generichash(digest, kBytes,
                       reinterpret_cast<const unsigned char*>(buffer_.data()),
                       buffer_.size(), nullptr, 0);
    out.assign(reinterpret_cast<const char*>(digest), kBytes);
  }

 private:
  static constexpr size_t kBytes = 16;
  void Append(std::string_view s) {
    uint64_t n = s.size();
    buffer_.append(reinterpret_cast<const char*>(&n), sizeof n);
    buffer_.append(s);
  }
  std::string buffer_;
  std::vector<std::pair<std::string, int>> keyed_;  // field key or header key, column
};

ContentHasher HasherFor(const std::vector<std::string>& header,
                        const ingest::ColumnMap& columns) {
  return ContentHasher(header, ingest::Fields(), columns.column, columns.extra);
}
ContentHasher HasherFor(const std::vector<std::string>& header,
                        const ingest::LegalColumnMap& columns) {
  return ContentHasher(header, ingest::LegalFields(), columns.column, columns.extra);
}

// An accepted row's raw cells in their stored form: victim rows leave out the
// cells their parsed values repeat; legal rows, fewer and shorter, keep them all.
void EncodeAccepted(const ingest::RawRow& row, const ingest::ColumnMap& columns,
                    const ingest::ParsedRecord& record, std::string& out) {
  ingest::EncodeRawCells(row.cells, columns, record, out);
}
void EncodeAccepted(const ingest::RawRow& row, const ingest::LegalColumnMap&,
                    const ingest::ParsedLegal&, std::string& out) {
  out = ingest::EncodeCells(row.cells);
}

// The legal-progress validator, plus the one check that needs the store: victim
// record ids the agency never submitted (a warning).
class LegalValidator {
 public:
  LegalValidator(const ingest::StageCatalog& stages, Date today,
                 absl::flat_hash_set<std::string> victim_ids)
      : validator_(stages, today), victim_ids_(std::move(victim_ids)) {}

  void Validate(const ingest::RawRow& row, const ingest::LegalColumnMap& columns,
                ingest::LegalValidation& out) {
    validator_.Validate(row, columns, out);
    if (!out.accepted) return;
    const std::string& ids = out.record[ingest::LegalField::kVictimRecordIds];
    if (ids.empty()) return;
    size_t unknown = 0;
    for (std::string_view id : Split(ids, ';'))
      if (!victim_ids_.contains(absl::string_view(id.data(), id.size()))) ++unknown;
    if (unknown > 0) {
      out.record.warnings.push_back(
          {"victim_record_ids", "unknown_victim",
           StrCat(unknown, " of the victim record ids is not a victim row this agency "
                           "has submitted")});
    }
  }

 private:
  ingest::LegalRowValidator validator_;
  absl::flat_hash_set<std::string> victim_ids_;
};

// One row read and validated, ready to store.
template <typename Validation>
struct PreparedRow {
  int64_t line = 0;
  std::string text;
  Validation validation;
  std::string raw;     // stored forms (ingest/stored_form.h)
  std::string issues;  // warnings when accepted, reasons when rejected
  std::string hash;
};

template <typename Validation>
struct PreparedChunk {
  std::vector<PreparedRow<Validation>> rows;
  size_t used = 0;
  uint64_t bytes_read = 0;
};

// Reads, validates and hashes rows on a thread of its own, handing them over in
// chunks through a bounded queue. Chunks are recycled, so rows keep their buffers.
template <typename Columns, typename Validator, typename Validation>
class RowPipeline {
 public:
  using Chunk = PreparedChunk<Validation>;

  static constexpr size_t kChunkRows = 1024;
  static constexpr size_t kChunks = 8;  // at most this many in flight

  RowPipeline(ingest::RowReader& reader, const Columns& columns, Validator validator)
      : reader_(reader),
        columns_(columns),
        validator_(std::move(validator)),
        hasher_(HasherFor(reader.header(), columns)) {
    for (size_t i = 0; i < kChunks; ++i) {
      chunks_.emplace_back(std::make_unique<Chunk>());
      chunks_.back()->rows.resize(kChunkRows);
      free_.push_back(chunks_.back().get());
    }
    thread_ = std::thread([this] { Run(); });
    pthread_setname_np(thread_.native_handle(), "gugus-read");
  }
  ~RowPipeline() { Stop(); }

  // The next chunk, or nullptr at the end of the file or after an error.
  Chunk* Take() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](RowPipeline* p) { return !p->full_.empty() || p->finished_; }, this));
    if (full_.empty()) return nullptr;
    Chunk* chunk = full_.front();
    full_.pop_front();
    return chunk;
  }

  void Recycle(Chunk* chunk) {
    absl::MutexLock lock(&mu_);
    free_.push_back(chunk);
  }

  void Stop() {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    if (thread_.joinable()) thread_.join();
  }

  absl::Status status() {
    absl::MutexLock lock(&mu_);
    return status_;
  }

 private:
  void Run() {
    absl::Status status = Produce();
    absl::MutexLock lock(&mu_);
    status_ = status;
    finished_ = true;
  }

  absl::Status Produce() {
    ingest::RawRow row;
    for (bool more = true; more;) {
      Chunk* chunk = nullptr;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(
            +[](RowPipeline* p) { return !p->free_.empty() || p->stopping_; }, this));
        if (stopping_) return absl::OkStatus();
        chunk = free_.front();
        free_.pop_front();
      }
      chunk->used = 0;
      while (chunk->used < kChunkRows) {
        GUGUS_ASSIGN_OR_RETURN(more, reader_.Next(row));
        if (!more) break;
        PreparedRow<Validation>& p = chunk->rows[chunk->used++];
        p.line = row.line;
        validator_.Validate(row, columns_, p.validation);
        if (p.validation.accepted) {
          hasher_.Hash(row, p.hash);
          EncodeAccepted(row, columns_, p.validation.record, p.raw);
        } else {
          p.raw = ingest::EncodeCells(row.cells);
        }
        p.issues = ingest::EncodeIssues(
            p.validation.accepted ? p.validation.record.warnings : p.validation.reasons);
        p.text.swap(row.text);
      }
      chunk->bytes_read = reader_.bytes_read();
      absl::MutexLock lock(&mu_);
      full_.push_back(chunk);
    }
    return absl::OkStatus();
  }

  ingest::RowReader& reader_;
  const Columns& columns_;
  Validator validator_;
  ContentHasher hasher_;
  std::vector<std::unique_ptr<Chunk>> chunks_;

  absl::Mutex mu_;
  std::deque<Chunk*> free_ ABSL_GUARDED_BY(mu_);
  std::deque<Chunk*> full_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status status_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace

absl::StatusOr<std::string> FileDigest(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"),
                                             &std::fclose);
  if (!file) return absl::NotFoundError("cannot open the file");
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, crypto_generichash_BYTES);
  std::vector<unsigned char> buffer(1 << 20);
  size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), file.get())) > 0)
    crypto_generichash_update(&state, buffer.data(), n);
  if (std::ferror(file.get())) return absl::DataLossError("error while reading the file");
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash_final(&state, digest, sizeof digest);
  char hex[crypto_generichash_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex);
}

ImportService::ImportService(Store& store, const RegionIndex& regions,
                             const CountryIndex& countries)
    : store_(store), regions_(regions), countries_(countries) {}

namespace {

// Stores every row the pipeline hands over into `tx` and commits, unless nothing
// changed and the agency imported this very file before (then `tx` rolls back).
template <typename Columns, typename Validator, typename Validation, typename Tx>
absl::Status StoreRows(Store& store, const ImportRequest& request, int64_t agency_id,
                       ingest::RowReader& reader, const Columns& columns,
                       Validator validator, Tx& tx,
                       std::future<absl::StatusOr<std::string>>& file_digest,
                       ImportReport& report) {
  ImportCounts& counts = report.counts;
  // Reading and validating run on their own thread, storing on this one: they take
  // about the same time, and the bounded pipeline keeps memory flat.
  RowPipeline<Columns, Validator, Validation> pipeline(reader, columns,
                                                       std::move(validator));
  absl::Status stored = [&]() -> absl::Status {
    while (auto* chunk = pipeline.Take()) {
      for (size_t i = 0; i < chunk->used; ++i) {
        auto& p = chunk->rows[i];
        ++counts.rows;
        if (!p.validation.accepted) {
          ++counts.rejected;
          GUGUS_RETURN_IF_ERROR(tx.Reject(p.line, p.raw, p.text, p.issues));
          continue;
        }
        if (!p.validation.record.warnings.empty()) ++counts.warnings;
        GUGUS_ASSIGN_OR_RETURN(
            UpsertResult r, tx.Upsert(std::move(p.validation.record), std::move(p.raw),
                                      std::move(p.issues), p.line, p.hash));
        ++(r == UpsertResult::kInserted  ? counts.inserted
           : r == UpsertResult::kUpdated ? counts.updated
                                         : counts.unchanged);
      }
      uint64_t bytes_read = chunk->bytes_read;
      pipeline.Recycle(chunk);
      if (request.progress)
        request.progress(bytes_read, reader.info().size_bytes, counts.rows);
    }
    return pipeline.status();
  }();
  pipeline.Stop();  // joins the reading thread whatever happened
  GUGUS_RETURN_IF_ERROR(stored);
  GUGUS_RETURN_IF_ERROR(pipeline.status());
  counts.blank = reader.blank_rows();  // the reading thread has been joined
  absl::StatusOr<std::string> digest = file_digest.get();
  if (!digest.ok()) return digest.status();
  if (request.progress)
    request.progress(reader.info().size_bytes, reader.info().size_bytes, counts.rows);

  if (counts.inserted == 0 && counts.updated == 0) {
    GUGUS_ASSIGN_OR_RETURN(std::optional<ImportBatch> earlier,
                           store.records().FindBatch(agency_id, *digest));
    if (earlier) {  // the same file again: leave the store exactly as it is
      report.batch_id = earlier->id;
      report.already_imported = true;
      return absl::OkStatus();  // `tx` rolls back
    }
  }
  report.batch_id = tx.batch_id();
  return tx.Commit(counts, *digest);
}

}  // namespace

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
  ingest::FileKind kind =
      request.kind ? *request.kind : ingest::DetectFileKind(reader->header());

  ImportFileMeta meta;
  meta.agency_id = agency->id;
  meta.file_name = request.file_name.empty()
                       ? std::filesystem::path(request.path).filename().string()
                       : std::filesystem::path(request.file_name).filename().string();
  meta.format = std::string(ingest::FormatName(reader->info().format));
  meta.encoding = reader->info().encoding;
  if (reader->info().delimiter != 0)
    meta.delimiter = std::string(1, reader->info().delimiter);
  meta.header = reader->header();
  meta.kind = std::string(ingest::FileKindName(kind));

  ImportReport report;
  report.kind = kind;
  report.file = reader->info();

  if (kind == ingest::FileKind::kLegal) {
    GUGUS_ASSIGN_OR_RETURN(ingest::LegalColumnMap columns,
                           ingest::MapLegalHeader(reader->header()));
    GUGUS_ASSIGN_OR_RETURN(std::vector<ingest::StageSpec> stage_rows,
                           store_.justice().LoadStages());
    GUGUS_ASSIGN_OR_RETURN(ingest::StageCatalog stages,
                           ingest::StageCatalog::Make(std::move(stage_rows)));
    absl::flat_hash_set<std::string> victim_ids;
    if (columns.column[static_cast<int>(ingest::LegalField::kVictimRecordIds)] >= 0) {
      GUGUS_RETURN_IF_ERROR(store_.justice().ForEachVictimRecordId(
          agency->id, [&](std::string_view id) { victim_ids.emplace(id); }));
    }
    std::future<absl::StatusOr<std::string>> file_digest =
        std::async(std::launch::async, FileDigest, request.path);
    GUGUS_ASSIGN_OR_RETURN(std::unique_ptr<LegalImportTransaction> tx,
                           store_.justice().BeginLegalImport(meta));
    GUGUS_RETURN_IF_ERROR((StoreRows<ingest::LegalColumnMap, LegalValidator,
                                     ingest::LegalValidation>(
        store_, request, agency->id, *reader, columns,
        LegalValidator(stages, request.today, std::move(victim_ids)), *tx, file_digest,
        report)));
    return report;
  }

  GUGUS_ASSIGN_OR_RETURN(ingest::ColumnMap columns, ingest::MapHeader(reader->header()));
  // The file's digest is computed beside the import and recorded at commit.
  std::future<absl::StatusOr<std::string>> file_digest =
      std::async(std::launch::async, FileDigest, request.path);
  GUGUS_ASSIGN_OR_RETURN(std::unique_ptr<ImportTransaction> tx,
                         store_.records().BeginImport(meta));
  GUGUS_RETURN_IF_ERROR(
      (StoreRows<ingest::ColumnMap, ingest::RowValidator, ingest::Validation>(
          store_, request, agency->id, *reader, columns,
          ingest::RowValidator(regions_, countries_, request.today), *tx, file_digest,
          report)));
  return report;
}

}  // namespace gugus::domain
