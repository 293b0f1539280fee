// The importer end to end (ImportService over the run's store) against hand-written
// fixture files: every reject, warning and re-import rule of SPEC section 5.
#include <xlsxwriter.h>

#include <algorithm>
#include <map>

#include "domain/registry/import_service.h"
#include "domain/registry/reference_service.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace gugus {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TempDir;
using testing::TestData;
using ::testing::UnorderedElementsAre;

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::PreparedDatabase(dir_);
    store_ = testing::OpenStore(db_);
    auto refs = domain::LoadReferenceIndexes(*store_);
    ASSERT_TRUE(refs.ok()) << refs.status();
    refs_ = std::move(refs).value();
    service_ = std::make_unique<domain::ImportService>(*store_, refs_->regions,
                                                       refs_->countries);
  }

  absl::StatusOr<domain::ImportReport> Import(const std::string& path,
                                              const std::string& agency = "POLDA-NTT") {
    domain::ImportRequest request;
    request.path = path;
    request.agency_code = agency;
    request.today = Date{2024, 6, 30};
    return service_->Import(request);
  }

  std::map<int64_t, std::vector<std::string>> RejectCodesByLine(int64_t batch) {
    std::map<int64_t, std::vector<std::string>> out;
    EXPECT_TRUE(store_->records()
                    .ForEachReject(batch,
                                   [&](const domain::StoredReject& r) {
                                     for (const auto& i : r.reasons)
                                       out[r.line].push_back(i.field + ":" + i.code);
                                     return absl::OkStatus();
                                   })
                    .ok());
    return out;
  }

  domain::StoredRecord Current(const std::string& record_id,
                               const std::string& agency = "POLDA-NTT") {
    domain::RecordQuery q;
    q.agency_code = agency;
    q.record_id = record_id;
    auto found = store_->records().FindRecords(q);
    EXPECT_TRUE(found.ok());
    EXPECT_EQ(found->size(), 1u) << record_id;
    return found->empty() ? domain::StoredRecord{} : found->front();
  }

  static std::vector<std::string> WarningCodes(const domain::StoredRecord& r) {
    std::vector<std::string> out;
    for (const auto& w : r.parsed.warnings) out.push_back(w.field + ":" + w.code);
    return out;
  }

  TempDir dir_;
  std::string db_;
  std::unique_ptr<domain::Store> store_;
  std::unique_ptr<domain::ReferenceIndexes> refs_;
  std::unique_ptr<domain::ImportService> service_;
};

TEST_F(ImportTest, RulesFileRejectsEveryBadRowWithEveryReason) {
  auto report = Import(TestData("import/rules.csv"));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->already_imported);
  EXPECT_EQ(report->counts.rows, 15);
  EXPECT_EQ(report->counts.inserted, 6);  // R001-R004, R013, R015
  EXPECT_EQ(report->counts.rejected, 9);
  EXPECT_EQ(report->counts.updated, 0);

  auto rejects = RejectCodesByLine(report->batch_id);
  EXPECT_THAT(rejects[6], ElementsAre("name:missing"));
  EXPECT_THAT(rejects[7], ElementsAre("report_date:impossible"));
  EXPECT_THAT(rejects[8], ElementsAre("report_date:future"));
  EXPECT_THAT(rejects[9], ElementsAre("birth_date:after_report"));
  EXPECT_THAT(rejects[10], ElementsAre("age:invalid"));
  EXPECT_THAT(rejects[11], ElementsAre("age:invalid"));
  EXPECT_THAT(rejects[12], ElementsAre("record_id:duplicate"));
  EXPECT_THAT(rejects[13],
              UnorderedElementsAre("record_id:missing", "report_date:unparseable"));
  // Line 14's row spans three lines (two quoted newlines): the next row is on line 17.
  EXPECT_THAT(rejects[17], ElementsAre("birth_date:unparseable"));
  EXPECT_EQ(rejects.size(), 9u);
}

