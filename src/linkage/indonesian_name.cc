#include "linkage/indonesian_name.h"

#include <utf8proc.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/text.h"
#include "linkage/string_metrics.h"

namespace gugus::linkage {

namespace {

using SV = std::string_view;

constexpr bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool IsVowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}
constexpr bool IsConsonant(char c) { return IsLower(c) && !IsVowel(c); }

template <size_t N>
bool Contains(const SV (&table)[N], SV key) {
  for (SV entry : table) {
    if (entry == key) return true;
  }
  return false;
}

// Titles, honorifics and degrees that are never a name or a pair of initials,
// written as letters only ("S.Pd." is "spd").
constexpr SV kTitles[] = {
    // Pilgrims, clergy, academics, courtesy.
    "hj", "haji", "hajah", "hajjah", "kh", "dr", "drs", "dra", "ir", "prof", "bpk",
    "bapak", "pak", "ibu", "bu", "sdr", "sdri", "sdra", "tn", "ny", "nn", "alm", "almh",
    "almarhum", "almarhumah",
    // Degrees.
    "spd", "spdi", "skom", "sag", "ssos", "skep", "sked", "skes", "skm", "sfarm", "spsi",
    "ssi", "sip", "sikom", "shut", "amd", "amdkep", "amdkeb", "amk", "mpd", "msi", "mkes",
    "mkom", "mag", "msc", "mba", "mhum", "mkn", "phd"};

// Degrees whose letters are also a name or initials ("St." is Siti, "M.H." may be
// Muhammad H.): removed only where degrees stand.
constexpr SV kTrailingDegrees[] = {"sh", "se", "st", "ss", "sp", "mm", "mh", "mt", "ma"};

constexpr SV kPatronyms[] = {"bin", "binti", "bt", "bte"};

struct Variant {
  SV from, to;
};

// Keys are in modern spelling (ModernSpelling runs first): "Mochammad" arrives
// as "mokhammad", "Noer" as "nur".
constexpr Variant kVariants[] = {
    {"mohammad", "muhammad"},  {"mohamad", "muhammad"},  {"muhamad", "muhammad"},
    {"mokhammad", "muhammad"}, {"mokhamad", "muhammad"}, {"mukhammad", "muhammad"},
    {"mukhamad", "muhammad"},  {"mohammed", "muhammad"}, {"mohamed", "muhammad"},
    {"muhammed", "muhammad"},  {"muhamed", "muhammad"},  {"mohd", "muhammad"},
    {"moh", "muhammad"},       {"mokh", "muhammad"},     {"mukh", "muhammad"},
    {"muh", "muhammad"},       {"mhd", "muhammad"},      {"m", "muhammad"},
    {"sitti", "siti"},         {"st", "siti"},           {"noor", "nur"},
    {"nurul", "nur"},          {"abd", "abdul"},         {"akhmad", "ahmad"},
    {"wyn", "wayan"},          {"nym", "nyoman"},        {"kt", "ketut"},
    {"ktut", "ketut"},         {"bq", "baiq"},           {"yoh", "yohanes"},
};

// Parts so common that they say little about who someone is.
constexpr SV kLightParts[] = {"muhammad", "siti",   "nur",    "abdul", "ahmad",
                              "sri",      "i",      "ni",     "luh",   "wayan",
                              "made",     "nyoman", "ketut",  "putu",  "gede",
                              "kadek",    "komang", "nengah", "baiq",  "lalu"};

constexpr double kInitialScore = 0.85;
constexpr double kPhoneticScore = 0.95;
constexpr double kMissingPart = 0.15;
constexpr double kMissingFather = 0.05;
constexpr double kFatherShare = 0.5;
constexpr double kConcatScore = 0.97;
constexpr double kLightWeight = 0.5;
constexpr size_t kMaxCompared = 16;
constexpr size_t kExactLimit = 8;

bool IsTitle(SV key) { return Contains(kTitles, key); }
bool IsDegreeLike(SV key) { return IsTitle(key) || Contains(kTrailingDegrees, key); }

// --- Tokenising -----------------------------------------------------------------

// A run of text between separators, as written: "S.Pd." or "H.Usman" is one word
// of several pieces.
struct Word {
  std::vector<std::string> pieces;  // the letters between dots
  std::string key;                  // the pieces run together
  bool after_comma = false;         // a comma or semicolon stands before it
  bool upper = false;               // written with an upper-case first letter
  bool dotted = false;              // written with a dot
};

bool IsApostrophe(utf8proc_int32_t cp) {
  return cp == 0x2018 || cp == 0x2019 || cp == 0x201B || cp == 0x02BC || cp == 0x02BB ||
         cp == 0x02B9 || cp == 0x2032;
}

// Latin letters that neither decompose nor case-fold to ASCII.
SV AsciiForLetter(utf8proc_int32_t cp) {
  switch (cp) {
    case 0x00F8:  // ø
      return "o";
    case 0x0111:  // đ
    case 0x00F0:  // ð
      return "d";
    case 0x0142:  // ł
      return "l";
    case 0x00E6:  // æ
      return "ae";
    case 0x0153:  // œ
      return "oe";
    case 0x0131:  // dotless ı
      return "i";
    case 0x00FE:  // þ
      return "th";
    default:
      return {};
  }
}

// ASCII that splits raw text into chunks before folding. Dots and apostrophes stay
// inside a chunk; bytes from 0x80 are left to the folded text.
bool IsChunkSeparator(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u >= 0x80) return false;
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return false;
  return c != '.' && c != '\'' && c != '`';
}

