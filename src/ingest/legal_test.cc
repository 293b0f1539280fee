#include "ingest/legal.h"

#include <map>
#include <set>

#include "core/nik.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gugus::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

int ColumnOf(const LegalColumnMap& map, LegalField f) {
  return map.column[static_cast<int>(f)];
}

// --- File kinds ---

TEST(FileKindTest, NamesAndParsesBothKinds) {
  EXPECT_EQ(FileKindName(FileKind::kVictims), "victims");
  EXPECT_EQ(FileKindName(FileKind::kLegal), "legal");
  EXPECT_EQ(ParseFileKind("victims"), FileKind::kVictims);
  EXPECT_EQ(ParseFileKind("Korban"), FileKind::kVictims);
  EXPECT_EQ(ParseFileKind("legal"), FileKind::kLegal);
  EXPECT_EQ(ParseFileKind(" HUKUM "), FileKind::kLegal);
  EXPECT_EQ(ParseFileKind(FileKindName(FileKind::kLegal)), FileKind::kLegal);
  EXPECT_EQ(ParseFileKind("services"), std::nullopt);
  EXPECT_EQ(ParseFileKind(""), std::nullopt);
}

TEST(FileKindTest, DetectsAVictimFile) {
  EXPECT_EQ(DetectFileKind({"record_id", "report_date", "name", "case_ref", "nik"}),
            FileKind::kVictims);
  EXPECT_EQ(DetectFileKind({"id_rekaman", "tanggal_laporan", "nama"}),
            FileKind::kVictims);
  // Not a valid file of either kind: the victim reader gives the better message.
  EXPECT_EQ(DetectFileKind({"foo", "bar"}), FileKind::kVictims);
  EXPECT_EQ(DetectFileKind({}), FileKind::kVictims);
}

TEST(FileKindTest, DetectsALegalFileInEitherLanguageAndSpelling) {
  EXPECT_EQ(DetectFileKind({"record_id", "case_ref", "event_date", "stage", "role"}),
            FileKind::kLegal);
  EXPECT_EQ(
      DetectFileKind({"ID Rekaman", "NOMOR-KASUS", "Tanggal", "tahap", "nama tersangka"}),
      FileKind::kLegal);
  // A stray victim column does not make it a victim file...
  EXPECT_EQ(DetectFileKind({"record_id", "case_ref", "event_date", "stage", "nama"}),
            FileKind::kLegal);
  // ...but a full victim header with legal-looking extras does.
  EXPECT_EQ(DetectFileKind(
                {"record_id", "case_ref", "event_date", "stage", "name", "report_date"}),
            FileKind::kVictims);
  // A legal required column missing.
  EXPECT_EQ(DetectFileKind({"record_id", "case_ref", "event_date", "peran"}),
            FileKind::kVictims);
}

// --- Header ---

TEST(MapLegalHeaderTest, MapsEveryKeyAndEveryAlias) {
  std::vector<std::string> keys;
  std::vector<std::string> aliases;
  for (const FieldSpec& spec : LegalFields()) {
    keys.emplace_back(spec.key);
    aliases.emplace_back(spec.alias);
  }
  for (const auto& header : {keys, aliases}) {
    auto map = MapLegalHeader(header);
    ASSERT_TRUE(map.ok()) << map.status();
    for (int f = 0; f < kLegalFieldCount; ++f) EXPECT_EQ(map->column[f], f) << header[f];
    EXPECT_TRUE(map->extra.empty());
  }
}

