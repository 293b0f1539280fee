#include "report/document.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <zip.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <pugixml.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "report/document_internal.h"

namespace gugus::report {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

// --- building documents ----------------------------------------------------------------

DocCell Label(std::string text) { return DocCell{.text = std::move(text)}; }
DocCell Count(double value) {
  return DocCell{
      .text = internal::FormatNumberId(value), .numeric = true, .value = value};
}
DocCell Hidden() { return DocCell{.text = "<5", .suppressed = true}; }
std::vector<DocCell> Emphasised(std::vector<DocCell> row) {
  for (DocCell& cell : row) cell.emphasis = true;
  return row;
}

constexpr char kXssTitle[] = "Mitra <script>alert('x')</script> & \"Rekan\"";

// The annual report of a provincial task force. Kalimantan Utara's count of women and
// the forced-marriage count are below the threshold: the document holds "<5" and a
// gap, never the true number (3), and nothing would let one derive it.
Document AnnualReport(int district_rows = 120) {
  Document doc;
  doc.title = "Laporan Tahunan Data TPPO 2024";
  doc.subtitle = "Gugus Tugas PP-TPPO Provinsi Nusa Tenggara Timur";
  doc.generated_at = "23 November 2026 10.15 WITA";
  doc.figures = {{"Korban (orang)", "1.234", "+12% dibanding 2023"},
                 {"Kasus", "312", ""},
                 {"Korban anak", "<5", "disembunyikan"},
                 {"Pelaku diproses", "87", ""}};

  DocSection regions;
  regions.title = "Sebaran Wilayah";
  regions.paragraphs = {
      "Sebagian besar korban berasal dari Nusa Tenggara Timur dan direkrut untuk bekerja "
      "di perkebunan kelapa sawit di Malaysia."};
  DocChart by_province;
  by_province.title = "Korban menurut provinsi asal";
  by_province.horizontal = true;
  by_province.categories = {"Nusa Tenggara Timur", "Nusa Tenggara Barat", "Jawa Barat",
                            "Kalimantan Utara"};
  by_province.series = {{"Perempuan", {812, 301, 95, std::nullopt}},
                        {"Laki-laki", {422, 118, 40, 11}}};
  by_province.note = "Nilai kurang dari 5 tidak ditampilkan.";
  regions.charts.push_back(by_province);
  DocTable province_table;
  province_table.title = "Korban menurut provinsi asal dan jenis kelamin";
  province_table.columns = {"Provinsi", "Perempuan", "Laki-laki"};
  province_table.rows = {{Label("Nusa Tenggara Timur"), Count(812), Count(422)},
                         {Label("Nusa Tenggara Barat"), Count(301), Count(118)},
                         {Label("Jawa Barat"), Count(95), Count(40)},
                         {Label("Kalimantan Utara"), Hidden(), Count(11)}};
  province_table.note = "<5: kurang dari 5 orang, disembunyikan.";
  regions.tables.push_back(province_table);
  doc.sections.push_back(regions);

  DocSection forms;
  forms.title = "Bentuk Eksploitasi";
  DocChart by_form;
  by_form.title = "Kasus menurut bentuk eksploitasi";
  by_form.categories = {"Kerja paksa", "Eksploitasi seksual", "Perkawinan paksa",
                        "Pengambilan organ"};
  by_form.series = {{"Kasus", {190, 101, std::nullopt, 18}}};
  forms.charts.push_back(by_form);
  DocTable form_table;
  form_table.title = "Kasus menurut bentuk eksploitasi";
  form_table.columns = {"Bentuk", "Kasus", "Persentase"};
  form_table.rows = {
      {Label("Kerja paksa"), Count(190), DocCell{"60,9%", true, 60.9}},
      {Label("Eksploitasi seksual"), Count(101), DocCell{"32,4%", true, 32.4}},
      {Label("Perkawinan paksa"), Hidden(), Hidden()},
      {Label("Pengambilan organ"), Count(18), DocCell{"5,8%", true, 5.8}},
      Emphasised({Label("Jumlah"), Count(312), DocCell{"100%", true, 100}})};
  forms.tables.push_back(form_table);
  doc.sections.push_back(forms);

  DocSection districts;
  districts.title =
      "Daftar Kasus per Kabupaten/Kota";  // '/' is not allowed in sheet names
  DocTable district_table;
  district_table.title = "Kasus dan korban per kabupaten/kota";
  district_table.columns = {"No.", "Kabupaten/Kota", "Kasus", "Korban"};
  for (int i = 1; i <= district_rows; ++i) {
    district_table.rows.push_back(
        {Count(i), Label("Kabupaten Timor Tengah Selatan " + std::to_string(i)),
         Count(10 + i), Count(1000 + 10 * i)});
  }
  districts.tables.push_back(district_table);
  doc.sections.push_back(districts);

  DocSection partners;
  partners.title = kXssTitle;
  partners.paragraphs = {std::string("Nama mitra apa adanya: ") + kXssTitle};
  doc.sections.push_back(partners);

  doc.notes = {
      "Angka kurang dari 5 disembunyikan (ditampilkan sebagai \"<5\") untuk "
      "melindungi identitas korban.",
      "Sumber: basis data gugus, diekspor 23 November 2026."};
  return doc;
}

Document OnePageReport() {
  Document doc;
  doc.title = "Laporan Singkat";
  doc.figures = {{"Korban (orang)", "42", ""}};
  DocSection section;
  section.title = "Ringkas";
  DocTable table;
  table.columns = {"Provinsi", "Korban"};
  table.rows = {{Label("Nusa Tenggara Timur"), Count(42)}};
  section.tables.push_back(table);
  doc.sections.push_back(section);
  return doc;
}

// --- reading outputs ---------------------------------------------------------------

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

void WriteText(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::vector<std::string> Listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir))
    names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

