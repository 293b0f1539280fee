// A printable statistical document (the annual report), independent of its format,
// and the writers that turn it into XLSX, printable HTML or PDF.
//
// The document holds only what may be published: every number in it has already
// passed small-cell suppression (report/suppression.h). A suppressed cell is shown as
// "<k" (its `text`), never as a number, and a chart leaves it out.
//
// The writers are pure functions of the document. WriteDocument picks the format from
// the file's extension (.xlsx, .html/.htm, .pdf; InvalidArgument otherwise) and writes
// through a temporary file in the same directory, renamed into place only when
// complete, so a failure (disk full, no permission) never leaves a partial report; it
// answers Unavailable with the path's base name when the file cannot be written.
// Thread-safe: no shared state.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace gugus::report {

// One cell of a table. Numeric cells keep their value so that spreadsheets can sum
// them; `text` is what is shown (formatted with Indonesian digit grouping).
struct DocCell {
  std::string text;
  bool numeric = false;
  double value = 0;
  bool suppressed = false;  // shown as `text` ("<5"), styled apart, never a number
  bool emphasis = false;    // totals rows
};

struct DocTable {
  std::string title;
  std::vector<std::string> columns;
  std::vector<std::vector<DocCell>> rows;  // each row has columns.size() cells
  std::string note;                        // shown under the table
};

// A bar chart of one or more series over the same categories. A missing value
// (suppressed or unknown) is nullopt and is drawn as a gap, labelled in the note.
struct DocSeries {
  std::string name;
  std::vector<std::optional<double>> values;  // one per category
};

struct DocChart {
  std::string title;
  std::vector<std::string> categories;
  std::vector<DocSeries> series;
  bool horizontal = false;  // long category names (provinces) read better sideways
  std::string note;
};

// A headline figure of the summary: "Korban (orang)" — "1.234".
struct DocFigure {
  std::string label;
  std::string value;
  std::string note;  // e.g. "+12% dibanding 2023"
};

struct DocSection {
  std::string title;
  std::vector<std::string> paragraphs;
  std::vector<DocChart> charts;
  std::vector<DocTable> tables;
};

struct Document {
  std::string language = "id";  // BCP 47 tag, for the HTML lang attribute
  std::string title;            // "Laporan Tahunan Data TPPO 2024"
  std::string subtitle;         // "Provinsi Nusa Tenggara Timur"
  std::string generated_at;     // shown in the footer, e.g. "23 November 2026 10.15 WIB"
  std::vector<DocFigure> figures;
  std::vector<DocSection> sections;
  std::vector<std::string> notes;  // methodology and suppression notes, at the end
};

// A count as Indonesian writes it: 12345 → "12.345".
std::string FormatCount(int64_t value);

absl::Status WriteXlsx(const Document& doc, const std::string& path);
absl::Status WritePdf(const Document& doc, const std::string& path);
// Self-contained HTML (inline CSS and SVG charts, no scripts, no network), laid out
// for printing as well as for the screen.
void WriteHtml(const Document& doc, std::ostream& out);
absl::Status WriteHtmlFile(const Document& doc, const std::string& path);
// By extension, as described above.
absl::Status WriteDocument(const Document& doc, const std::string& path);

}  // namespace gugus::report
