#include "domain/reporting/annual_report.h"

#include <algorithm>
#include <cstdio>

#include "core/date.h"
#include "core/status.h"
#include "core/strcat.h"

namespace gugus::domain {
namespace {

using report::Dim;
using report::DocCell;
using report::DocChart;
using report::DocSection;
using report::DocTable;

std::string Percent(int64_t part, int64_t whole) {
  if (whole <= 0) return "–";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%",
                100.0 * static_cast<double>(part) / static_cast<double>(whole));
  std::string s = buf;
  std::replace(s.begin(), s.end(), '.', ',');  // Indonesian decimal comma
  return s;
}

DocCell Number(int64_t v, bool emphasis = false) {
  DocCell c;
  c.text = report::FormatCount(v);
  c.numeric = true;
  c.value = static_cast<double>(v);
  c.emphasis = emphasis;
  return c;
}

DocCell Hidden(int k, bool emphasis = false) {
  DocCell c;
  c.text = StrCat("<", k);
  c.suppressed = true;
  c.emphasis = emphasis;
  return c;
}

DocCell Text(std::string text, bool emphasis = false) {
  DocCell c;
  c.text = std::move(text);
  c.emphasis = emphasis;
  return c;
}

constexpr const char* kMonths[] = {"Januari",   "Februari", "Maret",    "April",
                                   "Mei",       "Juni",     "Juli",     "Agustus",
                                   "September", "Oktober",  "November", "Desember"};

class Builder {
 public:
  Builder(Store& store, StatsService& stats, const AnnualReportRequest& r)
      : store_(store), stats_(stats), r_(r) {}

  absl::StatusOr<report::Document> Build() {
    if (r_.year < 1990 || r_.year > 2100)
      return absl::InvalidArgumentError("the year must be between 1990 and 2100");
    if (r_.k < 2)
      return absl::InvalidArgumentError("a published report needs k of 2 or more");
    GUGUS_ASSIGN_OR_RETURN(std::string place, PlaceName());
    report::Document doc;
    doc.title = StrCat("Laporan Tahunan Data Tindak Pidana Perdagangan Orang ", r_.year);
    doc.subtitle = StrCat("Gugus Tugas PP-TPPO ", place);
    const Date today = TodayInJakarta();
    doc.generated_at = StrCat(today.day, " ", kMonths[today.month - 1], " ", today.year);

    GUGUS_RETURN_IF_ERROR(Figures(doc));
    const bool national = r_.region.empty() || r_.region == kNationalRegion;
    const Dim origin = national ? Dim::kOriginProvince : Dim::kOriginRegency;
    GUGUS_RETURN_IF_ERROR(OneWay(doc, "Korban menurut daerah asal", origin, true,
                                 national ? "Provinsi asal" : "Kabupaten/kota asal"));
    GUGUS_RETURN_IF_ERROR(Months(doc));
    GUGUS_RETURN_IF_ERROR(SexAndAge(doc));
    GUGUS_RETURN_IF_ERROR(OneWay(doc, "Bentuk eksploitasi", Dim::kExploitation, true,
                                 "Bentuk eksploitasi"));
    GUGUS_RETURN_IF_ERROR(
        OneWay(doc, "Modus perekrutan", Dim::kRecruitment, true, "Modus"));
    GUGUS_RETURN_IF_ERROR(
        OneWay(doc, "Negara dan daerah tujuan", Dim::kDestination, true, "Tujuan"));
    GUGUS_RETURN_IF_ERROR(Reconciliation(doc));
    Notes(doc);
    return doc;
  }

 private:
  StatsQuery Query(std::vector<Dim> dims, int year) const {
    StatsQuery q;
    q.dims = std::move(dims);
    q.k = r_.k;
    q.from = StrCat(year, "-01-01");
    q.to = StrCat(year, "-12-31");
    q.region = r_.region == kNationalRegion ? "" : r_.region;
    return q;
  }

