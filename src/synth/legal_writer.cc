#include "synth/legal_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <climits>
#include <deque>
#include <filesystem>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/nik.h"
#include "core/status.h"
#include "core/strcat.h"
#include "synth/clerk.h"
#include "synth/dates.h"
#include "synth/generator.h"
#include "synth/output.h"
#include "synth/rng.h"

namespace gugus::synth::internal {
namespace {

using SV = std::string_view;

constexpr int kLastEventDays = ToDays(2025, 12, 31);
constexpr int kNever = INT_MAX;

// ---------------------------------------------------------------- the file's columns

enum LegalCol {
  kLRecordId,
  kLCaseRef,
  kLOtherRefs,
  kLEventDate,
  kLStage,
  kLName,
  kLNik,
  kLBirth,
  kLSex,
  kLPhone,
  kLRole,
  kLCompany,
  kLBank,
  kLSocial,
  kLArticles,
  kLVerdict,
  kLSentence,
  kLFine,
  kLRestitution,
  kLVictims,
  kLNotes,
  kLColCount
};

// English key and Indonesian header of each column (SPEC section 8).
constexpr SV kLegalHeaders[kLColCount][2] = {
    {"record_id", "id_rekaman"},
    {"case_ref", "nomor_kasus"},
    {"other_refs", "nomor_terkait"},
    {"event_date", "tanggal"},
    {"stage", "tahap"},
    {"suspect_name", "nama_tersangka"},
    {"suspect_nik", "nik_tersangka"},
    {"suspect_birth_date", "tanggal_lahir_tersangka"},
    {"suspect_sex", "jenis_kelamin_tersangka"},
    {"suspect_phone", "telepon_tersangka"},
    {"role", "peran"},
    {"company", "perusahaan"},
    {"bank_account", "rekening"},
    {"social_account", "akun_media_sosial"},
    {"articles", "pasal"},
    {"verdict", "putusan"},
    {"sentence_months", "pidana_bulan"},
    {"fine", "denda"},
    {"restitution", "restitusi"},
    {"victim_record_ids", "id_korban"},
    {"notes", "keterangan"},
};

// ---------------------------------------------------------------- stages

enum Stage {
  kLaporan,
  kPenyelidikan,
  kPenyidikan,
  kTersangka,
  kSpdp,
  kP19,
  kP21,
  kSp3,
  kTahap2,
  kDakwaan,
  kPelimpahan,
  kTuntutan,
  kSkpp,
  kPutusanPn,
  kBanding,
  kPutusanPt,
  kKasasi,
  kPutusanMa,
  kInkracht,
  kEksekusi,
  kRestitusiDibayar,
};

struct StageText {
  SV code;
  SV forms[3];  // clerks' spellings, each folding (case, spaces, punctuation) to the code
  SV english;   // the SPEC's English name, or "" (then English clerks write a form)
};

constexpr StageText kStages[] = {
    {"laporan", {"Laporan", "LAPORAN", "laporan"}, "police report"},
    {"penyelidikan", {"Penyelidikan", "PENYELIDIKAN", "penyelidikan"}, ""},
    {"penyidikan", {"Penyidikan", "PENYIDIKAN", "penyidikan"}, ""},
    {"tersangka", {"Tersangka", "TERSANGKA", "tersangka"}, "suspect named"},
    {"spdp", {"SPDP", "S.P.D.P.", "spdp"}, ""},
    {"p19", {"P-19", "P19", "p-19"}, "file returned incomplete"},
    {"p21", {"P-21", "P21", "P 21"}, "file complete"},
    {"sp3", {"SP3", "SP-3", "sp3"}, "investigation stopped"},
    {"tahap2", {"Tahap 2", "TAHAP-2", "tahap_2"}, ""},
    {"dakwaan", {"Dakwaan", "DAKWAAN", "dakwaan"}, "indictment"},
    {"pelimpahan", {"Pelimpahan", "PELIMPAHAN", "pelimpahan"}, "sent to court"},
    {"tuntutan", {"Tuntutan", "TUNTUTAN", "tuntutan"}, "sentencing demand"},
    {"skpp", {"SKPP", "S.K.P.P.", "skpp"}, "prosecution stopped"},
    {"putusan_pn", {"Putusan PN", "PUTUSAN PN", "putusan-pn"}, "first-instance verdict"},
    {"banding", {"Banding", "BANDING", "banding"}, ""},
    {"putusan_pt", {"Putusan PT", "PUTUSAN PT", "putusan-pt"}, ""},
    {"kasasi", {"Kasasi", "KASASI", "kasasi"}, ""},
    {"putusan_ma", {"Putusan MA", "PUTUSAN MA", "putusan-ma"}, ""},
    {"inkracht", {"Inkracht", "INKRACHT", "inkracht"}, "final"},
    {"eksekusi", {"Eksekusi", "EKSEKUSI", "eksekusi"}, ""},
    {"restitusi_dibayar",
     {"Restitusi Dibayar", "RESTITUSI DIBAYAR", "restitusi-dibayar"},
     "restitution paid"},
};

// The counting sets of justice.csv (see generator.h).
bool CountsAsNamed(int s) {
  return s == kTersangka || s == kSpdp || s == kP19 || s == kP21 ||
         (s >= kTahap2 && s <= kEksekusi && s != kSkpp);
}
bool CountsAsProsecuted(int s) { return (s >= kTahap2 && s <= kEksekusi && s != kSkpp); }
bool IsVerdict(int s) { return s == kPutusanPn || s == kPutusanPt || s == kPutusanMa; }

// ---------------------------------------------------------------- roles

enum Role {
  kRecruiter,
  kTransporter,
  kHarbourer,
  kEmployer,
  kFinancier,
  kForger,
  kOther
};
constexpr SV kRoleEn[] = {"recruiter", "transporter", "harbourer", "employer",
                          "financier", "forger",      "other"};
constexpr SV kRoleId[][2] = {
    {"perekrut", "Perekrut"},   {"pengangkut", "Pengangkut"},
    {"penampung", "Penampung"}, {"pemberi_kerja", "pemberi kerja"},
    {"pemodal", "Pemodal"},     {"pemalsu_dokumen", "pemalsu dokumen"},
    {"lainnya", "Lainnya"}};

// ---------------------------------------------------------------- offices

// A kejaksaan negeri and the pengadilan negeri beside it, serving a regency or city.
struct Office {
  SV regency;
  AgencyTemplate kejari;
  AgencyTemplate pn;
};

constexpr Office kOffices[] = {
    {"53.71",
     {"KEJARI-KUPANG", "Kejaksaan Negeri Kupang", "prosecutor", "53.71", "KNKPG", "KPG"},
     {"PN-KUPANG", "Pengadilan Negeri Kupang", "court", "53.71", "PNKPG", "PN Kpg"}},
    {"53.01",
     {"KEJARI-KAB-KUPANG", "Kejaksaan Negeri Kabupaten Kupang", "prosecutor", "53.01",
      "KNKKP", "N.3.21"},
     {"PN-OELAMASI", "Pengadilan Negeri Oelamasi", "court", "53.01", "PNOLM", "PN Olm"}},
    {"53.02",
     {"KEJARI-TTS", "Kejaksaan Negeri Timor Tengah Selatan", "prosecutor", "53.02",
      "KNTTS", "SOE"},
     {"PN-SOE", "Pengadilan Negeri Soe", "court", "53.02", "PNSOE", "PN Soe"}},
    {"53.03",
     {"KEJARI-TTU", "Kejaksaan Negeri Timor Tengah Utara", "prosecutor", "53.03", "KNTTU",
      "N.3.15"},
     {"PN-KEFAMENANU", "Pengadilan Negeri Kefamenanu", "court", "53.03", "PNKFM",
      "PN Kfm"}},
    {"52.71",
     {"KEJARI-MATARAM", "Kejaksaan Negeri Mataram", "prosecutor", "52.71", "KNMTR",
      "MTR"},
     {"PN-MATARAM", "Pengadilan Negeri Mataram", "court", "52.71", "PNMTR", "PN Mtr"}},
    {"52.03",
     {"KEJARI-LOTIM", "Kejaksaan Negeri Lombok Timur", "prosecutor", "52.03", "KNLTM",
      "P.2.13"},
     {"PN-SELONG", "Pengadilan Negeri Selong", "court", "52.03", "PNSEL", "PN Sel"}},
    {"32.12",
     {"KEJARI-INDRAMAYU", "Kejaksaan Negeri Indramayu", "prosecutor", "32.12", "KNIMY",
      "IMY"},
     {"PN-INDRAMAYU", "Pengadilan Negeri Indramayu", "court", "32.12", "PNIMY",
      "PN Idm"}},
    {"32.73",
     {"KEJARI-BANDUNG", "Kejaksaan Negeri Kota Bandung", "prosecutor", "32.73", "KNBDG",
      "O.2.11"},
     {"PN-BANDUNG", "Pengadilan Negeri Bandung Kelas IA Khusus", "court", "32.73",
      "PNBDG", "PN Bdg"}},
    {"35.78",
     {"KEJARI-SURABAYA", "Kejaksaan Negeri Surabaya", "prosecutor", "35.78", "KNSBY",
      "SBY"},
     {"PN-SURABAYA", "Pengadilan Negeri Surabaya", "court", "35.78", "PNSBY", "PN Sby"}},
    {"61.71",
     {"KEJARI-PONTIANAK", "Kejaksaan Negeri Pontianak", "prosecutor", "61.71", "KNPTK",
      "Q.1.10"},
     {"PN-PONTIANAK", "Pengadilan Negeri Pontianak", "court", "61.71", "PNPTK",
      "PN Ptk"}},
    {"61.03",
     {"KEJARI-SANGGAU", "Kejaksaan Negeri Sanggau", "prosecutor", "61.03", "KNSGU",
      "SGU"},
     {"PN-SANGGAU", "Pengadilan Negeri Sanggau", "court", "61.03", "PNSAG", "PN Sag"}},
    {"12.71",
     {"KEJARI-MEDAN", "Kejaksaan Negeri Medan", "prosecutor", "12.71", "KNMDN", "L.2.10"},
     {"PN-MEDAN", "Pengadilan Negeri Medan", "court", "12.71", "PNMDN", "PN Mdn"}},
    {"18.71",
     {"KEJARI-BANDAR-LAMPUNG", "Kejaksaan Negeri Bandar Lampung", "prosecutor", "18.71",
      "KNBDL", "BDL"},
     {"PN-TANJUNG-KARANG", "Pengadilan Negeri Tanjung Karang", "court", "18.71", "PNTJK",
      "PN Tjk"}},
    {"65.03",
     {"KEJARI-NUNUKAN", "Kejaksaan Negeri Nunukan", "prosecutor", "65.03", "KNNNK",
      "NNK"},
     {"PN-NUNUKAN", "Pengadilan Negeri Nunukan", "court", "65.03", "PNNNK", "PN Nnk"}},
    {"31.74",
     {"KEJARI-JAKSEL", "Kejaksaan Negeri Jakarta Selatan", "prosecutor", "31.74", "KNJKS",
      "B.5.10"},
     {"PN-JAKSEL", "Pengadilan Negeri Jakarta Selatan", "court", "31.74", "PNJKS",
      "PN Jkt.Sel"}},
};

// The office that serves a province when the case's own regency has none.
constexpr std::pair<SV, SV> kProvinceOffice[] = {
    {"53", "53.71"}, {"52", "52.71"}, {"32", "32.73"}, {"35", "35.78"}, {"61", "61.71"},
    {"12", "12.71"}, {"18", "18.71"}, {"65", "65.03"}, {"31", "31.74"}};

const Office* FindOffice(SV regency) {
  for (const Office& o : kOffices) {
    if (o.regency == regency) return &o;
  }
  return nullptr;
}

const Office* ProvinceOffice(SV province) {
  for (const auto& [p, regency] : kProvinceOffice) {
    if (p == province) return FindOffice(regency);
  }
  return FindOffice("31.74");
}

// ---------------------------------------------------------------- small tables

constexpr SV kCompanyFirst[] = {"Sinar",  "Mitra",   "Bumi",   "Anugerah", "Berkah",
                                "Cahaya", "Putra",   "Karya",  "Bintang",  "Harapan",
                                "Duta",   "Mandiri", "Sumber", "Graha",    "Nusa"};
constexpr SV kCompanySecond[] = {"Jaya",   "Bahari",  "Karya",   "Abadi",   "Sejahtera",
                                 "Utama",  "Perkasa", "Makmur",  "Sentosa", "Prima",
                                 "Insani", "Mulia",   "Lestari", "Timur",   "Global"};
constexpr SV kCompanyThird[] = {"",          "",          "Mandiri",      "Sejati",
                                "Indonesia", "Nusantara", "Internasional"};
constexpr SV kBanks[] = {"BRI", "BNI", "Mandiri", "BCA", "BTN", "Bank NTT", "BPD NTB"};
constexpr SV kSocialTopics[] = {"lowongan.kerja.malaysia",
                                "loker_luar_negeri",
                                "info.kerja.kamboja",
                                "rekrut_kamboja",
                                "kerja_taiwan_resmi",
                                "tki.hongkong.murah",
                                "lowongan.abk",
                                "kerja.admin.online",
                                "peluang_kerja_arab",
                                "cari.kerja.batam"};
constexpr SV kSocialKinds[] = {"fb:", "tg:@", "ig:@"};
constexpr SV kNicknames[] = {"Om Beni",   "Mama Yuli",  "Bang Ucok", "Kak Ros",
                             "Pak Kumis", "Mami Sisca", "Bos Along", "Tante Ina",
                             "Bli Kadek", "Opa Yan"};

constexpr SV kUnknownStages[] = {
    "proses", "dalam proses", "P-20",     "P22",       "menunggu",
    "?",      "ditunda",      "berjalan", "lain-lain", "sidang ke-3"};

enum class Bad {
  kNone,
  kMissingRequired,  // case_ref or stage empty
  kUnknownStage,
  kUnparseableDate,
  kImpossibleDate,
  kFutureDate,
  kDuplicateId,
};
constexpr Weighted<Bad> kBadKinds[] = {
    {Bad::kMissingRequired, 22}, {Bad::kUnknownStage, 18}, {Bad::kUnparseableDate, 15},
    {Bad::kImpossibleDate, 15},  {Bad::kFutureDate, 12},   {Bad::kDuplicateId, 18}};

// ---------------------------------------------------------------- state

struct LegalAgency {
  AgencyTemplate t;
  std::string region;
  Dialect d;
  bool seed = false;  // a top-level agency: its victim file numbers the main series
  std::vector<int> columns;
  std::array<bool, kLColCount> has{};
  int stage_style =
      0;  // 0 the code, 1 a clerk's form, 2 a mix, 3 English where the SPEC has it
  int amount_style = 0;
  int article_style = 0;
  bool english = false;
  std::string file;
  Output out;
  bool opened = false;
  int64_t rows = 0;
  std::map<int, int> numbers;  // legal series: the last number given in each year
};

struct SuspectAttrs {
  int birth_days = 0;
  std::string nik;    // "" for a foreigner
  std::string phone;  // national digits after the 0, or ""
  std::string nick;
  std::string company;
  std::string bank;
  std::string social;
};

// Accounts, phones and companies a province's syndicates share among their people.
struct Syndicate {
  std::vector<std::string> phones;
  std::vector<std::string> socials;
  std::vector<std::string> banks;
  std::vector<std::string> companies;
};

// How one agency case writes one suspect.
struct Written {
  std::string name;
  std::string nik;
  std::string birth;
  std::string sex;
  std::string phone;
  std::string role;
  bool company = false;
  bool bank = false;
  bool social = false;
};

struct Event {
  Stage stage = kLaporan;
  int days = 0;
  int suspect = -1;  // index into the case's suspects, or -1
  SV verdict;        // "guilty", "acquitted" or ""
  int sentence = 0;  // months, 0 = none
  int64_t fine = 0;  // 0 = none
  int64_t restitution = -1;
  std::string notes;
  bool articles = false;
  bool victims = false;
};

struct AgencyCase {
  int agency = -1;
  std::string ref;
  std::string cites;  // other_refs as this agency writes them
  std::vector<std::string> victim_ids;
  std::string articles;
  std::vector<Written> suspects;  // by the case's suspect index
  bool listed = false;            // in cases.csv
  std::vector<Event> events;      // written in date order when the case is done
};

struct CaseSuspect {
  const LegalSuspect* in = nullptr;
  SuspectAttrs* attrs = nullptr;
  Role role = kRecruiter;
  // Justice: first valid day of each milestone in this case.
  int named = kNever;
  int prosecuted = kNever;
  int convicted = kNever;
  int acquitted = kNever;
  int order_days = -1;
  int64_t order = 0;
  // The path.
  int64_t claimed = -1;
  int demand = 0;
};

struct YearCounts {
  int64_t cases = 0;
  int64_t named = 0;
  int64_t prosecuted = 0;
  int64_t convicted = 0;
  int64_t acquitted = 0;
  int64_t ordered = 0;
  int64_t paid = 0;
};

}  // namespace

struct LegalWriter::Impl {
  Impl(const GeneratorOptions& o, const RegionIndex& index,
       std::vector<LegalAgencySeed> seeds)
      : options(o), regions(index), rng(o.seed * 0x2545f4914f6cdd1dull + 0x1e6a1) {
    for (LegalAgencySeed& s : seeds) {
      auto a = std::make_unique<LegalAgency>();
      a->t = *s.t;
      a->region = std::move(s.region);
      a->d = std::move(s.dialect);
      a->seed = true;
      by_code.emplace(std::string(a->t.code), static_cast<int>(agencies.size()));
      agencies.push_back(std::move(a));
    }
    for (auto& a : agencies) Configure(*a);
  }