size_t Occurrences(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size()))
    ++n;
  return n;
}

// Page objects of a PDF: "/Type /Page" but not the page tree's "/Type /Pages".
int PdfPages(const std::string& pdf) {
  int pages = 0;
  const std::string key = "/Type /Page";
  for (size_t at = pdf.find(key); at != std::string::npos; at = pdf.find(key, at + 1)) {
    if (at + key.size() < pdf.size() && pdf[at + key.size()] != 's') ++pages;
  }
  return pages;
}

// Every entry of a zip archive, by name; nullopt when it is not a readable zip.
std::optional<std::map<std::string, std::string>> Unzip(const fs::path& path) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY, &error);
  if (archive == nullptr) return std::nullopt;
  std::map<std::string, std::string> entries;
  const zip_int64_t n = zip_get_num_entries(archive, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    if (zip_stat_index(archive, i, 0, &st) != 0) return std::nullopt;
    zip_file_t* file = zip_fopen_index(archive, i, 0);
    if (file == nullptr) return std::nullopt;
    std::string data(st.size, '\0');
    const zip_int64_t read = zip_fread(file, data.data(), st.size);
    zip_fclose(file);
    if (read != static_cast<zip_int64_t>(st.size)) return std::nullopt;
    entries[st.name] = std::move(data);
  }
  zip_close(archive);
  return entries;
}

struct XlsxCell {
  bool numeric = false;
  std::string text;
  double value = 0;
  int style = 0;
};

struct CellStyle {
  std::string num_format;  // the format code, "General" by default
  bool bold = false;
  bool italic = false;
};

// The parts of an .xlsx that the tests look at, read with a real XML parser.
class Workbook {
 public:
  explicit Workbook(std::map<std::string, std::string> parts) : parts_(std::move(parts)) {
    pugi::xml_document wb;
    wb.load_string(Part("xl/workbook.xml").c_str());
    for (pugi::xml_node s : wb.child("workbook").child("sheets").children("sheet"))
      sheet_names_.push_back(s.attribute("name").value());
    pugi::xml_document sst;
    sst.load_string(Part("xl/sharedStrings.xml").c_str());
    for (pugi::xml_node si : sst.child("sst").children("si")) {
      std::string text;
      for (pugi::xpath_node t : si.select_nodes(".//t")) text += t.node().text().get();
      strings_.push_back(text);
    }
    pugi::xml_document styles;
    styles.load_string(Part("xl/styles.xml").c_str());
    // Built-in formats have no code in the file; these are the ones writers use.
    std::map<int, std::string> formats = {{0, "General"}, {3, "#,##0"}, {4, "#,##0.00"}};
    for (pugi::xml_node f :
         styles.child("styleSheet").child("numFmts").children("numFmt"))
      formats[f.attribute("numFmtId").as_int()] = f.attribute("formatCode").value();
    std::vector<std::pair<bool, bool>> fonts;
    for (pugi::xml_node f : styles.child("styleSheet").child("fonts").children("font"))
      fonts.emplace_back(!f.child("b").empty(), !f.child("i").empty());
    for (pugi::xml_node xf : styles.child("styleSheet").child("cellXfs").children("xf")) {
      const size_t font = xf.attribute("fontId").as_uint();
      styles_.push_back({formats[xf.attribute("numFmtId").as_int()],
                         font < fonts.size() && fonts[font].first,
                         font < fonts.size() && fonts[font].second});
    }
  }