TEST(MapLegalHeaderTest, TheFieldsAreThoseOfTheSpec) {
  const std::vector<std::pair<std::string, std::string>> spec = {
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
  ASSERT_EQ(LegalFields().size(), spec.size());
  for (size_t f = 0; f < spec.size(); ++f) {
    EXPECT_EQ(LegalFields()[f].key, spec[f].first);
    EXPECT_EQ(LegalFields()[f].alias, spec[f].second);
    bool required = spec[f].first == "record_id" || spec[f].first == "case_ref" ||
                    spec[f].first == "event_date" || spec[f].first == "stage";
    EXPECT_EQ(LegalFields()[f].required, required) << spec[f].first;
  }
  EXPECT_EQ(Spec(LegalField::kVictimRecordIds).key, "victim_record_ids");
}

TEST(MapLegalHeaderTest, AcceptsCaseAndSpacingVariantsAndKeepsExtras) {
  auto map = MapLegalHeader({"ID Rekaman", "NOMOR-KASUS", "Kolom Lain", "  Tanggal ",
                             "TAHAP", "Nama Tersangka", "nik_TERSANGKA",
                             "Tanggal-Lahir Tersangka", "Event Date", "pidana bulan"});
  // "Tanggal" and "Event Date" are one field.
  ASSERT_FALSE(map.ok());
  EXPECT_THAT(std::string(map.status().message()), HasSubstr("event_date"));

  map = MapLegalHeader({"ID Rekaman", "NOMOR-KASUS", "Kolom Lain", "  Tanggal ", "TAHAP",
                        "Nama Tersangka", "nik_TERSANGKA", "Tanggal-Lahir Tersangka",
                        "pidana bulan", "Suspect Phone", "Kolom Lain 2"});
  ASSERT_TRUE(map.ok()) << map.status();
  EXPECT_EQ(ColumnOf(*map, LegalField::kRecordId), 0);
  EXPECT_EQ(ColumnOf(*map, LegalField::kCaseRef), 1);
  EXPECT_EQ(ColumnOf(*map, LegalField::kEventDate), 3);
  EXPECT_EQ(ColumnOf(*map, LegalField::kStage), 4);
  EXPECT_EQ(ColumnOf(*map, LegalField::kSuspectName), 5);
  EXPECT_EQ(ColumnOf(*map, LegalField::kSuspectNik), 6);
  EXPECT_EQ(ColumnOf(*map, LegalField::kSuspectBirthDate), 7);
  EXPECT_EQ(ColumnOf(*map, LegalField::kSentenceMonths), 8);
  EXPECT_EQ(ColumnOf(*map, LegalField::kSuspectPhone), 9);
  EXPECT_EQ(ColumnOf(*map, LegalField::kRole), -1);
  EXPECT_EQ(ColumnOf(*map, LegalField::kVerdict), -1);
  EXPECT_THAT(map->extra, ElementsAre(2, 10));
}

TEST(MapLegalHeaderTest, NamesEveryMissingRequiredColumn) {
  auto map = MapLegalHeader({"nomor_kasus", "nama_tersangka", "peran"});
  ASSERT_FALSE(map.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(map.status()));
  std::string message(map.status().message());
  EXPECT_THAT(message, HasSubstr("record_id (id_rekaman)"));
  EXPECT_THAT(message, HasSubstr("event_date (tanggal)"));
  EXPECT_THAT(message, HasSubstr("stage (tahap)"));
  EXPECT_THAT(message, Not(HasSubstr("case_ref")));
}

TEST(MapLegalHeaderTest, RefusesTwoColumnsForOneField) {
  auto map = MapLegalHeader(
      {"record_id", "case_ref", "event_date", "stage", "tahap", "denda", "Fine"});
  ASSERT_FALSE(map.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(map.status()));
  std::string message(map.status().message());
  EXPECT_THAT(message, HasSubstr("more than one column for: stage, fine"));
}

TEST(MapLegalHeaderTest, AVictimHeaderIsNotALegalOne) {
  EXPECT_FALSE(MapLegalHeader({"record_id", "report_date", "name"}).ok());
}

// --- Stages ---

StageCatalog DefaultCatalog() {
  absl::StatusOr<StageCatalog> catalog = StageCatalog::Make(DefaultStages());
  EXPECT_TRUE(catalog.ok()) << catalog.status();
  return *std::move(catalog);
}

int RankOf(const StageCatalog& catalog, std::string_view code) {
  const StageSpec* stage = catalog.FindCode(code);
  EXPECT_NE(stage, nullptr) << code;
  return stage == nullptr ? -1 : stage->rank;
}

TEST(StagesTest, TheDefaultListIsTheSpecs) {
  const std::map<std::string, std::vector<std::string>> by_area = {
      {"police",
       {"laporan", "penyelidikan", "penyidikan", "tersangka", "spdp", "p19", "p21",
        "sp3"}},
      {"prosecution", {"tahap2", "dakwaan", "pelimpahan", "tuntutan", "skpp"}},
      {"court",
       {"putusan_pn", "banding", "putusan_pt", "kasasi", "putusan_ma", "inkracht",
        "eksekusi"}},
      {"other", {"diversi", "keadilan_restoratif", "restitusi_dibayar"}},
  };
  std::map<std::string, std::set<std::string>> got;
  for (const StageSpec& stage : DefaultStages()) {
    got[stage.area].insert(stage.code);
    EXPECT_FALSE(stage.name_id.empty()) << stage.code;
    EXPECT_FALSE(stage.name_en.empty()) << stage.code;
  }
  for (const auto& [area, codes] : by_area)
    EXPECT_EQ(got[area], std::set<std::string>(codes.begin(), codes.end())) << area;
  EXPECT_EQ(got.size(), by_area.size());
}

TEST(StagesTest, EveryStageIsFoundByCodeAndBothNames) {
  StageCatalog catalog = DefaultCatalog();
  ASSERT_EQ(catalog.stages().size(), 23u);
  for (const StageSpec& stage : catalog.stages()) {
    for (const std::string& spelling : {stage.code, stage.name_id, stage.name_en}) {
      const StageSpec* found = catalog.Find(spelling);
      ASSERT_NE(found, nullptr) << spelling;
      EXPECT_EQ(found->code, stage.code) << spelling;
    }
    for (const std::string& alias : stage.aliases) {
      const StageSpec* found = catalog.Find(alias);
      ASSERT_NE(found, nullptr) << alias;
      EXPECT_EQ(found->code, stage.code) << alias;
    }
    ASSERT_EQ(catalog.FindCode(stage.code),
              &*std::find_if(catalog.stages().begin(), catalog.stages().end(),
                             [&](const StageSpec& s) { return s.code == stage.code; }));
  }
}

TEST(StagesTest, SpellingsClerksWriteAreFolded) {
  StageCatalog catalog = DefaultCatalog();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"P-21", "p21"},
      {"p21", "p21"},
      {"P 21", "p21"},
      {"P.21", "p21"},
      {"berkas lengkap", "p21"},
      {"BERKAS LENGKAP", "p21"},
      {"P-19", "p19"},
      {"berkas dikembalikan", "p19"},
      {"Tahap II", "tahap2"},
      {"tahap 2", "tahap2"},
      {"TAHAP-2", "tahap2"},
      {"penetapan tersangka", "tersangka"},
      {"Putusan PN", "putusan_pn"},
      {"putusan_pn", "putusan_pn"},
      {"putusan-pn", "putusan_pn"},
      {"vonis", "putusan_pn"},
      {"first-instance verdict", "putusan_pn"},
      {"First instance verdict", "putusan_pn"},
      {"putusan pengadilan tinggi", "putusan_pt"},
      {"putusan PT", "putusan_pt"},
      {"putusan banding", "putusan_pt"},
      {"putusan MA", "putusan_ma"},
      {"putusan kasasi", "putusan_ma"},
      {"inkrah", "inkracht"},
      {"incraht", "inkracht"},
      {"BHT", "inkracht"},
      {"berkekuatan hukum tetap", "inkracht"},
      {"SP-3", "sp3"},
      {"SP3 (penyidikan dihentikan)", "sp3"},
      {"S.P.D.P.", "spdp"},
      {"Keadilan Restoratif", "keadilan_restoratif"},
      {"keadilan-restoratif", "keadilan_restoratif"},
      {"restitusi_dibayar", "restitusi_dibayar"},
      {"Restitusi Dibayar", "restitusi_dibayar"},
      {"  laporan polisi  ", "laporan"},
      {"LP", "laporan"},
      {"Sent to court", "pelimpahan"},
      {"handover of suspect and evidence", "tahap2"},
  };
  for (const auto& [text, code] : cases) {
    const StageSpec* stage = catalog.Find(text);
    ASSERT_NE(stage, nullptr) << text;
    EXPECT_EQ(stage->code, code) << text;
  }
  for (std::string_view text :
       {"", " ", "-", "p22", "putusan", "restitusi", "sidang", "tahap 3", "P-211"})
    EXPECT_EQ(catalog.Find(text), nullptr) << text;
}

TEST(StagesTest, FindCodeIsExact) {
  StageCatalog catalog = DefaultCatalog();
  ASSERT_NE(catalog.FindCode("putusan_pn"), nullptr);
  EXPECT_EQ(catalog.FindCode("Putusan PN"), nullptr);
  EXPECT_EQ(catalog.FindCode("P-21"), nullptr);
  EXPECT_EQ(catalog.FindCode(""), nullptr);
}