  const GeneratorOptions& options;
  const RegionIndex& regions;
  Rng rng;
  std::filesystem::path dir;
  std::vector<std::unique_ptr<LegalAgency>> agencies;
  std::unordered_map<std::string, int> by_code;
  Output truth;
  Output cases_out;

  std::unordered_map<int64_t, SuspectAttrs> attrs;
  std::unordered_map<std::string, Syndicate> syndicates;  // by province code
  std::unordered_set<int64_t> suspects_seen;

  // This case.
  const LegalCase* c = nullptr;
  std::deque<AgencyCase> open;  // its agency cases, in the order they were opened
  std::vector<CaseSuspect> cs;
  int earliest = kNever;

  // Justice.
  std::map<int, YearCounts> years;
  std::unordered_set<uint64_t> counted;  // (milestone, year, suspect key)

  int64_t legal_cases = 0;
  int64_t agency_cases = 0;
  int64_t records = 0;
  int64_t invalid = 0;

  std::array<std::string, kLColCount> f;
  std::string line;
  std::string tmp;

  void Configure(LegalAgency& a);
  int AgencyFor(const AgencyTemplate& t);
  absl::Status OpenFile(LegalAgency& a);
  SuspectAttrs& Attrs(const LegalSuspect& s);
  Syndicate& SyndicateOf(SV province);
  std::string NewCaseRef(LegalAgency& a, int days);
  void Cite(SV ref, std::string& out);
  AgencyCase& MakeAgencyCase(int agency, std::string ref, const LegalTouch* touch);
  void RenderSuspect(const LegalAgency& a, const CaseSuspect& s, Written& w);
  void RenderName(const LegalAgency& a, const CaseSuspect& s, std::string& out);
  std::string Articles(const LegalAgency& a);
  void AppendAmount(const LegalAgency& a, int64_t amount, std::string& out);
  void AppendDays(int days, DateFormat format, std::string& out) {
    gugus::Date dt = FromDays(days);
    internal::AppendDate(rng, dt.year, dt.month, dt.day, format, out);
  }
  DateFormat RowDateFormat(const Dialect& d) {
    if (rng.Chance(0.03)) return static_cast<DateFormat>(rng.Below(kDateFormatCount));
    return d.date_format;
  }
  void RecordId(LegalAgency& a, int year, std::string& out);
  // Keeps `e` for the agency case (events after 2025-12-31 are dropped).
  absl::Status Emit(AgencyCase& ac, const Event& e) {
    if (e.days <= kLastEventDays) ac.events.push_back(e);
    return absl::OkStatus();
  }
  // Writes the case's agency cases, each in date order.
  absl::Status Flush();
  absl::Status Write(AgencyCase& ac, const Event& e, Bad bad, const std::string* reuse);
  void Count(const Event& e);
  void FoldCase();