  const std::vector<std::string>& sheet_names() const { return sheet_names_; }
  bool Has(const std::string& part) const { return parts_.count(part) > 0; }
  std::string Part(const std::string& name) const {
    const auto it = parts_.find(name);
    return it == parts_.end() ? "" : it->second;
  }
  std::string AllParts() const {
    std::string all;
    for (const auto& [name, data] : parts_) all += data;
    return all;
  }
  CellStyle Style(int index) const {
    return index >= 0 && static_cast<size_t>(index) < styles_.size() ? styles_[index]
                                                                     : CellStyle{};
  }

  // Cells of the sheet with this name, by reference ("B7"). libxlsxwriter stores the
  // n-th sheet of workbook.xml as xl/worksheets/sheet<n>.xml.
  std::map<std::string, XlsxCell> Sheet(const std::string& name) const {
    std::map<std::string, XlsxCell> cells;
    const auto it = std::find(sheet_names_.begin(), sheet_names_.end(), name);
    if (it == sheet_names_.end()) return cells;
    pugi::xml_document doc;
    doc.load_string(Part("xl/worksheets/sheet" +
                         std::to_string(it - sheet_names_.begin() + 1) + ".xml")
                        .c_str());
    for (pugi::xpath_node n : doc.select_nodes("//sheetData/row/c")) {
      pugi::xml_node c = n.node();
      XlsxCell cell;
      cell.style = c.attribute("s").as_int();
      const std::string type = c.attribute("t").value();
      if (c.child("v").empty()) {
        cell.text = "";  // blank, formatted only
      } else if (type == "s") {
        const size_t index = c.child("v").text().as_uint();
        cell.text = index < strings_.size() ? strings_[index] : "";
      } else if (type.empty() || type == "n") {
        cell.numeric = true;
        cell.value = c.child("v").text().as_double();
        cell.text = c.child("v").text().get();
      }
      cells[c.attribute("r").value()] = cell;
    }
    return cells;
  }

 private:
  std::map<std::string, std::string> parts_;
  std::vector<std::string> sheet_names_;
  std::vector<std::string> strings_;
  std::vector<CellStyle> styles_;
};

// Row numbers ("12") whose column `col` holds `text`, top to bottom.
std::vector<std::string> RowsWith(const std::map<std::string, XlsxCell>& cells,
                                  const std::string& col, const std::string& text) {
  std::vector<int> rows;
  for (const auto& [ref, cell] : cells) {
    if (!cell.numeric && cell.text == text && ref.rfind(col, 0) == 0 &&
        std::isdigit(static_cast<unsigned char>(ref[col.size()])))
      rows.push_back(std::stoi(ref.substr(col.size())));
  }
  std::sort(rows.begin(), rows.end());
  std::vector<std::string> out;
  for (const int row : rows) out.push_back(std::to_string(row));
  return out;
}

// --- fixture -----------------------------------------------------------------------

class DocumentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl =
        (fs::path(::testing::TempDir()) / "gugus-document-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  fs::path dir_;
};