void AddChunk(SV chunk, bool& comma, std::vector<Word>& words) {
  bool ascii = true;
  for (char c : chunk) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  std::string folded;
  if (ascii) {
    folded.assign(chunk);
    for (char& c : folded)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  } else {
    folded = FoldForMatch(chunk);  // repairs invalid UTF-8 as U+FFFD
  }

  Word word;
  word.after_comma = comma;
  word.upper = chunk[0] >= 'A' && chunk[0] <= 'Z';
  std::string piece;
  auto end_piece = [&] {
    if (piece.empty()) return;
    word.key += piece;
    word.pieces.push_back(std::move(piece));
    piece.clear();
  };
  auto end_word = [&] {
    end_piece();
    if (!word.pieces.empty()) words.push_back(std::move(word));
    word = Word{};
    word.after_comma = comma;
  };
  for (size_t i = 0; i < folded.size();) {
    auto c = static_cast<unsigned char>(folded[i]);
    if (c < 0x80) {
      if (IsLower(static_cast<char>(c))) {
        piece += static_cast<char>(c);
      } else if (c == '.') {
        end_piece();
        word.dotted = true;
      } else if (c != '\'' && c != '`') {
        if (c == ',' || c == ';') comma = true;
        end_word();
      }
      ++i;
      continue;
    }
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t len =
        utf8proc_iterate(reinterpret_cast<const uint8_t*>(folded.data() + i),
                         static_cast<utf8proc_ssize_t>(folded.size() - i), &cp);
    if (len <= 0) {  // cannot happen after FoldForMatch; separate to be safe
      end_word();
      ++i;
      continue;
    }
    utf8proc_category_t cat = utf8proc_category(cp);
    if (IsApostrophe(cp)) {
      // dropped, without splitting the word
    } else if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) {
      SV ascii_form = AsciiForLetter(cp);
      if (!ascii_form.empty()) {
        piece += ascii_form;
      } else {
        piece.append(folded, i, static_cast<size_t>(len));
      }
    } else if (cp == 0xFF0C || cp == 0x3001 || cp == 0xFF1B) {  // ， 、 ；
      comma = true;
      end_word();
    } else {
      end_word();
    }
    i += static_cast<size_t>(len);
  }
  end_word();
}

std::vector<Word> SplitWords(SV raw) {
  std::vector<Word> words;
  bool comma = false;
  size_t i = 0;
  while (i < raw.size()) {
    if (IsChunkSeparator(raw[i])) {
      if (raw[i] == ',' || raw[i] == ';') comma = true;
      ++i;
      continue;
    }
    size_t j = i;
    while (j < raw.size() && !IsChunkSeparator(raw[j])) ++j;
    AddChunk(raw.substr(i, j - i), comma, words);
    i = j;
  }
  return words;
}

bool IsMarker(SV key) { return Contains(kPatronyms, key) || key == "b"; }