  absl::Status Track();
  // Police: the investigation of `group` up to p21; the p21 day or -1.
  absl::StatusOr<int> Berkas(AgencyCase& police, const std::vector<int>& group, int day);
  absl::Status Prosecute(AgencyCase& police, const std::vector<int>& group, int p21,
                         int prosecutor, int court, const LegalTouch* pros_touch,
                         const LegalTouch* court_touch, bool first);
  absl::Status Judge(AgencyCase& pros, AgencyCase& court, int s, int day);

  int Later(int day, int lo, int hi) { return day + rng.Range(lo, hi); }
  std::string Note(SV id, SV en, bool english) { return std::string(english ? en : id); }
};

void LegalWriter::Impl::Configure(LegalAgency& a) {
  // Per agency and independent of the seed, like the victim files' dialect.
  Rng r(StableHash(a.t.code) ^ 0x5bd1e9955bd1e995ull);
  const bool police = a.t.type == "police";
  const bool court = a.t.type == "court";
  const bool prosecutor = a.t.type == "prosecutor";
  a.english = a.d.header_lang == 0 ? r.Chance(0.7) : r.Chance(0.1);
  a.stage_style = a.english && r.Chance(0.6) ? 3 : static_cast<int>(r.Below(3));
  a.amount_style = static_cast<int>(r.Below(a.english ? 5 : 4));
  a.article_style = static_cast<int>(r.Below(3));
  std::array<double, kLColCount> keep{};
  keep.fill(0.7);
  keep[kLRecordId] = keep[kLCaseRef] = keep[kLEventDate] = keep[kLStage] = keep[kLName] =
      1;
  keep[kLOtherRefs] = police ? 0.5 : 0.95;
  keep[kLNik] = 0.85;
  keep[kLBirth] = 0.8;
  keep[kLSex] = 0.8;
  keep[kLPhone] = police ? 0.8 : 0.4;
  keep[kLRole] = police ? 0.9 : court ? 0.4 : 0.6;
  keep[kLCompany] = police ? 0.7 : 0.4;
  keep[kLBank] = police ? 0.6 : 0.2;
  keep[kLSocial] = police ? 0.7 : 0.15;
  keep[kLArticles] = 0.85;
  keep[kLVerdict] = court ? 1 : 0;
  keep[kLSentence] = court || prosecutor ? 1 : 0;
  keep[kLFine] = court || prosecutor ? 1 : 0;
  keep[kLRestitution] = court || prosecutor ? 1 : 0;
  keep[kLVictims] = a.seed ? (police ? 0.9 : 0.6) : 0;
  keep[kLNotes] = 0.8;
  for (int col = 0; col < kLColCount; ++col) {
    if (r.Chance(keep[col])) a.columns.push_back(col);
  }
  if (r.Chance(0.3)) {
    for (int k = 0; k < 3; ++k) {
      std::swap(a.columns[r.Below(a.columns.size())],
                a.columns[r.Below(a.columns.size())]);
    }
  }
  for (int col : a.columns) a.has[static_cast<size_t>(col)] = true;
  a.file = gugus::StrCat(a.t.code, ".csv");
}

int LegalWriter::Impl::AgencyFor(const AgencyTemplate& t) {
  auto it = by_code.find(std::string(t.code));
  if (it != by_code.end()) return it->second;
  auto a = std::make_unique<LegalAgency>();
  a->t = t;
  a->region = std::string(t.region);
  if (regions.Find(a->region) == nullptr) {
    a->region = a->region.substr(0, 2);
    if (regions.Find(a->region) == nullptr) a->region = "ID";
  }
  a->d = ChooseDialect(t);
  Configure(*a);
  int index = static_cast<int>(agencies.size());
  by_code.emplace(std::string(t.code), index);
  agencies.push_back(std::move(a));
  return index;
}

absl::Status LegalWriter::Impl::OpenFile(LegalAgency& a) {
  GUGUS_RETURN_IF_ERROR(a.out.Open((dir / a.file).string()));
  a.opened = true;
  const Dialect& d = a.d;
  std::string& buf = a.out.buffer();
  if (d.encoding == Encoding::kUtf8Bom) buf += "\xEF\xBB\xBF";
  Rng hr(StableHash(a.t.code) + 11);
  for (size_t k = 0; k < a.columns.size(); ++k) {
    const auto& names = kLegalHeaders[a.columns[k]];
    bool indonesian = d.header_lang == 1 || (d.header_lang == 2 && hr.Chance(0.5));
    if (k > 0) buf += d.delimiter;
    AppendField(buf, HeaderText(names[indonesian ? 1 : 0], d.header_style), d.delimiter,
                d.quote_all);
  }
  buf += d.crlf ? "\r\n" : "\n";
  return absl::OkStatus();
}

Syndicate& LegalWriter::Impl::SyndicateOf(SV province) {
  Syndicate& s = syndicates[std::string(province)];
  if (!s.phones.empty()) return s;
  for (int i = 0; i < 3; ++i) {
    std::string phone(PhonePrefixes()[rng.PickIndex(PhonePrefixWeights())]);
    for (int k = 0; k < 8; ++k) phone += static_cast<char>('0' + rng.Below(10));
    s.phones.push_back(phone);
    std::string social(rng.Pick(kSocialKinds));
    social += rng.Pick(kSocialTopics);
    if (rng.Chance(0.5)) social += std::to_string(rng.Range(1, 99));
    s.socials.push_back(std::move(social));
    s.banks.push_back(gugus::StrCat(rng.Pick(kBanks), " ",
                                    rng.Range(100000000, 999999999), rng.Range(0, 9)));
    std::string company =
        gugus::StrCat(rng.Chance(0.85) ? "PT " : "CV ", rng.Pick(kCompanyFirst), " ",
                      rng.Pick(kCompanySecond));
    SV third = rng.Pick(kCompanyThird);
    if (!third.empty()) company += gugus::StrCat(" ", third);
    s.companies.push_back(std::move(company));
  }
  return s;
}

SuspectAttrs& LegalWriter::Impl::Attrs(const LegalSuspect& s) {
  auto [it, fresh] = attrs.try_emplace(s.ref.key);
  SuspectAttrs& a = it->second;
  if (!fresh) return a;
  int age = rng.Range(24, 58);
  a.birth_days = c->report_days - age * 365 - age / 4 - static_cast<int>(rng.Below(365));
  if (!s.ref.foreign) {
    const Region* district = s.districts[rng.Below(s.districts.size())];
    a.nik =
        FormatNik(district->code, FromDays(a.birth_days), s.ref.sex, rng.Range(1, 9999));
  }
  Syndicate& syn = SyndicateOf(s.province);
  if (rng.Chance(0.75)) {
    if (rng.Chance(0.2)) {
      a.phone = syn.phones[rng.Below(syn.phones.size())];
    } else {
      a.phone = std::string(PhonePrefixes()[rng.PickIndex(PhonePrefixWeights())]);
      int digits = rng.Chance(0.7) ? 8 : 9;
      for (int i = 0; i < digits; ++i) a.phone += static_cast<char>('0' + rng.Below(10));
    }
  }
  if (s.name.find(" alias ") == SV::npos && rng.Chance(0.15))
    a.nick = rng.Pick(kNicknames);
  if (rng.Chance(c->placement ? 0.35 : 0.08)) {
    a.company = syn.companies[rng.Below(syn.companies.size())];
  }
  if (rng.Chance(0.2)) {
    a.bank = rng.Chance(0.4)
                 ? syn.banks[rng.Below(syn.banks.size())]
                 : gugus::StrCat(rng.Pick(kBanks), " ", rng.Range(100000000, 999999999),
                                 rng.Range(0, 9));
  }
  if (rng.Chance(0.35)) {
    if (rng.Chance(0.4)) {
      a.social = syn.socials[rng.Below(syn.socials.size())];
    } else if (!a.phone.empty() && rng.Chance(0.5)) {
      a.social = gugus::StrCat("wa:0", a.phone);
    } else {
      a.social = gugus::StrCat(rng.Pick(kSocialKinds), rng.Pick(kSocialTopics),
                               rng.Range(1, 999));
    }
  }
  return a;
}

void LegalWriter::Impl::RecordId(LegalAgency& a, int year, std::string& out) {
  int64_t seq = ++a.rows;
  switch (a.d.id_style % 3) {
    case 0:  // PRK-PNTT-2023-000123
      out += "PRK-";
      out += a.t.prefix;
      out += '-';
      AppendPadded(year, 4, out);
      out += '-';
      AppendPadded(seq, 6, out);
      return;
    case 1:  // PNTT/PRK/00123/2023
      out += a.t.prefix;
      out += "/PRK/";
      AppendPadded(seq, 5, out);
      out += '/';
      AppendPadded(year, 4, out);
      return;
    default:  // TPPO-PNTT-0000123
      out += "TPPO-";
      out += a.t.prefix;
      out += '-';
      AppendPadded(seq, 7, out);
      return;
  }
}

std::string LegalWriter::Impl::NewCaseRef(LegalAgency& a, int days) {
  gugus::Date d = FromDays(days);
  int n = ++a.numbers[d.year];
  // A top-level agency's victim file uses the main series; the legal file's own
  // cases take the other one, so the two never share a number.
  bool alternate = a.seed || (StableHash(a.t.code) & 2) != 0;
  return FormatCaseRef(a.t, n, d.month, d.year, alternate);
}

void LegalWriter::Impl::Cite(SV ref, std::string& out) {
  if (!out.empty()) out += rng.Chance(0.7) ? "; " : ";";
  size_t start = out.size();
  out += ref;
  if (!rng.Chance(0.1)) return;
  // Written slightly differently.
  std::string cited = out.substr(start);
  switch (rng.Below(4)) {
    case 0:
      LowerUtf8(cited);
      break;
    case 1:
      std::replace(cited.begin(), cited.end(), '/', '.');
      break;
    case 2: {
      std::string spaced;
      for (char ch : cited) {
        if (ch == '/') {
          spaced += " / ";
        } else {
          spaced += ch;
        }
      }
      cited = std::move(spaced);
      break;
    }
    default:
      cited.insert(0, "No. ");
      break;
  }
  out.replace(start, std::string::npos, cited);
}

std::string LegalWriter::Impl::Articles(const LegalAgency& a) {
  struct Article {
    SV law;  // "21/2007"
    SV pasal;
    SV ayat;
  };
  std::vector<Article> list;
  list.push_back({"21/2007", "2", "1"});
  if (c->overseas && rng.Chance(0.7)) list.push_back({"21/2007", "4", ""});
  if (c->placement && c->overseas && rng.Chance(0.45))
    list.push_back({"18/2017", "81", ""});
  if (c->child && rng.Chance(0.6)) list.push_back({"21/2007", "17", ""});
  if (c->child && c->sexual && rng.Chance(0.4)) list.push_back({"35/2014", "88", ""});
  if (cs.size() > 1 && rng.Chance(0.3)) list.push_back({"21/2007", "10", ""});
  std::string out;
  SV sep = a.d.term_sep;
  for (const Article& art : list) {
    if (!out.empty()) out += sep;
    SV number = art.law.substr(0, art.law.find('/'));
    SV year = art.law.substr(art.law.find('/') + 1);
    switch (a.article_style) {
      case 0:  // UU 21/2007 Pasal 2 ayat (1)
        out += gugus::StrCat("UU ", art.law, " Pasal ", art.pasal);
        if (!art.ayat.empty()) out += gugus::StrCat(" ayat (", art.ayat, ")");
        break;
      case 1:  // Pasal 2 ayat (1) UU No. 21 Tahun 2007
        out += gugus::StrCat("Pasal ", art.pasal);
        if (!art.ayat.empty()) out += gugus::StrCat(" ayat (", art.ayat, ")");
        out += gugus::StrCat(" UU No. ", number, " Tahun ", year);
        break;
      default:  // Psl 2 (1) UU 21/2007
        out += gugus::StrCat("Psl ", art.pasal);
        if (!art.ayat.empty()) out += gugus::StrCat(" (", art.ayat, ")");
        out += gugus::StrCat(" UU ", art.law);
        break;
    }
  }
  if (cs.size() > 1 && rng.Chance(0.3)) {
    out += sep;
    out += "KUHP Pasal 55 ayat (1) ke-1";
  }
  return out;
}

void LegalWriter::Impl::RenderName(const LegalAgency& a, const CaseSuspect& s,
                                   std::string& out) {
  internal::RenderPlainName(rng, s.in->name, a.d.noise, out);
  if (out.size() < 4 || out.back() == '.') out = s.in->name;  // not "H." for "H. Rahmat"
  size_t alias = out.find(" alias ");
  if (alias != std::string::npos && rng.Chance(0.35)) {
    out.replace(alias, 7, rng.Chance(0.6) ? " als. " : " Als ");
  } else if (alias == std::string::npos && !s.attrs->nick.empty() && rng.Chance(0.3)) {
    out += rng.Chance(0.5) ? " als. " : " alias ";
    out += s.attrs->nick;
  }
  if (rng.Chance(a.d.upper_names)) UpperUtf8(out);
}

void LegalWriter::Impl::RenderSuspect(const LegalAgency& a, const CaseSuspect& s,
                                      Written& w) {
  RenderName(a, s, w.name);
  const SuspectAttrs& at = *s.attrs;
  const bool court = a.t.type == "court";
  if (a.has[kLNik] && !at.nik.empty() && rng.Chance(court ? 0.45 : 0.6)) {
    w.nik = at.nik;
    double x = rng.Unit();
    if (x < 0.05) {
      CorruptDigits(rng, w.nik);
    } else if (x < 0.08) {
      for (int i = 12; i > 0; i -= 4) w.nik.insert(static_cast<size_t>(i), 1, ' ');
    }
  }
  if (a.has[kLBirth] && rng.Chance(0.5)) {
    gugus::Date b = FromDays(at.birth_days);
    if (rng.Chance(0.03) && b.day <= 12 && b.day != b.month) std::swap(b.day, b.month);
    AppendDays(ToDays(b), a.d.date_format, w.birth);
  }
  if (a.has[kLSex] && rng.Chance(0.75)) {
    static constexpr SV kSexes[6][2] = {{"L", "P"},         {"Laki-laki", "Perempuan"},
                                        {"M", "F"},         {"Pria", "Wanita"},
                                        {"male", "female"}, {"LAKI-LAKI", "PEREMPUAN"}};
    w.sex = kSexes[a.d.sex_style][s.in->ref.sex == Sex::kFemale ? 1 : 0];
  }
  if (a.has[kLPhone] && !at.phone.empty() && rng.Chance(0.55)) {
    AppendPhone(at.phone, a.d.phone_format, w.phone);
  }
  if (a.has[kLRole] && rng.Chance(0.85)) {
    if (a.english) {
      w.role = kRoleEn[s.role];
      if (rng.Chance(0.3)) w.role[0] = static_cast<char>(w.role[0] - 'a' + 'A');
    } else {
      w.role = kRoleId[s.role][rng.Chance(0.7) ? 0 : 1];
      if (rng.Chance(a.d.upper_names * 0.3)) UpperUtf8(w.role);
    }
  }
  w.company = a.has[kLCompany] && !at.company.empty() && rng.Chance(0.7);
  w.bank = a.has[kLBank] && !at.bank.empty() && rng.Chance(0.6);
  w.social = a.has[kLSocial] && !at.social.empty() && rng.Chance(0.6);
}

AgencyCase& LegalWriter::Impl::MakeAgencyCase(int agency, std::string ref,
                                              const LegalTouch* touch) {
  AgencyCase& ac = open.emplace_back();
  ac.agency = agency;
  ac.ref = std::move(ref);
  const LegalAgency& a = *agencies[static_cast<size_t>(agency)];
  if (touch != nullptr && !touch->victim_ids.empty() && rng.Chance(0.6)) {
    ac.victim_ids.assign(touch->victim_ids.begin(), touch->victim_ids.end());
  }
  ac.articles = Articles(a);
  ac.suspects.resize(cs.size());
  for (size_t i = 0; i < cs.size(); ++i) RenderSuspect(a, cs[i], ac.suspects[i]);
  return ac;
}

void LegalWriter::Impl::AppendAmount(const LegalAgency& a, int64_t amount,
                                     std::string& out) {
  int style = rng.Chance(0.1) ? static_cast<int>(rng.Below(4)) : a.amount_style;
  if (style == 0) {
    out += std::to_string(amount);
    return;
  }
  std::string digits = std::to_string(amount);
  char group = style == 4 ? ',' : '.';
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += group;
    grouped += digits[i];
  }
  switch (style) {
    case 1:
      out += gugus::StrCat("Rp ", grouped);
      return;
    case 2:
      out += gugus::StrCat("Rp", grouped, ",-");
      return;
    case 3:
      out += gugus::StrCat("Rp ", grouped, ",00");
      return;
    default:
      out += gugus::StrCat("IDR ", grouped);
      return;
  }
}