// Makes every write past `bytes` fail with EFBIG, as a full disk would fail it.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    old_handler_ = signal(SIGXFSZ, SIG_IGN);  // EFBIG instead of a killed process
    getrlimit(RLIMIT_FSIZE, &old_);
    rlimit limit = old_;
    limit.rlim_cur = bytes;
    ok_ = setrlimit(RLIMIT_FSIZE, &limit) == 0;
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &old_);
    signal(SIGXFSZ, old_handler_);
  }
  bool ok() const { return ok_; }

 private:
  rlimit old_{};
  sighandler_t old_handler_ = SIG_DFL;
  bool ok_ = false;
};

// --- tests -------------------------------------------------------------------------

TEST(FormatNumberId, IndonesianGroupingAndDecimalComma) {
  EXPECT_EQ(internal::FormatNumberId(0), "0");
  EXPECT_EQ(internal::FormatNumberId(999), "999");
  EXPECT_EQ(internal::FormatNumberId(12345), "12.345");
  EXPECT_EQ(internal::FormatNumberId(1234567), "1.234.567");
  EXPECT_EQ(internal::FormatNumberId(12.5), "12,5");
  EXPECT_EQ(internal::FormatNumberId(-1234), "-1.234");
  EXPECT_EQ(internal::FormatNumberId(-0.04), "0");
  EXPECT_EQ(internal::FormatNumberId(2.0, 2), "2");
  EXPECT_EQ(internal::FormatNumberId(std::nan("")), "");
}

TEST(AxisScale, RoundStepsCoverEveryValue) {
  DocChart chart;
  chart.categories = {"Nusa Tenggara Timur", "Jawa Barat", "Bali"};
  chart.series = {{"a", {812, std::nullopt, 95, 5000}}};  // 5000 has no category
  const internal::AxisScale scale = internal::ComputeAxisScale(chart);
  EXPECT_EQ(scale.lo, 0);
  EXPECT_EQ(scale.step, 200);
  EXPECT_EQ(scale.hi, 1000);
  chart.series = {{"a", {std::nullopt, std::nullopt, std::nullopt}}};
  EXPECT_GT(internal::ComputeAxisScale(chart).hi, 0);  // no data still gives an axis
}

TEST_F(DocumentTest, XlsxHasSheetsNumericCellsSuppressedTextAndNativeCharts) {
  const fs::path path = dir_ / "laporan.xlsx";
  ASSERT_TRUE(WriteDocument(AnnualReport(), path).ok());
  const auto parts = Unzip(path);
  ASSERT_TRUE(parts.has_value()) << "not a readable zip";
  const Workbook book(*parts);

  EXPECT_THAT(book.sheet_names(),
              ::testing::ElementsAre("Ringkasan", "Sebaran Wilayah", "Bentuk Eksploitasi",
                                     "Daftar Kasus per Kabupaten-Kota",
                                     "Mitra <script>alert('x')<-scrip", "Catatan"));

  const auto regions = book.Sheet("Sebaran Wilayah");
  // The province appears twice: in the chart's data block and in the table.
  const auto ntt = RowsWith(regions, "A", "Nusa Tenggara Timur");
  ASSERT_EQ(ntt.size(), 2u);
  const XlsxCell& women = regions.at("B" + ntt[1]);
  EXPECT_TRUE(women.numeric);
  EXPECT_EQ(women.value, 812);
  EXPECT_EQ(book.Style(women.style).num_format, "#,##0");

  const auto kaltara = RowsWith(regions, "A", "Kalimantan Utara");
  ASSERT_EQ(kaltara.size(), 2u);
  EXPECT_EQ(regions.count("B" + kaltara[0]), 0u) << "missing chart value must be blank";
  EXPECT_EQ(regions.at("C" + kaltara[0]).value, 11);
  const XlsxCell& hidden = regions.at("B" + kaltara[1]);
  EXPECT_FALSE(hidden.numeric);
  EXPECT_EQ(hidden.text, "<5");
  EXPECT_TRUE(book.Style(hidden.style).italic);

  const auto forms = book.Sheet("Bentuk Eksploitasi");
  const auto total = RowsWith(forms, "A", "Jumlah");
  ASSERT_EQ(total.size(), 1u);
  EXPECT_TRUE(book.Style(forms.at("A" + total[0]).style).bold);
  EXPECT_TRUE(forms.at("B" + total[0]).numeric);
  EXPECT_TRUE(book.Style(forms.at("B" + total[0]).style).bold);

  const auto forced_labour = RowsWith(forms, "A", "Kerja paksa");
  ASSERT_EQ(forced_labour.size(), 2u);  // chart data, then table
  const XlsxCell& share = forms.at("C" + forced_labour[1]);
  EXPECT_EQ(share.value, 60.9);
  EXPECT_EQ(book.Style(share.style).num_format, "#,##0.0\"%\"");

  const auto summary = book.Sheet("Ringkasan");
  EXPECT_EQ(summary.at("A1").text, "Laporan Tahunan Data TPPO 2024");
  const auto victims = RowsWith(summary, "A", "Korban (orang)");
  ASSERT_EQ(victims.size(), 1u);
  EXPECT_TRUE(summary.at("B" + victims[0]).numeric);
  EXPECT_EQ(summary.at("B" + victims[0]).value, 1234);

  EXPECT_EQ(RowsWith(book.Sheet("Catatan"), "B", AnnualReport().notes[1]).size(), 1u);
  EXPECT_EQ(book.Sheet("Daftar Kasus per Kabupaten-Kota").size(), 2u + 4 + 120 * 4);

  ASSERT_TRUE(book.Has("xl/charts/chart1.xml"));
  ASSERT_TRUE(book.Has("xl/charts/chart2.xml"));
  const std::string bar = book.Part("xl/charts/chart1.xml");
  EXPECT_THAT(bar, HasSubstr("<c:barDir val=\"bar\"/>"));
  EXPECT_THAT(bar, HasSubstr("'Sebaran Wilayah'!$C$"));
  EXPECT_THAT(book.Part("xl/charts/chart2.xml"), HasSubstr("<c:barDir val=\"col\"/>"));
}

