// The PDF form of the document, for printing and for filing as the official annual
// report. Cairo draws, Pango shapes every piece of text (so names in any script and
// long words wrap correctly), and a small flow layout breaks pages.

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/strcat.h"
#include "report/document.h"
#include "report/document_internal.h"

namespace gugus::report {
namespace {

using internal::Drawable;
using internal::FormatNumberId;

// A4 portrait in PDF points.
constexpr double kPageWidth = 595;
constexpr double kPageHeight = 842;
constexpr double kMargin = 50;
constexpr double kLeft = kMargin;
constexpr double kTop = kMargin;
constexpr double kWidth = kPageWidth - 2 * kMargin;
// Content stops above the footer.
constexpr double kBottom = kPageHeight - kMargin - 14;

constexpr unsigned kInk = 0x1A1A1A;
constexpr unsigned kMuted = 0x4A4A4A;
constexpr unsigned kSuppressed = 0x595959;
constexpr unsigned kRule = 0xC8CED6;
constexpr unsigned kGrid = 0xD5DAE0;
constexpr unsigned kBand = 0xF3F5F8;
constexpr unsigned kHead = 0xE1E8F0;
constexpr unsigned kAccent = 0x1F5F8B;

struct Style {
  double size = 10;
  bool bold = false;
  bool italic = false;
  unsigned color = kInk;
};

constexpr Style kTitle{20, true, false, kInk};
constexpr Style kSubtitle{13, false, false, kMuted};
constexpr Style kHeading{14, true, false, kInk};
constexpr double kHeadingSpace = 10;  // above and below a heading
constexpr Style kBody{10, false, false, kInk};
constexpr Style kSmall{8, false, false, kMuted};
constexpr Style kSmallItalic{8, false, true, kMuted};
constexpr Style kCaption{9.5, true, false, kInk};
constexpr Style kCell{8, false, false, kInk};
constexpr Style kLabel{7.5, false, false, kInk};

struct LayoutUnref {
  void operator()(PangoLayout* layout) const { g_object_unref(layout); }
};
using Layout = std::unique_ptr<PangoLayout, LayoutUnref>;

cairo_status_t AppendToString(void* closure, const unsigned char* data,
                              unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

class PdfWriter {
 public:
  PdfWriter(const Document& doc, cairo_t* cr, cairo_surface_t* surface)
      : doc_(doc), cr_(cr), surface_(surface), context_(pango_cairo_create_context(cr)) {
    // Pango assumes 96 dpi screens; at 72 dpi its points are PDF points.
    pango_cairo_context_set_resolution(context_, 72);
    cairo_font_options_t* options = cairo_font_options_create();
    // Hinted metrics would snap glyph advances to a screen grid and shift text.
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(context_, options);
    cairo_font_options_destroy(options);
  }
  ~PdfWriter() { g_object_unref(context_); }
  PdfWriter(const PdfWriter&) = delete;
  PdfWriter& operator=(const PdfWriter&) = delete;

  void Render() {
    y_ = kTop;
    TitleBlock();
    if (!doc_.figures.empty()) Figures();
    for (const DocSection& section : doc_.sections) Section(section);
    if (!doc_.notes.empty()) Notes();
    Footer();
    cairo_show_page(cr_);
  }

 private:
  // --- text -------------------------------------------------------------------------

  Layout MakeLayout(std::string_view text, const Style& style, double width = -1,
                    PangoAlignment align = PANGO_ALIGN_LEFT, int max_lines = 0) const {
    Layout layout(pango_layout_new(context_));
    PangoFontDescription* font = pango_font_description_new();
    pango_font_description_set_family(font, "DejaVu Sans");
    pango_font_description_set_absolute_size(font, style.size * PANGO_SCALE);
    pango_font_description_set_weight(
        font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(
        font, style.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_layout_set_font_description(layout.get(), font);
    pango_font_description_free(font);
    if (width > 0) {
      pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
      pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
      if (max_lines > 0) {
        pango_layout_set_height(layout.get(), -max_lines);
        pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
      }
    }
    pango_layout_set_alignment(layout.get(), align);
    const std::string clean = internal::ValidUtf8(text);
    pango_layout_set_text(layout.get(), clean.data(), static_cast<int>(clean.size()));
    return layout;
  }

  static double Height(const Layout& layout) {
    int w = 0;
    int h = 0;
    pango_layout_get_size(layout.get(), &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }
  static double Width(const Layout& layout) {
    int w = 0;
    int h = 0;
    pango_layout_get_size(layout.get(), &w, &h);
    return static_cast<double>(w) / PANGO_SCALE;
  }
  // Natural single-line width of a text.
  double TextWidth(std::string_view text, const Style& style) const {
    return Width(MakeLayout(text, style));
  }

  void SetColor(unsigned rgb) {
    cairo_set_source_rgb(cr_, ((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0,
                         (rgb & 0xFF) / 255.0);
  }

  void Draw(const Layout& layout, double x, double y, unsigned color) {
    SetColor(color);
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, layout.get());
  }

  // Text across the full width (less `indent`), kept with a pending heading.
  void Flow(std::string_view text, const Style& style, double space_after,
            double indent = 0) {
    if (text.empty()) return;
    const Layout layout = MakeLayout(text, style, kWidth - indent);
    PangoRectangle first;
    pango_layout_line_get_extents(pango_layout_get_line_readonly(layout.get(), 0),
                                  nullptr, &first);
    EnsureSpace(static_cast<double>(first.height) / PANGO_SCALE);
    FlowLayout(layout, style, space_after, indent);
  }

  // Line by line, so that a long paragraph continues on the next page instead of
  // running off this one.
  void FlowLayout(const Layout& layout, const Style& style, double space_after,
                  double indent) {
    PangoLayoutIter* it = pango_layout_get_iter(layout.get());
    double origin = y_;  // page y of the layout's top, less what earlier pages took
    double skipped = 0;  // layout height placed on earlier pages
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      const double line_top = static_cast<double>(logical.y) / PANGO_SCALE;
      const double height = static_cast<double>(logical.height) / PANGO_SCALE;
      if (origin + line_top - skipped + height > kBottom &&
          origin + line_top - skipped > kTop) {
        NewPage();
        skipped = line_top;
        origin = y_;
      }
      const double baseline =
          static_cast<double>(pango_layout_iter_get_baseline(it)) / PANGO_SCALE;
      SetColor(style.color);
      cairo_move_to(cr_, kLeft + indent + static_cast<double>(logical.x) / PANGO_SCALE,
                    origin + baseline - skipped);
      pango_cairo_show_layout_line(cr_, pango_layout_iter_get_line_readonly(it));
      y_ = origin + line_top - skipped + height;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    y_ += space_after;
  }

  // --- pages ------------------------------------------------------------------------

  void Footer() {
    cairo_save(cr_);
    const double y = kPageHeight - kMargin - 4;
    SetColor(kRule);
    cairo_set_line_width(cr_, 0.5);
    cairo_move_to(cr_, kLeft, y);
    cairo_line_to(cr_, kLeft + kWidth, y);
    cairo_stroke(cr_);
    const Layout page = MakeLayout(StrCat("Halaman ", page_), kSmall);
    Draw(page, kLeft + kWidth - Width(page), y + 4, kMuted);
    const Layout title =
        MakeLayout(doc_.title, kSmall, kWidth - Width(page) - 20, PANGO_ALIGN_LEFT, 1);
    Draw(title, kLeft, y + 4, kMuted);
    cairo_restore(cr_);
  }

  void NewPage() {
    Footer();
    cairo_show_page(cr_);
    ++page_;
    y_ = kTop;
  }

  // Starts a new page unless `height` — and the heading waiting for its first
  // block, which must not be left alone at the foot of a page — still fits on this
  // one (or this page is empty, where waiting would not help). Then places the
  // heading.
  void EnsureSpace(double height) {
    std::optional<Layout> heading;
    if (pending_heading_) {
      heading = MakeLayout(*pending_heading_, kHeading, kWidth);
      height += Height(*heading) + kHeadingSpace;
    }
    if (y_ + height > kBottom && y_ > kTop) NewPage();
    if (heading) {
      Outline(*pending_heading_);
      pending_heading_.reset();
      y_ += 4;
      FlowLayout(*heading, kHeading, 6, 0);
    }
  }

  void Outline(std::string_view name) {
    const std::string clean = internal::ValidUtf8(name.empty() ? "-" : name);
    const std::string target =
        fmt::format("page={} pos=[{:.0f} {:.0f}]", page_, kLeft, y_);
    cairo_pdf_surface_add_outline(surface_, CAIRO_PDF_OUTLINE_ROOT, clean.c_str(),
                                  target.c_str(),
                                  static_cast<cairo_pdf_outline_flags_t>(0));
  }

  // Drawn by the next EnsureSpace, together with the start of what it heads.
  void Heading(std::string_view text) { pending_heading_ = std::string(text); }

  void Rule(unsigned color, double width) {
    SetColor(color);
    cairo_set_line_width(cr_, width);
    cairo_move_to(cr_, kLeft, y_);
    cairo_line_to(cr_, kLeft + kWidth, y_);
    cairo_stroke(cr_);
  }

  // --- blocks -----------------------------------------------------------------------

  void TitleBlock() {
    Flow(doc_.title, kTitle, 4);
    Flow(doc_.subtitle, kSubtitle, 4);
    if (!doc_.generated_at.empty()) Flow("Dibuat " + doc_.generated_at, kSmall, 0);
    y_ += 8;
    Rule(kAccent, 1.5);
    y_ += 14;
  }

  void Figures() {
    Heading("Ringkasan");
    constexpr int kPerRow = 3;
    constexpr double kGap = 10;
    constexpr double kPad = 8;
    const double card_w = (kWidth - kGap * (kPerRow - 1)) / kPerRow;
    const double inner = card_w - 2 * kPad;
    for (size_t first = 0; first < doc_.figures.size(); first += kPerRow) {
      const size_t last = std::min(first + kPerRow, doc_.figures.size());
      struct Card {
        Layout label, value, note;
      };
      std::vector<Card> cards;
      double row_h = 0;
      for (size_t i = first; i < last; ++i) {
        const DocFigure& f = doc_.figures[i];
        Card card{MakeLayout(f.label, Style{8.5, false, false, kMuted}, inner),
                  MakeLayout(f.value, Style{17, true, false, kInk}, inner),
                  MakeLayout(f.note, kSmall, inner)};
        double h = 2 * kPad + Height(card.label) + 4 + Height(card.value);
        if (!f.note.empty()) h += 2 + Height(card.note);
        row_h = std::max(row_h, h);
        cards.push_back(std::move(card));
      }
      EnsureSpace(row_h);
      for (size_t i = 0; i < cards.size(); ++i) {
        const double x = kLeft + static_cast<double>(i) * (card_w + kGap);
        cairo_rectangle(cr_, x, y_, card_w, row_h);
        SetColor(kBand);
        cairo_fill_preserve(cr_);
        SetColor(kRule);
        cairo_set_line_width(cr_, 0.75);
        cairo_stroke(cr_);
        double y = y_ + kPad;
        Draw(cards[i].label, x + kPad, y, kMuted);
        y += Height(cards[i].label) + 4;
        Draw(cards[i].value, x + kPad, y, kInk);
        y += Height(cards[i].value) + 2;
        if (!doc_.figures[first + i].note.empty())
          Draw(cards[i].note, x + kPad, y, kMuted);
      }
      y_ += row_h + kGap;
    }
    y_ += 6;
  }

  void Section(const DocSection& section) {
    Heading(section.title);
    for (const std::string& p : section.paragraphs) Flow(p, kBody, 6);
    for (const DocChart& chart : section.charts) Chart(chart);
    for (const DocTable& table : section.tables) Table(table);
    EnsureSpace(0);  // an empty section still shows its heading
    y_ += 8;
  }

  void Notes() {
    Heading("Catatan");
    for (size_t i = 0; i < doc_.notes.size(); ++i) {
      Flow(StrCat(i + 1, ". ", doc_.notes[i]), Style{9, false, false, kInk}, 4);
    }
  }

  // --- tables -----------------------------------------------------------------------

  // Column widths filling the text width: columns narrower than an equal share keep
  // their natural width, the rest share what remains in proportion to their content.
  static std::vector<double> ColumnWidths(const std::vector<double>& natural) {
    const size_t n = natural.size();
    double total = 0;
    for (const double w : natural) total += w;
    std::vector<double> widths(n, 0);
    if (total <= kWidth) {
      for (size_t c = 0; c < n; ++c) widths[c] = natural[c] + (kWidth - total) / n;
      return widths;
    }
    std::vector<bool> fixed(n, false);
    double remaining = kWidth;
    size_t open = n;
    for (bool changed = true; changed && open > 0;) {
      changed = false;
      const double share = remaining / static_cast<double>(open);
      for (size_t c = 0; c < n; ++c) {
        if (!fixed[c] && natural[c] <= share) {
          fixed[c] = true;
          widths[c] = natural[c];
          remaining -= natural[c];
          --open;
          changed = true;
        }
      }
    }
    double open_total = 0;
    for (size_t c = 0; c < n; ++c)
      if (!fixed[c]) open_total += natural[c];
    for (size_t c = 0; c < n; ++c)
      if (!fixed[c]) widths[c] = remaining * natural[c] / open_total;
    return widths;
  }

  static Style CellStyle(const DocCell& cell, bool bold) {
    Style style = kCell;
    style.bold = bold;
    if (cell.suppressed) {
      style.italic = true;
      style.color = kSuppressed;
    }
    return style;
  }

  void Table(const DocTable& table) {
    constexpr double kPadX = 4;
    constexpr double kPadY = 2.5;
    const size_t n = table.columns.size();
    const Layout title = MakeLayout(table.title, kCaption, kWidth);
    const double title_h = table.title.empty() ? 0 : Height(title) + 4;
    if (n == 0) {
      Flow(table.title, kCaption, 4);
      Flow(table.note, kSmallItalic, 10);
      return;
    }
    Style head_style = kCell;
    head_style.bold = true;
    std::vector<bool> right(n, false);
    std::vector<double> natural(n, 0);
    for (size_t c = 0; c < n; ++c) {
      natural[c] = TextWidth(table.columns[c], head_style);
    }
    for (const auto& row : table.rows) {
      const bool bold = RowBold(row);
      for (size_t c = 0; c < row.size() && c < n; ++c) {
        natural[c] =
            std::max(natural[c], TextWidth(row[c].text, CellStyle(row[c], bold)));
        right[c] = right[c] || row[c].numeric || row[c].suppressed;
      }
    }
    for (double& w : natural) w += 2 * kPadX;
    const std::vector<double> widths = ColumnWidths(natural);

    auto cell_layouts = [&](const std::vector<std::string>& texts,
                            const std::vector<Style>& styles, double* height) {
      std::vector<Layout> layouts;
      *height = 0;
      for (size_t c = 0; c < n; ++c) {
        layouts.push_back(MakeLayout(c < texts.size() ? texts[c] : "", styles[c],
                                     std::max(widths[c] - 2 * kPadX, 4.0),
                                     right[c] ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT));
        *height = std::max(*height, Height(layouts.back()));
      }
      *height += 2 * kPadY;
      return layouts;
    };
    auto draw_cells = [&](const std::vector<Layout>& layouts,
                          const std::vector<Style>& styles) {
      double x = kLeft;
      for (size_t c = 0; c < n; ++c) {
        Draw(layouts[c], x + kPadX, y_ + kPadY, styles[c].color);
        x += widths[c];
      }
    };
    const std::vector<Style> head_styles(n, head_style);
    double head_h = 0;
    const std::vector<Layout> head = cell_layouts(table.columns, head_styles, &head_h);
    auto draw_header = [&] {
      cairo_rectangle(cr_, kLeft, y_, kWidth, head_h);
      SetColor(kHead);
      cairo_fill(cr_);
      draw_cells(head, head_styles);
      y_ += head_h;
      SetColor(0x8A96A3);
      cairo_set_line_width(cr_, 1);
      cairo_move_to(cr_, kLeft, y_);
      cairo_line_to(cr_, kLeft + kWidth, y_);
      cairo_stroke(cr_);
    };

    // The title, the header and the first row stay together.
    double first_h = 0;
    if (!table.rows.empty()) {
      std::vector<std::string> texts;
      std::vector<Style> styles;
      RowContent(table.rows[0], n, &texts, &styles);
      cell_layouts(texts, styles, &first_h);
    }
    EnsureSpace(title_h + head_h + first_h);
    if (!table.title.empty()) {
      Draw(title, kLeft, y_, kCaption.color);
      y_ += title_h;
    }
    draw_header();
    for (size_t r = 0; r < table.rows.size(); ++r) {
      std::vector<std::string> texts;
      std::vector<Style> styles;
      RowContent(table.rows[r], n, &texts, &styles);
      double row_h = 0;
      const std::vector<Layout> cells = cell_layouts(texts, styles, &row_h);
      if (y_ + row_h > kBottom && y_ > kTop) {
        NewPage();
        // Readers of a continued table need to know what it is and what the columns are.
        const std::string again =
            table.title.empty() ? "(lanjutan)" : StrCat(table.title, " (lanjutan)");
        Flow(again, kSmallItalic, 3);
        draw_header();
      }
      if (r % 2 == 1) {
        cairo_rectangle(cr_, kLeft, y_, kWidth, row_h);
        SetColor(kBand);
        cairo_fill(cr_);
      }
      if (RowBold(table.rows[r])) {
        SetColor(0x8A96A3);
        cairo_set_line_width(cr_, 1);
        cairo_move_to(cr_, kLeft, y_);
        cairo_line_to(cr_, kLeft + kWidth, y_);
        cairo_stroke(cr_);
      }
      draw_cells(cells, styles);
      y_ += row_h;
    }
    SetColor(kRule);
    cairo_set_line_width(cr_, 0.5);
    cairo_move_to(cr_, kLeft, y_);
    cairo_line_to(cr_, kLeft + kWidth, y_);
    cairo_stroke(cr_);
    y_ += 4;
    Flow(table.note, kSmallItalic, 0);
    y_ += 10;
  }

  static bool RowBold(const std::vector<DocCell>& row) {
    return std::any_of(row.begin(), row.end(),
                       [](const DocCell& c) { return c.emphasis; });
  }

  // Exactly `columns` texts and styles, whatever the row's length, so that a ragged
  // row draws blanks instead of reading past its end.
  static void RowContent(const std::vector<DocCell>& row, size_t columns,
                         std::vector<std::string>* texts, std::vector<Style>* styles) {
    const bool bold = RowBold(row);
    for (size_t c = 0; c < columns; ++c) {
      // Only the shown text is ever drawn; a suppressed cell's value is not looked at.
      texts->push_back(c < row.size() ? row[c].text : "");
      styles->push_back(c < row.size() ? CellStyle(row[c], bold) : kCell);
    }
  }

  // --- charts -----------------------------------------------------------------------

  // Legend entries wrapped over lines; draws them at y_ when `draw`. Returns the height.
  double Legend(const DocChart& chart, bool draw) {
    if (chart.series.size() < 2) return 0;
    const Style style{8, false, false, kInk};
    double x = 0;
    double y = 0;
    double line_h = 0;
    for (size_t s = 0; s < chart.series.size(); ++s) {
      const Layout name =
          MakeLayout(chart.series[s].name, style, kWidth - 12, PANGO_ALIGN_LEFT, 1);
      const double w = 12 + Width(name) + 14;
      if (x > 0 && x + w > kWidth) {
        x = 0;
        y += line_h + 3;
      }
      line_h = std::max(line_h, Height(name));
      if (draw) {
        cairo_rectangle(cr_, kLeft + x, y_ + y + 1.5, 8, 8);
        SetColor(internal::SeriesColor(s));
        cairo_fill(cr_);
        Draw(name, kLeft + x + 12, y_ + y, kInk);
      }
      x += w;
    }
    return y + line_h + 6;
  }

  void Chart(const DocChart& chart) {
    const Layout title = MakeLayout(chart.title, kCaption, kWidth);
    const double title_h = Height(title) + 4;
    if (chart.categories.empty() || chart.series.empty()) {
      Flow(chart.title, kCaption, 4);
      Flow("Tidak ada data untuk grafik ini.", kSmallItalic, 10);
      return;
    }
    const internal::AxisScale scale = internal::ComputeAxisScale(chart);
    const size_t nc = chart.categories.size();
    // Column charts need room under each column for its label; when categories are
    // too many for that, bars read better sideways.
    double axis_w = 0;
    for (int i = 0; i <= scale.Intervals(); ++i)
      axis_w = std::max(axis_w, TextWidth(FormatNumberId(scale.Tick(i)), kLabel));
    const double slot = (kWidth - axis_w - 6) / static_cast<double>(nc);
    if (chart.horizontal || slot < 28) {
      HorizontalChart(chart, scale, title, title_h);
    } else {
      ColumnChart(chart, scale, title, title_h, axis_w + 6, slot);
    }
    if (!chart.note.empty()) Flow(chart.note, kSmallItalic, 0);
    y_ += 12;
  }

  void HorizontalChart(const DocChart& chart, const internal::AxisScale& scale,
                       const Layout& title, double title_h) {
    const size_t nc = chart.categories.size();
    const size_t ns = chart.series.size();
    double label_w = 0;
    for (const std::string& c : chart.categories)
      label_w = std::max(label_w, TextWidth(c, kLabel));
    label_w = std::min(label_w, kWidth * 0.35) + 6;
    double value_w = 0;
    for (const DocSeries& s : chart.series)
      for (const auto& v : s.values)
        if (Drawable(v))
          value_w = std::max(value_w, TextWidth(FormatNumberId(*v), kLabel));
    value_w += 6;
    const double x0 = kLeft + label_w;
    const double plot_w = std::max(kWidth - label_w - value_w, 40.0);
    const double bar_h = ns > 1 ? 7 : 10;
    const double group_h = std::max(static_cast<double>(ns) * bar_h + 5, 11.0);
    constexpr double kAxisH = 12;
    auto X = [&](double v) {
      return x0 + (v - scale.lo) / (scale.hi - scale.lo) * plot_w;
    };

    const double legend_h = Legend(chart, false);
    EnsureSpace(title_h + legend_h + group_h * std::min<double>(nc, 3) + kAxisH);
    Draw(title, kLeft, y_, kCaption.color);
    y_ += title_h;
    Legend(chart, true);
    y_ += legend_h;

    for (size_t first = 0; first < nc;) {
      size_t fit = static_cast<size_t>(std::max(0.0, (kBottom - y_ - kAxisH) / group_h));
      if (fit < std::min<size_t>(3, nc - first) && y_ > kTop) {
        NewPage();
        Flow(StrCat(chart.title, " (lanjutan)"), kSmallItalic, 3);
        continue;
      }
      fit = std::max<size_t>(fit, 1);
      const size_t last = std::min(nc, first + fit);
      const double top = y_;
      const double bottom = top + group_h * static_cast<double>(last - first);
      cairo_set_line_width(cr_, 0.5);
      for (int i = 0; i <= scale.Intervals(); ++i) {
        const double x = X(scale.Tick(i));
        SetColor(kGrid);
        cairo_move_to(cr_, x, top);
        cairo_line_to(cr_, x, bottom);
        cairo_stroke(cr_);
        const Layout tick = MakeLayout(FormatNumberId(scale.Tick(i)), kLabel);
        Draw(tick, x - Width(tick) / 2, bottom + 2, kMuted);
      }
      for (size_t c = first; c < last; ++c) {
        const double gy = top + group_h * static_cast<double>(c - first);
        const Layout label =
            MakeLayout(chart.categories[c], kLabel, label_w - 6, PANGO_ALIGN_RIGHT, 1);
        Draw(label, kLeft, gy + (group_h - Height(label)) / 2, kInk);
        for (size_t s = 0; s < ns; ++s) {
          const double by = gy + 2.5 + bar_h * static_cast<double>(s);
          const std::optional<double> v = c < chart.series[s].values.size()
                                              ? chart.series[s].values[c]
                                              : std::nullopt;
          if (!Drawable(v)) {
            const Layout dash = MakeLayout("–", kLabel);
            Draw(dash, X(0) + 3, by + (bar_h - Height(dash)) / 2, kMuted);
            continue;
          }
          const double a = X(std::min(0.0, *v));
          const double b = X(std::max(0.0, *v));
          cairo_rectangle(cr_, a, by + 0.5, b - a, bar_h - 1);
          SetColor(internal::SeriesColor(s));
          cairo_fill(cr_);
          const Layout value = MakeLayout(FormatNumberId(*v), kLabel);
          Draw(value, b + 3, by + (bar_h - Height(value)) / 2, kInk);
        }
      }
      SetColor(kMuted);
      cairo_set_line_width(cr_, 0.75);
      cairo_move_to(cr_, X(0), top);
      cairo_line_to(cr_, X(0), bottom);
      cairo_stroke(cr_);
      y_ = bottom + kAxisH + 2;
      first = last;
    }
  }

  void ColumnChart(const DocChart& chart, const internal::AxisScale& scale,
                   const Layout& title, double title_h, double axis_w, double slot) {
    const size_t nc = chart.categories.size();
    const size_t ns = chart.series.size();
    constexpr double kPlotH = 160;
    const Style label_style{7, false, false, kInk};
    std::vector<Layout> labels;
    double label_h = 0;
    for (const std::string& c : chart.categories) {
      labels.push_back(MakeLayout(c, label_style, slot - 2, PANGO_ALIGN_CENTER, 3));
      label_h = std::max(label_h, Height(labels.back()));
    }
    const double legend_h = Legend(chart, false);
    EnsureSpace(title_h + legend_h + 10 + kPlotH + 4 + label_h);
    Draw(title, kLeft, y_, kCaption.color);
    y_ += title_h;
    Legend(chart, true);
    y_ += legend_h + 10;  // room for the value label of the tallest column
    const double top = y_;
    const double x0 = kLeft + axis_w;
    auto Y = [&](double v) {
      return top + kPlotH - (v - scale.lo) / (scale.hi - scale.lo) * kPlotH;
    };
    cairo_set_line_width(cr_, 0.5);
    for (int i = 0; i <= scale.Intervals(); ++i) {
      const double y = Y(scale.Tick(i));
      SetColor(kGrid);
      cairo_move_to(cr_, x0, y);
      cairo_line_to(cr_, kLeft + kWidth, y);
      cairo_stroke(cr_);
      const Layout tick = MakeLayout(FormatNumberId(scale.Tick(i)), kLabel);
      Draw(tick, x0 - 4 - Width(tick), y - Height(tick) / 2, kMuted);
    }
    const double bar_w = slot * 0.75 / static_cast<double>(ns);
    for (size_t c = 0; c < nc; ++c) {
      const double sx = x0 + slot * static_cast<double>(c);
      for (size_t s = 0; s < ns; ++s) {
        const double bx = sx + slot * 0.125 + bar_w * static_cast<double>(s);
        const std::optional<double> v =
            c < chart.series[s].values.size() ? chart.series[s].values[c] : std::nullopt;
        if (!Drawable(v)) {
          const Layout dash = MakeLayout("–", kLabel);
          Draw(dash, bx + (bar_w - Width(dash)) / 2, Y(0) - Height(dash) - 1, kMuted);
          continue;
        }
        const double a = Y(std::max(0.0, *v));
        const double b = Y(std::min(0.0, *v));
        cairo_rectangle(cr_, bx + 0.5, a, bar_w - 1, b - a);
        SetColor(internal::SeriesColor(s));
        cairo_fill(cr_);
        const Layout value =
            MakeLayout(FormatNumberId(*v), Style{6.5, false, false, kInk});
        if (Width(value) <= bar_w + 4) {
          Draw(value, bx + (bar_w - Width(value)) / 2, a - Height(value) - 1, kInk);
        }
      }
      Draw(labels[c], sx + 1, top + kPlotH + 3, kInk);
    }
    SetColor(kMuted);
    cairo_set_line_width(cr_, 0.75);
    cairo_move_to(cr_, x0, Y(0));
    cairo_line_to(cr_, kLeft + kWidth, Y(0));
    cairo_stroke(cr_);
    y_ = top + kPlotH + 3 + label_h + 4;
  }

  const Document& doc_;
  cairo_t* cr_;
  cairo_surface_t* surface_;
  PangoContext* context_;
  double y_ = kTop;
  int page_ = 1;
  std::optional<std::string> pending_heading_;
};

}  // namespace

absl::Status WritePdf(const Document& doc, const std::string& path) {
  std::string bytes;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(AppendToString, &bytes,
                                                                 kPageWidth, kPageHeight);
  cairo_status_t status = cairo_surface_status(surface);
  if (status == CAIRO_STATUS_SUCCESS) {
    const std::string title = internal::ValidUtf8(doc.title);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title.c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "gugus");
    cairo_t* cr = cairo_create(surface);
    if (cairo_status(cr) == CAIRO_STATUS_SUCCESS) PdfWriter(doc, cr, surface).Render();
    status = cairo_status(cr);
    cairo_destroy(cr);
    // The PDF trailer is written, and late errors surface, only when finishing.
    cairo_surface_finish(surface);
    if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(surface);
  }
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    return internal::WriteError("cannot render", path, cairo_status_to_string(status));
  }
  return internal::WriteBytesAtomically(path, bytes);
}

}  // namespace gugus::report