absl::Status LegalWriter::Impl::Flush() {
  for (AgencyCase& ac : open) {
    std::stable_sort(ac.events.begin(), ac.events.end(),
                     [](const Event& a, const Event& b) { return a.days < b.days; });
    for (const Event& e : ac.events) {
      Bad bad = Bad::kNone;
      if (options.invalid_share > 0 && rng.Chance(options.invalid_share)) {
        bad = rng.PickWeighted(kBadKinds);
      }
      if (bad == Bad::kDuplicateId) {
        // The same event entered twice under one record id: the second row is invalid.
        GUGUS_RETURN_IF_ERROR(Write(ac, e, Bad::kNone, nullptr));
        std::string id = f[kLRecordId];
        GUGUS_RETURN_IF_ERROR(Write(ac, e, Bad::kDuplicateId, &id));
      } else {
        GUGUS_RETURN_IF_ERROR(Write(ac, e, bad, nullptr));
      }
    }
  }
  open.clear();
  return absl::OkStatus();
}

absl::Status LegalWriter::Impl::Write(AgencyCase& ac, const Event& e, Bad bad,
                                      const std::string* reuse) {
  LegalAgency& a = *agencies[static_cast<size_t>(ac.agency)];
  if (!a.opened) GUGUS_RETURN_IF_ERROR(OpenFile(a));
  const Dialect& d = a.d;
  for (std::string& field : f) field.clear();
  gugus::Date when = FromDays(e.days);
  if (reuse != nullptr) {
    f[kLRecordId] = *reuse;
  } else {
    RecordId(a, when.year, f[kLRecordId]);
  }
  f[kLCaseRef] = ac.ref;
  if (a.has[kLOtherRefs] && !ac.cites.empty() && rng.Chance(0.92)) {
    f[kLOtherRefs] = ac.cites;
  }
  AppendDays(e.days, RowDateFormat(d), f[kLEventDate]);
  {
    const StageText& st = kStages[e.stage];
    int style = rng.Chance(0.05) ? static_cast<int>(rng.Below(4)) : a.stage_style;
    if (style == 3 && st.english.empty()) style = 1;
    switch (style) {
      case 0:
        f[kLStage] = st.code;
        break;
      case 1:
        f[kLStage] = st.forms[0];
        break;
      case 2:
        f[kLStage] = st.forms[rng.Below(3)];
        break;
      default:
        f[kLStage] = st.english;
        break;
    }
  }
  if (e.suspect >= 0) {
    const CaseSuspect& s = cs[static_cast<size_t>(e.suspect)];
    const Written& w = ac.suspects[static_cast<size_t>(e.suspect)];
    if (rng.Chance(0.1)) {
      RenderName(a, s, f[kLName]);  // another clerk
    } else {
      f[kLName] = w.name;
    }
    f[kLNik] = w.nik;
    f[kLBirth] = w.birth;
    f[kLSex] = w.sex;
    f[kLPhone] = w.phone;
    f[kLRole] = w.role;
    if (w.company) f[kLCompany] = s.attrs->company;
    if (w.bank) f[kLBank] = s.attrs->bank;
    if (w.social) f[kLSocial] = s.attrs->social;
  }
  if (e.articles && a.has[kLArticles] && rng.Chance(0.85)) f[kLArticles] = ac.articles;
  if (!e.verdict.empty()) {
    const bool guilty = e.verdict == "guilty";
    if (a.english) {
      f[kLVerdict] = e.verdict;
    } else {
      f[kLVerdict] = guilty ? (rng.Chance(0.8) ? "bersalah" : "Bersalah")
                            : (rng.Chance(0.8) ? "bebas" : "Bebas");
    }
    if (rng.Chance(d.upper_names * 0.3)) UpperUtf8(f[kLVerdict]);
  }
  if (e.sentence > 0) f[kLSentence] = std::to_string(e.sentence);
  if (e.fine > 0) AppendAmount(a, e.fine, f[kLFine]);
  if (e.restitution >= 0) AppendAmount(a, e.restitution, f[kLRestitution]);
  if (e.victims && !ac.victim_ids.empty()) {
    for (size_t i = 0; i < ac.victim_ids.size(); ++i) {
      if (i > 0) f[kLVictims] += d.term_sep;
      f[kLVictims] += ac.victim_ids[i];
    }
  }
  f[kLNotes] = e.notes;

  switch (bad) {
    case Bad::kNone:
    case Bad::kDuplicateId:
      break;
    case Bad::kMissingRequired:
      if (rng.Chance(0.75)) {
        f[kLCaseRef] = rng.Chance(0.2) ? " " : "";
      } else {
        f[kLStage].clear();
      }
      break;
    case Bad::kUnknownStage:
      f[kLStage] = rng.Pick(kUnknownStages);
      break;
    case Bad::kUnparseableDate: {
      static constexpr SV kBadDates[] = {"kemarin",    "Maret 2022", "15/2022",
                                         "2O23-05-12", "N/A",        "belum diisi",
                                         "tgl 12",     "xx/xx/2021", "20211305"};
      f[kLEventDate] = rng.Pick(kBadDates);
      break;
    }
    case Bad::kImpossibleDate: {
      static constexpr int kImpossible[][2] = {{31, 2}, {30, 2}, {31, 4},
                                               {31, 6}, {31, 9}, {31, 11}};
      const auto& dm = kImpossible[rng.Below(std::size(kImpossible))];
      f[kLEventDate].clear();
      internal::AppendDate(rng, when.year, dm[1], dm[0], d.date_format, f[kLEventDate]);
      break;
    }
    case Bad::kFutureDate: {
      int year = 2031 + static_cast<int>(rng.Below(20));
      int day = when.month == 2 && when.day == 29 ? 28 : when.day;
      f[kLEventDate].clear();
      AppendDays(ToDays(year, when.month, day), d.date_format, f[kLEventDate]);
      break;
    }
  }

  AppendRow(d, a.columns, f, line, a.out.buffer());
  GUGUS_RETURN_IF_ERROR(a.out.MaybeFlush());

  const bool named = e.suspect >= 0;
  std::string& t = truth.buffer();
  AppendField(t, a.t.code, ',', false);
  t += ',';
  AppendField(t, f[kLRecordId], ',', false);
  t += ",C";
  AppendPadded(c->key, 6, t);
  t += ',';
  if (named) {
    const int64_t key = cs[static_cast<size_t>(e.suspect)].in->ref.key;
    t += 'S';
    AppendPadded(key, 6, t);
    suspects_seen.insert(key);
  }
  t += '\n';
  GUGUS_RETURN_IF_ERROR(truth.MaybeFlush());
  ++records;
  if (bad != Bad::kNone) {
    ++invalid;
    return absl::OkStatus();
  }
  if (!ac.listed) {
    ac.listed = true;
    ++agency_cases;
    std::string& b = cases_out.buffer();
    AppendField(b, a.t.code, ',', false);
    b += ',';
    AppendField(b, ac.ref, ',', false);
    b += ",C";
    AppendPadded(c->key, 6, b);
    b += '\n';
    GUGUS_RETURN_IF_ERROR(cases_out.MaybeFlush());
  }
  Count(e);
  return absl::OkStatus();
}

