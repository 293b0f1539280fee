// The spreadsheet form of the document: for analysts who re-use the figures, so every
// number is a real number cell and every chart reads its data from cells they can see.

#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/strcat.h"
#include "core/text.h"
#include "report/document.h"
#include "report/document_internal.h"

namespace gugus::report {
namespace {

constexpr size_t kMaxSheetName = 31;  // Excel's limit, in characters
constexpr size_t kMaxCellText = 32767;
constexpr double kDefaultRowHeight = 15;
constexpr double kChartHeightPx = 288;  // libxlsxwriter's default chart height
constexpr double kRowHeightPx = 20;

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string TruncateCodePoints(std::string_view s, size_t max) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && n++ == max) {
      return std::string(s.substr(0, i));
    }
  }
  return std::string(s);
}

// Cell text as libxlsxwriter accepts it: valid UTF-8 within Excel's cell limit.
std::string CellText(std::string_view s) {
  return TruncateCodePoints(internal::ValidUtf8(s), kMaxCellText);
}

// Digits after the decimal comma of the shown text ("12,5" → 1), so that the cell
// shows the same precision as the HTML and PDF; whole numbers otherwise.
int Decimals(const DocCell& cell) {
  const size_t comma = cell.text.rfind(',');
  if (comma != std::string::npos) {
    int n = 0;
    for (size_t i = comma + 1;
         i < cell.text.size() && cell.text[i] >= '0' && cell.text[i] <= '9'; ++i)
      ++n;
    return std::min(n, 4);
  }
  return cell.value == std::floor(cell.value) ? 0 : 2;
}

// "1.234" (Indonesian grouping) → 1234; nullopt for anything else ("<5", "12%").
std::optional<double> ParseGroupedInteger(std::string_view s) {
  if (s.empty() || s.size() > 15) return std::nullopt;
  double value = 0;
  size_t group = 0;
  bool first_group = true;
  for (const char c : s) {
    if (c == '.') {
      if (group == 0 || group > 3 || (!first_group && group != 3)) return std::nullopt;
      group = 0;
      first_group = false;
    } else if (c >= '0' && c <= '9') {
      value = value * 10 + (c - '0');
      ++group;
    } else {
      return std::nullopt;
    }
  }
  if (group == 0 || (first_group ? group > 15 : group != 3)) return std::nullopt;
  return value;
}

class XlsxWriter {
 public:
  XlsxWriter(const Document& doc, const std::string& path) : doc_(doc), path_(path) {}

  absl::Status Write(const std::string& tmp_path) {
    workbook_ = workbook_new(tmp_path.c_str());
    if (workbook_ == nullptr)
      return internal::WriteError("cannot create", path_, "no memory");
    CreateFormats();
    SetProperties();
    std::vector<std::string> names = SheetNames();
    Summary();
    for (size_t i = 0; i < doc_.sections.size(); ++i) Section(doc_.sections[i], names[i]);
    Notes();
    // Always close: it frees the workbook even after an earlier error.
    const lxw_error closed = workbook_close(workbook_);
    if (error_ == LXW_NO_ERROR) error_ = closed;
    if (error_ != LXW_NO_ERROR) {
      return internal::WriteError("cannot write", path_, lxw_strerror(error_));
    }
    return absl::OkStatus();
  }

 private:
  // libxlsxwriter reports per call; the first failure is the one worth reporting.
  void Check(lxw_error err) {
    if (err != LXW_NO_ERROR && error_ == LXW_NO_ERROR) error_ = err;
  }
  template <typename T>
  T* Check(T* object) {
    if (object == nullptr) Check(LXW_ERROR_MEMORY_MALLOC_FAILED);
    return object;
  }

  // libxlsxwriter takes `char*` options; strings handed over live until the workbook
  // is closed, whether or not the library copies them.
  char* Keep(std::string s) { return kept_.emplace_back(std::move(s)).data(); }

  lxw_format* NewFormat() { return Check(workbook_add_format(workbook_)); }

