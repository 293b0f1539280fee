// The legal-progress file (interchange v1, second kind; SPEC section 8): one row is
// one event in one agency's case, usually about one suspect.
//
// The stages a row may name are data, not code (a later law, KUHAP 2025, changes
// them): a StageCatalog is built from rows (the store keeps them, seeded with the
// SPEC's list by DefaultStages()) and resolves a stage written as its code, its
// Indonesian or English name or an alias, folding case, spaces and punctuation
// ("P-21", "p21", "P 21", "berkas lengkap").
//
// MapLegalHeader matches a header as MapHeader does for victim files (English key or
// Indonesian alias, case-insensitive, ignoring spaces, '_' and '-'; unknown columns
// kept as extra). LegalRowValidator turns one RawRow into an accepted ParsedLegal
// (perhaps with warnings) or a rejection with every reason. It remembers record ids,
// so one validator serves one file; not thread-safe. The catalogue must outlive it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "core/date.h"
#include "ingest/interchange.h"
#include "ingest/reader.h"

namespace gugus::ingest {

// What kind of interchange file a header belongs to.
enum class FileKind { kVictims, kLegal };
std::string_view FileKindName(FileKind kind);  // "victims", "legal"
// "victims"/"victim"/"korban" or "legal"/"hukum", case-insensitive; else nullopt.
std::optional<FileKind> ParseFileKind(std::string_view name);
// kLegal when the header has the legal file's required columns (record_id, case_ref,
// event_date, stage; key or alias, spelt as MapLegalHeader accepts) and lacks at least
// one of the victim file's required name and report_date; else kVictims.
FileKind DetectFileKind(const std::vector<std::string>& header);

enum class LegalField : int {
  kRecordId,
  kCaseRef,
  kOtherRefs,
  kEventDate,
  kStage,
  kSuspectName,
  kSuspectNik,
  kSuspectBirthDate,
  kSuspectSex,
  kSuspectPhone,
  kRole,
  kCompany,
  kBankAccount,
  kSocialAccount,
  kArticles,
  kVerdict,
  kSentenceMonths,
  kFine,
  kRestitution,
  kVictimRecordIds,
  kNotes,
};
inline constexpr int kLegalFieldCount = 21;

const std::array<FieldSpec, kLegalFieldCount>& LegalFields();
inline const FieldSpec& Spec(LegalField f) { return LegalFields()[static_cast<int>(f)]; }

struct LegalColumnMap {
  std::array<int, kLegalFieldCount> column;  // index into the row, or -1 when absent
  std::vector<int> extra;                    // columns that are not format fields
};
// InvalidArgument naming the columns when a required one is absent or two columns
// map to one field.
absl::StatusOr<LegalColumnMap> MapLegalHeader(const std::vector<std::string>& header);

// --- Stages ---

// What reaching a stage means for counting (SPEC section 8). A stage may mean
// several things (tuntutan: prosecuted and restitution claimed).
enum Milestone : uint32_t {
  kNamed = 1u << 0,               // the suspect has been named (tersangka or later)
  kProsecuted = 1u << 1,          // tahap2, dakwaan, pelimpahan or a court stage
  kFirstVerdict = 1u << 2,        // first-instance verdict (putusan_pn)
  kVerdict = 1u << 3,             // any verdict (putusan_pn, putusan_pt, putusan_ma)
  kFinal = 1u << 4,               // inkracht
  kStopped = 1u << 5,             // sp3, skpp: the case stopped for this suspect
  kRestitutionClaimed = 1u << 6,  // tuntutan
  kRestitutionOrdered = 1u << 7,  // putusan_*
  kRestitutionPaid = 1u << 8,     // restitusi_dibayar
  kReturned = 1u << 9,            // p19: the file went back to the police
  kFileComplete = 1u << 10,       // p21
  kReported = 1u << 11,           // laporan
};

struct StageSpec {
  std::string code;     // stable: "p21"
  std::string area;     // "police", "prosecution", "court", "other"
  int rank = 0;         // position along the usual path; later stages rank higher
  std::string name_id;  // "P-21 (berkas lengkap)"
  std::string name_en;  // "file complete (P-21)"
  std::vector<std::string> aliases;  // more accepted spellings
  uint32_t milestones = 0;           // Milestone bits
};

// The SPEC section 8 stage list with its Indonesian and English names.
std::vector<StageSpec> DefaultStages();
// "named;prosecuted" ↔ bits; InvalidArgument for an unknown word.
std::string MilestoneNames(uint32_t milestones);
absl::StatusOr<uint32_t> ParseMilestones(std::string_view text);

class StageCatalog {
 public:
  // InvalidArgument when two stages share a code, or one spelling names two stages.
  static absl::StatusOr<StageCatalog> Make(std::vector<StageSpec> stages);
  // The stage `text` names, or nullptr.
  const StageSpec* Find(std::string_view text) const;
  const StageSpec* FindCode(std::string_view code) const;
  const std::vector<StageSpec>& stages() const { return stages_; }