TEST_F(ImportTest, RejectKeepsTheRawRowAsSubmitted) {
  auto report = Import(TestData("import/rules.csv"));
  ASSERT_TRUE(report.ok());
  bool seen = false;
  ASSERT_TRUE(store_->records()
                  .ForEachReject(report->batch_id,
                                 [&](const domain::StoredReject& r) {
                                   if (r.line != 10) return absl::OkStatus();
                                   seen = true;
                                   EXPECT_EQ(r.file_name, "rules.csv");
                                   EXPECT_EQ(r.raw.size(), 19u);
                                   EXPECT_EQ(r.raw[2].first, "name");
                                   EXPECT_EQ(r.raw[2].second, "Tri Handayani");
                                   EXPECT_EQ(r.raw[7].second, "dua puluh");
                                   return absl::OkStatus();
                                 })
                  .ok());
  EXPECT_TRUE(seen);
}

TEST_F(ImportTest, AcceptedRowsAreParsedAndCleanRowsHaveNoWarnings) {
  ASSERT_TRUE(Import(TestData("import/rules.csv")).ok());
  domain::StoredRecord r1 = Current("R001");
  using ingest::Field;
  EXPECT_EQ(r1.parsed[Field::kReportDate], "2023-06-14");
  EXPECT_EQ(r1.parsed[Field::kNik], "5371015203990001");
  EXPECT_EQ(r1.parsed[Field::kBirthDate], "1999-03-12");
  EXPECT_EQ(r1.parsed[Field::kSex], "P");
  EXPECT_EQ(r1.parsed[Field::kOriginRegion], "53.71");
  EXPECT_EQ(r1.parsed[Field::kPhone], "+6281234567890");
  EXPECT_EQ(r1.parsed[Field::kNationality], "ID");
  EXPECT_EQ(r1.parsed[Field::kExploitation], "sexual_exploitation");
  EXPECT_EQ(r1.parsed[Field::kRecruitment], "social_media");
  EXPECT_EQ(r1.parsed[Field::kDestination], "MY");
  EXPECT_TRUE(r1.parsed.warnings.empty()) << WarningCodes(r1).front();
  // The raw row comes back exactly as submitted, whether or not a cell equals its
  // parsed value (such cells are stored once).
  std::vector<std::string> raw_values;
  for (const auto& [header, value] : r1.raw) raw_values.push_back(value);
  EXPECT_EQ(raw_values,
            (std::vector<std::string>{
                "R001", "2023-06-14", "Maria Yosefina Manek", "LP/B/123/VI/2023/SPKT",
                "5371015203990001", "P", "12/03/1999", "", "Kupang", "53.71",
                "Jl. Timor Raya", "0812-3456-7890", "WNI", "eksploitasi seksual",
                "media sosial", "Malaysia", "2023-05-01", "Yohanes Bria", ""}));

  domain::StoredRecord r2 = Current("R002");
  EXPECT_EQ(r2.parsed[Field::kName], "Asep Saepudin");  // cleaned
  EXPECT_EQ(r2.raw[2].second, "  Asep   Saepudin ");    // original kept
  EXPECT_EQ(r2.parsed[Field::kReportDate], "2023-06-14");
  EXPECT_EQ(r2.parsed[Field::kOriginRegion], "32.02");
  EXPECT_EQ(r2.parsed[Field::kDestination], "SA");
  EXPECT_EQ(r2.parsed.age, 33);
  EXPECT_TRUE(r2.parsed.warnings.empty());

  domain::StoredRecord r13 = Current("R013");
  EXPECT_EQ(r13.parsed[Field::kOriginRegion], "32.17");  // Kab Bandung Barat
  EXPECT_EQ(r13.parsed[Field::kAddress], "Dusun Cikadu RT 02/RW 05 Desa Cijambu");
  EXPECT_EQ(r13.parsed[Field::kNotes], "address over\ntwo lines");
  EXPECT_EQ(r13.parsed[Field::kDestination], "HK");
}