  absl::StatusOr<std::string> PlaceName() {
    if (r_.region.empty() || r_.region == kNationalRegion) return std::string("Nasional");
    const int32_t packed = report::PackRegion(r_.region);
    if (packed == 0 || report::UnpackRegion(packed) != r_.region)
      return absl::InvalidArgumentError(
          "region must be a Kemendagri code such as 53 or 53.71, or ID");
    GUGUS_ASSIGN_OR_RETURN(auto regions,
                           store_.reference().LoadRegions(RegionLevel::kDistrict));
    for (const Region& region : regions)
      if (region.code == r_.region) return region.name;
    return absl::NotFoundError("unknown region code");
  }

  // The total cell of a query without dimensions.
  absl::StatusOr<report::StatCell> Total(int year) {
    GUGUS_ASSIGN_OR_RETURN(auto result, stats_.Query(Query({}, year)));
    return result.table.cells.empty() ? report::StatCell{} : result.table.cells.front();
  }

  absl::Status Figures(report::Document& doc) {
    GUGUS_ASSIGN_OR_RETURN(report::StatCell now, Total(r_.year));
    GUGUS_ASSIGN_OR_RETURN(report::StatCell before, Total(r_.year - 1));
    auto shown = [&](const report::StatCell& c, int64_t v) {
      return c.suppressed ? StrCat("<", r_.k) : report::FormatCount(v);
    };
    std::string change;
    if (!now.suppressed && !before.suppressed && before.persons > 0) {
      const int64_t diff = now.persons - before.persons;
      change = StrCat(diff >= 0 ? "+" : "", Percent(diff, before.persons), " dibanding ",
                      r_.year - 1);
    }
    doc.figures.push_back({"Korban (orang, terpadu)", shown(now, now.persons), change});
    doc.figures.push_back(
        {"Catatan dari instansi", shown(now, now.records), "sebelum penautan rekaman"});
    doc.figures.push_back({"Kasus", shown(now, now.cases), "nomor perkara yang berbeda"});

    GUGUS_ASSIGN_OR_RETURN(auto child, stats_.Query(Query({Dim::kChild}, r_.year)));
    GUGUS_ASSIGN_OR_RETURN(auto sex, stats_.Query(Query({Dim::kSex}, r_.year)));
    doc.figures.push_back(
        {"Anak", Share(child, "child"), "dari korban yang umurnya diketahui"});
    doc.figures.push_back(
        {"Perempuan", Share(sex, "P"), "dari korban yang jenis kelaminnya diketahui"});
    GUGUS_ASSIGN_OR_RETURN(auto agencies, stats_.Query(Query({Dim::kAgency}, r_.year)));
    doc.figures.push_back(
        {"Instansi pelapor",
         report::FormatCount(static_cast<int64_t>(agencies.table.values[0].size())), ""});
    return absl::OkStatus();
  }

  // Persons with `code` among those whose value is known, as a percentage.
  std::string Share(const StatsResult& r, const std::string& code) const {
    if (r.table.values.empty()) return "–";
    int64_t part = 0, known = 0;
    for (const auto& c : r.table.cells) {
      if (!c.interior()) continue;
      const std::string& v = r.table.values[0][c.key[0]];
      if (v == report::kUnknown) continue;
      if (c.suppressed) return StrCat("(disembunyikan)");
      known += c.persons;
      if (v == code) part += c.persons;
    }
    return Percent(part, known);
  }

  // A one-dimension table (value, persons, records, cases) with its total and a chart.
  absl::Status OneWay(report::Document& doc, std::string title, Dim dim, bool horizontal,
                      std::string first_column) {
    GUGUS_ASSIGN_OR_RETURN(auto r, stats_.Query(Query({dim}, r_.year)));
    DocSection section;
    section.title = title;
    DocTable table;
    table.title = title;
    table.columns = {first_column, "Korban (orang)", "Catatan", "Kasus"};
    DocChart chart;
    chart.title = StrCat(title, " — korban (orang)");
    chart.horizontal = horizontal;
    chart.series.push_back({"Korban", {}});
    const report::StatCell* total = nullptr;
    for (const auto& c : r.table.cells) {
      if (!c.interior()) {
        total = &c;
        continue;
      }
      std::string label = r.labels[0][c.key[0]];
      table.rows.push_back(
          {Text(label), Cell(c, c.persons), Cell(c, c.records), Cell(c, c.cases)});
      chart.categories.push_back(label);
      chart.series[0].values.push_back(
          c.suppressed ? std::nullopt
                       : std::optional<double>(static_cast<double>(c.persons)));
    }
    if (total != nullptr)
      table.rows.push_back({Text("Jumlah", true), Cell(*total, total->persons, true),
                            Cell(*total, total->records, true),
                            Cell(*total, total->cases, true)});
    if (dim == Dim::kExploitation || dim == Dim::kRecruitment)
      table.note =
          "Satu korban dapat mengalami lebih dari satu bentuk, sehingga jumlah baris "
          "dapat "
          "melebihi jumlah korban.";
    if (table.rows.empty())
      section.paragraphs.push_back("Tidak ada data pada tahun ini.");
    else {
      section.tables.push_back(std::move(table));
      chart.note = Hint();
      section.charts.push_back(std::move(chart));
    }
    doc.sections.push_back(std::move(section));
    return absl::OkStatus();
  }

