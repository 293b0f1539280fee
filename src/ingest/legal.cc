#include "ingest/legal.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "core/status.h"
#include "core/text.h"
#include "core/values.h"
#include "ingest/field_parsing.h"

namespace gugus::ingest {
namespace {

constexpr std::array<FieldSpec, kLegalFieldCount> kLegalFields = {{
    {"record_id", "id_rekaman", true},
    {"case_ref", "nomor_kasus", true},
    {"other_refs", "nomor_terkait", false},
    {"event_date", "tanggal", true},
    {"stage", "tahap", true},
    {"suspect_name", "nama_tersangka", false},
    {"suspect_nik", "nik_tersangka", false},
    {"suspect_birth_date", "tanggal_lahir_tersangka", false},
    {"suspect_sex", "jenis_kelamin_tersangka", false},
    {"suspect_phone", "telepon_tersangka", false},
    {"role", "peran", false},
    {"company", "perusahaan", false},
    {"bank_account", "rekening", false},
    {"social_account", "akun_media_sosial", false},
    {"articles", "pasal", false},
    {"verdict", "putusan", false},
    {"sentence_months", "pidana_bulan", false},
    {"fine", "denda", false},
    {"restitution", "restitusi", false},
    {"victim_record_ids", "id_korban", false},
    {"notes", "keterangan", false},
}};

std::string_view Key(LegalField f) { return Spec(f).key; }

Issue MakeIssue(LegalField f, std::string_view code, std::string message) {
  return internal::MakeIssue(Key(f), code, std::move(message));
}

int Column(const LegalColumnMap& columns, LegalField f) {
  return columns.column[static_cast<int>(f)];
}

std::string_view Cell(const RawRow& row, const LegalColumnMap& columns, LegalField f) {
  return internal::CellAt(row, Column(columns, f));
}

// --- Stages ---

constexpr uint32_t kCourt = kNamed | kProsecuted;  // every court stage is both
constexpr uint32_t kVerdictStage = kCourt | kVerdict | kRestitutionOrdered;

constexpr std::array<std::string_view, 12> kMilestoneNames = {
    "named",
    "prosecuted",
    "first_verdict",
    "verdict",
    "final",
    "stopped",
    "restitution_claimed",
    "restitution_ordered",
    "restitution_paid",
    "returned",
    "file_complete",
    "reported",
};

// --- Small values ---

struct Synonyms {
  std::string_view code;
  std::vector<std::string_view> spellings;  // besides the code itself
};
// Folded spelling (MatchKey) → code.
using SynonymIndex = absl::flat_hash_map<std::string, std::string_view>;

const SynonymIndex* BuildIndex(const std::vector<Synonyms>& table) {
  auto* index = new SynonymIndex;
  for (const Synonyms& entry : table) {
    index->emplace(MatchKey(entry.code), entry.code);
    for (std::string_view spelling : entry.spellings)
      index->emplace(MatchKey(spelling), entry.code);
  }
  return index;
}

std::optional<std::string_view> LookUp(const SynonymIndex& index, std::string_view text) {
  auto it = index.find(MatchKey(text));
  if (it == index.end()) return std::nullopt;
  return it->second;
}

const SynonymIndex& Roles() {
  static const SynonymIndex* roles = BuildIndex({
      {"recruiter",
       {"perekrut", "calo", "sponsor", "agen perekrut", "penyalur", "perekrut lapangan",
        "petugas lapangan", "recruitment agent", "broker"}},
      {"transporter",
       {"pengangkut", "pengantar", "pengirim", "pengawal", "sopir", "supir", "driver",
        "kurir", "escort", "transporter"}},
      {"harbourer",
       {"penampung", "penadah", "penerima", "pemilik penampungan",
        "pengelola penampungan", "harborer", "receiver"}},
      {"employer",
       {"pemberi kerja", "pemberi_kerja", "majikan", "mucikari", "germo", "pemilik usaha",
        "exploiter", "pengeksploitasi"}},
      {"financier",
       {"pemodal", "bandar", "penyandang dana", "pendana", "funder", "investor"}},
      {"forger",
       {"pemalsu dokumen", "pemalsu_dokumen", "pemalsu", "pembuat dokumen palsu",
        "document forger"}},
      {"other", {"lainnya", "lain-lain", "lain", "others"}},
  });
  return *roles;
}

const SynonymIndex& Verdicts() {
  static const SynonymIndex* verdicts = BuildIndex({
      {"guilty",
       {"bersalah", "terbukti bersalah", "terbukti", "dihukum", "dipidana", "pidana",
        "convicted", "conviction", "terbukti secara sah dan meyakinkan bersalah"}},
      {"acquitted",
       {"bebas", "bebas murni", "dibebaskan", "vrijspraak", "lepas",
        "lepas dari segala tuntutan", "lepas dari segala tuntutan hukum", "onslag",
        "ontslag", "onslag van alle rechtsvervolging",
        "ontslag van alle rechtsvervolging", "acquittal", "not guilty", "tidak terbukti",
        "tidak bersalah"}},
  });
  return *verdicts;
}

constexpr int64_t kMaxRupiah = 1'000'000'000'000'000;  // 10^15

// Rupiah multipliers written after the number, as powers of ten.
int MultiplierExponent(std::string_view word) {
  static constexpr std::pair<std::string_view, int> kWords[] = {
      {"ribu", 3},    {"rb", 3},      {"k", 3},        {"thousand", 3}, {"juta", 6},
      {"jt", 6},      {"million", 6}, {"miliar", 9},   {"milyar", 9},   {"m", 9},
      {"billion", 9}, {"bn", 9},      {"triliun", 12}, {"trilyun", 12}, {"t", 12},
  };
  for (const auto& [w, exponent] : kWords)
    if (w == word) return exponent;
  return -1;
}

bool AllDigits(std::string_view s) {
  for (char c : s)
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// "1.234.567" with `separator` '.': groups of three after a first of one to three.
bool ValidGroups(std::string_view s, char separator, std::string& digits) {
  std::vector<std::string_view> groups = Split(s, separator);
  for (size_t g = 0; g < groups.size(); ++g) {
    size_t n = groups[g].size();
    if (!AllDigits(groups[g]) || (g == 0 ? (n < 1 || n > 3) : n != 3)) return false;
    digits.append(groups[g]);
  }
  return true;
}

// The number part of an amount split into its whole and fractional digits, by the
// rule documented at ParseRupiah.
bool SplitNumber(std::string_view number, std::string& whole, std::string& fraction) {
  if (number.empty() || !absl::ascii_isdigit(static_cast<unsigned char>(number[0])))
    return false;
  size_t dots = std::count(number.begin(), number.end(), '.');
  size_t commas = std::count(number.begin(), number.end(), ',');
  char decimal = 0;
  char thousands = 0;
  if (dots > 0 && commas > 0) {
    decimal = number.rfind('.') > number.rfind(',') ? '.' : ',';
    thousands = decimal == '.' ? ',' : '.';
    if ((decimal == '.' ? dots : commas) != 1) return false;
  } else if (dots + commas > 1) {
    thousands = dots > 0 ? '.' : ',';
  } else if (dots + commas == 1) {
    char separator = dots > 0 ? '.' : ',';
    size_t after = number.size() - number.find(separator) - 1;
    (after == 3 ? thousands : decimal) = separator;
  }
  std::string_view int_part = number;
  if (decimal != 0) {
    size_t at = number.find(decimal);
    int_part = number.substr(0, at);
    fraction.assign(number.substr(at + 1));
    if (fraction.empty() || !AllDigits(fraction)) return false;
  }
  if (thousands != 0) return ValidGroups(int_part, thousands, whole);
  if (!AllDigits(int_part)) return false;
  whole.assign(int_part);
  return !whole.empty();
}

// A numeric XLSX cell (FormatNumber's shortest decimal form) as whole rupiah.
std::optional<int64_t> ExcelAmount(std::string_view text) {
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 0 ||
      value > static_cast<double>(kMaxRupiah) || value != std::trunc(value))
    return std::nullopt;
  return static_cast<int64_t>(value);
}

// "24", "24 bulan", "2 tahun", "2 tahun 6 bulan" (also thn/bln, English years and
// months): whole months from 0 to 1200, or nullopt.
std::optional<int> ParseMonths(std::string_view text) {
  std::string lower = absl::AsciiStrToLower(AsAbsl(text));
  std::vector<std::string_view> words;
  for (std::string_view w : Split(lower, ' '))
    if (!w.empty()) words.push_back(w);
  auto unit_of = [](std::string_view w) {
    if (w == "tahun" || w == "thn" || w == "year" || w == "years") return 12;
    if (w == "bulan" || w == "bln" || w == "month" || w == "months") return 1;
    return 0;
  };
  int total = 0;
  int last_unit = 13;  // years, then months
  for (size_t i = 0; i < words.size(); ++i) {
    int n = 0;
    if (words[i].size() > 4 || !AllDigits(words[i]) ||
        !absl::SimpleAtoi(AsAbsl(words[i]), &n))
      return std::nullopt;
    int unit = 1;
    if (i + 1 < words.size()) {
      unit = unit_of(words[++i]);
    } else if (i > 0) {
      unit = 0;  // "2 tahun 6": a bare number only on its own
    }
    if (unit == 0 || unit >= last_unit) return std::nullopt;
    last_unit = unit;
    total += n * unit;
  }
  if (words.empty() || total > 1200) return std::nullopt;
  return total;
}

// ';'-separated items, each trimmed (with `collapse`, inner white space collapsed
// too), empties dropped, joined with ';' into `out`.
void JoinList(std::string_view text, bool collapse, std::string& out) {
  out.clear();
  std::string item;
  for (std::string_view part : Split(text, ';')) {
    if (collapse) {
      CollapseSpaces(part, item);
    } else {
      item.assign(Trim(part));
    }
    if (item.empty()) continue;
    if (!out.empty()) out.push_back(';');
    out.append(item);
  }
}

}  // namespace

// --- File kinds and header ---

std::string_view FileKindName(FileKind kind) {
  return kind == FileKind::kLegal ? "legal" : "victims";
}

std::optional<FileKind> ParseFileKind(std::string_view name) {
  std::string key = MatchKey(name);
  if (key == "victims" || key == "victim" || key == "korban") return FileKind::kVictims;
  if (key == "legal" || key == "hukum") return FileKind::kLegal;
  return std::nullopt;
}

FileKind DetectFileKind(const std::vector<std::string>& header) {
  absl::flat_hash_set<std::string> keys;
  for (const std::string& cell : header) keys.insert(HeaderKey(cell));
  auto has = [&keys](const FieldSpec& spec) {
    return keys.contains(HeaderKey(spec.key)) || keys.contains(HeaderKey(spec.alias));
  };
  for (const FieldSpec& spec : kLegalFields)
    if (spec.required && !has(spec)) return FileKind::kVictims;
  bool victim_file = has(Spec(Field::kName)) && has(Spec(Field::kReportDate));
  return victim_file ? FileKind::kVictims : FileKind::kLegal;
}

const std::array<FieldSpec, kLegalFieldCount>& LegalFields() { return kLegalFields; }

absl::StatusOr<LegalColumnMap> MapLegalHeader(const std::vector<std::string>& header) {
  LegalColumnMap map;
  GUGUS_RETURN_IF_ERROR(
      internal::MapColumns(header, kLegalFields, map.column, map.extra));
  return map;
}

// --- Stages ---

std::vector<StageSpec> DefaultStages() {
  return {
      // Police.
      {"laporan",
       "police",
       10,
       "Laporan polisi",
       "police report",
       {"LP", "pelaporan", "pengaduan", "report"},
       kReported},
      {"penyelidikan",
       "police",
       20,
       "Penyelidikan",
       "inquiry",
       {"lidik", "preliminary investigation"},
       0},
      {"penyidikan",
       "police",
       30,
       "Penyidikan",
       "investigation",
       {"sidik", "sprindik"},
       0},
      {"tersangka",
       "police",
       40,
       "Penetapan tersangka",
       "suspect named",
       {"ditetapkan tersangka", "ditetapkan sebagai tersangka", "TSK", "suspect",
        "named as suspect"},
       kNamed},
      {"spdp",
       "police",
       50,
       "SPDP (pemberitahuan dimulainya penyidikan)",
       "notice of investigation (SPDP)",
       {"surat pemberitahuan dimulainya penyidikan",
        "pemberitahuan dimulainya penyidikan", "notice of investigation"},
       kNamed},
      {"p19",
       "police",
       60,
       "P-19 (berkas dikembalikan)",
       "file returned incomplete (P-19)",
       {"P-19", "berkas dikembalikan", "berkas belum lengkap", "file returned",
        "file returned incomplete"},
       kNamed | kReturned},
      {"p21",
       "police",
       70,
       "P-21 (berkas lengkap)",
       "file complete (P-21)",
       {"P-21", "berkas lengkap", "berkas dinyatakan lengkap", "file complete"},
       kNamed | kFileComplete},
      {"sp3",
       "police",
       75,
       "SP3 (penyidikan dihentikan)",
       "investigation stopped (SP3)",
       {"SP-3", "penghentian penyidikan", "penyidikan dihentikan",
        "surat perintah penghentian penyidikan", "investigation stopped"},
       kStopped},
      // Prosecution.
      {"tahap2",
       "prosecution",
       80,
       "Tahap II (penyerahan tersangka dan barang bukti)",
       "handover of suspect and evidence",
       {"Tahap II", "tahap 2", "tahap dua", "pelimpahan tahap II", "penyerahan tahap II",
        "penyerahan tersangka dan barang bukti"},
       kNamed | kProsecuted},
      {"skpp",
       "prosecution",
       84,
       "SKPP (penuntutan dihentikan)",
       "prosecution stopped (SKPP)",
       {"surat ketetapan penghentian penuntutan", "penghentian penuntutan",
        "penuntutan dihentikan", "prosecution stopped"},
       kStopped},
      {"dakwaan",
       "prosecution",
       90,
       "Dakwaan",
       "indictment",
       {"surat dakwaan", "pembacaan dakwaan", "didakwa"},
       kNamed | kProsecuted},
      {"pelimpahan",
       "prosecution",
       100,
       "Pelimpahan ke pengadilan",
       "sent to court",
       {"pelimpahan perkara", "pelimpahan berkas ke pengadilan", "P-31"},
       kNamed | kProsecuted},
      {"tuntutan",
       "prosecution",
       110,
       "Tuntutan",
       "sentencing demand",
       {"surat tuntutan", "tuntutan pidana", "pembacaan tuntutan", "requisitoir", "P-42"},
       kNamed | kProsecuted | kRestitutionClaimed},
      // Court.
      {"putusan_pn",
       "court",
       120,
       "Putusan Pengadilan Negeri",
       "first-instance verdict",
       {"putusan PN", "vonis", "vonis PN", "putusan tingkat pertama", "verdict"},
       kVerdictStage | kFirstVerdict},
      {"banding",
       "court",
       130,
       "Banding",
       "appeal",
       {"upaya banding", "permohonan banding", "pengajuan banding"},
       kCourt},
      {"putusan_pt",
       "court",
       140,
       "Putusan Pengadilan Tinggi",
       "appeal verdict",
       {"putusan PT", "putusan banding", "vonis PT", "vonis banding"},
       kVerdictStage},
      {"kasasi",
       "court",
       150,
       "Kasasi",
       "cassation",
       {"upaya kasasi", "permohonan kasasi", "pengajuan kasasi"},
       kCourt},
      {"putusan_ma",
       "court",
       160,
       "Putusan Mahkamah Agung",
       "supreme court verdict",
       {"putusan MA", "putusan kasasi", "vonis MA", "vonis kasasi"},
       kVerdictStage},
      {"inkracht",
       "court",
       170,
       "Berkekuatan hukum tetap (inkracht)",
       "final (inkracht)",
       {"inkrah", "incraht", "inkraht", "inkracht van gewijsde", "BHT",
        "berkekuatan hukum tetap", "final", "final and binding"},
       kCourt | kFinal},
      {"eksekusi",
       "court",
       180,
       "Eksekusi",
       "execution",
       {"pelaksanaan putusan", "eksekusi putusan", "P-48"},
       kCourt},
      // Other.
      {"diversi", "other", 85, "Diversi", "diversion", {}, kNamed},
      {"keadilan_restoratif",
       "other",
       86,
       "Keadilan restoratif",
       "restorative justice",
       {"RJ", "restoratif", "restorative"},
       kNamed},
      {"restitusi_dibayar",
       "other",
       190,
       "Restitusi dibayar",
       "restitution paid",
       {"pembayaran restitusi", "restitusi dibayarkan", "restitusi telah dibayar"},
       kRestitutionPaid},
  };
}

std::string MilestoneNames(uint32_t milestones) {
  std::string out;
  for (size_t bit = 0; bit < kMilestoneNames.size(); ++bit) {
    if ((milestones & (1u << bit)) == 0) continue;
    if (!out.empty()) out.push_back(';');
    out.append(kMilestoneNames[bit]);
  }
  return out;
}

absl::StatusOr<uint32_t> ParseMilestones(std::string_view text) {
  uint32_t bits = 0;
  for (std::string_view part : Split(text, ';')) {
    std::string key = MatchKey(part);
    if (key.empty()) continue;
    size_t bit = 0;
    while (bit < kMilestoneNames.size() && MatchKey(kMilestoneNames[bit]) != key) ++bit;
    if (bit == kMilestoneNames.size()) {
      return absl::InvalidArgumentError(
          fmt::format("'{}' is not a milestone (one of named, prosecuted, "
                      "first_verdict, verdict, final, stopped, restitution_claimed, "
                      "restitution_ordered, restitution_paid, returned, file_complete, "
                      "reported)",
                      Trim(part)));
    }
    bits |= 1u << bit;
  }
  return bits;
}

absl::StatusOr<StageCatalog> StageCatalog::Make(std::vector<StageSpec> stages) {
  StageCatalog catalog;
  for (size_t i = 0; i < stages.size(); ++i) {
    const StageSpec& stage = stages[i];
    if (Trim(stage.code).empty())
      return absl::InvalidArgumentError(fmt::format("stage {} has no code", i + 1));
    for (size_t j = 0; j < i; ++j) {
      if (stages[j].code == stage.code)
        return absl::InvalidArgumentError(
            fmt::format("stage code '{}' is given twice", stage.code));
    }
    std::vector<std::string_view> spellings = {stage.code, stage.name_id, stage.name_en};
    spellings.insert(spellings.end(), stage.aliases.begin(), stage.aliases.end());
    for (std::string_view spelling : spellings) {
      std::string key = MatchKey(spelling);
      if (key.empty()) continue;
      auto [it, fresh] = catalog.by_key_.emplace(key, i);
      if (!fresh && it->second != i) {
        return absl::InvalidArgumentError(
            fmt::format("'{}' would name both stage '{}' and stage '{}'", spelling,
                        stages[it->second].code, stage.code));
      }
    }
  }
  catalog.stages_ = std::move(stages);
  return catalog;
}

const StageSpec* StageCatalog::Find(std::string_view text) const {
  std::string key = MatchKey(text);
  if (key.empty()) return nullptr;
  auto it = by_key_.find(key);
  return it == by_key_.end() ? nullptr : &stages_[it->second];
}

const StageSpec* StageCatalog::FindCode(std::string_view code) const {
  for (const StageSpec& stage : stages_)
    if (stage.code == code) return &stage;
  return nullptr;
}

// --- Small values ---

std::optional<int64_t> ParseRupiah(std::string_view text) {
  // Lower case, no-break spaces as spaces.
  const std::string_view trimmed = Trim(text);
  std::string s;
  s.reserve(trimmed.size());
  for (size_t i = 0; i < trimmed.size(); ++i) {
    if (trimmed.substr(i, 2) == "\xC2\xA0") {
      s.push_back(' ');
      ++i;
    } else {
      s.push_back(absl::ascii_tolower(static_cast<unsigned char>(trimmed[i])));
    }
  }
  size_t i = 0;
  auto skip_spaces = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  };
  auto word = [&] {
    size_t start = i;
    while (i < s.size() && absl::ascii_isalpha(static_cast<unsigned char>(s[i]))) ++i;
    std::string_view w(s.data() + start, i - start);
    if (!w.empty() && i < s.size() && s[i] == '.') ++i;  // "Rp.", "jt."
    return w;
  };