TEST(StagesTest, MilestonesFollowTheCountingRules) {
  StageCatalog catalog = DefaultCatalog();
  auto has = [&](std::string_view code, uint32_t bit) {
    const StageSpec* stage = catalog.FindCode(code);
    return stage != nullptr && (stage->milestones & bit) != 0;
  };
  const std::set<std::string> named = {"tersangka",
                                       "spdp",
                                       "p19",
                                       "p21",
                                       "tahap2",
                                       "dakwaan",
                                       "pelimpahan",
                                       "tuntutan",
                                       "putusan_pn",
                                       "banding",
                                       "putusan_pt",
                                       "kasasi",
                                       "putusan_ma",
                                       "inkracht",
                                       "eksekusi",
                                       "diversi",
                                       "keadilan_restoratif"};
  const std::set<std::string> prosecuted = {
      "tahap2",     "dakwaan", "pelimpahan", "tuntutan", "putusan_pn", "banding",
      "putusan_pt", "kasasi",  "putusan_ma", "inkracht", "eksekusi"};
  const std::map<uint32_t, std::set<std::string>> single = {
      {kFirstVerdict, {"putusan_pn"}},
      {kVerdict, {"putusan_pn", "putusan_pt", "putusan_ma"}},
      {kRestitutionOrdered, {"putusan_pn", "putusan_pt", "putusan_ma"}},
      {kFinal, {"inkracht"}},
      {kStopped, {"sp3", "skpp"}},
      {kRestitutionClaimed, {"tuntutan"}},
      {kRestitutionPaid, {"restitusi_dibayar"}},
      {kReturned, {"p19"}},
      {kFileComplete, {"p21"}},
      {kReported, {"laporan"}},
  };
  for (const StageSpec& stage : catalog.stages()) {
    EXPECT_EQ(has(stage.code, kNamed), named.contains(stage.code)) << stage.code;
    EXPECT_EQ(has(stage.code, kProsecuted), prosecuted.contains(stage.code))
        << stage.code;
    for (const auto& [bit, codes] : single)
      EXPECT_EQ(has(stage.code, bit), codes.contains(stage.code))
          << stage.code << " " << MilestoneNames(bit);
  }
}

TEST(StagesTest, RanksFollowTheUsualPath) {
  StageCatalog catalog = DefaultCatalog();
  const std::vector<std::string> path = {
      "laporan", "penyelidikan", "penyidikan", "tersangka",  "spdp",     "p19",
      "p21",     "tahap2",       "dakwaan",    "pelimpahan", "tuntutan", "putusan_pn",
      "banding", "putusan_pt",   "kasasi",     "putusan_ma", "inkracht", "eksekusi"};
  for (size_t i = 1; i < path.size(); ++i)
    EXPECT_LT(RankOf(catalog, path[i - 1]), RankOf(catalog, path[i])) << path[i];
  int lowest = RankOf(catalog, "laporan");
  int highest =
      std::max(RankOf(catalog, "eksekusi"), RankOf(catalog, "restitusi_dibayar"));
  for (const StageSpec& stage : catalog.stages()) {
    if (stage.code != "laporan") {
      EXPECT_GT(stage.rank, lowest) << stage.code;
    }
    EXPECT_LE(stage.rank, highest) << stage.code;
  }
  EXPECT_GE(RankOf(catalog, "restitusi_dibayar"), RankOf(catalog, "eksekusi"));
  // sp3 just after p21; skpp within prosecution; diversion and restorative justice
  // around the prosecution stage.
  EXPECT_GT(RankOf(catalog, "sp3"), RankOf(catalog, "p21"));
  EXPECT_LT(RankOf(catalog, "sp3"), RankOf(catalog, "tahap2"));
  for (std::string_view code : {"skpp", "diversi", "keadilan_restoratif"}) {
    EXPECT_GT(RankOf(catalog, code), RankOf(catalog, "tahap2")) << code;
    EXPECT_LT(RankOf(catalog, code), RankOf(catalog, "putusan_pn")) << code;
  }
}

TEST(StagesTest, NamesInBothLanguages) {
  StageCatalog catalog = DefaultCatalog();
  EXPECT_EQ(catalog.FindCode("p21")->name_id, "P-21 (berkas lengkap)");
  EXPECT_EQ(catalog.FindCode("p21")->name_en, "file complete (P-21)");
  EXPECT_EQ(catalog.FindCode("putusan_pn")->name_id, "Putusan Pengadilan Negeri");
  EXPECT_EQ(catalog.FindCode("putusan_pn")->name_en, "first-instance verdict");
  EXPECT_EQ(catalog.FindCode("inkracht")->name_id, "Berkekuatan hukum tetap (inkracht)");
  EXPECT_EQ(catalog.FindCode("tahap2")->name_id,
            "Tahap II (penyerahan tersangka dan barang bukti)");
}

TEST(StageCatalogTest, RefusesADuplicateCode) {
  std::vector<StageSpec> stages = DefaultStages();
  StageSpec copy = stages[3];
  copy.name_id = "Tahap lain";
  copy.name_en = "another stage";
  copy.aliases.clear();
  stages.push_back(copy);
  auto catalog = StageCatalog::Make(stages);
  ASSERT_FALSE(catalog.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(catalog.status()));
  EXPECT_THAT(std::string(catalog.status().message()), HasSubstr(copy.code));
}

TEST(StageCatalogTest, RefusesASpellingOfTwoStages) {
  std::vector<StageSpec> stages = DefaultStages();
  stages.push_back({"sidang", "court", 115, "Sidang", "hearing", {"P 21"}, 0});
  auto catalog = StageCatalog::Make(stages);
  ASSERT_FALSE(catalog.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(catalog.status()));
  EXPECT_THAT(std::string(catalog.status().message()), HasSubstr("p21"));
  EXPECT_THAT(std::string(catalog.status().message()), HasSubstr("sidang"));

  // A code that folds like another stage's code.
  stages = DefaultStages();
  stages.push_back({"P-21", "police", 71, "P-21 baru", "new P-21", {}, 0});
  EXPECT_FALSE(StageCatalog::Make(stages).ok());

  EXPECT_FALSE(
      StageCatalog::Make({{"", "police", 1, "Tanpa kode", "no code", {}, 0}}).ok());
}

TEST(StageCatalogTest, OneStageMayRepeatItsOwnSpelling) {
  auto catalog = StageCatalog::Make(
      {{"p21", "police", 70, "P-21", "P 21", {"p21", "P.21"}, kFileComplete}});
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  EXPECT_EQ(catalog->Find("p 21")->code, "p21");
}

// A later law changes the list: it is data.
TEST(StageCatalogTest, TakesAnotherList) {
  auto catalog = StageCatalog::Make({{"penuntutan_baru",
                                      "prosecution",
                                      5,
                                      "Penuntutan baru",
                                      "new prosecution",
                                      {"PB"},
                                      kNamed | kProsecuted}});
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  EXPECT_EQ(catalog->Find("pb")->code, "penuntutan_baru");
  EXPECT_EQ(catalog->Find("Penuntutan Baru")->code, "penuntutan_baru");
  EXPECT_EQ(catalog->Find("p21"), nullptr);
}