void LegalWriter::Impl::Count(const Event& e) {
  earliest = std::min(earliest, e.days);
  if (e.stage == kRestitusiDibayar && e.restitution >= 0) {
    years[FromDays(e.days).year].paid += e.restitution;
  }
  if (e.suspect < 0) return;
  CaseSuspect& s = cs[static_cast<size_t>(e.suspect)];
  if (CountsAsNamed(e.stage)) s.named = std::min(s.named, e.days);
  if (CountsAsProsecuted(e.stage)) s.prosecuted = std::min(s.prosecuted, e.days);
  if (e.stage == kPutusanPn && e.verdict == "guilty") {
    s.convicted = std::min(s.convicted, e.days);
  }
  if (e.stage == kPutusanPn && e.verdict == "acquitted") {
    s.acquitted = std::min(s.acquitted, e.days);
  }
  if (IsVerdict(e.stage) && e.restitution >= 0 && e.days >= s.order_days) {
    s.order_days = e.days;
    s.order = e.restitution;
  }
}

void LegalWriter::Impl::FoldCase() {
  if (earliest != kNever) ++years[FromDays(earliest).year].cases;
  for (const CaseSuspect& s : cs) {
    const uint64_t key = static_cast<uint64_t>(s.in->ref.key);
    auto count = [&](int days, int milestone, int64_t YearCounts::*field) {
      if (days == kNever) return;
      int year = FromDays(days).year;
      uint64_t k = (key << 16) | (static_cast<uint64_t>(year - 1900) << 3) |
                   static_cast<uint64_t>(milestone);
      if (counted.insert(k).second) ++(years[year].*field);
    };
    count(s.named, 0, &YearCounts::named);
    count(s.prosecuted, 1, &YearCounts::prosecuted);
    count(s.convicted, 2, &YearCounts::convicted);
    count(s.acquitted, 3, &YearCounts::acquitted);
    if (s.order_days >= 0) years[FromDays(s.order_days).year].ordered += s.order;
  }
}