TEST_F(DocumentTest, XlsxSheetNamesAreValidAndUnique) {
  Document doc;
  doc.title = "Nama lembar";
  for (const std::string& title : std::vector<std::string>{
           "Rekap: Jan/Feb [2024]*?", "Ringkasan", "ringkasan", std::string(40, 'A'),
           std::string(40, 'A'), "'Kutipan'", ""}) {
    DocSection section;
    section.title = title;
    doc.sections.push_back(section);
  }
  const fs::path path = dir_ / "nama.xlsx";
  ASSERT_TRUE(WriteXlsx(doc, path).ok());
  const auto parts = Unzip(path);
  ASSERT_TRUE(parts.has_value());
  EXPECT_THAT(Workbook(*parts).sheet_names(),
              ::testing::ElementsAre("Ringkasan", "Rekap Jan-Feb 2024", "Ringkasan (2)",
                                     "ringkasan (3)", std::string(31, 'A'),
                                     std::string(27, 'A') + " (2)", "Kutipan", "Bagian 7",
                                     "Catatan"));
}

TEST_F(DocumentTest, HtmlIsSelfContainedEscapedAndAccessible) {
  const Document doc = AnnualReport();
  const fs::path path = dir_ / "laporan.html";
  ASSERT_TRUE(WriteDocument(doc, path).ok());
  const std::string html = ReadFile(path);
  std::ostringstream streamed;
  WriteHtml(doc, streamed);
  EXPECT_EQ(html, streamed.str());

  EXPECT_THAT(html, StartsWith("<!DOCTYPE html>\n<html lang=\"id\">"));
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html, HasSubstr("@media print"));
  EXPECT_THAT(html, HasSubstr("break-before:page"));
  EXPECT_THAT(html, HasSubstr("break-inside:avoid"));
  // The partner's name is text, not markup.
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html,
              HasSubstr("Mitra &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
                        "&quot;Rekan&quot;"));
  // Nothing to fetch: no scripts, links, images or URLs.
  for (const char* external : {"http:", "https:", "src=", "href=", "<link", "url("})
    EXPECT_THAT(html, Not(HasSubstr(external))) << external;

  EXPECT_EQ(Occurrences(html, "<svg "), 2u);
  EXPECT_EQ(Occurrences(html, "role=\"img\""), 2u);
  const std::string first = html.substr(0, html.find("</svg>"));
  const std::string second = html.substr(html.find("</svg>") + 1);
  // Bars only for values that exist: 8 values less the suppressed one, then 3 of 4.
  EXPECT_EQ(Occurrences(first, "class=\"bar\""), 7u);
  EXPECT_EQ(Occurrences(second.substr(0, second.find("</svg>")), "class=\"bar\""), 3u);
  EXPECT_EQ(Occurrences(first, "class=\"legend\""), 2u);
  EXPECT_EQ(Occurrences(second, "class=\"legend\""), 0u);

  EXPECT_EQ(Occurrences(html, "<table>"), 3u);
  EXPECT_EQ(Occurrences(html, "<caption>"), 3u);
  EXPECT_THAT(html, HasSubstr("<th scope=\"col\">Provinsi</th>"));
  EXPECT_THAT(html, HasSubstr("<th scope=\"row\">Nusa Tenggara Timur</th>"));
  EXPECT_THAT(html,
              HasSubstr("<td class=\"num suppressed\" title=\"Disembunyikan: kurang "
                        "dari 5 orang\">&lt;5</td>"));
  EXPECT_THAT(html, HasSubstr("<tr class=\"total\">"));
  EXPECT_THAT(html, HasSubstr("<td class=\"num\">2.200</td>"));  // the last district
}