  void CreateFormats() {
    title_ = NewFormat();
    heading_ = NewFormat();
    bold_ = NewFormat();
    muted_ = NewFormat();
    header_ = NewFormat();
    header_num_ = NewFormat();
    wrap_ = NewFormat();
    note_ = NewFormat();
    if (error_ != LXW_NO_ERROR) return;
    format_set_bold(title_);
    format_set_font_size(title_, 16);
    format_set_bold(heading_);
    format_set_font_size(heading_, 13);
    format_set_bold(bold_);
    format_set_font_color(muted_, 0x595959);
    for (lxw_format* f : {header_, header_num_}) {
      format_set_bold(f);
      format_set_bg_color(f, 0xE1E8F0);
      format_set_bottom(f, LXW_BORDER_THIN);
      format_set_text_wrap(f);
      format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    }
    format_set_align(header_num_, LXW_ALIGN_RIGHT);
    format_set_text_wrap(wrap_);
    format_set_align(wrap_, LXW_ALIGN_VERTICAL_TOP);
    format_set_italic(note_);
    format_set_font_color(note_, 0x4A4A4A);
    format_set_text_wrap(note_);
    format_set_align(note_, LXW_ALIGN_VERTICAL_TOP);
  }

  // `percent` shows a literal "%" after the number: the document's percentages are
  // points (60.9 for "60,9%"), so Excel's own % format would multiply them by 100.
  lxw_format* NumberFormat(int decimals, bool bold, bool percent = false) {
    lxw_format*& f = number_formats_[{decimals, bold, percent}];
    if (f == nullptr) {
      f = NewFormat();
      if (f == nullptr) return nullptr;
      std::string pattern = "#,##0";
      if (decimals > 0) pattern += "." + std::string(static_cast<size_t>(decimals), '0');
      if (percent) pattern += "\"%\"";
      format_set_num_format(f, pattern.c_str());
      if (bold) format_set_bold(f);
    }
    return f;
  }

  lxw_format* SuppressedFormat(bool bold) {
    lxw_format*& f = bold ? suppressed_bold_ : suppressed_;
    if (f == nullptr) {
      f = NewFormat();
      if (f == nullptr) return nullptr;
      format_set_italic(f);
      format_set_font_color(f, 0x6E6E6E);
      format_set_align(f, LXW_ALIGN_RIGHT);
      if (bold) format_set_bold(f);
    }
    return f;
  }

  void SetProperties() {
    lxw_doc_properties props{};
    props.title = Keep(CellText(doc_.title));
    props.subject = Keep(CellText(doc_.subtitle));
    Check(workbook_set_properties(workbook_, &props));
  }

  void Text(lxw_worksheet* ws, size_t row, size_t col, std::string_view text,
            lxw_format* format = nullptr) {
    if (ws == nullptr) return;
    Check(worksheet_write_string(ws, static_cast<lxw_row_t>(row),
                                 static_cast<lxw_col_t>(col), CellText(text).c_str(),
                                 format));
  }

  void Number(lxw_worksheet* ws, size_t row, size_t col, double value,
              lxw_format* format) {
    if (ws == nullptr) return;
    Check(worksheet_write_number(ws, static_cast<lxw_row_t>(row),
                                 static_cast<lxw_col_t>(col), value, format));
  }

  // A paragraph across `span` columns, wrapped, its row tall enough for its lines.
  void Paragraph(lxw_worksheet* ws, size_t row, size_t span, double span_width,
                 std::string_view text, lxw_format* format) {
    if (ws == nullptr) return;
    const std::string cell = CellText(text);
    Check(worksheet_merge_range(
        ws, static_cast<lxw_row_t>(row), 0, static_cast<lxw_row_t>(row),
        static_cast<lxw_col_t>(std::max<size_t>(span, 2) - 1), cell.c_str(), format));
    // Column widths count characters of the default font; wider glyphs need slack.
    const double lines = std::ceil(static_cast<double>(CodePoints(cell)) * 1.1 /
                                   std::max(span_width, 10.0));
    if (lines > 1) {
      Check(worksheet_set_row(ws, static_cast<lxw_row_t>(row),
                              kDefaultRowHeight * std::min(lines, 25.0), nullptr));
    }
  }

  lxw_worksheet* AddSheet(const std::string& name) {
    lxw_worksheet* ws = Check(workbook_add_worksheet(workbook_, name.c_str()));
    if (ws != nullptr) {
      worksheet_set_paper(ws, 9);  // A4
      worksheet_fit_to_pages(ws, 1, 0);
    }
    return ws;
  }