// ---------------------------------------------------------------- the paths

absl::StatusOr<int> LegalWriter::Impl::Berkas(AgencyCase& police,
                                              const std::vector<int>& group, int day) {
  const bool en = agencies[static_cast<size_t>(police.agency)]->english;
  static constexpr double kReturns[] = {40, 30, 17, 9, 4};
  int returns = static_cast<int>(rng.PickIndex(kReturns));
  for (int k = 0; k < returns; ++k) {
    day = Later(day, 14, 75);
    Event e{kP19, day};
    e.suspect = rng.Chance(0.6) ? -1 : group[0];
    static constexpr SV kWhyId[] = {
        "Petunjuk JPU: lengkapi keterangan saksi korban.",
        "Berkas dikembalikan, unsur eksploitasi belum terpenuhi.",
        "Lengkapi bukti transfer dan keterangan ahli.",
        "P-19: periksa saksi dari perusahaan penyalur."};
    static constexpr SV kWhyEn[] = {"Prosecutor asks for more victim statements.",
                                    "Returned: exploitation element not yet proven.",
                                    "Add transfer records and expert statement.",
                                    "Returned: question the placement company."};
    if (rng.Chance(0.6)) e.notes = std::string(en ? rng.Pick(kWhyEn) : rng.Pick(kWhyId));
    GUGUS_RETURN_IF_ERROR(Emit(police, e));
    day = Later(day, 10, 60);  // the file goes back to the prosecutor
  }
  // Many files sit after a return and are never completed; a few never get there.
  if ((returns > 0 && rng.Chance(0.3)) || rng.Chance(0.06)) return -1;
  day = Later(day, 7, 45);
  for (int s : group) {
    Event e{kP21, day + static_cast<int>(rng.Below(3)), s};
    e.articles = true;
    GUGUS_RETURN_IF_ERROR(Emit(police, e));
  }
  return day;
}

absl::Status LegalWriter::Impl::Judge(AgencyCase& pros, AgencyCase& court, int si,
                                      int day) {
  CaseSuspect& s = cs[static_cast<size_t>(si)];
  const bool en = agencies[static_cast<size_t>(court.agency)]->english;
  const bool guilty = rng.Chance(0.85);
  Event v{kPutusanPn, day, si};
  v.verdict = guilty ? "guilty" : "acquitted";
  v.articles = guilty;
  int64_t ordered = -1;
  int sentence = 0;
  int64_t fine = 0;
  if (guilty) {
    sentence = std::clamp(s.demand - rng.Range(0, 36), 36, 180);
    fine = 120'000'000 + 10'000'000 * rng.Range(0, 48);
    if (s.claimed > 0 && rng.Chance(0.8)) {
      ordered = s.claimed * rng.Range(5, 10) / 10 / 100'000 * 100'000;
    } else if (rng.Chance(0.04)) {
      ordered = 1'000'000 * rng.Range(5, 50);
    }
    v.sentence = sentence;
    v.fine = fine;
    v.restitution = ordered;
  }
  GUGUS_RETURN_IF_ERROR(Emit(court, v));
  int final_day = day;
  bool final_guilty = guilty;
  if (guilty && rng.Chance(0.2)) {
    // Appeal by the defendant or the prosecutor.
    day = Later(day, 3, 14);
    GUGUS_RETURN_IF_ERROR(Emit(court, Event{kBanding, day, si}));
    day = Later(day, 40, 150);
    Event pt{kPutusanPt, day, si};
    pt.verdict = "guilty";
    sentence = std::clamp(sentence + 6 * rng.Range(-4, 4), 36, 180);
    pt.sentence = sentence;
    pt.fine = fine;
    if (ordered >= 0 && rng.Chance(0.15)) ordered = ordered / 200'000 * 100'000;
    pt.restitution = ordered;
    pt.notes = gugus::StrCat(en ? "High court no. " : "Putusan PT No. ",
                             rng.Range(10, 250), "/PID.SUS/", FromDays(day).year, "/PT");
    GUGUS_RETURN_IF_ERROR(Emit(court, pt));
    final_day = day;
    if (rng.Chance(0.25)) {
      day = Later(day, 7, 14);
      GUGUS_RETURN_IF_ERROR(Emit(court, Event{kKasasi, day, si}));
      day = Later(day, 90, 360);
      Event ma{kPutusanMa, day, si};
      ma.verdict = "guilty";
      ma.sentence = sentence;
      ma.fine = fine;
      ma.restitution = ordered;
      GUGUS_RETURN_IF_ERROR(Emit(court, ma));
      final_day = day;
    }
  } else if (!guilty && rng.Chance(0.5)) {
    // The prosecutor goes straight to cassation against an acquittal.
    day = Later(day, 7, 14);
    GUGUS_RETURN_IF_ERROR(Emit(court, Event{kKasasi, day, si}));
    day = Later(day, 90, 360);
    Event ma{kPutusanMa, day, si};
    final_guilty = rng.Chance(0.35);
    ma.verdict = final_guilty ? "guilty" : "acquitted";
    if (final_guilty) {
      sentence = std::clamp(s.demand - rng.Range(12, 48), 36, 180);
      ma.sentence = sentence;
      ma.fine = 120'000'000 + 10'000'000 * rng.Range(0, 30);
    }
    GUGUS_RETURN_IF_ERROR(Emit(court, ma));
    final_day = day;
  }
  day = Later(final_day, 8, 30);
  if (rng.Chance(0.9)) GUGUS_RETURN_IF_ERROR(Emit(court, Event{kInkracht, day, si}));
  if (!final_guilty) return absl::OkStatus();
  day = Later(day, 3, 60);
  if (rng.Chance(0.85)) {
    Event ex{kEksekusi, day, si};
    ex.sentence = sentence;
    GUGUS_RETURN_IF_ERROR(Emit(pros, ex));
  }
  if (ordered > 0 && rng.Chance(0.3)) {
    // Restitution paid, often less than ordered, now and then in two instalments.
    int64_t total = rng.Chance(0.4) ? ordered : ordered * rng.Range(1, 8) / 10;
    int parts = rng.Chance(0.25) ? 2 : 1;
    for (int k = 0; k < parts; ++k) {
      day = Later(day, 14, 240);
      Event paid{kRestitusiDibayar, day, si};
      const int64_t first_part = parts == 2 ? total / 2 : total;
      paid.restitution = k == 0 ? first_part : total - first_part;
      if (parts == 2) {
        paid.notes = en ? gugus::StrCat("instalment ", k + 1)
                        : gugus::StrCat("pembayaran tahap ", k + 1);
      } else if (total < ordered) {
        paid.notes = en ? "paid in part" : "dibayar sebagian";
      }
      AgencyCase& who = rng.Chance(0.65) ? pros : court;
      GUGUS_RETURN_IF_ERROR(Emit(who, paid));
    }
  }
  return absl::OkStatus();
}