TEST_F(DocumentTest, PdfFlowsLongTablesOverPages) {
  const fs::path short_path = dir_ / "singkat.pdf";
  const fs::path long_path = dir_ / "laporan.pdf";
  const fs::path longer_path = dir_ / "panjang.pdf";
  ASSERT_TRUE(WriteDocument(OnePageReport(), short_path).ok());
  ASSERT_TRUE(WriteDocument(AnnualReport(120), long_path).ok());
  ASSERT_TRUE(WriteDocument(AnnualReport(240), longer_path).ok());

  const std::string one = ReadFile(short_path);
  const std::string pdf = ReadFile(long_path);
  EXPECT_THAT(pdf, StartsWith("%PDF-"));
  EXPECT_THAT(pdf, HasSubstr("%%EOF"));
  EXPECT_EQ(PdfPages(one), 1);
  // 120 rows of at least 10 pt cannot fit on fewer than two 730 pt pages, plus the
  // title, figures and charts before them.
  EXPECT_GE(PdfPages(pdf), 3);
  EXPECT_GT(PdfPages(ReadFile(longer_path)), PdfPages(pdf));
}

// Nothing to report, or a caller's ragged rows and series: every format still comes
// out whole rather than failing or reading past the end of a row.
TEST_F(DocumentTest, EmptyAndRaggedDocumentsStillRender) {
  Document ragged;
  ragged.title = "Tidak lengkap";
  DocSection section;
  section.title = "Baris tidak rata";
  DocTable table;
  table.columns = {"Provinsi", "Korban", "Kasus"};
  table.rows = {{Label("Bali")}, {Label("Papua"), Count(7), Count(2), Count(99)}, {}};
  section.tables.push_back(table);
  DocChart chart;
  chart.title = "Seri pendek";
  chart.categories = {"Bali", "Papua", "Aceh"};
  chart.series = {{"Korban", {7}}};
  section.charts.push_back(chart);
  section.charts.push_back(DocChart{.title = "Kosong"});
  ragged.sections.push_back(section);
  for (const Document& doc : {Document{}, ragged}) {
    for (const char* name : {"a.xlsx", "a.html", "a.pdf"}) {
      const absl::Status status = WriteDocument(doc, dir_ / name);
      EXPECT_TRUE(status.ok()) << name << ": " << status;
    }
    EXPECT_EQ(PdfPages(ReadFile(dir_ / "a.pdf")), 1);
    EXPECT_TRUE(Unzip(dir_ / "a.xlsx").has_value());
  }
}

TEST_F(DocumentTest, UnknownExtensionIsInvalidArgument) {
  for (const char* name : {"laporan.docx", "laporan", "laporan.pdf.bak", ".pdf"}) {
    const absl::Status status = WriteDocument(AnnualReport(3), dir_ / name);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_THAT(std::string(status.message()), HasSubstr(".xlsx")) << name;
  }
  EXPECT_THAT(Listing(dir_), IsEmpty());
}