TEST(MilestonesTest, NamesAndParsesTheBits) {
  EXPECT_EQ(MilestoneNames(0), "");
  EXPECT_EQ(MilestoneNames(kNamed | kProsecuted), "named;prosecuted");
  EXPECT_EQ(MilestoneNames(kRestitutionPaid), "restitution_paid");
  uint32_t all = 0;
  for (const StageSpec& stage : DefaultStages()) all |= stage.milestones;
  for (uint32_t bits : {0u, all, uint32_t{kNamed}, uint32_t{kFirstVerdict | kVerdict},
                        uint32_t{kReported | kStopped | kFileComplete}}) {
    absl::StatusOr<uint32_t> parsed = ParseMilestones(MilestoneNames(bits));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, bits) << MilestoneNames(bits);
  }
  EXPECT_EQ(all, (1u << 12) - 1) << "every milestone is reached by some stage";
  EXPECT_EQ(ParseMilestones(" prosecuted ; named ;").value(), kNamed | kProsecuted);
  EXPECT_EQ(ParseMilestones("").value(), 0u);
  absl::StatusOr<uint32_t> bad = ParseMilestones("named;convicted");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(bad.status()));
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("convicted"));
}

// --- Small values ---

TEST(ParseRupiahTest, ReadsAmountsAsClerksWriteThem) {
  const std::vector<std::pair<std::string, int64_t>> cases = {
      {"120000000", 120'000'000},
      {"Rp 120.000.000", 120'000'000},
      {"Rp120.000.000", 120'000'000},
      {"Rp120.000.000,-", 120'000'000},
      {"Rp 120.000.000,00", 120'000'000},
      {"Rp. 120.000.000", 120'000'000},
      {"RP 5.000.000 ,-", 5'000'000},
      {"rp 5.000.000.-", 5'000'000},
      {"IDR 120,000,000", 120'000'000},
      {"IDR120,000,000.00", 120'000'000},
      {"120000000,00", 120'000'000},
      {"120 juta", 120'000'000},
      {"120juta", 120'000'000},
      {"Rp 120 Juta", 120'000'000},
      {"1,5 juta", 1'500'000},
      {"1,25 jt", 1'250'000},
      {"2 jt.", 2'000'000},
      {"1,5 miliar", 1'500'000'000},
      {"1,5 milyar", 1'500'000'000},
      {"1.5 M", 1'500'000'000},
      {"1,5M", 1'500'000'000},
      {"500 ribu", 500'000},
      {"500rb", 500'000},
      {"1.500", 1'500},
      {"1,500", 1'500},
      {"1.500 juta", 1'500'000'000},
      {"1.500.000,00", 1'500'000},
      {"1,500,000.00", 1'500'000},
      {"5 juta rupiah", 5'000'000},
      {"  Rp\xC2\xA0"
       "7.500.000  ",
       7'500'000},
      {"0", 0},
      {"Rp 0,-", 0},
      {"1000 triliun", 1'000'000'000'000'000},
      {"1.000.000.000.000.000", 1'000'000'000'000'000},
  };
  for (const auto& [text, value] : cases) {
    std::optional<int64_t> got = ParseRupiah(text);
    ASSERT_TRUE(got.has_value()) << text;
    EXPECT_EQ(*got, value) << text;
  }
}

TEST(ParseRupiahTest, RefusesWhatIsNotAWholeAmount) {
  for (std::string_view text : {
           "",
           "   ",
           "Rp",
           "Rp ,-",
           "juta",
           "-5000",
           "Rp -5.000",
           "- 5000",
           "lima juta",
           "5 juta 500 ribu",
           "1,5",             // 1.5 rupiah: a multiplier is missing
           "Rp 1.500,50",     // sen
           "1,2345678 juta",  // not whole rupiah
           "1.50.000",        // badly grouped
           "120.000.000.00",  // decimal and thousands alike
           "12,34,567",
           "1.000,000.5",
           "120 000 000",
           "1e6",
           "5000 dollar",
           "USD 5000",
           "Rp 5.000.000 (lima juta rupiah)",
           "1001 triliun",  // beyond 10^15
           "1.000.000.000.000.001",
           "99999999999999999999",
           ".5 juta",
           "5.",
           "5,",
           "Rp 5.000.000,--",
           "5 juta juta",
       })
    EXPECT_EQ(ParseRupiah(text), std::nullopt) << text;
}

TEST(ParseRoleTest, EnglishIndonesianAndSynonyms) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"recruiter", "recruiter"},
      {"Perekrut", "recruiter"},
      {"calo", "recruiter"},
      {"SPONSOR", "recruiter"},
      {"transporter", "transporter"},
      {"pengangkut", "transporter"},
      {"harbourer", "harbourer"},
      {"harborer", "harbourer"},
      {"penampung", "harbourer"},
      {"penadah", "harbourer"},
      {"employer", "employer"},
      {"pemberi_kerja", "employer"},
      {"Pemberi Kerja", "employer"},
      {"majikan", "employer"},
      {"financier", "financier"},
      {"pemodal", "financier"},
      {"bandar", "financier"},
      {"forger", "forger"},
      {"pemalsu_dokumen", "forger"},
      {"pemalsu dokumen", "forger"},
      {"other", "other"},
      {"lainnya", "other"},
      {" Lain-lain ", "other"},
  };
  for (const auto& [text, code] : cases) EXPECT_EQ(ParseRole(text), code) << text;
  for (std::string_view text : {"", "korban", "victim", "saksi", "polisi"})
    EXPECT_EQ(ParseRole(text), std::nullopt) << text;
}

TEST(ParseVerdictTest, EnglishIndonesianAndSynonyms) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"guilty", "guilty"},
      {"Bersalah", "guilty"},
      {"terbukti bersalah", "guilty"},
      {"DIHUKUM", "guilty"},
      {"convicted", "guilty"},
      {"acquitted", "acquitted"},
      {"bebas", "acquitted"},
      {"Bebas murni", "acquitted"},
      {"lepas", "acquitted"},
      {"lepas dari segala tuntutan", "acquitted"},
      {"lepas dari segala tuntutan hukum", "acquitted"},
      {"onslag", "acquitted"},
      {"ontslag van alle rechtsvervolging", "acquitted"},
      {"not guilty", "acquitted"},
  };
  for (const auto& [text, code] : cases) EXPECT_EQ(ParseVerdict(text), code) << text;
  for (std::string_view text : {"", "banding", "ditunda", "N.O.", "damai"})
    EXPECT_EQ(ParseVerdict(text), std::nullopt) << text;
}

// --- Rows ---

class LegalValidatorTest : public ::testing::Test {
 protected:
  using Row = std::map<LegalField, std::string>;

  // A valid row with `changes` on top.
  LegalValidation Run(const Row& changes = {}, std::string record_id = "") {
    RawRow row = Make(changes, record_id);
    return validator_.Validate(row, *map_);
  }

  RawRow Make(const Row& changes, std::string record_id = "") {
    Row values = {
        {LegalField::kRecordId, record_id.empty() ? NextId() : record_id},
        {LegalField::kCaseRef, "LP/B/123/VI/2023/SPKT"},
        {LegalField::kEventDate, "14/03/2023"},
        {LegalField::kStage, "tersangka"},
    };
    for (const auto& [f, v] : changes) values[f] = v;
    RawRow row;
    row.line = 2;
    row.cells.assign(kLegalFieldCount, "");
    for (const auto& [f, v] : values) row.cells[static_cast<int>(f)] = v;
    return row;
  }

  std::string NextId() { return "R" + std::to_string(++next_id_); }

  static std::vector<std::string> Codes(const std::vector<Issue>& issues) {
    std::vector<std::string> codes;
    for (const Issue& issue : issues) codes.push_back(issue.field + "/" + issue.code);
    return codes;
  }

  static std::vector<std::string> Header() {
    std::vector<std::string> header;
    for (const FieldSpec& spec : LegalFields()) header.emplace_back(spec.key);
    return header;
  }

  StageCatalog catalog_ = DefaultCatalog();
  LegalRowValidator validator_{catalog_, Date{2024, 1, 31}};
  absl::StatusOr<LegalColumnMap> map_ = MapLegalHeader(Header());
  int next_id_ = 0;
  // A NIK of a man born 17 May 1985, registered in 32.02.01.
  const std::string nik_ = FormatNik("32.02.01", Date{1985, 5, 17}, Sex::kMale, 7);
};

TEST_F(LegalValidatorTest, AcceptsAFullRowAndNormalisesIt) {
  LegalValidation v = Run({
      {LegalField::kCaseRef, "  PDM-45/KPG/08/2023 "},
      {LegalField::kOtherRefs, " LP/B/123/VI/2023/SPKT ;; 50/Pid.Sus/2023/PN  Kpg ; "},
      {LegalField::kEventDate, "12 Maret 2023"},
      {LegalField::kStage, "Putusan PN"},
      {LegalField::kSuspectName, "  Joko   Prasetyo "},
      {LegalField::kSuspectNik, nik_.substr(0, 6) + "." + nik_.substr(6)},
      {LegalField::kSuspectBirthDate, "17-05-1985"},
      {LegalField::kSuspectSex, "Laki-laki"},
      {LegalField::kSuspectPhone, "0812-3456-7890"},
      {LegalField::kRole, "Perekrut"},
      {LegalField::kCompany, " PT Maju Sejahtera Abadi "},
      {LegalField::kBankAccount, " BRI 0123-01-000123-50-1 "},
      {LegalField::kSocialAccount, " fb:lowongan.kerja.malaysia "},
      {LegalField::kArticles, "UU 21/2007 Pasal 2 ayat (1);  UU 21/2007 Pasal 4"},
      {LegalField::kVerdict, "terbukti bersalah"},
      {LegalField::kSentenceMonths, "2 tahun 6 bulan"},
      {LegalField::kFine, "Rp 120.000.000,-"},
      {LegalField::kRestitution, "15,5 juta"},
      {LegalField::kVictimRecordIds, " K-001; K-002 ;"},
      {LegalField::kNotes, " sidang terbuka "},
  });
  ASSERT_TRUE(v.accepted) << ::testing::PrintToString(Codes(v.reasons));
  EXPECT_TRUE(v.reasons.empty());
  EXPECT_TRUE(v.record.warnings.empty())
      << ::testing::PrintToString(Codes(v.record.warnings));
  const ParsedLegal& r = v.record;
  EXPECT_EQ(r[LegalField::kRecordId], "R1");
  EXPECT_EQ(r[LegalField::kCaseRef], "PDM-45/KPG/08/2023");
  EXPECT_EQ(r[LegalField::kOtherRefs], "LP/B/123/VI/2023/SPKT;50/Pid.Sus/2023/PN Kpg");
  EXPECT_EQ(r[LegalField::kEventDate], "2023-03-12");
  EXPECT_EQ(r[LegalField::kStage], "putusan_pn");
  EXPECT_EQ(r[LegalField::kSuspectName], "Joko Prasetyo");
  EXPECT_EQ(r[LegalField::kSuspectNik], nik_);
  EXPECT_EQ(r[LegalField::kSuspectBirthDate], "1985-05-17");
  EXPECT_EQ(r[LegalField::kSuspectSex], "L");
  EXPECT_EQ(r[LegalField::kSuspectPhone], "+6281234567890");
  EXPECT_EQ(r[LegalField::kRole], "recruiter");
  EXPECT_EQ(r[LegalField::kCompany], "PT Maju Sejahtera Abadi");
  EXPECT_EQ(r[LegalField::kBankAccount], "BRI 0123-01-000123-50-1");
  EXPECT_EQ(r[LegalField::kSocialAccount], "fb:lowongan.kerja.malaysia");
  EXPECT_EQ(r[LegalField::kArticles], "UU 21/2007 Pasal 2 ayat (1);UU 21/2007 Pasal 4");
  EXPECT_EQ(r[LegalField::kVerdict], "guilty");
  EXPECT_EQ(r[LegalField::kSentenceMonths], "30");
  EXPECT_EQ(r.sentence_months, 30);
  EXPECT_EQ(r[LegalField::kFine], "120000000");
  EXPECT_EQ(r.fine, 120'000'000);
  EXPECT_EQ(r[LegalField::kRestitution], "15500000");
  EXPECT_EQ(r.restitution, 15'500'000);
  EXPECT_EQ(r[LegalField::kVictimRecordIds], "K-001;K-002");
  EXPECT_EQ(r[LegalField::kNotes], "sidang terbuka");
}

TEST_F(LegalValidatorTest, AMinimalRowHasNoWarningsAndNothingElse) {
  LegalValidation v = Run();
  ASSERT_TRUE(v.accepted);
  EXPECT_TRUE(v.record.warnings.empty());
  EXPECT_EQ(v.record[LegalField::kEventDate], "2023-03-14");
  EXPECT_EQ(v.record[LegalField::kStage], "tersangka");
  for (int f = 0; f < kLegalFieldCount; ++f) {
    if (LegalFields()[f].required) continue;
    EXPECT_EQ(v.record.value[f], "") << LegalFields()[f].key;
  }
  EXPECT_FALSE(v.record.sentence_months || v.record.fine || v.record.restitution);
}

TEST_F(LegalValidatorTest, IndonesianHeadersWorkAlike) {
  std::vector<std::string> header;
  for (const FieldSpec& spec : LegalFields()) header.emplace_back(spec.alias);
  auto map = MapLegalHeader(header);
  ASSERT_TRUE(map.ok());
  RawRow row = Make({{LegalField::kStage, "P-21"}, {LegalField::kRole, "penampung"}});
  LegalValidation v = validator_.Validate(row, *map);
  ASSERT_TRUE(v.accepted);
  EXPECT_EQ(v.record[LegalField::kStage], "p21");
  EXPECT_EQ(v.record[LegalField::kRole], "harbourer");
}

TEST_F(LegalValidatorTest, ColumnsInAnyOrderAndAbsentOnes) {
  auto map =
      MapLegalHeader({"tahap", "catatan lain", "tanggal", "nomor_kasus", "id_rekaman"});
  ASSERT_TRUE(map.ok());
  RawRow row;
  row.cells = {"tuntutan", "apa saja", "2023-10-01", "PDM-45/KPG/08/2023", "X1"};
  LegalValidation v = validator_.Validate(row, *map);
  ASSERT_TRUE(v.accepted);
  EXPECT_EQ(v.record[LegalField::kRecordId], "X1");
  EXPECT_EQ(v.record[LegalField::kStage], "tuntutan");
  // A short row: absent cells are empty.
  row.cells = {"tuntutan", "", "2023-10-01"};
  v = validator_.Validate(row, *map);
  ASSERT_FALSE(v.accepted);
  EXPECT_THAT(Codes(v.reasons), ElementsAre("record_id/missing", "case_ref/missing"));
}

TEST_F(LegalValidatorTest, RejectsEveryMissingRequiredField) {
  LegalValidation v = Run({{LegalField::kRecordId, " "},
                           {LegalField::kCaseRef, ""},
                           {LegalField::kEventDate, ""},
                           {LegalField::kStage, "  "}},
                          " ");
  ASSERT_FALSE(v.accepted);
  EXPECT_THAT(Codes(v.reasons), ElementsAre("record_id/missing", "case_ref/missing",
                                            "event_date/missing", "stage/missing"));
  for (LegalField f :
       {LegalField::kCaseRef, LegalField::kEventDate, LegalField::kStage}) {
    LegalValidation one = Run({{f, ""}});
    ASSERT_FALSE(one.accepted) << Spec(f).key;
    ASSERT_EQ(one.reasons.size(), 1u);
    EXPECT_EQ(one.reasons[0].field, Spec(f).key);
    EXPECT_EQ(one.reasons[0].code, "missing");
    EXPECT_THAT(one.reasons[0].message, HasSubstr(Spec(f).key));
  }
}

TEST_F(LegalValidatorTest, RejectsAnUnknownStage) {
  for (std::string_view stage : {"sidang", "P-22", "putusan", "tahap 3"}) {
    LegalValidation v = Run({{LegalField::kStage, std::string(stage)}});
    ASSERT_FALSE(v.accepted) << stage;
    EXPECT_THAT(Codes(v.reasons), ElementsAre("stage/unknown_stage")) << stage;
  }
}

TEST_F(LegalValidatorTest, RejectsABadEventDate) {
  LegalValidation v = Run({{LegalField::kEventDate, "awal Maret"}});
  ASSERT_FALSE(v.accepted);
  EXPECT_THAT(Codes(v.reasons), ElementsAre("event_date/unparseable"));
  v = Run({{LegalField::kEventDate, "31/02/2023"}});
  ASSERT_FALSE(v.accepted);
  EXPECT_THAT(Codes(v.reasons), ElementsAre("event_date/impossible"));
  v = Run({{LegalField::kEventDate, "01/02/2024"}});
  ASSERT_FALSE(v.accepted);
  EXPECT_THAT(Codes(v.reasons), ElementsAre("event_date/future"));
  EXPECT_TRUE(Run({{LegalField::kEventDate, "31 Januari 2024"}}).accepted);
  EXPECT_TRUE(Run({{LegalField::kEventDate, "2024-01-31"}}).accepted);
}

TEST_F(LegalValidatorTest, ReadsExcelSerialDatesOnlyInNumericCells) {
  RawRow row = Make({{LegalField::kEventDate, "44927"}});  // 2023-01-01
  LegalValidation v = validator_.Validate(row, *map_);
  EXPECT_FALSE(v.accepted);
  row = Make({{LegalField::kEventDate, "44927"}});
  row.numeric.assign(kLegalFieldCount, false);
  row.numeric[static_cast<int>(LegalField::kEventDate)] = true;
  v = validator_.Validate(row, *map_);
  ASSERT_TRUE(v.accepted) << ::testing::PrintToString(Codes(v.reasons));
  EXPECT_EQ(v.record[LegalField::kEventDate], "2023-01-01");
}

TEST_F(LegalValidatorTest, RejectsARecordIdSeenBefore) {
  EXPECT_TRUE(Run({}, "LP-7").accepted);
  EXPECT_TRUE(Run({}, "LP-8").accepted);
  LegalValidation v = Run({{LegalField::kStage, "p21"}}, " LP-7 ");
  ASSERT_FALSE(v.accepted);
  EXPECT_THAT(Codes(v.reasons), ElementsAre("record_id/duplicate"));
  // A rejected row's id counts too: the file repeats it.
  EXPECT_FALSE(Run({{LegalField::kStage, "xyz"}}, "LP-9").accepted);
  EXPECT_THAT(Codes(Run({}, "LP-9").reasons), ElementsAre("record_id/duplicate"));
  // A fresh validator (another file) has seen nothing.
  LegalRowValidator other(catalog_, Date{2024, 1, 31});
  EXPECT_TRUE(other.Validate(Make({}, "LP-7"), *map_).accepted);
}

TEST_F(LegalValidatorTest, RejectsAMalformedRowWithTheReadersReason) {
  RawRow row = Make({});
  row.problem = "row has 23 cells, header has 21";
  LegalValidation v = validator_.Validate(row, *map_);
  ASSERT_FALSE(v.accepted);
  ASSERT_EQ(v.reasons.size(), 1u);
  EXPECT_EQ(v.reasons[0].code, "malformed");
  EXPECT_EQ(v.reasons[0].message, row.problem);
}

TEST_F(LegalValidatorTest, ListsEveryReasonAtOnce) {
  LegalValidation v = Run({{LegalField::kCaseRef, ""},
                           {LegalField::kEventDate, "32/01/2023"},
                           {LegalField::kStage, "vonis bebas"}});
  ASSERT_FALSE(v.accepted);
  EXPECT_THAT(Codes(v.reasons), ElementsAre("case_ref/missing", "event_date/impossible",
                                            "stage/unknown_stage"));
}

TEST_F(LegalValidatorTest, AMalformedNikWarnsAndIsNotUsed) {
  for (std::string bad : {"3202011705850", "32020117058500071", "3202011305850000",
                          "3202AB1705850007", "3.20201E+15", "3202019905850007"}) {
    LegalValidation v = Run({{LegalField::kSuspectNik, bad}});
    ASSERT_TRUE(v.accepted) << bad;
    EXPECT_THAT(Codes(v.record.warnings), ElementsAre("suspect_nik/malformed")) << bad;
    EXPECT_EQ(v.record[LegalField::kSuspectNik], "") << bad;
  }
}

TEST_F(LegalValidatorTest, ANikDisagreeingWithTheStatedSexOrBirthDateIsNotUsed) {
  LegalValidation v =
      Run({{LegalField::kSuspectNik, nik_}, {LegalField::kSuspectSex, "P"}});
  ASSERT_TRUE(v.accepted);
  EXPECT_THAT(Codes(v.record.warnings), ElementsAre("suspect_nik/sex_mismatch"));
  EXPECT_EQ(v.record[LegalField::kSuspectNik], "");
  EXPECT_EQ(v.record[LegalField::kSuspectSex], "P");

  v = Run(
      {{LegalField::kSuspectNik, nik_}, {LegalField::kSuspectBirthDate, "1985-05-18"}});
  ASSERT_TRUE(v.accepted);
  EXPECT_THAT(Codes(v.record.warnings), ElementsAre("suspect_nik/birth_date_mismatch"));
  EXPECT_THAT(v.record.warnings[0].message, HasSubstr("suspect_birth_date"));
  EXPECT_EQ(v.record[LegalField::kSuspectNik], "");
  EXPECT_EQ(v.record[LegalField::kSuspectBirthDate], "1985-05-18");

  v = Run({{LegalField::kSuspectNik, nik_},
           {LegalField::kSuspectSex, "pria"},
           {LegalField::kSuspectBirthDate, "17 Mei 1985"}});
  ASSERT_TRUE(v.accepted);
  EXPECT_TRUE(v.record.warnings.empty());
  EXPECT_EQ(v.record[LegalField::kSuspectNik], nik_);
}

TEST_F(LegalValidatorTest, AnUnrecognisedSexWarns) {
  LegalValidation v =
      Run({{LegalField::kSuspectSex, "X"}, {LegalField::kSuspectNik, nik_}});
  ASSERT_TRUE(v.accepted);
  EXPECT_THAT(Codes(v.record.warnings), ElementsAre("suspect_sex/unrecognised"));
  EXPECT_EQ(v.record[LegalField::kSuspectSex], "");
  // The NIK is still checked, against nothing.
  EXPECT_EQ(v.record[LegalField::kSuspectNik], nik_);
  EXPECT_EQ(Run({{LegalField::kSuspectSex, "Perempuan"}}).record[LegalField::kSuspectSex],
            "P");
}

TEST_F(LegalValidatorTest, ABadBirthDateWarnsAndIsDropped) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"sekitar 1980", "suspect_birth_date/unparseable"},
      {"30/02/1980", "suspect_birth_date/impossible"},
      {"15/03/2023", "suspect_birth_date/after_event"},  // a day after event_date
  };
  for (const auto& [text, code] : cases) {
    LegalValidation v = Run({{LegalField::kSuspectBirthDate, text}});
    ASSERT_TRUE(v.accepted) << text;
    EXPECT_THAT(Codes(v.record.warnings), ElementsAre(code)) << text;
    EXPECT_EQ(v.record[LegalField::kSuspectBirthDate], "") << text;
  }
  EXPECT_EQ(Run({{LegalField::kSuspectBirthDate, "14/03/2023"}})
                .record[LegalField::kSuspectBirthDate],
            "2023-03-14");
  // A dropped birth date is not held against the NIK.
  LegalValidation v = Run(
      {{LegalField::kSuspectBirthDate, "30/02/1980"}, {LegalField::kSuspectNik, nik_}});
  EXPECT_THAT(Codes(v.record.warnings), ElementsAre("suspect_birth_date/impossible"));
  EXPECT_EQ(v.record[LegalField::kSuspectNik], nik_);
}

TEST_F(LegalValidatorTest, ABadPhoneWarnsAndIsDropped) {
  for (std::string bad : {"12345", "0812", "telp kantor", "+62 12"}) {
    LegalValidation v = Run({{LegalField::kSuspectPhone, bad}});
    ASSERT_TRUE(v.accepted) << bad;
    EXPECT_THAT(Codes(v.record.warnings), ElementsAre("suspect_phone/unrecognised"))
        << bad;
    EXPECT_EQ(v.record[LegalField::kSuspectPhone], "") << bad;
  }
  EXPECT_EQ(Run({{LegalField::kSuspectPhone, "+62 812 3456 7890"}})
                .record[LegalField::kSuspectPhone],
            "+6281234567890");
}

TEST_F(LegalValidatorTest, AnUnknownRoleIsStoredAsOther) {
  LegalValidation v = Run({{LegalField::kRole, "koordinator wilayah"}});
  ASSERT_TRUE(v.accepted);
  EXPECT_THAT(Codes(v.record.warnings), ElementsAre("role/unknown_term"));
  EXPECT_EQ(v.record[LegalField::kRole], "other");
  v = Run({{LegalField::kRole, "Lainnya"}});
  EXPECT_TRUE(v.record.warnings.empty());
  EXPECT_EQ(v.record[LegalField::kRole], "other");
  EXPECT_EQ(Run({{LegalField::kRole, "bandar"}}).record[LegalField::kRole], "financier");
}

TEST_F(LegalValidatorTest, AVerdictNeedsAVerdictStage) {
  for (std::string_view stage : {"putusan_pn", "putusan PT", "putusan kasasi"}) {
    LegalValidation v =
        Run({{LegalField::kStage, std::string(stage)}, {LegalField::kVerdict, "bebas"}});
    ASSERT_TRUE(v.accepted) << stage;
    EXPECT_TRUE(v.record.warnings.empty()) << stage;
    EXPECT_EQ(v.record[LegalField::kVerdict], "acquitted") << stage;
  }
  for (std::string_view stage : {"tuntutan", "inkracht", "banding", "p21"}) {
    LegalValidation v = Run(
        {{LegalField::kStage, std::string(stage)}, {LegalField::kVerdict, "bersalah"}});
    ASSERT_TRUE(v.accepted) << stage;
    EXPECT_THAT(Codes(v.record.warnings), ElementsAre("verdict/inconsistent")) << stage;
    EXPECT_EQ(v.record[LegalField::kVerdict], "") << stage;
  }
}

TEST_F(LegalValidatorTest, AnUnknownVerdictWarnsAndIsDropped) {
  LegalValidation v =
      Run({{LegalField::kStage, "putusan_pn"}, {LegalField::kVerdict, "ditunda"}});
  ASSERT_TRUE(v.accepted);
  EXPECT_THAT(Codes(v.record.warnings), ElementsAre("verdict/unrecognised"));
  EXPECT_EQ(v.record[LegalField::kVerdict], "");
}

TEST_F(LegalValidatorTest, SentenceMonthsMustBeWholeMonthsUpToAHundredYears) {
  const std::vector<std::pair<std::string, int>> good = {
      {"0", 0},
      {"24", 24},
      {"1200", 1200},
      {"36 bulan", 36},
      {"3 tahun", 36},
      {"4 Tahun 6 Bulan", 54},
      {"5 thn 2 bln", 62},
  };
  for (const auto& [text, months] : good) {
    LegalValidation v = Run({{LegalField::kSentenceMonths, text}});
    ASSERT_TRUE(v.accepted) << text;
    EXPECT_TRUE(v.record.warnings.empty()) << text;
    EXPECT_EQ(v.record.sentence_months, months) << text;
    EXPECT_EQ(v.record[LegalField::kSentenceMonths], std::to_string(months)) << text;
  }
  for (std::string bad : {"-1", "1201", "2,5", "2.5", "seumur hidup", "empat tahun",
                          "6 bulan 2 tahun", "2 tahun 6", "101 tahun", "+12"}) {
    LegalValidation v = Run({{LegalField::kSentenceMonths, bad}});
    ASSERT_TRUE(v.accepted) << bad;
    EXPECT_THAT(Codes(v.record.warnings), ElementsAre("sentence_months/invalid")) << bad;
    EXPECT_FALSE(v.record.sentence_months.has_value()) << bad;
    EXPECT_EQ(v.record[LegalField::kSentenceMonths], "") << bad;
  }
}

TEST_F(LegalValidatorTest, AnUnparseableAmountWarnsAndIsDropped) {
  LegalValidation v = Run(
      {{LegalField::kFine, "seratus juta"}, {LegalField::kRestitution, "Rp 1.500,50"}});
  ASSERT_TRUE(v.accepted);
  EXPECT_THAT(Codes(v.record.warnings),
              ElementsAre("fine/unparseable", "restitution/unparseable"));
  EXPECT_FALSE(v.record.fine || v.record.restitution);
  EXPECT_EQ(v.record[LegalField::kFine], "");
  EXPECT_EQ(v.record[LegalField::kRestitution], "");
}

// A numeric XLSX cell is a machine number: "1.234" there is one and a bit rupiah, not
// 1234.
TEST_F(LegalValidatorTest, NumericAmountCellsAreReadAsNumbers) {
  RawRow row =
      Make({{LegalField::kFine, "120000000"}, {LegalField::kRestitution, "1.234"}});
  row.numeric.assign(kLegalFieldCount, false);
  row.numeric[static_cast<int>(LegalField::kFine)] = true;
  row.numeric[static_cast<int>(LegalField::kRestitution)] = true;
  LegalValidation v = validator_.Validate(row, *map_);
  ASSERT_TRUE(v.accepted);
  EXPECT_EQ(v.record.fine, 120'000'000);
  EXPECT_THAT(Codes(v.record.warnings), ElementsAre("restitution/unparseable"));
  row.cells[static_cast<int>(LegalField::kRecordId)] = NextId();
  row.cells[static_cast<int>(LegalField::kRestitution)] = "1500";
  v = validator_.Validate(row, *map_);
  EXPECT_EQ(v.record.restitution, 1500);
  EXPECT_TRUE(v.record.warnings.empty());
}

TEST_F(LegalValidatorTest, MessagesNeverRepeatPersonalData) {
  const std::string name = "Bambang Suryadi";
  const std::string bad_nik = "320201170585";  // too short
  const std::string phone = "0899-77";
  LegalValidation v = Run({{LegalField::kSuspectName, name},
                           {LegalField::kSuspectNik, bad_nik},
                           {LegalField::kSuspectPhone, phone},
                           {LegalField::kSuspectSex, "tidak tahu"},
                           {LegalField::kSuspectBirthDate, "bulan Mei"},
                           {LegalField::kRole, "teman Bambang"},
                           {LegalField::kVerdict, "Bambang"},
                           {LegalField::kFine, "Bambang"}});
  ASSERT_TRUE(v.accepted);
  EXPECT_EQ(v.record.warnings.size(), 7u);
  for (const Issue& issue : v.record.warnings) {
    EXPECT_THAT(issue.message, Not(HasSubstr("Bambang"))) << issue.field;
    EXPECT_THAT(issue.message, Not(HasSubstr(bad_nik))) << issue.field;
    EXPECT_THAT(issue.message, Not(HasSubstr("0899"))) << issue.field;
    // It says which field is wrong.
    EXPECT_THAT(issue.message, ::testing::AnyOf(HasSubstr(issue.field), HasSubstr("NIK")))
        << issue.code;
  }
  LegalValidation sex =
      Run({{LegalField::kSuspectNik, nik_}, {LegalField::kSuspectSex, "P"}});
  for (const Issue& issue : sex.record.warnings)
    EXPECT_THAT(issue.message, Not(HasSubstr(nik_)));
}

// An import validates every row into the same LegalValidation: nothing of one row
// may show in the next.
TEST_F(LegalValidatorTest, ReusedValidationKeepsNothingOfTheRowBefore) {
  LegalValidation v;
  validator_.Validate(Make({{LegalField::kStage, "putusan_pn"},
                            {LegalField::kSuspectName, "Joko Prasetyo"},
                            {LegalField::kSuspectNik, nik_},
                            {LegalField::kRole, "entah"},
                            {LegalField::kVerdict, "guilty"},
                            {LegalField::kSentenceMonths, "48"},
                            {LegalField::kFine, "Rp 50 juta"},
                            {LegalField::kRestitution, "10 juta"},
                            {LegalField::kVictimRecordIds, "K-1;K-2"}}),
                      *map_, v);
  ASSERT_TRUE(v.accepted);
  EXPECT_EQ(v.record.warnings.size(), 1u);
  EXPECT_EQ(v.record.fine, 50'000'000);

  validator_.Validate(Make({{LegalField::kStage, "bukan tahap"}}), *map_, v);
  ASSERT_FALSE(v.accepted);
  EXPECT_THAT(Codes(v.reasons), ElementsAre("stage/unknown_stage"));

  validator_.Validate(Make({}, "LAST"), *map_, v);
  ASSERT_TRUE(v.accepted);
  EXPECT_TRUE(v.reasons.empty());
  EXPECT_TRUE(v.record.warnings.empty());
  EXPECT_EQ(v.record[LegalField::kRecordId], "LAST");
  for (int f = 0; f < kLegalFieldCount; ++f) {
    if (LegalFields()[f].required) continue;
    EXPECT_EQ(v.record.value[f], "") << LegalFields()[f].key;
  }
  EXPECT_FALSE(v.record.sentence_months || v.record.fine || v.record.restitution);
}

}  // namespace
}  // namespace gugus::ingest