  // Section titles made into Excel sheet names: at most 31 characters, none of
  // []:*?/\, no apostrophe at either end, unique regardless of case (Excel's rule),
  // and never the names of the summary and notes sheets or Excel's reserved "History".
  std::vector<std::string> SheetNames() const {
    std::vector<std::string> used = {FoldForMatch("Ringkasan"), FoldForMatch("Catatan"),
                                     FoldForMatch("History")};
    std::vector<std::string> names;
    for (size_t i = 0; i < doc_.sections.size(); ++i) {
      std::string clean = internal::ValidUtf8(doc_.sections[i].title);
      for (char& c : clean) {
        if (c == '/' || c == '\\') {
          c = '-';
        } else if (std::string_view("[]:*?").find(c) != std::string_view::npos ||
                   (static_cast<unsigned char>(c) < 0x20)) {
          c = ' ';
        }
      }
      std::string base = CollapseSpaces(clean);
      auto tidy = [](std::string s) {
        while (!s.empty() && (s.front() == '\'' || s.front() == ' ')) s.erase(0, 1);
        while (!s.empty() && (s.back() == '\'' || s.back() == ' ')) s.pop_back();
        return s;
      };
      base = tidy(TruncateCodePoints(tidy(base), kMaxSheetName));
      if (base.empty()) base = StrCat("Bagian ", i + 1);
      std::string name = base;
      for (int n = 2;
           std::find(used.begin(), used.end(), FoldForMatch(name)) != used.end(); ++n) {
        const std::string suffix = StrCat(" (", n, ")");
        name = tidy(TruncateCodePoints(base, kMaxSheetName - suffix.size())) + suffix;
      }
      used.push_back(FoldForMatch(name));
      names.push_back(name);
    }
    return names;
  }

  void Summary() {
    lxw_worksheet* ws = AddSheet("Ringkasan");
    if (ws == nullptr) return;
    Text(ws, 0, 0, doc_.title, title_);
    Text(ws, 1, 0, doc_.subtitle);
    if (!doc_.generated_at.empty()) Text(ws, 2, 0, "Dibuat " + doc_.generated_at, muted_);
    size_t label_w = 12;
    size_t note_w = 12;
    size_t row = 4;
    if (!doc_.figures.empty()) {
      Text(ws, row, 0, "Indikator", header_);
      Text(ws, row, 1, "Nilai", header_num_);
      Text(ws, row, 2, "Keterangan", header_);
      ++row;
      for (const DocFigure& f : doc_.figures) {
        Text(ws, row, 0, f.label);
        if (const std::optional<double> v = ParseGroupedInteger(f.value)) {
          Number(ws, row, 1, *v, NumberFormat(0, false));
        } else if (!f.value.empty() && f.value[0] == '<') {
          Text(ws, row, 1, f.value, SuppressedFormat(false));
        } else {
          Text(ws, row, 1, f.value);
        }
        Text(ws, row, 2, f.note);
        label_w = std::max(label_w, CodePoints(f.label));
        note_w = std::max(note_w, CodePoints(f.note));
        ++row;
      }
    }
    Check(worksheet_set_column(ws, 0, 0, std::min<double>(label_w + 2, 60), nullptr));
    Check(worksheet_set_column(ws, 1, 1, 16, nullptr));
    Check(worksheet_set_column(ws, 2, 2, std::min<double>(note_w + 2, 60), nullptr));
  }

  void Section(const DocSection& section, const std::string& name) {
    lxw_worksheet* ws = AddSheet(name);
    if (ws == nullptr) return;
    // Widths come from what sits in each column: table cells and chart data.
    std::vector<size_t> chars;
    auto fit = [&](size_t col, std::string_view text) {
      if (chars.size() <= col) chars.resize(col + 1, 0);
      chars[col] = std::max(chars[col], CodePoints(text));
    };
    for (const DocChart& chart : section.charts) {
      for (const std::string& c : chart.categories) fit(0, c);
      for (size_t s = 0; s < chart.series.size(); ++s) fit(s + 1, chart.series[s].name);
    }
    for (const DocTable& table : section.tables) {
      for (size_t c = 0; c < table.columns.size(); ++c) fit(c, table.columns[c]);
      for (const auto& row : table.rows)
        for (size_t c = 0; c < row.size(); ++c) fit(c, row[c].text);
    }
    std::vector<double> widths;
    for (const size_t n : chars) widths.push_back(std::clamp<double>(n + 2, 10, 45));
    while (widths.size() < 6) widths.push_back(12);
    for (size_t c = 0; c < widths.size() && c < 16384; ++c) {
      Check(worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                                 widths[c], nullptr));
    }
    const size_t span = std::min<size_t>(widths.size(), 10);
    double span_width = 0;
    for (size_t c = 0; c < span; ++c) span_width += widths[c];