absl::Status LegalWriter::Impl::Prosecute(AgencyCase& police,
                                          const std::vector<int>& group, int p21,
                                          int prosecutor, int court,
                                          const LegalTouch* pros_touch,
                                          const LegalTouch* court_touch, bool first) {
  LegalAgency& k = *agencies[static_cast<size_t>(prosecutor)];
  LegalAgency& j = *agencies[static_cast<size_t>(court)];
  std::string pros_ref = first && pros_touch != nullptr && !pros_touch->case_ref.empty()
                             ? std::string(pros_touch->case_ref)
                             : NewCaseRef(k, p21);
  AgencyCase& pros =
      MakeAgencyCase(prosecutor, std::move(pros_ref), first ? pros_touch : nullptr);
  if (rng.Chance(0.7)) Cite(police.ref, pros.cites);
  const bool en = k.english;

  int day = Later(p21, 3, 45);
  for (int s : group) {
    Event e{kTahap2, day + static_cast<int>(rng.Below(2)), s};
    e.articles = true;
    e.victims = true;
    GUGUS_RETURN_IF_ERROR(Emit(pros, e));
  }
  if (rng.Chance(0.03)) {
    day = Later(day, 10, 90);
    for (int s : group) {
      Event e{kSkpp, day, s};
      e.notes = Note("Perkara ditutup demi hukum.", "Closed by operation of law.", en);
      GUGUS_RETURN_IF_ERROR(Emit(pros, e));
    }
    return absl::OkStatus();
  }
  if (rng.Chance(0.03)) return absl::OkStatus();  // sits with the prosecutor
  day = Later(day, 5, 25);
  for (int s : group) {
    Event e{kDakwaan, day, s};
    e.articles = true;
    GUGUS_RETURN_IF_ERROR(Emit(pros, e));
  }
  day = Later(day, 1, 10);
  {
    Event e{kPelimpahan, day, rng.Chance(0.5) ? -1 : group[0]};
    GUGUS_RETURN_IF_ERROR(Emit(pros, e));
  }
  std::string court_ref =
      first && court_touch != nullptr && !court_touch->case_ref.empty()
          ? std::string(court_touch->case_ref)
          : NewCaseRef(j, day);
  AgencyCase& trial =
      MakeAgencyCase(court, std::move(court_ref), first ? court_touch : nullptr);
  double x = rng.Unit();
  if (x < 0.5) {
    Cite(pros.ref, trial.cites);
    if (rng.Chance(0.15)) Cite(police.ref, trial.cites);
  } else if (x < 0.7) {
    Cite(police.ref, trial.cites);
  }
  const int hearing = day;
  for (int s : group) {
    CaseSuspect& cs_s = cs[static_cast<size_t>(s)];
    int d = Later(hearing, 30, 100);
    Event t{kTuntutan, d, s};
    cs_s.demand = rng.Range(48, 180);
    t.sentence = cs_s.demand;
    t.fine = 120'000'000 + 10'000'000 * rng.Range(0, 48);
    t.articles = true;
    cs_s.claimed = -1;
    if (rng.Chance(0.35)) {
      cs_s.claimed = 100'000 * rng.Range(50, 3000);
      t.restitution = cs_s.claimed;
    }
    GUGUS_RETURN_IF_ERROR(Emit(pros, t));
    GUGUS_RETURN_IF_ERROR(Judge(pros, trial, s, Later(d, 7, 30)));
  }
  return absl::OkStatus();
}