// Rules 2 and 3 of the header: aliases, titles and degrees out.
void DropTitles(std::vector<Word>& words) {
  for (size_t i = 1; i < words.size(); ++i) {
    if (words[i].key == "alias" || words[i].key == "als") {
      words.resize(i);
      break;
    }
  }

  // A lone "H." is Haji in front of a name; before "binti" or at the end it is
  // what is left of a name ("H. binti Sahar" for Hasanah binti Sahar).
  auto is_title = [&words](size_t i) {
    if (words[i].key == "h") return i + 1 < words.size() && !IsMarker(words[i + 1].key);
    return IsTitle(words[i].key) ||
           (i == 0 && words[i].key == "an" && words[i].dotted && words.size() > 1);
  };
  std::vector<bool> drop(words.size(), false);
  size_t first = 0;  // the first word that is not a title in front of the name
  while (first < words.size() && is_title(first)) ++first;
  // Degrees at the end, one word or a letter and its rest ("S. Pd"); the name's
  // first word stays, so that a name that is only "Se" or "Hj. St" keeps it.
  size_t end = words.size();
  while (end > first + 1) {
    if (end > first + 2 && words[end - 2].key.size() == 1 &&
        IsDegreeLike(words[end - 2].key + words[end - 1].key)) {
      drop[end - 1] = drop[end - 2] = true;
      end -= 2;
      continue;
    }
    if (IsDegreeLike(words[end - 1].key)) {
      drop[--end] = true;
      continue;
    }
    break;
  }
  for (size_t i = 0; i < words.size(); ++i) {
    const Word& w = words[i];
    if (is_title(i)) {
      drop[i] = true;
    } else if (w.after_comma && IsDegreeLike(w.key)) {
      drop[i] = true;
    } else if (w.after_comma && w.key.size() == 1 && i + 1 < words.size() &&
               IsDegreeLike(w.key + words[i + 1].key)) {
      drop[i] = drop[i + 1] = true;
      ++i;
    }
  }
  size_t kept = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    if (drop[i]) continue;
    if (kept != i) words[kept] = std::move(words[i]);
    ++kept;
  }
  words.resize(kept);
}

struct Token {
  std::string text;
  bool upper = false;
};

// Pieces of the remaining words as tokens; titles glued to a name by a dot
// ("H.Usman", "Dr.Budi") go.
std::vector<Token> Tokens(std::vector<Word>& words) {
  std::vector<Token> tokens;
  for (Word& w : words) {
    size_t start = 0;
    if (w.pieces.size() > 1 && (w.pieces[0] == "h" || w.pieces[0] == "hj")) start = 1;
    for (size_t p = start; p < w.pieces.size(); ++p) {
      if (w.pieces[p].size() > 1 && IsTitle(w.pieces[p])) continue;
      tokens.push_back({std::move(w.pieces[p]), p == 0 && w.upper});
    }
  }
  return tokens;
}

// Rule 5 of the header.
std::string ModernSpelling(SV t) {
  bool old = t.size() >= 2 && t[0] == 'n' && t[1] == 'j';
  for (size_t i = 0; i + 1 < t.size() && !old; ++i) {
    char a = t[i], b = t[i + 1];
    old = (b == 'j' && (a == 'd' || a == 't' || a == 's')) || (a == 'o' && b == 'e');
  }
  std::string out;
  out.reserve(t.size() + 2);
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    char next = i + 1 < t.size() ? t[i + 1] : '\0';
    if (c == 'd' && next == 'j') {
      out += 'j';
      ++i;
    } else if (c == 't' && next == 'j') {
      out += 'c';
      ++i;
    } else if (c == 's' && next == 'j') {
      out += "sy";
      ++i;
    } else if (c == 'n' && next == 'j' && (i == 0 || old)) {
      out += "ny";
      ++i;
    } else if (c == 'o' && next == 'e') {
      out += 'u';
      ++i;
    } else if (c == 'c' && next == 'h') {
      char after = i + 2 < t.size() ? t[i + 2] : '\0';
      out += after == 'r' || after == 'l' ? "k" : "kh";  // Christina, not Achmad
      ++i;
    } else if (c == 'j' && old) {
      out += 'y';
    } else {
      out += c;
    }
  }
  return out;
}

std::string Canonical(SV token) {
  std::string s = ModernSpelling(token);
  for (const Variant& v : kVariants) {
    if (s == v.from) return std::string(v.to);
  }
  return s;
}

bool IsPatronym(const Token& t, bool mixed_case) {
  if (Contains(kPatronyms, t.text)) return true;
  // "b." for bin, unless written "B." where the case was kept: an initial.
  return t.text == "b" && !(mixed_case && t.upper);
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += ' ';
    out += p;
  }
  return out;
}

// --- Phonetic key ---------------------------------------------------------------