  std::string_view prefix = word();
  if (!prefix.empty() && prefix != "rp" && prefix != "idr") return std::nullopt;
  skip_spaces();
  size_t start = i;
  while (i < s.size() && (absl::ascii_isdigit(static_cast<unsigned char>(s[i])) ||
                          s[i] == '.' || s[i] == ','))
    ++i;
  std::string_view number(s.data() + start, i - start);
  // "Rp 120.000.000,-" (also "120.000.000 ,-"): the dash says "no sen".
  if (i < s.size() && s[i] == '-' && !number.empty() &&
      (number.back() == ',' || number.back() == '.')) {
    number.remove_suffix(1);
    ++i;
  }
  skip_spaces();
  if (std::string_view(s).substr(i, 2) == ",-" ||
      std::string_view(s).substr(i, 2) == ".-") {
    i += 2;
    skip_spaces();
  }
  int exponent = 0;
  std::string_view unit = word();
  if (!unit.empty() && unit != "rupiah") {
    exponent = MultiplierExponent(unit);
    if (exponent < 0) return std::nullopt;
    skip_spaces();
    unit = word();
    if (!unit.empty() && unit != "rupiah") return std::nullopt;
  }
  skip_spaces();
  if (i != s.size()) return std::nullopt;

  std::string whole;
  std::string fraction;
  if (!SplitNumber(number, whole, fraction)) return std::nullopt;
  size_t nonzero = whole.find_first_not_of('0');
  whole.erase(0, nonzero == std::string::npos ? whole.size() : nonzero);
  if (whole.size() > 16) return std::nullopt;
  // The fraction's first `exponent` digits are whole rupiah; any further digit must
  // be 0 (no sen).
  if (fraction.size() > static_cast<size_t>(exponent)) {
    if (fraction.find_first_not_of('0', exponent) != std::string::npos)
      return std::nullopt;
    fraction.resize(exponent);
  }
  fraction.resize(exponent, '0');
  int64_t scale = 1;
  for (int e = 0; e < exponent; ++e) scale *= 10;
  int64_t value = 0;
  int64_t extra = 0;
  if (!whole.empty() && !absl::SimpleAtoi(AsAbsl(whole), &value)) return std::nullopt;
  if (!fraction.empty() && !absl::SimpleAtoi(AsAbsl(fraction), &extra))
    return std::nullopt;
  if (value > kMaxRupiah / scale) return std::nullopt;
  value = value * scale + extra;
  if (value > kMaxRupiah) return std::nullopt;
  return value;
}