TEST_F(ImportTest, BadOptionalFieldsWarnAndAreNotUsed) {
  ASSERT_TRUE(Import(TestData("import/rules.csv")).ok());
  using ingest::Field;
  domain::StoredRecord r3 = Current("R003");
  EXPECT_THAT(WarningCodes(r3),
              UnorderedElementsAre("nik:malformed", "origin_region:ambiguous",
                                   "exploitation:unknown_term"));
  EXPECT_EQ(r3.parsed[Field::kNik], "");
  EXPECT_EQ(r3.parsed[Field::kOriginRegion], "");
  EXPECT_EQ(r3.parsed[Field::kExploitation], "other");
  EXPECT_EQ(r3.parsed[Field::kReportDate], "2023-08-03");
  EXPECT_EQ(r3.raw[4].second, "520301570807000");  // the raw text is kept

  domain::StoredRecord r4 = Current("R004");
  EXPECT_THAT(WarningCodes(r4), ElementsAre("nik:sex_mismatch"));
  EXPECT_EQ(r4.parsed[Field::kNik], "");
  EXPECT_EQ(r4.parsed[Field::kOriginRegion], "32.72");  // KOTA SUKABUMI

  domain::StoredRecord r15 = Current("R015");
  EXPECT_THAT(WarningCodes(r15), ElementsAre("sex:unrecognised"));
  EXPECT_EQ(r15.parsed[Field::kSex], "");
  EXPECT_EQ(r15.parsed[Field::kOriginRegion], "32.73");  // Kota Bandung
}

TEST_F(ImportTest, EveryOtherWarningRuleKeepsTheRowAndDropsTheBadValue) {
  std::string path = dir_.File("warnings.csv");
  testing::WriteFile(path,
                     "record_id,report_date,name,nik,sex,birth_date,origin_region,"
                     "destination,nationality,phone\n"
                     // NIK says born 12/03/1999, the row says 13/03/1999.
                     "W1,2023-06-14,Yuliana Tefa,5371015203990001,P,1999-03-13,,,,\n"
                     // NIK region 99.99 does not exist.
                     "W2,2023-06-14,Oktovianus Ndun,9999010501900012,L,,,,,\n"
                     // A region, a destination and a nationality nobody knows.
                     "W3,2023-06-14,Dede Kurnia,,L,,Kabupaten Antah Berantah,Narnia,"
                     "Atlantis,\n"
                     // Not a phone number.
                     "W4,2023-06-14,Euis Komariah,,P,,,,,nomor lupa\n");
  auto report = Import(path);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->counts.inserted, 4);
  EXPECT_EQ(report->counts.warnings, 4);
  using ingest::Field;
  domain::StoredRecord w1 = Current("W1");
  EXPECT_THAT(WarningCodes(w1), ElementsAre("nik:birth_date_mismatch"));
  EXPECT_EQ(w1.parsed[Field::kNik], "");
  EXPECT_EQ(w1.parsed[Field::kBirthDate], "1999-03-13");
  EXPECT_THAT(WarningCodes(Current("W2")), ElementsAre("nik:unknown_region"));
  domain::StoredRecord w3 = Current("W3");
  EXPECT_THAT(WarningCodes(w3),
              UnorderedElementsAre("origin_region:unresolved", "destination:unresolved",
                                   "nationality:unresolved"));
  EXPECT_EQ(w3.parsed[Field::kOriginRegion], "");
  EXPECT_EQ(w3.parsed[Field::kNationality], "");
  EXPECT_EQ(w3.raw[6].second, "Kabupaten Antah Berantah");
  domain::StoredRecord w4 = Current("W4");
  EXPECT_THAT(WarningCodes(w4), ElementsAre("phone:unrecognised"));
  EXPECT_EQ(w4.parsed[Field::kPhone], "");
}