void AppendPhonetic(SV s, std::string& out) {
  const size_t start = out.size();
  // Runs of one letter collapse as they are written out.
  auto emit = [&](char c) {
    if (out.size() == start || out.back() != c) out.push_back(c);
  };
  const size_t n = s.size();
  for (size_t i = 0; i < n; ++i) {
    const char c = s[i];
    const char next = i + 1 < n ? s[i + 1] : '\0';
    const char prev = i > 0 ? s[i - 1] : '\0';
    if (!IsLower(c)) {
      out.push_back(c);  // other bytes verbatim, never collapsed
      continue;
    }
    switch (c) {
      case 'k':
        if (next == 'h') {
          ++i;
          // A final kh goes like any final h, unless it is all there is.
          if (i + 1 < n || out.size() == start) emit('h');
        } else {
          emit('k');
        }
        break;
      case 'c':
        if (next == 'k') {
          emit('k');
          ++i;
        } else if (next == 'r' || next == 'l' ||
                   (prev == 's' && (next == 'a' || next == 'o' || next == 'u'))) {
          emit('k');
        } else {
          emit('c');
        }
        break;
      case 's':
        emit('s');
        if (next == 'y') ++i;
        break;
      case 'd':
        if (next == 'z') {
          emit('s');
          ++i;
        } else {
          emit('d');
        }
        break;
      case 'z':
        emit('s');
        break;
      case 'q':
        emit('k');
        break;
      case 'x':
        emit('k');
        emit('s');
        break;
      case 'f':
      case 'v':
        emit('p');
        break;
      case 'j':
        emit('y');
        break;
      case 'h': {
        bool first = out.size() == start;
        bool after_consonant = !first && IsConsonant(out.back());
        if (first || (i + 1 < n && !after_consonant)) emit('h');
        break;
      }
      case 'a':
        emit('a');
        if (next == 'e') {
          emit('i');
          ++i;
        }
        break;
      case 'i':
        emit('i');
        if (next == 'e' && i + 2 == n) ++i;
        break;
      case 'y':
        if (i + 1 == n) {
          emit('i');
        } else if (IsVowel(next) && prev == 'i') {
          // "Supriyadi" is "Supriadi"
        } else if (IsVowel(next) && IsConsonant(prev) && prev != 'n') {
          emit('i');
        } else {
          emit('y');
        }
        break;
      default:
        emit(c);
        break;
    }
  }
}

// --- Similarity -----------------------------------------------------------------

using Part = NamePart;

Part MakePart(SV text, SV phonetic) {
  return {text, phonetic, Contains(kLightParts, text) ? kLightWeight : 1.0,
          IsInitial(text)};
}

// The score of the cases that need no Jaro-Winkler: equal parts, initials.
std::optional<double> CheapPartSimilarity(const Part& x, const Part& y) {
  if (x.text == y.text) return 1.0;
  if (x.initial || y.initial) {
    if (x.initial && y.initial) return 0.0;
    const Part& letter = x.initial ? x : y;
    const Part& word = x.initial ? y : x;
    bool starts = word.text.substr(0, letter.text.size()) == letter.text ||
                  (!letter.phonetic.empty() && !word.phonetic.empty() &&
                   word.phonetic[0] == letter.phonetic[0]);
    return starts ? kInitialScore : 0.0;
  }
  return std::nullopt;
}

double PartSimilarity(const Part& x, const Part& y) {
  if (std::optional<double> cheap = CheapPartSimilarity(x, y)) return *cheap;
  double jw = JaroWinkler(x.text, y.text);
  if (!x.phonetic.empty() && x.phonetic == y.phonetic)
    return std::max(jw, kPhoneticScore);
  // Keys that equal their parts would only repeat the first comparison.
  if (jw < kPhoneticScore && (x.phonetic != x.text || y.phonetic != y.text)) {
    jw = std::max(jw, std::min(kPhoneticScore, JaroWinkler(x.phonetic, y.phonetic)));
  }
  return jw;
}

// Numerator and denominator of a score, so that the rule for run-together
// compounds can raise the numerator.
struct Ratio {
  double num = 0.0;
  double den = 0.0;
};