std::optional<std::string_view> ParseRole(std::string_view text) {
  return LookUp(Roles(), text);
}

std::optional<std::string_view> ParseVerdict(std::string_view text) {
  return LookUp(Verdicts(), text);
}

// --- Rows ---

LegalRowValidator::LegalRowValidator(const StageCatalog& stages, Date today)
    : stages_(stages), today_(today) {}

LegalValidation LegalRowValidator::Validate(const RawRow& row,
                                            const LegalColumnMap& columns) {
  LegalValidation result;
  Validate(row, columns, result);
  return result;
}

void LegalRowValidator::Validate(const RawRow& row, const LegalColumnMap& columns,
                                 LegalValidation& out) {
  internal::BeginValidation(row, out);
  std::vector<Issue>& reasons = out.reasons;
  ParsedLegal& rec = out.record;
  std::vector<Issue>& warnings = rec.warnings;
  rec.sentence_months.reset();
  rec.fine.reset();
  rec.restitution.reset();

  // Required fields.
  internal::CheckRecordId(Cell(row, columns, LegalField::kRecordId),
                          Key(LegalField::kRecordId), seen_ids_, reasons,
                          rec[LegalField::kRecordId]);
  CollapseSpaces(Cell(row, columns, LegalField::kCaseRef), rec[LegalField::kCaseRef]);
  if (rec[LegalField::kCaseRef].empty())
    reasons.push_back(MakeIssue(LegalField::kCaseRef, "missing", "case_ref is empty"));

  std::optional<Date> event_date = internal::ParseRequiredDate(
      row, Column(columns, LegalField::kEventDate), Key(LegalField::kEventDate), today_,
      reasons, rec[LegalField::kEventDate]);

  const StageSpec* stage = nullptr;
  if (std::string_view text = Cell(row, columns, LegalField::kStage); text.empty()) {
    reasons.push_back(MakeIssue(LegalField::kStage, "missing", "stage is empty"));
  } else if (stage = stages_.Find(text); stage == nullptr) {
    reasons.push_back(MakeIssue(
        LegalField::kStage, "unknown_stage",
        "stage is not a known stage code or name (e.g. p21, tahap2, putusan_pn)"));
  } else {
    rec[LegalField::kStage] = stage->code;
  }

  // Optional fields: bad values warn and are dropped; the raw text is kept by the
  // caller.
  JoinList(Cell(row, columns, LegalField::kOtherRefs), /*collapse=*/true,
           rec[LegalField::kOtherRefs]);
  JoinList(Cell(row, columns, LegalField::kArticles), /*collapse=*/true,
           rec[LegalField::kArticles]);
  // Record ids are compared with the victim file's as they are, trimmed only.
  JoinList(Cell(row, columns, LegalField::kVictimRecordIds), /*collapse=*/false,
           rec[LegalField::kVictimRecordIds]);
  CleanName(Cell(row, columns, LegalField::kSuspectName), rec[LegalField::kSuspectName]);
  for (LegalField f : {LegalField::kCompany, LegalField::kBankAccount,
                       LegalField::kSocialAccount, LegalField::kNotes})
    rec[f].assign(Cell(row, columns, f));

  std::optional<Sex> sex;
  if (std::string_view text = Cell(row, columns, LegalField::kSuspectSex); !text.empty())
    sex = internal::ParseSexField(text, Key(LegalField::kSuspectSex), warnings,
                                  rec[LegalField::kSuspectSex]);

  std::optional<Date> birth_date =
      internal::ParseDateCell(row, Column(columns, LegalField::kSuspectBirthDate),
                              Key(LegalField::kSuspectBirthDate), warnings);
  if (birth_date && event_date && *birth_date > *event_date) {
    warnings.push_back(MakeIssue(LegalField::kSuspectBirthDate, "after_event",
                                 "suspect_birth_date is after event_date"));
    birth_date.reset();
  } else if (birth_date && *birth_date > today_) {
    warnings.push_back(MakeIssue(LegalField::kSuspectBirthDate, "future",
                                 "suspect_birth_date is in the future"));
    birth_date.reset();
  }
  if (birth_date) rec[LegalField::kSuspectBirthDate] = FormatIsoDate(*birth_date);

  if (std::string_view text = Cell(row, columns, LegalField::kSuspectNik);
      !text.empty()) {
    internal::NikContext context{.reference = event_date.value_or(today_),
                                 .sex = sex,
                                 .birth_date = birth_date,
                                 .birth_date_key = Key(LegalField::kSuspectBirthDate)};
    internal::ParseNikField(text, Key(LegalField::kSuspectNik), context, warnings,
                            rec[LegalField::kSuspectNik]);
  }

  if (std::string_view text = Cell(row, columns, LegalField::kSuspectPhone);
      !text.empty())
    internal::ParsePhoneField(text, Key(LegalField::kSuspectPhone), warnings,
                              rec[LegalField::kSuspectPhone]);

  if (std::string_view text = Cell(row, columns, LegalField::kRole); !text.empty()) {
    std::optional<std::string_view> role = ParseRole(text);
    if (!role) {
      warnings.push_back(
          MakeIssue(LegalField::kRole, "unknown_term", "unknown role stored as 'other'"));
    }
    rec[LegalField::kRole].assign(role.value_or("other"));
  }

  if (std::string_view text = Cell(row, columns, LegalField::kVerdict); !text.empty()) {
    std::optional<std::string_view> verdict = ParseVerdict(text);
    if (!verdict) {
      warnings.push_back(MakeIssue(LegalField::kVerdict, "unrecognised",
                                   "verdict is not guilty/bersalah or acquitted/bebas"));
    } else if (stage != nullptr && (stage->milestones & kVerdict) == 0) {
      warnings.push_back(MakeIssue(
          LegalField::kVerdict, "inconsistent",
          "verdict is given on a stage that is not a verdict (putusan_pn, putusan_pt, "
          "putusan_ma)"));
    } else {
      rec[LegalField::kVerdict].assign(*verdict);
    }
  }

  if (std::string_view text = Cell(row, columns, LegalField::kSentenceMonths);
      !text.empty()) {
    rec.sentence_months = ParseMonths(text);
    if (rec.sentence_months) {
      rec[LegalField::kSentenceMonths] = std::to_string(*rec.sentence_months);
    } else {
      warnings.push_back(
          MakeIssue(LegalField::kSentenceMonths, "invalid",
                    "sentence_months is not a whole number of months from 0 to 1200"));
    }
  }

  for (LegalField f : {LegalField::kFine, LegalField::kRestitution}) {
    std::string_view text = Cell(row, columns, f);
    if (text.empty()) continue;
    std::optional<int64_t>& amount = f == LegalField::kFine ? rec.fine : rec.restitution;
    amount = internal::NumericAt(row, Column(columns, f)) ? ExcelAmount(text)
                                                          : ParseRupiah(text);
    if (amount) {
      rec[f] = std::to_string(*amount);
    } else {
      warnings.push_back(MakeIssue(
          f, "unparseable",
          fmt::format("{} is not an amount in rupiah (e.g. 120000000, Rp 120.000.000, "
                      "120 juta)",
                      Key(f))));
    }
  }

  out.accepted = reasons.empty();
}

}  // namespace gugus::ingest