  absl::Status Months(report::Document& doc) {
    GUGUS_ASSIGN_OR_RETURN(auto r, stats_.Query(Query({Dim::kReportMonth}, r_.year)));
    DocSection section;
    section.title = "Korban menurut bulan laporan";
    DocChart chart;
    chart.title = "Korban (orang) per bulan laporan";
    chart.series.push_back({"Korban", {}});
    DocTable table;
    table.title = section.title;
    table.columns = {"Bulan", "Korban (orang)", "Catatan", "Kasus"};
    for (int m = 1; m <= 12; ++m) {
      chart.categories.push_back(kMonths[m - 1]);
      const std::string code = StrCat(r_.year, m < 10 ? "-0" : "-", m);
      const report::StatCell* cell = nullptr;
      for (const auto& c : r.table.cells)
        if (c.interior() && r.table.values[0][c.key[0]] == code) cell = &c;
      if (cell == nullptr) {
        chart.series[0].values.push_back(0.0);
        table.rows.push_back({Text(kMonths[m - 1]), Number(0), Number(0), Number(0)});
        continue;
      }
      chart.series[0].values.push_back(
          cell->suppressed ? std::nullopt : std::optional<double>(cell->persons));
      table.rows.push_back({Text(kMonths[m - 1]), Cell(*cell, cell->persons),
                            Cell(*cell, cell->records), Cell(*cell, cell->cases)});
    }
    chart.note = Hint();
    section.charts.push_back(std::move(chart));
    section.tables.push_back(std::move(table));
    doc.sections.push_back(std::move(section));
    return absl::OkStatus();
  }

  absl::Status SexAndAge(report::Document& doc) {
    GUGUS_ASSIGN_OR_RETURN(auto r,
                           stats_.Query(Query({Dim::kAgeGroup, Dim::kSex}, r_.year)));
    DocSection section;
    section.title = "Jenis kelamin dan kelompok umur";
    section.paragraphs.push_back(
        "Umur pada saat eksploitasi (dari tanggal lahir dan tanggal kejadian, atau umur "
        "yang dicatat), dalam kelompok umur CTDC.");
    if (r.table.cells.empty()) {
      section.paragraphs.push_back("Tidak ada data pada tahun ini.");
      doc.sections.push_back(std::move(section));
      return absl::OkStatus();
    }
    DocTable table;
    table.title = "Korban (orang) menurut kelompok umur dan jenis kelamin";
    table.columns = {"Kelompok umur"};
    for (const auto& label : r.labels[1]) table.columns.push_back(label);
    table.columns.push_back("Jumlah");
    DocChart chart;
    chart.title = "Korban (orang) menurut kelompok umur dan jenis kelamin";
    for (size_t s = 0; s < r.labels[1].size(); ++s)
      chart.series.push_back({r.labels[1][s], {}});
    const size_t ages = r.table.values[0].size();
    for (int a = 0; a <= static_cast<int>(ages); ++a) {
      const int age = a == static_cast<int>(ages) ? report::kTotal : a;
      std::vector<DocCell> row;
      const bool emphasis = age == report::kTotal;
      row.push_back(Text(emphasis ? "Jumlah" : r.labels[0][a], emphasis));
      if (!emphasis) chart.categories.push_back(r.labels[0][a]);
      for (int s = 0; s <= static_cast<int>(r.table.values[1].size()); ++s) {
        const int sex =
            s == static_cast<int>(r.table.values[1].size()) ? report::kTotal : s;
        const int key[] = {age, sex};
        const report::StatCell* c = r.table.Find(key);
        row.push_back(c == nullptr ? Number(0, emphasis)
                                   : Cell(*c, c->persons, emphasis));
        if (!emphasis && sex != report::kTotal)
          chart.series[s].values.push_back(
              c == nullptr    ? std::optional<double>(0.0)
              : c->suppressed ? std::nullopt
                              : std::optional<double>(static_cast<double>(c->persons)));
      }
      table.rows.push_back(std::move(row));
    }
    chart.note = Hint();
    section.charts.push_back(std::move(chart));
    section.tables.push_back(std::move(table));
    doc.sections.push_back(std::move(section));
    return absl::OkStatus();
  }