TEST_F(ImportTest, SameFileTwiceChangesNothing) {
  auto first = Import(TestData("import/rules.csv"));
  ASSERT_TRUE(first.ok());
  auto before = store_->records().Summary();
  auto second = Import(TestData("import/rules.csv"));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(second->already_imported);
  EXPECT_EQ(second->batch_id, first->batch_id);
  EXPECT_EQ(second->counts.inserted, 0);
  EXPECT_EQ(second->counts.unchanged, 6);
  EXPECT_EQ(second->counts.rejected, 9);
  auto after = store_->records().Summary();
  EXPECT_EQ(after->batches, before->batches);
  EXPECT_EQ(after->versions, before->versions);
  EXPECT_EQ(after->rejects, before->rejects);
}

TEST_F(ImportTest, ChangedRowsBecomeNewVersionsAndOldVersionsAreKept) {
  ASSERT_TRUE(Import(TestData("import/rules.csv")).ok());
  std::string v2 = dir_.File("rules_v2.csv");
  testing::WriteFile(
      v2,
      "id_rekaman,tanggal_laporan,nama,telepon,tujuan,nik,jenis_kelamin,"
      "tanggal_lahir,nomor_kasus,tempat_lahir,daerah_asal,alamat,"
      "kewarganegaraan,bentuk_eksploitasi,modus_perekrutan,"
      "tanggal_kejadian,nama_pelaku\n"
      // R001 with a new phone number: a new version.
      "R001,2023-06-14,Maria Yosefina Manek,0812-9999-0000,Malaysia,"
      "5371015203990001,P,12/03/1999,LP/B/123/VI/2023/SPKT,Kupang,53.71,"
      "Jl. Timor Raya,WNI,eksploitasi seksual,media sosial,2023-05-01,"
      "Yohanes Bria\n"
      // R002 with its columns in another order and no age.
      "R002,14 Juni 2023,  Asep   Saepudin ,+62 813 1111 2222,Arab Saudi,"
      "3202010501900012,L,05-01-1990,,,Kab. Sukabumi,,Indonesia,kerja paksa,"
      "calo,,\n"
      "R020,2023-08-01,Ketut Sudiarta,,,,,,,,,,,,,,\n");
  auto report = Import(v2);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->counts.inserted, 1);
  EXPECT_EQ(report->counts.rejected, 0);
  // R002 had an age (33) before and has none now: a change too.
  EXPECT_EQ(report->counts.updated, 2);
  domain::StoredRecord r1 = Current("R001");
  EXPECT_EQ(r1.version, 2);
  EXPECT_EQ(r1.parsed[ingest::Field::kPhone], "+6281299990000");

  domain::RecordQuery q;
  q.agency_code = "POLDA-NTT";
  q.record_id = "R001";
  q.all_versions = true;
  auto history = store_->records().FindRecords(q);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].parsed[ingest::Field::kPhone], "+6281234567890");
  EXPECT_EQ((*history)[1].parsed[ingest::Field::kPhone], "+6281299990000");
}

TEST_F(ImportTest, UnchangedContentInAnotherColumnOrderIsUnchanged) {
  std::string a = dir_.File("a.csv"), b = dir_.File("b.csv");
  testing::WriteFile(
      a, "record_id,report_date,name,phone\nX1,2022-02-02,Dede Kurnia,0813 1\n");
  testing::WriteFile(b,
                     "Nama;Telepon;ID Rekaman;Tanggal Laporan\r\nDede Kurnia;0813 1;X1;"
                     "2022-02-02\r\n");
  ASSERT_TRUE(Import(a).ok());
  auto report = Import(b);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->already_imported);  // another file, same content
  EXPECT_EQ(report->counts.unchanged, 1);
  EXPECT_EQ(Current("X1").version, 1);
}

TEST_F(ImportTest, SameRecordIdAtTwoAgenciesIsTwoRecords) {
  ASSERT_TRUE(Import(TestData("import/rules.csv"), "POLDA-NTT").ok());
  auto report = Import(TestData("import/rules.csv"), "UPTD-PPA-JABAR");
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->already_imported);
  EXPECT_EQ(report->counts.inserted, 6);
}

