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
#include "ingest/interchange.h"
#include "ingest/stored_form.h"

namespace gugus::domain {
namespace {

// A digest of what the agency submitted for this row, independent of column order
// and header spelling, so that re-exporting the same data is recognised as unchanged.
class ContentHasher {
 public:
  ContentHasher(const std::vector<std::string>& header, const ingest::ColumnMap& columns)
      : columns_(columns) {
    for (int c : columns.extra)
      extra_keys_.push_back(HeaderKey(header[static_cast<size_t>(c)]));
  }

  // Into `out`: a 16-byte digest is past std::string's inline capacity, and the
  // buffer is reused from row to row.
  void Hash(const ingest::RawRow& row, std::string& out) {
    // The fields are laid out length-prefixed in one buffer ("ab"+"c" differs from
    // "a"+"bc") and hashed in one call: many small updates cost more than the hash.
    buffer_.clear();
    auto add = [&](std::string_view key, int column) {
      std::string_view value =
          column >= 0 && static_cast<size_t>(column) < row.cells.size()
              ? Trim(row.cells[static_cast<size_t>(column)])
              : std::string_view();
      if (value.empty()) return;  // an absent column and an empty cell are alike
      Append(key);
      Append(value);
    };
    for (int f = 0; f < ingest::kFieldCount; ++f)
      add(ingest::Fields()[f].key, columns_.column[f]);
    for (size_t i = 0; i < extra_keys_.size(); ++i)
      add(extra_keys_[i], columns_.extra[i]);
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
  const ingest::ColumnMap& columns_;
  std::vector<std::string> extra_keys_;
};

// One row read and validated, ready to store.
struct PreparedRow {
  int64_t line = 0;
  std::string text;
  ingest::Validation validation;
  std::string raw;     // stored forms (ingest/stored_form.h)
  std::string issues;  // warnings when accepted, reasons when rejected
  std::string hash;
};

struct PreparedChunk {
  std::vector<PreparedRow> rows;
  size_t used = 0;
  uint64_t bytes_read = 0;
};

// Reads, validates and hashes rows on a thread of its own, handing them over in
// chunks through a bounded queue. Chunks are recycled, so rows keep their buffers.
class RowPipeline {
 public:
  static constexpr size_t kChunkRows = 1024;
  static constexpr size_t kChunks = 8;  // at most this many in flight

  RowPipeline(ingest::RowReader& reader, const ingest::ColumnMap& columns,
              ingest::RowValidator validator)
      : reader_(reader),
        columns_(columns),
        validator_(std::move(validator)),
        hasher_(reader.header(), columns) {
    for (size_t i = 0; i < kChunks; ++i) {
      chunks_.emplace_back(std::make_unique<PreparedChunk>());
      chunks_.back()->rows.resize(kChunkRows);
      free_.push_back(chunks_.back().get());
    }
    thread_ = std::thread([this] { Run(); });
    pthread_setname_np(thread_.native_handle(), "gugus-read");
  }
  ~RowPipeline() { Stop(); }

  // The next chunk, or nullptr at the end of the file or after an error.
  PreparedChunk* Take() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](RowPipeline* p) { return !p->full_.empty() || p->finished_; }, this));
    if (full_.empty()) return nullptr;
    PreparedChunk* chunk = full_.front();
    full_.pop_front();
    return chunk;
  }

  void Recycle(PreparedChunk* chunk) {
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
      PreparedChunk* chunk = nullptr;
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
        PreparedRow& p = chunk->rows[chunk->used++];
        p.line = row.line;
        validator_.Validate(row, columns_, p.validation);
        if (p.validation.accepted) {
          hasher_.Hash(row, p.hash);
          ingest::EncodeRawCells(row.cells, columns_, p.validation.record, p.raw);
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
  const ingest::ColumnMap& columns_;
  ingest::RowValidator validator_;
  ContentHasher hasher_;
  std::vector<std::unique_ptr<PreparedChunk>> chunks_;

  absl::Mutex mu_;
  std::deque<PreparedChunk*> free_ ABSL_GUARDED_BY(mu_);
  std::deque<PreparedChunk*> full_ ABSL_GUARDED_BY(mu_);
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
  // The file's digest is computed beside the import and recorded at commit.
  std::future<absl::StatusOr<std::string>> file_digest =
      std::async(std::launch::async, FileDigest, request.path);

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

  GUGUS_ASSIGN_OR_RETURN(std::unique_ptr<ImportTransaction> tx,
                         store_.records().BeginImport(meta));

  ImportReport report;
  report.file = reader->info();
  ImportCounts& counts = report.counts;

  // Reading and validating run on their own thread, storing on this one: they take
  // about the same time, and the bounded pipeline keeps memory flat.
  RowPipeline pipeline(*reader, columns,
                       ingest::RowValidator(regions_, countries_, request.today));
  absl::Status stored = [&]() -> absl::Status {
    while (PreparedChunk* chunk = pipeline.Take()) {
      for (size_t i = 0; i < chunk->used; ++i) {
        PreparedRow& p = chunk->rows[i];
        ++counts.rows;
        if (!p.validation.accepted) {
          ++counts.rejected;
          GUGUS_RETURN_IF_ERROR(tx->Reject(p.line, p.raw, p.text, p.issues));
          continue;
        }
        if (!p.validation.record.warnings.empty()) ++counts.warnings;
        GUGUS_ASSIGN_OR_RETURN(
            UpsertResult r, tx->Upsert(std::move(p.validation.record), std::move(p.raw),
                                       std::move(p.issues), p.line, p.hash));
        ++(r == UpsertResult::kInserted  ? counts.inserted
           : r == UpsertResult::kUpdated ? counts.updated
                                         : counts.unchanged);
      }
      uint64_t bytes_read = chunk->bytes_read;
      pipeline.Recycle(chunk);
      if (request.progress)
        request.progress(bytes_read, reader->info().size_bytes, counts.rows);
    }
    return pipeline.status();
  }();
  pipeline.Stop();  // joins the reading thread whatever happened
  GUGUS_RETURN_IF_ERROR(stored);
  GUGUS_RETURN_IF_ERROR(pipeline.status());
  counts.blank = reader->blank_rows();  // the reading thread has been joined
  absl::StatusOr<std::string> digest = file_digest.get();
  if (!digest.ok()) return digest.status();
  if (request.progress)
    request.progress(reader->info().size_bytes, reader->info().size_bytes, counts.rows);

  if (counts.inserted == 0 && counts.updated == 0) {
    GUGUS_ASSIGN_OR_RETURN(std::optional<ImportBatch> earlier,
                           store_.records().FindBatch(agency->id, *digest));
    if (earlier) {  // the same file again: leave the store exactly as it is
      report.batch_id = earlier->id;
      report.already_imported = true;
      return report;  // `tx` rolls back
    }
  }
  report.batch_id = tx->batch_id();
  GUGUS_RETURN_IF_ERROR(tx->Commit(counts, *digest));
  return report;
}

}  // namespace gugus::domain