    Text(ws, 0, 0, section.title, heading_);
    size_t row = 2;
    for (const std::string& p : section.paragraphs) {
      Paragraph(ws, row++, span, span_width, p, wrap_);
    }
    if (!section.paragraphs.empty()) ++row;
    for (const DocChart& chart : section.charts)
      row = Chart(ws, name, chart, row, widths);
    for (const DocTable& table : section.tables) {
      row = Table(ws, table, row, span, span_width);
    }
  }

  // Writes the chart's data block at `row` and the chart beside it; returns the first
  // free row below both.
  size_t Chart(lxw_worksheet* ws, const std::string& sheet, const DocChart& chart,
               size_t row, const std::vector<double>& widths) {
    const size_t title_row = row;
    Text(ws, title_row, 0, chart.title, bold_);
    const size_t nc = chart.categories.size();
    const size_t ns = chart.series.size();
    if (nc == 0 || ns == 0) {
      Text(ws, row + 1, 0, "Tidak ada data untuk grafik ini.", note_);
      return row + 3;
    }
    const size_t head = row + 1;
    Text(ws, head, 0, "Kategori", header_);
    for (size_t s = 0; s < ns; ++s)
      Text(ws, head, s + 1, chart.series[s].name, header_num_);
    for (size_t c = 0; c < nc; ++c) {
      Text(ws, head + 1 + c, 0, chart.categories[c]);
      for (size_t s = 0; s < ns; ++s) {
        const DocSeries& series = chart.series[s];
        // A missing value stays a blank cell: Excel draws a gap, never a zero.
        if (c < series.values.size() && internal::Drawable(series.values[c])) {
          const double v = *series.values[c];
          Number(ws, head + 1 + c, s + 1, v,
                 NumberFormat(v == std::floor(v) ? 0 : 1, false));
        }
      }
    }
    size_t data_end = head + 1 + nc;  // first row after the data
    if (!chart.note.empty()) Text(ws, data_end++, 0, chart.note, note_);

    lxw_chart* xc = Check(workbook_add_chart(
        workbook_, chart.horizontal ? LXW_CHART_BAR : LXW_CHART_COLUMN));
    if (xc == nullptr) return data_end + 1;
    const auto first = static_cast<lxw_row_t>(head + 1);
    const auto last = static_cast<lxw_row_t>(head + nc);
    for (size_t s = 0; s < ns; ++s) {
      lxw_chart_series* series = Check(chart_add_series(xc, nullptr, nullptr));
      if (series == nullptr) return data_end + 1;
      const auto col = static_cast<lxw_col_t>(s + 1);
      chart_series_set_categories(series, sheet.c_str(), first, 0, last, 0);
      chart_series_set_values(series, sheet.c_str(), first, col, last, col);
      chart_series_set_name_range(series, sheet.c_str(), static_cast<lxw_row_t>(head),
                                  col);
      lxw_chart_fill fill{};
      fill.color = internal::SeriesColor(s);
      chart_series_set_fill(series, &fill);
    }
    // Referring to the title cell keeps a title starting with "=" from being read as
    // a formula, which chart_title_set_name would do.
    chart_title_set_name_range(xc, sheet.c_str(), static_cast<lxw_row_t>(title_row), 0);
    chart_legend_set_position(xc,
                              ns > 1 ? LXW_CHART_LEGEND_BOTTOM : LXW_CHART_LEGEND_NONE);
    chart_show_blanks_as(xc, LXW_CHART_BLANKS_AS_GAP);
    chart_axis_set_num_format(xc->y_axis, "#,##0");
    chart_axis_set_num_format(xc->x_axis, "#,##0");
    if (chart.horizontal) {
      // Excel draws the first category of a bar chart at the bottom; reverse it so
      // the chart reads top-down like the table.
      chart_axis_set_reverse(xc->y_axis);
      chart_axis_set_crossing_max(xc->y_axis);
    }
    double height_px = kChartHeightPx;
    if (chart.horizontal) {
      height_px = std::max(height_px, static_cast<double>(nc * ns) * 14 + 110);
    }
    lxw_chart_options options{};
    options.x_offset = 10;
    options.x_scale = chart.horizontal ? 1.3 : 1.2;
    options.y_scale = height_px / kChartHeightPx;
    options.description = Keep(CellText(chart.title));
    const size_t chart_col = std::min<size_t>(ns + 2, widths.size());
    Check(worksheet_insert_chart_opt(ws, static_cast<lxw_row_t>(head),
                                     static_cast<lxw_col_t>(chart_col), xc, &options));
    const auto chart_rows = static_cast<size_t>(std::ceil(height_px / kRowHeightPx));
    return std::max(data_end, head + chart_rows) + 2;
  }

  size_t Table(lxw_worksheet* ws, const DocTable& table, size_t row, size_t span,
               double span_width) {
    if (!table.title.empty()) Text(ws, row++, 0, table.title, bold_);
    std::vector<bool> numeric(table.columns.size(), false);
    for (const auto& r : table.rows)
      for (size_t c = 0; c < r.size() && c < numeric.size(); ++c)
        numeric[c] = numeric[c] || r[c].numeric || r[c].suppressed;
    for (size_t c = 0; c < table.columns.size(); ++c) {
      Text(ws, row, c, table.columns[c], numeric[c] ? header_num_ : header_);
    }
    ++row;
    for (const auto& r : table.rows) {
      const bool bold =
          std::any_of(r.begin(), r.end(), [](const DocCell& c) { return c.emphasis; });
      for (size_t c = 0; c < r.size(); ++c) {
        const DocCell& cell = r[c];
        if (cell.suppressed) {
          // Only the text: the cell must not hold a number anyone could sum or read.
          Text(ws, row, c, cell.text, SuppressedFormat(bold));
        } else if (cell.numeric && std::isfinite(cell.value)) {
          Number(ws, row, c, cell.value,
                 NumberFormat(Decimals(cell), bold, cell.text.ends_with('%')));
        } else {
          Text(ws, row, c, cell.text, bold ? bold_ : nullptr);
        }
      }
      ++row;
    }
    if (!table.note.empty()) Paragraph(ws, row++, span, span_width, table.note, note_);
    return row + 1;
  }

  void Notes() {
    lxw_worksheet* ws = AddSheet("Catatan");
    if (ws == nullptr) return;
    Check(worksheet_set_column(ws, 0, 0, 5, nullptr));
    Check(worksheet_set_column(ws, 1, 1, 100, wrap_));
    Text(ws, 0, 0, "Catatan", heading_);
    size_t row = 2;
    for (size_t i = 0; i < doc_.notes.size(); ++i) {
      Text(ws, row, 0, StrCat(i + 1, "."), wrap_);
      const std::string note = CellText(doc_.notes[i]);
      Text(ws, row, 1, note, wrap_);
      const double lines = std::ceil(static_cast<double>(CodePoints(note)) * 1.1 / 100);
      if (lines > 1) {
        Check(worksheet_set_row(ws, static_cast<lxw_row_t>(row),
                                kDefaultRowHeight * std::min(lines, 25.0), nullptr));
      }
      ++row;
    }
  }

  const Document& doc_;
  const std::string& path_;
  lxw_workbook* workbook_ = nullptr;
  lxw_error error_ = LXW_NO_ERROR;
  lxw_format* title_ = nullptr;
  lxw_format* heading_ = nullptr;
  lxw_format* bold_ = nullptr;
  lxw_format* muted_ = nullptr;
  lxw_format* header_ = nullptr;
  lxw_format* header_num_ = nullptr;
  lxw_format* wrap_ = nullptr;
  lxw_format* note_ = nullptr;
  lxw_format* suppressed_ = nullptr;
  lxw_format* suppressed_bold_ = nullptr;
  std::map<std::tuple<int, bool, bool>, lxw_format*> number_formats_;
  std::deque<std::string> kept_;
};

}  // namespace

absl::Status WriteXlsx(const Document& doc, const std::string& path) {
  return internal::WriteFileAtomically(path, [&](int, const std::string& tmp_path) {
    // libxlsxwriter opens the file by name and truncates it; the descriptor held by
    // the atomic write still refers to the same file for the fsync.
    return XlsxWriter(doc, path).Write(tmp_path);
  });
}

}  // namespace gugus::report