TEST_F(ImportTest, IndonesianExcelExportInWindows1252WithSemicolons) {
  auto report = Import(TestData("import/excel_id.csv"), "UPTD-PPA-JABAR");
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->file.encoding, "windows-1252");
  EXPECT_EQ(report->file.delimiter, ';');
  EXPECT_EQ(report->counts.inserted, 3);
  EXPECT_EQ(report->counts.rejected, 0);
  domain::StoredRecord r = Current("UPPA/001/2024", "UPTD-PPA-JABAR");
  using ingest::Field;
  EXPECT_EQ(r.parsed[Field::kName], "José Fernandes da Costa");
  EXPECT_EQ(r.parsed[Field::kReportDate], "2024-02-05");
  EXPECT_EQ(r.parsed[Field::kBirthDate], "2001-04-01");
  EXPECT_EQ(r.parsed[Field::kOriginRegion], "53.04");
  EXPECT_EQ(r.parsed[Field::kNotes], "\u201cdijemput\u201d calo");
  EXPECT_EQ(Current("UPPA/002/2024", "UPTD-PPA-JABAR").parsed[Field::kNotes],
            "biaya \u20ac 5.000.000");
  EXPECT_EQ(Current("UPPA/003/2024", "UPTD-PPA-JABAR").parsed[Field::kName],
            "Nahak; Agustina");
  EXPECT_EQ(Current("UPPA/003/2024", "UPTD-PPA-JABAR").parsed[Field::kExploitation],
            "forced_criminality");
}

TEST_F(ImportTest, Utf8WithBomAndTabs) {
  auto report = Import(TestData("import/bom_tab.csv"));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->file.encoding, "utf-8-bom");
  EXPECT_EQ(report->file.delimiter, '\t');
  EXPECT_EQ(report->counts.inserted, 2);
  EXPECT_EQ(Current("B-1").parsed[ingest::Field::kOriginRegion], "51.08");
  EXPECT_EQ(Current("B-1").parsed[ingest::Field::kDestination], "JP");
  EXPECT_EQ(Current("B-2").parsed[ingest::Field::kDestination], "KR");
}

TEST_F(ImportTest, JsonLines) {
  auto report = Import(TestData("import/records.jsonl"));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->counts.inserted, 2);
  domain::StoredRecord j1 = Current("J-1");
  EXPECT_EQ(j1.parsed[ingest::Field::kExploitation], "domestic_servitude;forced_labour");
  EXPECT_EQ(j1.parsed.age, 52);
  EXPECT_EQ(Current("J-2").parsed[ingest::Field::kReportDate], "2021-12-01");
  EXPECT_EQ(Current("J-2").parsed[ingest::Field::kOriginRegion], "52.03");
}

TEST_F(ImportTest, BlankRowsAreCountedNotStored) {
  std::string csv = dir_.File("blank.csv"), jsonl = dir_.File("blank.jsonl");
  testing::WriteFile(csv, "record_id,report_date,name\n,,\nA1,2024-01-01,Siti\n \t, ,\n");
  testing::WriteFile(jsonl,
                     "{\"record_id\":\"J1\",\"report_date\":\"2024-01-01\","
                     "\"name\":\"Ani\"}\n{}\n{\"name\":\"\"}\n");
  for (const std::string& path : {csv, jsonl}) {
    auto report = Import(path);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_EQ(report->counts.rows, 1) << path;
    EXPECT_EQ(report->counts.inserted, 1) << path;
    EXPECT_EQ(report->counts.blank, 2) << path;
    EXPECT_EQ(report->counts.rejected, 0) << path;
  }
}