// Best assignment of the parts of the shorter list to the parts of the longer, with
// part_sim(x, y) the similarity of two parts (PartSimilarity, or a memo of it).
template <typename Sim>
Ratio Assign(const Part* a, size_t n, const Part* b, size_t m, const Sim& part_sim) {
  // A fixed order of the two lists makes the result exactly symmetric: the sums
  // are then added in the same order whichever name comes first.
  auto texts_less = [](const Part* x, const Part* y, size_t count) {
    for (size_t i = 0; i < count; ++i) {
      if (x[i].text != y[i].text) return x[i].text < y[i].text;
    }
    return false;
  };
  if (n > m || (n == m && texts_less(b, a, n))) {
    std::swap(a, b);
    std::swap(n, m);
  }
  double sim[kMaxCompared][kMaxCompared];  // weighted part similarity
  double weight_a = 0.0;
  for (size_t i = 0; i < n; ++i) {
    weight_a += a[i].weight;
    for (size_t j = 0; j < m; ++j) {
      sim[i][j] = part_sim(a[i], b[j]) * (a[i].weight + b[j].weight) / 2;
    }
  }
  // The pairs' weights sum to half of A's and the used B's whatever the pairing, so
  // the denominator depends only on which parts of B are used.
  auto denominator = [&](uint32_t used) {
    double den = weight_a / 2;
    for (size_t j = 0; j < m; ++j) {
      den += (used >> j) & 1 ? b[j].weight / 2 : kMissingPart * b[j].weight;
    }
    return den;
  };

  if (m <= kExactLimit) {
    // best[used] is the highest sum for rows 0..popcount(used)-1 over the columns
    // in `used`; -1 marks sets not reached.
    double best[1u << kExactLimit];
    const uint32_t full = 1u << m;
    std::fill(best, best + full, -1.0);
    best[0] = 0.0;
    Ratio result{0.0, 1.0};
    double result_score = -1.0;
    for (uint32_t used = 0; used < full; ++used) {
      if (best[used] < 0) continue;
      size_t row = static_cast<size_t>(std::popcount(used));
      if (row == n) {
        double den = denominator(used);
        if (best[used] / den > result_score) {
          result_score = best[used] / den;
          result = {best[used], den};
        }
        continue;
      }
      for (size_t j = 0; j < m; ++j) {
        if ((used >> j) & 1) continue;
        uint32_t next = used | (1u << j);
        best[next] = std::max(best[next], best[used] + sim[row][j]);
      }
    }
    return result;
  }

  // Long names (garbage, mostly): greedily take the best remaining pair.
  uint32_t used_a = 0, used_b = 0;
  double num = 0.0;
  for (size_t k = 0; k < n; ++k) {
    double top = -1.0;
    size_t ti = 0, tj = 0;
    for (size_t i = 0; i < n; ++i) {
      if ((used_a >> i) & 1) continue;
      for (size_t j = 0; j < m; ++j) {
        if (!((used_b >> j) & 1) && sim[i][j] > top) {
          top = sim[i][j];
          ti = i;
          tj = j;
        }
      }
    }
    used_a |= 1u << ti;
    used_b |= 1u << tj;
    num += top;
  }
  return {num, denominator(used_b)};
}

Ratio Assign(const Part* a, size_t n, const Part* b, size_t m) {
  return Assign(a, n, b, m,
                [](const Part& x, const Part& y) { return PartSimilarity(x, y); });
}

size_t FillParts(const std::vector<std::string>& parts,
                 const std::vector<std::string>& phonetic, Part* out) {
  size_t n = std::min(parts.size(), kMaxCompared);
  for (size_t i = 0; i < n; ++i) {
    out[i] = MakePart(parts[i], i < phonetic.size() ? SV(phonetic[i]) : SV());
  }
  return n;
}

// Tokens of two space-joined strings, in step.
size_t FillJoined(SV text, SV phonetic, Part* out) {
  size_t n = 0;
  while (!text.empty() && n < kMaxCompared) {
    size_t space = text.find(' ');
    size_t pspace = phonetic.find(' ');
    out[n++] = MakePart(text.substr(0, space), phonetic.substr(0, pspace));
    text = space == SV::npos ? SV() : text.substr(space + 1);
    phonetic = pspace == SV::npos ? SV() : phonetic.substr(pspace + 1);
  }
  return n;
}

// Equal once the spaces are gone: "nurhayati" and "nur hayati".
bool SameLetters(SV x, SV y) {
  size_t i = 0, j = 0;
  while (true) {
    while (i < x.size() && x[i] == ' ') ++i;
    while (j < y.size() && y[j] == ' ') ++j;
    if (i == x.size() || j == y.size()) return i == x.size() && j == y.size();
    if (x[i++] != y[j++]) return false;
  }
}

}  // namespace