 private:
  std::vector<StageSpec> stages_;
  absl::flat_hash_map<std::string, size_t> by_key_;  // folded spelling → stage
};

// --- Small values ---

// Rupiah amounts as clerks write them: "120000000", "Rp 120.000.000", "Rp120.000.000,-",
// "Rp 120.000.000,00", "IDR 120,000,000", "120 juta", "1,5 miliar", "1.5 M".
// nullopt when the text is not an amount (or is negative or beyond 10^15).
//
// Shape: an optional "Rp", "Rp." or "IDR" (any case, space optional), a number, an
// optional ",-"/".-", an optional multiplier word, an optional "rupiah"; spaces
// between the parts. Multipliers (any case, an abbreviation's dot optional): ribu, rb,
// k, thousand = 10^3; juta, jt, million = 10^6; miliar, milyar, M, billion, bn = 10^9
// (so "1,5 M" is 1.5 miliar, as Indonesian clerks mean it); triliun, trilyun, T =
// 10^12.
// The number's '.' and ',' are read so:
// - both present: the one that comes last is the decimal mark (once only), the other
//   groups thousands ("1.500.000,00", "1,500,000.00");
// - one of them, more than once: it groups thousands ("120.000.000", "120,000,000");
// - one of them, once: it groups thousands when exactly three digits follow it,
//   else it is the decimal mark. So "1.500" and "1,500" are 1500, with or without a
//   multiplier ("1.500 juta" is 1.5 miliar), while "1,5 juta", "1.5 M", "2,75 jt" and
//   "120000000,00" are decimal.
// Thousands groups must be well formed (one to three digits, then threes): "1.50.000"
// and "120.000.000.00" are refused as ambiguous. The result must be whole rupiah:
// decimals are allowed only where the multiplier absorbs them or they are zeros
// ("1,5" alone, "Rp 1.500,50" and "1,2345678 juta" are refused). No sign, no spaces
// inside the number, no other words.
std::optional<int64_t> ParseRupiah(std::string_view text);

// Suspect roles: recruiter/perekrut, transporter/pengangkut, harbourer/penampung,
// employer/pemberi_kerja, financier/pemodal, forger/pemalsu_dokumen, other/lainnya.
// The stable English code, or nullopt.
std::optional<std::string_view> ParseRole(std::string_view text);
// guilty/bersalah → "guilty"; acquitted/bebas/lepas (dari segala tuntutan) → "acquitted".
std::optional<std::string_view> ParseVerdict(std::string_view text);

// --- Rows ---

// Values as parsed. Empty string = absent. event_date and suspect_birth_date ISO;
// stage a stage code; suspect_nik 16 digits when valid (else absent, with a warning);
// suspect_sex "L"/"P"; suspect_phone E.164; role a role code ("other" for an unknown
// role, whose text stays in the raw values); verdict "guilty"/"acquitted"; other_refs,
// articles and victim_record_ids ';'-joined, each trimmed, empties dropped (inside
// other_refs and articles items, runs of white space become one space; victim record
// ids are kept as written, to match the victim file's record_id); suspect_name as
// CleanName; case_ref with white space collapsed; company, bank_account,
// social_account and notes trimmed; sentence_months, fine and restitution as decimal
// digits. sentence_months is read from "24", "24 bulan", "2 tahun" or "2 tahun 6
// bulan" (thn/bln, years/months too) and must be 0–1200. fine and restitution follow
// ParseRupiah, except that a numeric XLSX cell is read as the number it stores.
struct ParsedLegal {
  std::array<std::string, kLegalFieldCount> value;
  std::optional<int> sentence_months;
  std::optional<int64_t> fine;
  std::optional<int64_t> restitution;
  std::vector<Issue> warnings;

  const std::string& operator[](LegalField f) const { return value[static_cast<int>(f)]; }
  std::string& operator[](LegalField f) { return value[static_cast<int>(f)]; }
};

struct LegalValidation {
  bool accepted = false;
  ParsedLegal record;          // meaningful when accepted
  std::vector<Issue> reasons;  // why rejected; empty when accepted
};

class LegalRowValidator {
 public:
  // `today` is the reference for "in the future" (normally TodayInJakarta()).
  LegalRowValidator(const StageCatalog& stages, Date today);

  // Validate into a fresh LegalValidation (tests, small files).
  LegalValidation Validate(const RawRow& row, const LegalColumnMap& columns);

  // Rejected: a required field missing; unknown stage; event_date unparseable,
  // impossible or in the future; a record_id repeated in the file. Warnings: bad
  // NIK, unrecognised sex, bad birth date, bad phone, unknown role, unknown verdict
  // or a verdict on a stage that is not a verdict, unparseable sentence or amount.
  // (Victim record ids the agency never submitted are checked by the import, which
  // knows the store.) Issue codes are those of RowValidator (SPEC section 5) where
  // the fault is the same ("missing", "duplicate", "unparseable", "impossible",
  // "future", "malformed", "unrecognised", "sex_mismatch", "birth_date_mismatch",
  // "unknown_term" for a role stored as "other", "invalid" for sentence_months), plus
  // "unknown_stage", "after_event" (suspect_birth_date after event_date) and
  // "inconsistent" (a verdict on a stage without kVerdict). Every bad optional value is
  // dropped from ParsedLegal. `out` is reused across rows (its buffers kept); nothing
  // of the row before stays in it.
  void Validate(const RawRow& row, const LegalColumnMap& columns, LegalValidation& out);

 private:
  const StageCatalog& stages_;
  Date today_;
  absl::flat_hash_set<std::string> seen_ids_;
};

}  // namespace gugus::ingest