TEST_F(ImportTest, AnInvalidJsonLineIsQuarantinedWithItsText) {
  std::string path = dir_.File("broken.jsonl");
  testing::WriteFile(path,
                     "{\"record_id\": \"K-1\", \"report_date\": \"2022-03-01\", "
                     "\"name\": \"Wayan Sukerti\"}\n"
                     "{\"record_id\": \"K-2\", \"name\": \"Komang Ayu\"\n");
  auto report = Import(path);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->counts.inserted, 1);
  EXPECT_EQ(report->counts.rejected, 1);
  int seen = 0;
  ASSERT_TRUE(store_->records()
                  .ForEachReject(report->batch_id,
                                 [&](const domain::StoredReject& r) {
                                   ++seen;
                                   EXPECT_EQ(r.line, 2);
                                   EXPECT_EQ(r.reasons[0].code, "malformed");
                                   EXPECT_THAT(r.text, HasSubstr("Komang Ayu"));
                                   return absl::OkStatus();
                                 })
                  .ok());
  EXPECT_EQ(seen, 1);
}

TEST_F(ImportTest, XlsxWithExcelSerialDates) {
  std::string path = dir_.File("uptd.xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Korban");
  lxw_format* date_format = workbook_add_format(wb);
  format_set_num_format(date_format, "dd/mm/yyyy");
  const char* header[] = {"ID Rekaman", "Tanggal Laporan", "Nama", "NIK",
                          "Umur",       "Tanggal Lahir"};
  for (int c = 0; c < 6; ++c) worksheet_write_string(ws, 0, c, header[c], nullptr);
  worksheet_write_string(ws, 1, 0, "X-1", nullptr);
  worksheet_write_number(ws, 1, 1, 45292, date_format);  // 2024-01-01
  worksheet_write_string(ws, 1, 2, "Yuliana Tefa", nullptr);
  worksheet_write_string(ws, 1, 3, "5371015203990001", nullptr);
  worksheet_write_number(ws, 1, 4, 24, nullptr);
  worksheet_write_string(ws, 1, 5, "12 Maret 1999", nullptr);
  worksheet_write_number(ws, 2, 0, 77, nullptr);  // numeric record id
  worksheet_write_string(ws, 2, 1, "2024-01-02", nullptr);
  worksheet_write_string(ws, 2, 2, "Oktovianus Ndun", nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);

  auto report = Import(path);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->file.format, ingest::FileFormat::kXlsx);
  EXPECT_EQ(report->counts.inserted, 2);
  EXPECT_EQ(report->counts.rejected, 0);
  domain::StoredRecord x1 = Current("X-1");
  EXPECT_EQ(x1.parsed[ingest::Field::kReportDate], "2024-01-01");
  EXPECT_EQ(x1.parsed[ingest::Field::kNik], "5371015203990001");
  EXPECT_EQ(x1.parsed.age, 24);
  EXPECT_EQ(Current("77").parsed[ingest::Field::kName], "Oktovianus Ndun");
}

TEST_F(ImportTest, FilesThatCannotBeReadChangeNothing) {
  auto before = store_->records().Summary();
  struct Case {
    std::string path;
    std::string agency;
    absl::StatusCode code;
    std::string message;
  } cases[] = {
      {TestData("import/empty.csv"), "POLDA-NTT", absl::StatusCode::kInvalidArgument,
       "empty"},
      {TestData("import/binary.csv"), "POLDA-NTT", absl::StatusCode::kInvalidArgument,
       "not"},
      {TestData("import/missing_columns.csv"), "POLDA-NTT",
       absl::StatusCode::kInvalidArgument, "record_id"},
      {TestData("import/rules.csv"), "NO-SUCH", absl::StatusCode::kNotFound,
       "unknown agency"},
      {dir_.File("absent.csv"), "POLDA-NTT", absl::StatusCode::kNotFound, ""},
  };
  for (const Case& c : cases) {
    auto report = Import(c.path, c.agency);
    ASSERT_FALSE(report.ok()) << c.path;
    EXPECT_EQ(report.status().code(), c.code) << c.path << ": " << report.status();
    EXPECT_THAT(std::string(report.status().message()), HasSubstr(c.message)) << c.path;
  }
  auto after = store_->records().Summary();
  EXPECT_EQ(after->batches, before->batches);
  EXPECT_EQ(after->versions, before->versions);
}

}  // namespace
}  // namespace gugus