TEST_F(DocumentTest, ExtensionPicksTheFormatWhateverItsCase) {
  const Document doc = AnnualReport(3);
  ASSERT_TRUE(WriteDocument(doc, dir_ / "a.XLSX").ok());
  ASSERT_TRUE(WriteDocument(doc, dir_ / "b.Htm").ok());
  ASSERT_TRUE(WriteDocument(doc, dir_ / "c.html").ok());
  ASSERT_TRUE(WriteDocument(doc, dir_ / "d.PDF").ok());
  EXPECT_THAT(ReadFile(dir_ / "a.XLSX"), StartsWith("PK\x03\x04"));
  EXPECT_THAT(ReadFile(dir_ / "b.Htm"), StartsWith("<!DOCTYPE html>"));
  EXPECT_THAT(ReadFile(dir_ / "c.html"), StartsWith("<!DOCTYPE html>"));
  EXPECT_THAT(ReadFile(dir_ / "d.PDF"), StartsWith("%PDF-"));
  EXPECT_THAT(Listing(dir_),
              ::testing::ElementsAre("a.XLSX", "b.Htm", "c.html", "d.PDF"));
}

TEST_F(DocumentTest, MissingDirectoryFailsNamingOnlyTheFile) {
  for (const char* name : {"laporan.xlsx", "laporan.html", "laporan.pdf"}) {
    const absl::Status status = WriteDocument(AnnualReport(3), dir_ / "tidak-ada" / name);
    EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << name;
    const std::string message(status.message());
    EXPECT_THAT(message, HasSubstr(name));
    EXPECT_THAT(message, Not(HasSubstr(dir_.string()))) << "leaks the server's paths";
  }
  EXPECT_THAT(Listing(dir_), IsEmpty());
}

TEST_F(DocumentTest, FailedWriteKeepsThePreviousReportAndNoTemporaryFile) {
  const std::vector<std::string> names = {"laporan.html", "laporan.pdf", "laporan.xlsx"};
  for (const std::string& name : names) WriteText(dir_ / name, "laporan tahun lalu");
  const Document doc = AnnualReport();
  {
    // Every format of this report is far larger than 4 KiB.
    FileSizeLimit full_disk(4096);
    ASSERT_TRUE(full_disk.ok());
    for (const std::string& name : names) {
      const absl::Status status = WriteDocument(doc, dir_ / name);
      EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << name << ": " << status;
    }
  }
  for (const std::string& name : names)
    EXPECT_EQ(ReadFile(dir_ / name), "laporan tahun lalu");
  EXPECT_EQ(Listing(dir_), names);
  // With room again, the same call succeeds and replaces the old report.
  ASSERT_TRUE(WriteDocument(doc, dir_ / "laporan.pdf").ok());
  EXPECT_THAT(ReadFile(dir_ / "laporan.pdf"), StartsWith("%PDF-"));
  EXPECT_EQ(Listing(dir_), names);
}

// A caller that marks a cell suppressed but forgets to clear its value must still not
// publish the value: the writers show only the text.
TEST_F(DocumentTest, SuppressedCellValueIsNeverWritten) {
  Document doc = AnnualReport(3);
  doc.sections[0].tables[0].rows[3][1] =
      DocCell{.text = "<5", .numeric = true, .value = 987654, .suppressed = true};
  ASSERT_TRUE(WriteDocument(doc, dir_ / "laporan.xlsx").ok());
  ASSERT_TRUE(WriteDocument(doc, dir_ / "laporan.html").ok());
  const auto parts = Unzip(dir_ / "laporan.xlsx");
  ASSERT_TRUE(parts.has_value());
  const std::string xlsx = Workbook(*parts).AllParts();
  const std::string html = ReadFile(dir_ / "laporan.html");
  for (const std::string* out : {&xlsx, &html}) {
    EXPECT_THAT(*out, Not(HasSubstr("987654")));
    EXPECT_THAT(*out, Not(HasSubstr("987.654")));
    EXPECT_THAT(*out, Not(HasSubstr("987,654")));
  }
  EXPECT_THAT(xlsx, HasSubstr("&lt;5"));
}

}  // namespace
}  // namespace gugus::report
