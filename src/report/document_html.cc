// The printable HTML page: one file a task force can mail or open offline, so it
// carries its style and charts inline and loads nothing.

#include <algorithm>
#include <cmath>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>

#include "core/strcat.h"
#include "report/document.h"
#include "report/document_internal.h"

namespace gugus::report {
namespace {

using internal::AxisScale;
using internal::Drawable;
using internal::FormatNumberId;

std::string Escape(std::string_view raw) {
  const std::string text = internal::ValidUtf8(raw);
  std::string out;
  out.reserve(text.size() + 16);
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// The lang attribute must be a language tag; anything else would be an unknown
// language to screen readers anyway, so say so ("und") rather than pass it through.
std::string LanguageTag(std::string_view tag) {
  bool ok = !tag.empty() && tag.size() <= 35;
  size_t run = 0;
  for (const char c : tag) {
    const bool alnum =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum) {
      ++run;
    } else if (c == '-' && run > 0) {
      run = 0;
      continue;
    } else {
      ok = false;
    }
    if (run > 8) ok = false;
  }
  if (run == 0) ok = false;
  return ok ? std::string(tag) : "und";
}

// "<5" → "Disembunyikan: kurang dari 5 orang"; readers see why a number is missing.
std::string SuppressionExplanation(std::string_view text) {
  if (text.size() >= 2 && text[0] == '<' &&
      text.find_first_not_of("0123456789", 1) == std::string_view::npos) {
    return StrCat("Disembunyikan: kurang dari ", text.substr(1), " orang");
  }
  return "Disembunyikan: jumlah terlalu kecil untuk diterbitkan";
}

std::string Color(unsigned rgb) { return fmt::format("#{:06x}", rgb); }

std::string Num(double v) { return fmt::format("{:.1f}", v); }

// Rough advance width of text in the sans-serif fonts browsers pick; enough to lay
// out labels without measuring.
double TextWidth(std::string_view text, double font_size) {
  size_t chars = 0;
  for (const char c : text) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return static_cast<double>(chars) * font_size * 0.58;
}

// Cuts a label to `max_width` with an ellipsis; the full label stays in the <title>.
std::string FitLabel(const std::string& label, double font_size, double max_width) {
  if (TextWidth(label, font_size) <= max_width) return label;
  std::string out;
  for (size_t i = 0; i < label.size();) {
    size_t len = 1;
    while (i + len < label.size() &&
           (static_cast<unsigned char>(label[i + len]) & 0xC0) == 0x80)
      ++len;
    if (TextWidth(out + label.substr(i, len) + "…", font_size) > max_width) break;
    out += label.substr(i, len);
    i += len;
  }
  return out + "…";
}

constexpr const char kStyle[] = R"css(
:root{color-scheme:light;--ink:#1a1a1a;--muted:#4a4a4a;--line:#c8ced6;--band:#f3f5f8;--head:#e1e8f0}
*{box-sizing:border-box}
body{margin:0;font-family:"DejaVu Sans","Segoe UI",Arial,sans-serif;color:var(--ink);background:#fff;line-height:1.5;font-size:15px}
header.cover,main,footer{max-width:1100px;margin:0 auto;padding:0 24px}
header.cover{padding-top:32px;padding-bottom:16px;border-bottom:3px solid #1f5f8b}
h1{font-size:28px;margin:0 0 4px}
h2{font-size:21px;margin:32px 0 12px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:16px;margin:20px 0 8px}
.subtitle{font-size:18px;margin:0;color:var(--muted)}
.generated{font-size:13px;color:var(--muted);margin:8px 0 0}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:12px}
.card{border:1px solid var(--line);border-radius:6px;padding:12px 14px;background:var(--band)}
.card .label{margin:0;font-size:13px;color:var(--muted)}
.card .value{margin:4px 0;font-size:26px;font-weight:bold}
.card .note{margin:0;font-size:12px;color:var(--muted)}
.table-wrap{overflow-x:auto;margin:12px 0}
table{border-collapse:collapse;width:100%;font-size:13px}
caption{text-align:left;font-weight:bold;padding:6px 0;font-size:15px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
thead th{background:var(--head);border-bottom:2px solid #8a96a3}
tbody tr:nth-child(even){background:var(--band)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.total th,tr.total td{font-weight:bold;border-top:2px solid #8a96a3}
.suppressed{color:#555;font-style:italic;cursor:help}
.note,.table-note{font-size:12px;color:var(--muted)}
figure.chart{margin:16px 0}
figure.chart svg{width:100%;height:auto;max-width:900px;display:block}
figcaption{font-size:12px;color:var(--muted)}
svg text{font-family:"DejaVu Sans",Arial,sans-serif;fill:#1a1a1a}
svg .axis-label,svg .missing{fill:#4a4a4a}
svg .grid{stroke:#d5dae0;stroke-width:1}
svg .zero{stroke:#4a4a4a;stroke-width:1}
.notes ol{padding-left:20px;font-size:14px}
footer{border-top:1px solid var(--line);margin-top:40px;padding-top:8px;padding-bottom:24px;font-size:12px;color:var(--muted)}
@page{size:A4;margin:16mm 14mm}
@media print{
 body{font-size:10.5pt}
 header.cover,main,footer{max-width:none;padding:0}
 section.doc-section,section.notes{break-before:page;page-break-before:always}
 h2,h3,caption{break-after:avoid;page-break-after:avoid}
 .table-wrap{overflow:visible}
 table{font-size:9pt}
 thead{display:table-header-group}
 tr,th,td{break-inside:avoid;page-break-inside:avoid}
 figure.chart,.card{break-inside:avoid;page-break-inside:avoid}
 .card{background:#fff}
 tbody tr:nth-child(even){background:#fff}
}
)css";

class HtmlWriter {
 public:
  HtmlWriter(const Document& doc, std::ostream& out) : doc_(doc), out_(out) {}

  void Write() {
    out_ << "<!DOCTYPE html>\n<html lang=\"" << Escape(LanguageTag(doc_.language))
         << "\">\n<head>\n<meta charset=\"utf-8\">\n"
         << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         << "<title>" << Escape(doc_.title) << "</title>\n<style>" << kStyle
         << "</style>\n</head>\n<body>\n<header class=\"cover\">\n<h1>"
         << Escape(doc_.title) << "</h1>\n";
    if (!doc_.subtitle.empty())
      out_ << "<p class=\"subtitle\">" << Escape(doc_.subtitle) << "</p>\n";
    if (!doc_.generated_at.empty())
      out_ << "<p class=\"generated\">Dibuat " << Escape(doc_.generated_at) << "</p>\n";
    out_ << "</header>\n<main>\n";
    if (!doc_.figures.empty()) Figures();
    for (size_t i = 0; i < doc_.sections.size(); ++i) Section(doc_.sections[i], i);
    if (!doc_.notes.empty()) {
      out_ << "<section class=\"notes\" aria-labelledby=\"catatan\">\n"
           << "<h2 id=\"catatan\">Catatan</h2>\n<ol>\n";
      for (const std::string& note : doc_.notes)
        out_ << "<li>" << Escape(note) << "</li>\n";
      out_ << "</ol>\n</section>\n";
    }
    out_ << "</main>\n<footer>" << Escape(doc_.title);
    if (!doc_.generated_at.empty()) out_ << " — dibuat " << Escape(doc_.generated_at);
    out_ << "</footer>\n</body>\n</html>\n";
  }

 private:
  void Figures() {
    out_ << "<section aria-labelledby=\"ringkasan\">\n<h2 "
            "id=\"ringkasan\">Ringkasan</h2>\n"
         << "<div class=\"figures\">\n";
    for (const DocFigure& f : doc_.figures) {
      out_ << "<div class=\"card\"><p class=\"label\">" << Escape(f.label)
           << "</p><p class=\"value\">" << Escape(f.value) << "</p>";
      if (!f.note.empty()) out_ << "<p class=\"note\">" << Escape(f.note) << "</p>";
      out_ << "</div>\n";
    }
    out_ << "</div>\n</section>\n";
  }

  void Section(const DocSection& section, size_t index) {
    const std::string id = StrCat("bagian-", index + 1);
    out_ << "<section class=\"doc-section\" aria-labelledby=\"" << id << "\">\n<h2 id=\""
         << id << "\">" << Escape(section.title) << "</h2>\n";
    for (const std::string& p : section.paragraphs)
      out_ << "<p>" << Escape(p) << "</p>\n";
    for (const DocChart& chart : section.charts) Chart(chart);
    for (const DocTable& table : section.tables) Table(table);
    out_ << "</section>\n";
  }

  void Table(const DocTable& table) {
    out_ << "<div class=\"table-wrap\">\n<table>\n";
    if (!table.title.empty())
      out_ << "<caption>" << Escape(table.title) << "</caption>\n";
    // A column is right-aligned when its cells are numbers, so that digits line up.
    std::vector<bool> numeric_column(table.columns.size(), false);
    for (size_t c = 0; c < table.columns.size(); ++c) {
      for (const std::vector<DocCell>& row : table.rows) {
        if (c < row.size() && (row[c].numeric || row[c].suppressed)) {
          numeric_column[c] = true;
          break;
        }
      }
    }
    out_ << "<thead><tr>";
    for (size_t c = 0; c < table.columns.size(); ++c) {
      out_ << "<th scope=\"col\"" << (numeric_column[c] ? " class=\"num\"" : "") << ">"
           << Escape(table.columns[c]) << "</th>";
    }
    out_ << "</tr></thead>\n<tbody>\n";
    for (const std::vector<DocCell>& row : table.rows) {
      const bool total = std::any_of(row.begin(), row.end(),
                                     [](const DocCell& c) { return c.emphasis; });
      out_ << (total ? "<tr class=\"total\">" : "<tr>");
      for (size_t c = 0; c < row.size(); ++c) Cell(row[c], c == 0);
      out_ << "</tr>\n";
    }
    out_ << "</tbody>\n</table>\n</div>\n";
    if (!table.note.empty())
      out_ << "<p class=\"table-note\">" << Escape(table.note) << "</p>\n";
  }

  void Cell(const DocCell& cell, bool first) {
    // A row's label is its header, so screen readers announce "Jawa Barat, Korban".
    const bool row_header = first && !cell.numeric && !cell.suppressed;
    const char* tag = row_header ? "th" : "td";
    out_ << "<" << tag << (row_header ? " scope=\"row\"" : "");
    if (cell.suppressed) {
      out_ << " class=\"num suppressed\" title=\""
           << Escape(SuppressionExplanation(cell.text)) << "\"";
    } else if (cell.numeric) {
      out_ << " class=\"num\"";
    }
    out_ << ">" << Escape(cell.text) << "</" << tag << ">";
  }

  void Chart(const DocChart& chart) {
    const int n = ++chart_count_;
    const std::string title_id = StrCat("grafik-", n, "-judul");
    const std::string desc_id = StrCat("grafik-", n, "-data");
    out_ << "<figure class=\"chart\">\n<svg viewBox=\"0 0 ";
    std::ostringstream body;
    const double width = 760;
    double height = 0;
    if (chart.horizontal) {
      height = HorizontalBars(chart, width, body);
    } else {
      height = VerticalBars(chart, width, body);
    }
    out_ << Num(width) << " " << Num(height) << "\" role=\"img\" aria-labelledby=\""
         << title_id << " " << desc_id << "\">\n<title id=\"" << title_id << "\">"
         << Escape(chart.title) << "</title>\n<desc id=\"" << desc_id << "\">"
         << Escape(Description(chart)) << "</desc>\n"
         << "<text x=\"0\" y=\"18\" font-size=\"15\" font-weight=\"bold\">"
         << Escape(FitLabel(chart.title, 15, width)) << "</text>\n"
         << body.str() << "</svg>\n";
    if (!chart.note.empty())
      out_ << "<figcaption>" << Escape(chart.note) << "</figcaption>\n";
    out_ << "</figure>\n";
  }

  // The chart's data as text, for readers who cannot see the bars.
  static std::string Description(const DocChart& chart) {
    std::string out;
    for (size_t c = 0; c < chart.categories.size(); ++c) {
      if (c > 0) out += "; ";
      out += chart.categories[c] + ":";
      for (size_t s = 0; s < chart.series.size(); ++s) {
        const DocSeries& series = chart.series[s];
        const std::optional<double> v =
            c < series.values.size() ? series.values[c] : std::nullopt;
        out += s > 0 ? ", " : " ";
        if (chart.series.size() > 1) out += series.name + " ";
        out += Drawable(v) ? FormatNumberId(*v) : "tidak ditampilkan";
      }
    }
    return out;
  }

  // Legend at `y`; returns the height used.
  double Legend(const DocChart& chart, double y, std::ostream& svg) {
    if (chart.series.size() < 2) return 0;
    double x = 0;
    double row = 0;
    for (size_t s = 0; s < chart.series.size(); ++s) {
      const std::string name = FitLabel(chart.series[s].name, 12, 240);
      const double w = 18 + TextWidth(name, 12) + 20;
      if (x > 0 && x + w > 760) {
        x = 0;
        row += 18;
      }
      svg << "<g class=\"legend\"><rect x=\"" << Num(x) << "\" y=\"" << Num(y + row)
          << "\" width=\"12\" height=\"12\" fill=\"" << Color(internal::SeriesColor(s))
          << "\"/><text x=\"" << Num(x + 18) << "\" y=\"" << Num(y + row + 10.5)
          << "\" font-size=\"12\">" << Escape(name) << "</text></g>\n";
      x += w;
    }
    return row + 24;
  }

  static std::optional<double> ValueAt(const DocSeries& series, size_t c) {
    return c < series.values.size() ? series.values[c] : std::nullopt;
  }

  void Bar(double x, double y, double w, double h, size_t s, const std::string& label,
           std::ostream& svg) {
    svg << "<rect class=\"bar\" x=\"" << Num(x) << "\" y=\"" << Num(y) << "\" width=\""
        << Num(std::max(w, 0.0)) << "\" height=\"" << Num(std::max(h, 0.0))
        << "\" fill=\"" << Color(internal::SeriesColor(s)) << "\"><title>"
        << Escape(label) << "</title></rect>\n";
  }

  static std::string BarLabel(const DocChart& chart, size_t c, size_t s, double v) {
    std::string out = chart.categories[c];
    if (chart.series.size() > 1) out += " — " + chart.series[s].name;
    return out + ": " + FormatNumberId(v);
  }

  double HorizontalBars(const DocChart& chart, double width, std::ostream& svg) {
    const AxisScale scale = internal::ComputeAxisScale(chart);
    double y = 30 + Legend(chart, 30, svg);
    double label_w = 0;
    for (const std::string& c : chart.categories)
      label_w = std::max(label_w, TextWidth(c, 12));
    label_w = std::min(label_w + 8, width * 0.38);
    double value_w = 0;
    for (const DocSeries& s : chart.series)
      for (const auto& v : s.values)
        if (Drawable(v)) value_w = std::max(value_w, TextWidth(FormatNumberId(*v), 11));
    value_w += 8;
    const double x0 = label_w;
    const double plot_w = std::max(width - x0 - value_w, 40.0);
    const size_t ns = std::max<size_t>(chart.series.size(), 1);
    const double bar_h = ns > 1 ? 12 : 16;
    const double group_h = static_cast<double>(ns) * bar_h + 8;
    const double top = y + 4;
    const double plot_h = group_h * static_cast<double>(chart.categories.size());
    auto X = [&](double v) {
      return x0 + (v - scale.lo) / (scale.hi - scale.lo) * plot_w;
    };

    for (int i = 0; i <= scale.Intervals(); ++i) {
      const double t = scale.Tick(i);
      svg << "<line class=\"grid\" x1=\"" << Num(X(t)) << "\" y1=\"" << Num(top)
          << "\" x2=\"" << Num(X(t)) << "\" y2=\"" << Num(top + plot_h) << "\"/>"
          << "<text class=\"axis-label\" x=\"" << Num(X(t)) << "\" y=\""
          << Num(top + plot_h + 15) << "\" font-size=\"11\" text-anchor=\"middle\">"
          << FormatNumberId(t) << "</text>\n";
    }
    for (size_t c = 0; c < chart.categories.size(); ++c) {
      const double gy = top + group_h * static_cast<double>(c);
      svg << "<text x=\"" << Num(x0 - 6) << "\" y=\"" << Num(gy + group_h / 2 + 4)
          << "\" font-size=\"12\" text-anchor=\"end\"><title>"
          << Escape(chart.categories[c]) << "</title>"
          << Escape(FitLabel(chart.categories[c], 12, label_w - 8)) << "</text>\n";
      for (size_t s = 0; s < chart.series.size(); ++s) {
        const double by = gy + 4 + bar_h * static_cast<double>(s);
        const std::optional<double> v = ValueAt(chart.series[s], c);
        if (!Drawable(v)) {
          svg << "<text class=\"missing\" x=\"" << Num(X(0) + 4) << "\" y=\""
              << Num(by + bar_h - 3) << "\" font-size=\"11\">–</text>\n";
          continue;
        }
        const double a = X(std::min(0.0, *v));
        const double b = X(std::max(0.0, *v));
        Bar(a, by + 1, b - a, bar_h - 2, s, BarLabel(chart, c, s, *v), svg);
        svg << "<text x=\"" << Num(b + 4) << "\" y=\"" << Num(by + bar_h - 3)
            << "\" font-size=\"11\">" << FormatNumberId(*v) << "</text>\n";
      }
    }
    svg << "<line class=\"zero\" x1=\"" << Num(X(0)) << "\" y1=\"" << Num(top)
        << "\" x2=\"" << Num(X(0)) << "\" y2=\"" << Num(top + plot_h) << "\"/>\n";
    return top + plot_h + 24;
  }

  double VerticalBars(const DocChart& chart, double width, std::ostream& svg) {
    const AxisScale scale = internal::ComputeAxisScale(chart);
    const double top = 30 + Legend(chart, 30, svg) + 12;
    double axis_w = 0;
    for (int i = 0; i <= scale.Intervals(); ++i)
      axis_w = std::max(axis_w, TextWidth(FormatNumberId(scale.Tick(i)), 11));
    const double x0 = axis_w + 10;
    const double plot_w = width - x0 - 4;
    const double plot_h = 220;
    const size_t nc = std::max<size_t>(chart.categories.size(), 1);
    const size_t ns = std::max<size_t>(chart.series.size(), 1);
    const double slot = plot_w / static_cast<double>(nc);
    const double bar_w = slot * 0.75 / static_cast<double>(ns);
    // Narrow slots get slanted labels, so that long names do not run into each other.
    const bool slant = slot < 90;
    double label_h = 20;
    if (slant) {
      double longest = 0;
      for (const std::string& c : chart.categories)
        longest = std::max(longest, TextWidth(FitLabel(c, 11, 160), 11));
      label_h = longest * 0.72 + 16;
    }
    auto Y = [&](double v) {
      return top + plot_h - (v - scale.lo) / (scale.hi - scale.lo) * plot_h;
    };
    for (int i = 0; i <= scale.Intervals(); ++i) {
      const double t = scale.Tick(i);
      svg << "<line class=\"grid\" x1=\"" << Num(x0) << "\" y1=\"" << Num(Y(t))
          << "\" x2=\"" << Num(x0 + plot_w) << "\" y2=\"" << Num(Y(t))
          << "\"/><text class=\"axis-label\" x=\"" << Num(x0 - 6) << "\" y=\""
          << Num(Y(t) + 4) << "\" font-size=\"11\" text-anchor=\"end\">"
          << FormatNumberId(t) << "</text>\n";
    }
    for (size_t c = 0; c < chart.categories.size(); ++c) {
      const double sx = x0 + slot * static_cast<double>(c);
      const double first = sx + slot * 0.125;
      for (size_t s = 0; s < chart.series.size(); ++s) {
        const double bx = first + bar_w * static_cast<double>(s);
        const std::optional<double> v = ValueAt(chart.series[s], c);
        if (!Drawable(v)) {
          svg << "<text class=\"missing\" x=\"" << Num(bx + bar_w / 2) << "\" y=\""
              << Num(Y(0) - 4) << "\" font-size=\"11\" text-anchor=\"middle\">–</text>\n";
          continue;
        }
        const double a = Y(std::max(0.0, *v));
        const double b = Y(std::min(0.0, *v));
        Bar(bx + 1, a, bar_w - 2, b - a, s, BarLabel(chart, c, s, *v), svg);
        const std::string label = FormatNumberId(*v);
        if (TextWidth(label, 10) <= bar_w + 4) {
          svg << "<text x=\"" << Num(bx + bar_w / 2) << "\" y=\"" << Num(a - 4)
              << "\" font-size=\"10\" text-anchor=\"middle\">" << label << "</text>\n";
        }
      }
      const double lx = sx + slot / 2;
      const double ly = top + plot_h + 16;
      svg << "<text x=\"" << Num(lx) << "\" y=\"" << Num(ly) << "\" font-size=\"11\"";
      if (slant) {
        svg << " text-anchor=\"end\" transform=\"rotate(-40 " << Num(lx) << " " << Num(ly)
            << ")\"";
      } else {
        svg << " text-anchor=\"middle\"";
      }
      svg << "><title>" << Escape(chart.categories[c]) << "</title>"
          << Escape(FitLabel(chart.categories[c], 11, slant ? 160 : slot - 4))
          << "</text>\n";
    }
    svg << "<line class=\"zero\" x1=\"" << Num(x0) << "\" y1=\"" << Num(Y(0))
        << "\" x2=\"" << Num(x0 + plot_w) << "\" y2=\"" << Num(Y(0)) << "\"/>\n";
    return top + plot_h + label_h + 8;
  }

  const Document& doc_;
  std::ostream& out_;
  int chart_count_ = 0;
};

}  // namespace

void WriteHtml(const Document& doc, std::ostream& out) { HtmlWriter(doc, out).Write(); }

absl::Status WriteHtmlFile(const Document& doc, const std::string& path) {
  std::ostringstream out;
  WriteHtml(doc, out);
  return internal::WriteBytesAtomically(path, out.str());
}

}  // namespace gugus::report