bool IsInitial(std::string_view part) {
  size_t begin = 0;
  size_t count = 0;
  for (size_t i = 0; i < part.size(); ++i) {
    auto c = static_cast<unsigned char>(part[i]);
    if (c == '.') continue;
    if ((c & 0xC0) == 0x80) continue;  // continuation byte of the same code point
    if (count++ == 0) begin = i;
    if (count > 1) return false;
  }
  if (count != 1) return false;
  auto c = static_cast<unsigned char>(part[begin]);
  return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string PhoneticKey(std::string_view part) {
  std::string out;
  out.reserve(part.size() + 2);
  AppendPhonetic(part, out);
  return out;
}

NormalizedName NormalizeName(std::string_view raw) {
  bool has_upper = false, has_lower = false;
  for (char c : raw) {
    has_upper = has_upper || (c >= 'A' && c <= 'Z');
    has_lower = has_lower || (c >= 'a' && c <= 'z');
  }
  std::vector<Word> words = SplitWords(raw);
  DropTitles(words);
  std::vector<Token> tokens = Tokens(words);

  size_t marker = tokens.size();
  for (size_t i = 1; i + 1 < tokens.size(); ++i) {
    if (IsPatronym(tokens[i], has_upper && has_lower)) {
      marker = i;
      break;
    }
  }

  NormalizedName name;
  for (size_t i = 0; i < marker; ++i) name.parts.push_back(Canonical(tokens[i].text));
  std::vector<std::string> father;
  for (size_t i = marker + 1; i < tokens.size(); ++i) {
    // "Umar bin Khattab" as a father's name: his own patronym goes too.
    if (IsPatronym(tokens[i], has_upper && has_lower)) continue;
    father.push_back(Canonical(tokens[i].text));
  }

  name.joined = Join(name.parts);
  std::vector<std::string> sorted = name.parts;
  std::sort(sorted.begin(), sorted.end());
  name.sorted = Join(sorted);
  if (!name.parts.empty()) {
    name.first = name.parts.front();
    name.last = name.parts.back();
  }
  name.phonetic.reserve(name.parts.size());
  for (const std::string& p : name.parts) name.phonetic.push_back(PhoneticKey(p));
  name.father = Join(father);
  for (const std::string& f : father) {
    if (!name.father_phonetic.empty()) name.father_phonetic += ' ';
    AppendPhonetic(f, name.father_phonetic);
  }
  return name;
}

namespace {

// NameSimilarity once its early answers are ruled out: the parts' assignment,
// raised by the run-together rule when `same_letters`, then the fathers'. Part
// similarity from part_sim.
template <typename Sim>
double Combine(const Part* pa, size_t n, const Part* pb, size_t m, bool same_letters,
               SV father_a, SV father_phonetic_a, SV father_b, SV father_phonetic_b,
               const Sim& part_sim) {
  Ratio r = Assign(pa, n, pb, m, part_sim);
  if (same_letters) r.num = std::max(r.num, kConcatScore * r.den);

  double score = r.num / r.den;
  if (!father_a.empty() && !father_b.empty()) {
    // The same father does not make two given names alike (brothers share him);
    // a different father makes alike given names less so.
    Part fa[kMaxCompared], fb[kMaxCompared];
    size_t fn = FillJoined(father_a, father_phonetic_a, fa);
    size_t fm = FillJoined(father_b, father_phonetic_b, fb);
    Ratio f = Assign(fa, fn, fb, fm);
    score *= 1.0 - kFatherShare * (1.0 - f.num / f.den);
  } else if (!father_a.empty() || !father_b.empty()) {
    score /= 1.0 + kMissingFather;
  }
  return std::clamp(score, 0.0, 1.0);
}

}  // namespace

double NameSimilarity(const NormalizedName& a, const NormalizedName& b) {
  if (a.parts.empty() || b.parts.empty()) return 0.0;
  if (a.sorted == b.sorted && a.father == b.father) return 1.0;
  Part pa[kMaxCompared], pb[kMaxCompared];
  size_t n = FillParts(a.parts, a.phonetic, pa);
  size_t m = FillParts(b.parts, b.phonetic, pb);
  return NameSimilarity(a, {pa, n}, b, {pb, m});
}

std::vector<NamePart> PrepareParts(const NormalizedName& name) {
  std::vector<NamePart> parts(std::min(name.parts.size(), kMaxCompared));
  parts.resize(FillParts(name.parts, name.phonetic, parts.data()));
  return parts;
}

uint64_t NewPartIdSpace() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

double NameSimilarity(const NormalizedName& a, std::span<const NamePart> parts_a,
                      const NormalizedName& b, std::span<const NamePart> parts_b,
                      uint64_t id_space) {
  if (a.parts.empty() || b.parts.empty()) return 0.0;
  if (a.sorted == b.sorted && a.father == b.father) return 1.0;
  const bool same_letters =
      a.parts.size() != b.parts.size() && SameLetters(a.joined, b.joined);
  // Parts with ids recur from pair to pair: their similarities are kept in a small
  // table of this thread's, one slot per hash of the two ids (a newer pair evicts
  // an older one), small enough to stay in the processor's cache. A slot names
  // the numbering its ids come from: another caller's ids mean other parts.
  struct Slot {
    uint64_t space = 0;
    uint64_t key = 0;
    double similarity = 0;
  };
  constexpr int kSlotBits = 15;
  thread_local std::unique_ptr<Slot[]> slots;  // made by the first use that keeps
  auto part_sim = [id_space](const Part& x, const Part& y) {
    if (id_space == 0 || x.id == 0 || y.id == 0) return PartSimilarity(x, y);
    if (!slots) slots.reset(new Slot[size_t{1} << kSlotBits]);
    const uint64_t key = (uint64_t{x.id} << 32) | y.id;
    Slot& slot = slots[((key ^ id_space) * 0x9e3779b97f4a7c15ULL) >> (64 - kSlotBits)];
    if (slot.key != key || slot.space != id_space)
      slot = {id_space, key, PartSimilarity(x, y)};
    return slot.similarity;
  };
  return Combine(parts_a.data(), parts_a.size(), parts_b.data(), parts_b.size(),
                 same_letters, a.father, a.father_phonetic, b.father, b.father_phonetic,
                 part_sim);
}

namespace {
// Tables of finished scorers, for the next scorer on the same thread.
thread_local std::vector<std::vector<double>> spare_tables;
}  // namespace

NameScorer::NameScorer(const NormalizedName& query, size_t ids)
    : query_(query), query_parts_(new NamePart[kMaxCompared]) {
  for (const std::string& p : query_.parts) {
    sorted_.push_back(p);
    query_letters_ += p.size();
  }
  std::sort(sorted_.begin(), sorted_.end());
  query_count_ = FillParts(query_.parts, query_.phonetic, query_parts_.get());
  for (size_t i = 0; i < query_count_; ++i) query_parts_[i].query = static_cast<int>(i);
  if (ids > 0) {
    // A table of a megabyte or more per query: reuse one of this thread's rather
    // than map and unmap fresh memory for every search.
    if (!spare_tables.empty()) {
      table_ = std::move(spare_tables.back());
      spare_tables.pop_back();
    }
    table_.assign(ids * query_count_, std::numeric_limits<double>::quiet_NaN());
  }
}

NameScorer::~NameScorer() {
  if (table_.capacity() > 0 && spare_tables.size() < 2)
    spare_tables.push_back(std::move(table_));
}

double NameScorer::Score(std::span<const NamePart> parts, std::string_view father,
                         std::string_view father_phonetic) {
  const NormalizedName& a = query_;
  if (a.parts.empty() || parts.empty()) return 0.0;
  // The same parts, or the same letters run together, need as many letters on
  // each side: most names have not.
  size_t letters = 0;
  for (const NamePart& p : parts) letters += p.text.size();
  if (letters == query_letters_ && parts.size() == a.parts.size() && father == a.father) {
    scratch_.clear();
    for (const NamePart& p : parts) scratch_.push_back(p.text);
    std::sort(scratch_.begin(), scratch_.end());
    if (scratch_ == sorted_) return 1.0;
  }
  const size_t m = std::min(parts.size(), kMaxCompared);
  bool same_letters = false;
  if (a.parts.size() != parts.size()) {
    if (letters == query_letters_) {
      joined_.clear();
      for (const NamePart& p : parts) {
        if (!joined_.empty()) joined_ += ' ';
        joined_ += p.text;
      }
      same_letters = SameLetters(a.joined, joined_);
    }
  }
  // Assign may swap the two lists: the query's part is the one with an index.
  auto memo = [this](const Part& x, const Part& y) {
    const Part& q = x.query >= 0 ? x : y;
    const Part& other = x.query >= 0 ? y : x;
    uint64_t key = (static_cast<uint64_t>(q.query) << 32) | other.id;
    auto [it, fresh] = memo_.try_emplace(key, 0.0);
    if (fresh) it->second = PartSimilarity(x, y);
    return it->second;
  };
  auto table = [this](const Part& x, const Part& y) {
    const Part& q = x.query >= 0 ? x : y;
    const Part& other = x.query >= 0 ? y : x;
    double& kept = table_[static_cast<size_t>(other.id) * query_count_ +
                          static_cast<size_t>(q.query)];
    if (std::isnan(kept)) kept = PartSimilarity(x, y);
    return kept;
  };
  if (!table_.empty()) {
    return Combine(query_parts_.get(), query_count_, parts.data(), m, same_letters,
                   a.father, a.father_phonetic, father, father_phonetic, table);
  }
  return Combine(query_parts_.get(), query_count_, parts.data(), m, same_letters,
                 a.father, a.father_phonetic, father, father_phonetic, memo);
}

double NameSimilarityBound(const NormalizedName& query, std::span<const double> best) {
  // A pair of parts weighs the mean of their weights, and the name's part may be
  // light or not; a part of the query left unpaired (the name has fewer) costs
  // kMissingPart of its weight in the denominator; the father only lowers the
  // score. So the score is at most the largest r for which some choice, per query
  // part, of pairing it (at best[i], with either weight) or not gives
  // Σ num − r · Σ den ≥ 0; that sum falls as r grows: bisect.
  const size_t n = std::min({query.parts.size(), kMaxCompared, best.size()});
  double weight[kMaxCompared];
  for (size_t i = 0; i < n; ++i) weight[i] = MakePart(query.parts[i], SV()).weight;
  auto reachable = [&](double r) {
    double sum = 0;
    for (size_t i = 0; i < n; ++i) {
      const double heavy = (weight[i] + 1.0) / 2, light = (weight[i] + kLightWeight) / 2;
      sum += std::max(
          {heavy * (best[i] - r), light * (best[i] - r), -r * kMissingPart * weight[i]});
    }
    return sum >= 0;
  };
  double low = 0, high = 1;
  if (n == 0 || reachable(high)) return 1.0;
  for (int step = 0; step < 50; ++step) {
    const double mid = (low + high) / 2;
    (reachable(mid) ? low : high) = mid;
  }
  return std::min(1.0, high + 1e-9);
}

NamePart MakeNamePart(std::string_view text, std::string_view phonetic, uint32_t id) {
  NamePart part = MakePart(text, phonetic);
  part.id = id;
  return part;
}

bool IsCommonPart(std::string_view part) { return Contains(kLightParts, part); }

double PartSimilarity(std::string_view part_a, std::string_view phonetic_a,
                      std::string_view part_b, std::string_view phonetic_b) {
  return PartSimilarity(MakePart(part_a, phonetic_a), MakePart(part_b, phonetic_b));
}

double PartSimilarityBound(std::string_view part_a, std::string_view phonetic_a,
                           uint64_t mask_a, uint64_t phonetic_mask_a,
                           std::string_view part_b, std::string_view phonetic_b,
                           uint64_t mask_b, uint64_t phonetic_mask_b) {
  // The weight plays no part in one pair's score: no look-up of the light parts.
  Part x{part_a, phonetic_a, 1.0, IsInitial(part_a)};
  Part y{part_b, phonetic_b, 1.0, IsInitial(part_b)};
  if (std::optional<double> cheap = CheapPartSimilarity(x, y)) return *cheap;
  double jw = JaroWinklerBound(part_a, mask_a, part_b, mask_b);
  if (!phonetic_a.empty() && phonetic_a == phonetic_b)
    return std::max(jw, kPhoneticScore);
  // As PartSimilarity: the keys count only below kPhoneticScore, and only then.
  if (jw < kPhoneticScore && (phonetic_a != part_a || phonetic_b != part_b)) {
    jw = std::max(
        jw, std::min(kPhoneticScore, JaroWinklerBound(phonetic_a, phonetic_mask_a,
                                                      phonetic_b, phonetic_mask_b)));
  }
  return jw;
}

double PartSimilaritySketchBound(const JaroSketch& part_a, const JaroSketch& phonetic_a,
                                 const JaroSketch& part_b, const JaroSketch& phonetic_b) {
  // Equal parts or keys make each bound 1; otherwise PartSimilarity is at most the
  // larger of the parts' and the keys' Jaro-Winkler.
  return std::max(JaroWinklerSketchBound(part_a, part_b),
                  JaroWinklerSketchBound(phonetic_a, phonetic_b));
}

}  // namespace gugus::linkage