  absl::Status Reconciliation(report::Document& doc) {
    StatsQuery q = Query({}, r_.year);
    GUGUS_ASSIGN_OR_RETURN(auto rec, stats_.Reconcile(q));
    DocSection section;
    section.title = "Rekonsiliasi angka antar-instansi";
    auto shown = [&](const std::optional<int64_t>& v) {
      return v ? Number(*v) : Hidden(r_.k);
    };
    auto text = [&](const std::optional<int64_t>& v) {
      return v ? report::FormatCount(*v) : StrCat("<", r_.k);
    };
    section.paragraphs.push_back(StrCat(
        "Bila angka tiap instansi dijumlahkan, hasilnya ", text(rec.sum_of_agency_counts),
        " korban. Setelah catatan orang yang sama ditautkan, jumlah korban adalah ",
        text(rec.unified_persons), " orang; ", text(rec.persons_at_several),
        " orang tercatat di lebih dari satu instansi."));
    DocTable table;
    table.title = "Angka tiap instansi dan tumpang-tindihnya";
    table.columns = {"Instansi", "Catatan", "Korban (orang)", "Hanya di instansi ini",
                     "Juga di instansi lain"};
    for (const auto& a : rec.agencies) {
      // Persons also at another agency: withheld like any small count.
      const int64_t also = a.persons && a.only_here ? *a.persons - *a.only_here : -1;
      const DocCell elsewhere =
          also < 0 || (also > 0 && also < r_.k) ? Hidden(r_.k) : Number(also);
      table.rows.push_back({Text(a.name), Number(a.records), shown(a.persons),
                            shown(a.only_here), elsewhere});
    }
    if (table.rows.empty()) {
      section.paragraphs.push_back("Tidak ada data pada tahun ini.");
    } else {
      section.tables.push_back(std::move(table));
    }
    doc.sections.push_back(std::move(section));
    return absl::OkStatus();
  }

  void Notes(report::Document& doc) const {
    doc.notes.push_back(
        "Korban dihitung sekali walaupun dicatat oleh beberapa instansi: catatan orang "
        "yang "
        "sama ditautkan oleh gugus (penautan rekaman probabilistik, diperiksa petugas).");
    doc.notes.push_back(StrCat("Perlindungan korban: sel dengan kurang dari ", r_.k,
                               " orang disembunyikan (\"<", r_.k,
                               "\"), dan sel lain ikut disembunyikan bila sel kecil "
                               "dapat dihitung dari jumlah baris "
                               "atau kolomnya."));
    doc.notes.push_back(
        StrCat("Periode: tanggal laporan 1 Januari – 31 Desember ", r_.year,
               ". Wilayah: catatan instansi di wilayah ini atau korban yang "
               "berasal dari wilayah ini."));
  }

  DocCell Cell(const report::StatCell& c, int64_t v, bool emphasis = false) const {
    return c.suppressed ? Hidden(r_.k, emphasis) : Number(v, emphasis);
  }
  std::string Hint() const {
    return StrCat("Nilai yang disembunyikan (<", r_.k, ") tidak digambar.");
  }

  Store& store_;
  StatsService& stats_;
  const AnnualReportRequest& r_;
};

}  // namespace

absl::StatusOr<report::Document> BuildAnnualReport(Store& store, StatsService& stats,
                                                   const AnnualReportRequest& request) {
  return Builder(store, stats, request).Build();
}

}  // namespace gugus::domain