absl::Status LegalWriter::Impl::Track() {
  // The police agency: one that wrote victim rows of the case (in the province of
  // the prosecutor or court that did, if one did), else one nearby. A prosecutor or
  // court with victim rows of the case takes it when it serves the police's province.
  const LegalTouch* police_touch = nullptr;
  const LegalTouch* pros_touch = nullptr;
  const LegalTouch* court_touch = nullptr;
  auto province = [&](const LegalTouch& t) {
    return SV(agencies[static_cast<size_t>(t.agency)]->region).substr(0, 2);
  };
  auto is = [&](const LegalTouch& t, SV type) {
    return agencies[static_cast<size_t>(t.agency)]->t.type == type;
  };
  SV law_province;
  for (const LegalTouch& t : c->touched) {
    if ((is(t, "prosecutor") || is(t, "court")) && law_province.empty()) {
      law_province = province(t);
    }
  }
  for (int pass = 0; pass < 2 && police_touch == nullptr; ++pass) {
    int seen = 0;
    for (const LegalTouch& t : c->touched) {
      if (!is(t, "police") || (pass == 0 && province(t) != law_province)) continue;
      if (rng.Below(static_cast<uint64_t>(++seen)) == 0) police_touch = &t;
    }
  }
  int police = police_touch != nullptr ? police_touch->agency : -1;
  if (police < 0) {
    for (int p : c->police_nearby) {
      if (agencies[static_cast<size_t>(p)]->region == c->origin_regency) police = p;
    }
    if (police < 0 && !c->police_nearby.empty()) {
      police = c->police_nearby[rng.Below(c->police_nearby.size())];
    }
  }
  if (police < 0) return absl::OkStatus();
  LegalAgency& pa = *agencies[static_cast<size_t>(police)];
  for (const LegalTouch& t : c->touched) {
    if (province(t) != SV(pa.region).substr(0, 2)) continue;
    if (is(t, "prosecutor") && pros_touch == nullptr) pros_touch = &t;
    if (is(t, "court") && court_touch == nullptr) court_touch = &t;
  }
  const bool en = pa.english;
  ++legal_cases;

  // Suspects and their parts in the case.
  cs.clear();
  cs.resize(c->suspects.size());
  for (size_t i = 0; i < cs.size(); ++i) {
    CaseSuspect& s = cs[i];
    s.in = &c->suspects[i];
    s.attrs = &Attrs(*s.in);
    if (s.in->ref.foreign) {
      s.role = rng.Chance(0.6) ? kEmployer : kFinancier;
    } else if (i == 0) {
      static constexpr Weighted<Role> kLead[] = {
          {kRecruiter, 75}, {kTransporter, 10}, {kHarbourer, 8}, {kEmployer, 7}};
      s.role = rng.PickWeighted(kLead);
    } else {
      static constexpr Weighted<Role> kMore[] = {
          {kRecruiter, 25}, {kTransporter, 20}, {kHarbourer, 15}, {kEmployer, 12},
          {kFinancier, 10}, {kForger, 8},       {kOther, 5}};
      s.role = rng.PickWeighted(kMore);
    }
  }
  earliest = kNever;

  int start =
      police_touch != nullptr
          ? police_touch->first_days
          : std::min(c->report_days + static_cast<int>(rng.Below(20)), kLastEventDays);
  std::string police_ref = police_touch != nullptr && !police_touch->case_ref.empty()
                               ? std::string(police_touch->case_ref)
                               : NewCaseRef(pa, start);
  AgencyCase& pc = MakeAgencyCase(police, std::move(police_ref), police_touch);

  auto run = [&]() -> absl::Status {
    int day = start;
    {
      Event e{kLaporan, day};
      e.victims = true;
      static constexpr SV kWhyId[] = {"Laporan keluarga korban.", "Pengaduan korban.",
                                      "Penangkapan saat pemberangkatan.",
                                      "Rujukan UPTD PPA.", "Laporan BP3MI."};
      static constexpr SV kWhyEn[] = {"Reported by the family.",
                                      "Complaint by the victim.", "Arrest at departure.",
                                      "Referred by UPTD PPA.", "Reported by BP3MI."};
      if (rng.Chance(0.5))
        e.notes = std::string(en ? rng.Pick(kWhyEn) : rng.Pick(kWhyId));
      if (rng.Chance(0.4)) {
        if (!e.notes.empty()) e.notes += ' ';
        e.notes += en ? gugus::StrCat("Destination ", c->destination, ".")
                      : gugus::StrCat("Tujuan ", c->destination, ".");
      }
      GUGUS_RETURN_IF_ERROR(Emit(pc, e));
    }
    if (rng.Chance(0.75)) {
      day = Later(day, 1, 21);
      GUGUS_RETURN_IF_ERROR(Emit(pc, Event{kPenyelidikan, day}));
    }
    if (rng.Chance(0.10)) return absl::OkStatus();  // sits in the inquiry
    day = Later(day, 7, 60);
    {
      Event e{kPenyidikan, day};
      e.victims = rng.Chance(0.3);
      GUGUS_RETURN_IF_ERROR(Emit(pc, e));
    }
    if (rng.Chance(0.07)) return absl::OkStatus();
    if (rng.Chance(0.8)) GUGUS_RETURN_IF_ERROR(Emit(pc, Event{kSpdp, Later(day, 1, 7)}));

    // Suspects named; some never identified, some at large (DPO).
    std::vector<int> active;
    int last_named = day;
    for (size_t i = 0; i < cs.size(); ++i) {
      const CaseSuspect& s = cs[i];
      if (rng.Chance(s.in->ref.foreign ? 0.45 : 0.08)) continue;
      int named = Later(day, 3, 90);
      if (rng.Chance(0.2)) named += rng.Range(30, 200);
      Event e{kTersangka, named, static_cast<int>(i)};
      e.articles = true;
      bool dpo = rng.Chance(s.in->ref.foreign ? 0.6 : 0.07);
      if (dpo) {
        e.notes = Note("DPO", "at large (DPO)", en);
      } else {
        active.push_back(static_cast<int>(i));
        last_named = std::max(last_named, named);
      }
      GUGUS_RETURN_IF_ERROR(Emit(pc, e));
    }
    if (active.empty()) return absl::OkStatus();
    day = last_named;
    if (rng.Chance(0.08)) {
      static constexpr SV kGroundsId[] = {"Tidak cukup bukti.", "Bukan tindak pidana.",
                                          "Tersangka meninggal dunia."};
      static constexpr SV kGroundsEn[] = {"Insufficient evidence.", "Not a crime.",
                                          "Suspect died."};
      size_t ground = rng.Below(3);
      day = Later(day, 30, 300);
      for (int s : active) {
        Event e{kSp3, day, s};
        e.notes = std::string(en ? kGroundsEn[ground] : kGroundsId[ground]);
        GUGUS_RETURN_IF_ERROR(Emit(pc, e));
      }
      return absl::OkStatus();
    }

    // Prosecutor and court: the case's own, else those serving the police's area.
    int prosecutor = pros_touch != nullptr ? pros_touch->agency : -1;
    int court = court_touch != nullptr ? court_touch->agency : -1;
    const Office* office = nullptr;
    SV region = pa.region;
    if (pa.t.national) {
      office = FindOffice("31.74");
    } else if (region.size() == 5) {
      office = FindOffice(region);
    } else if (c->origin_regency.substr(0, 2) == region) {
      office = FindOffice(c->origin_regency);
    }
    if (office == nullptr) office = ProvinceOffice(region.substr(0, 2));
    if (prosecutor < 0) {
      for (size_t i = 0; i < agencies.size() && agencies[i]->seed; ++i) {
        const LegalAgency& a = *agencies[i];
        if (a.t.type == "prosecutor" && a.region == region.substr(0, 2) &&
            rng.Chance(0.2)) {
          prosecutor = static_cast<int>(i);
        }
      }
    }
    if (prosecutor < 0) prosecutor = AgencyFor(office->kejari);
    if (court < 0) court = AgencyFor(office->pn);

    // The police file the suspects together, or split (splitsing) one file each.
    std::vector<std::vector<int>> groups;
    if (active.size() > 1 && rng.Chance(0.25)) {
      for (int s : active) groups.push_back({s});
    } else {
      groups.push_back(active);
    }
    bool first = true;
    for (const std::vector<int>& group : groups) {
      int filed = Later(day, 10, 60);
      GUGUS_ASSIGN_OR_RETURN(int p21, Berkas(pc, group, filed));
      if (p21 < 0) continue;
      GUGUS_RETURN_IF_ERROR(
          Prosecute(pc, group, p21, prosecutor, court, pros_touch, court_touch, first));
      first = false;
    }
    return absl::OkStatus();
  };
  GUGUS_RETURN_IF_ERROR(run());
  GUGUS_RETURN_IF_ERROR(Flush());
  FoldCase();
  return absl::OkStatus();
}

// ---------------------------------------------------------------- LegalWriter

LegalWriter::LegalWriter(const GeneratorOptions& options, const RegionIndex& index,
                         std::vector<LegalAgencySeed> seeds)
    : impl_(std::make_unique<Impl>(options, index, std::move(seeds))) {}

LegalWriter::~LegalWriter() = default;

absl::Status LegalWriter::Open() {
  Impl& m = *impl_;
  m.dir = std::filesystem::path(m.options.out_dir) / "legal";
  std::error_code ec;
  std::filesystem::create_directories(m.dir, ec);
  if (ec) return IoError("cannot create folder", m.dir.string(), ec.value());
  GUGUS_RETURN_IF_ERROR(m.truth.Open((m.dir / "truth.csv").string()));
  m.truth.buffer() += "agency,record_id,case_key,suspect_key\n";
  GUGUS_RETURN_IF_ERROR(m.cases_out.Open((m.dir / "cases.csv").string()));
  m.cases_out.buffer() += "agency,case_ref,case_key\n";
  return absl::OkStatus();
}

absl::Status LegalWriter::AddCase(const LegalCase& c) {
  Impl& m = *impl_;
  if (!m.rng.Chance(m.options.legal_share)) return absl::OkStatus();
  m.c = &c;
  absl::Status status = m.Track();
  m.c = nullptr;
  return status;
}

void LegalWriter::Retain(std::span<const int64_t> live) {
  std::unordered_set<int64_t> keep(live.begin(), live.end());
  for (auto it = impl_->attrs.begin(); it != impl_->attrs.end();) {
    it = keep.contains(it->first) ? std::next(it) : impl_->attrs.erase(it);
  }
}

absl::Status LegalWriter::Close(GeneratorSummary& summary) {
  Impl& m = *impl_;
  Output agencies_out;
  GUGUS_RETURN_IF_ERROR(agencies_out.Open((m.dir / "agencies.csv").string()));
  std::string& b = agencies_out.buffer();
  b += "code,name,type,region,file\n";
  int with_file = 0;
  for (auto& a : m.agencies) {
    if (!a->opened) continue;
    ++with_file;
    GUGUS_RETURN_IF_ERROR(a->out.Close());
    for (SV cell : {a->t.code, a->t.name, a->t.type, SV(a->region)}) {
      AppendField(b, cell, ',', false);
      b += ',';
    }
    AppendField(b, a->file, ',', false);
    b += '\n';
  }
  GUGUS_RETURN_IF_ERROR(agencies_out.Close());
  GUGUS_RETURN_IF_ERROR(m.truth.Close());
  GUGUS_RETURN_IF_ERROR(m.cases_out.Close());

  Output justice;
  GUGUS_RETURN_IF_ERROR(justice.Open((m.dir / "justice.csv").string()));
  std::string& j = justice.buffer();
  j += "year,cases,suspects_named,prosecuted,convicted,acquitted,restitution_ordered,"
       "restitution_paid\n";
  if (!m.years.empty()) {
    for (int y = m.years.begin()->first; y <= m.years.rbegin()->first; ++y) {
      const YearCounts& n = m.years[y];
      j += fmt::format("{},{},{},{},{},{},{},{}\n", y, n.cases, n.named, n.prosecuted,
                       n.convicted, n.acquitted, n.ordered, n.paid);
    }
  }
  GUGUS_RETURN_IF_ERROR(justice.Close());

  summary.legal_agencies = with_file;
  summary.legal_records = m.records;
  summary.legal_invalid_records = m.invalid;
  summary.legal_cases = m.legal_cases;
  summary.legal_agency_cases = m.agency_cases;
  summary.legal_suspects = static_cast<int64_t>(m.suspects_seen.size());
  return absl::OkStatus();
}

}  // namespace gugus::synth::internal
