#include "synth/clerk.h"

#include <array>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace gugus::synth::internal {
namespace {

using SV = std::string_view;

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
char Lower(char c) { return IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
char Upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}
bool IsVowel(char c) {
  c = Lower(c);
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

// Appends `repl`, upper-casing its first letter when the source letter was upper.
void AppendCased(std::string& out, SV repl, bool upper) {
  size_t start = out.size();
  out += repl;
  if (upper) out[start] = Upper(out[start]);
}

struct Variants {
  SV key;
  std::array<SV, 8> forms;  // empty views end the list
};

constexpr Variants kVariants[] = {
    {"Muhammad",
     {"Mohammad", "Muhamad", "Mohamad", "Moh.", "Muh.", "M.", "Mochammad", "Muhamad"}},
    {"Mohammad", {"Muhammad", "Moh.", "M.", "Mohamad"}},
    {"Siti", {"St.", "Sitti", "St", "Siti"}},
    {"Nur", {"Noor", "Noer", "Nur"}},
    {"Abdul", {"Abd.", "Abdoel", "Abd", "Abdul"}},
    {"Ahmad", {"Achmad", "Akhmad", "Ahmat", "Achmad"}},
    {"Yohanes", {"Johanes", "Yohannes", "Yohanis", "Yoh.", "Johannes"}},
    {"Yohana", {"Johana", "Yohanna", "Johanna"}},
    {"Yosefina", {"Yosephina", "Josefina", "Yosefin", "Yosevina"}},
    {"Fransiskus", {"Fransiscus", "Frans", "Fransiskus", "Fr."}},
    {"Agustina", {"Augustina", "Agustin", "Agustine"}},
    {"Agustinus", {"Augustinus", "Agus", "Agustinus"}},
    {"Yosef", {"Yoseph", "Josef", "Joseph"}},
    {"Yoseph", {"Yosef", "Josef"}},
    {"Petrus", {"Piet", "Petrus", "Ptrs"}},
    {"Elisabeth", {"Elisabet", "Elizabeth", "Elisabeth"}},
    {"Margaretha", {"Margareta", "Margaretta", "Margarita"}},
    {"Kristina", {"Christina", "Kristin", "Cristina"}},
    {"Wilhelmus", {"Wilem", "Willem", "Welhelmus"}},
    {"Wilhelmina", {"Welhelmina", "Wilhelmina", "Mina"}},
    {"Zainudin", {"Zainuddin", "Zaenudin", "Zainuddin"}},
    {"Hasanudin", {"Hasanuddin", "Hasanudin"}},
    {"Saepudin", {"Saefudin", "Syaifudin", "Saifudin", "Saepuddin"}},
    {"Sopian", {"Sofyan", "Sopyan", "Sofian"}},
    {"Khadijah", {"Hadijah", "Khodijah", "Chadijah", "Khadijah"}},
    {"Hadijah", {"Khadijah", "Hadija"}},
    {"Syarifah", {"Sarifah", "Syarifa", "Sy."}},
    {"Aisyah", {"Aisah", "Aisya", "Aishah"}},
    {"Fatimah", {"Fatima", "Fatmah", "Fatimah"}},
    {"Aminah", {"Amina", "Aminah"}},
    {"Nurhayati", {"Nur Hayati", "Nurhayatie", "Nurhayati"}},
    {"Nurjanah", {"Nurjannah", "Nur Janah"}},
    {"Nurjannah", {"Nurjanah", "Nur Jannah"}},
    {"Nurhasanah", {"Nur Hasanah", "Nurhasana"}},
    {"Rizki", {"Rizky", "Rizqi", "Riski"}},
    {"Rizky", {"Rizki", "Riski"}},
    {"Syafi'i", {"Syafii", "Safii", "Syafi\u2019i", "Syafi`i"}},
    {"Ma'ruf", {"Maruf", "Ma\u2019ruf", "Makruf"}},
    {"Yanti", {"Yanthi", "Yanty"}},
    {"Dewi", {"Dewie", "Dewy"}},
    {"Wahyuni", {"Wahyunie", "Wahyuny"}},
    {"Yuni", {"Yunie", "Yuny"}},
    {"Ketut", {"Ktut", "Kt."}},
    {"Wayan", {"Wyn.", "W."}},
    {"Nyoman", {"Nym.", "Nyoman"}},
    {"Made", {"Md.", "Made"}},
    {"Putu", {"Pt.", "Putu"}},
    {"Luh", {"Luh", "L."}},
    {"Baiq", {"Bq.", "Baiq", "Baiq."}},
    {"Lalu", {"L.", "Lalu"}},
    {"Maria", {"Mariah", "Maria"}},
    {"Marthen", {"Marten", "Martin"}},
    {"Paulus", {"Paul", "Paulus"}},
    {"Kornelis", {"Cornelis", "Kornelius"}},
    {"Fanggidae", {"Fangidae", "Fanggidae"}},
    {"Nenobais", {"Nenobaes", "Nenobais"}},
    {"Simanjuntak", {"Simanjutak", "Smjtk"}},
    {"Nainggolan", {"Naingolan", "Nainggolan"}},
    {"Hutapea", {"Hutape", "Hutapea"}},
    {"Tjhin", {"Chin", "Tjin"}},
    {"Phang", {"Pang", "Phang"}},
    {"Liem", {"Lim", "Liem"}},
    {"Oei", {"Ui", "Oey"}},
    {"Njoo", {"Nyoo", "Nio"}},
};

bool HasOldSpelling(SV word) {
  for (size_t i = 0; i + 1 < word.size(); ++i) {
    char a = Lower(word[i]), b = Lower(word[i + 1]);
    if ((a == 'o' && b == 'e') || (a == 'd' && b == 'j') || (a == 't' && b == 'j') ||
        (a == 'n' && b == 'j') || (a == 's' && b == 'j')) {
      return true;
    }
  }
  return false;
}

// Old spelling of one pattern only (the first that applies from a random start),
// as a clerk who half-remembers the old form writes it.
bool OldSpellingOnce(Rng& rng, std::string& word) {
  size_t n = word.size();
  if (n == 0) return false;
  size_t start = rng.Below(n);
  for (size_t k = 0; k < n; ++k) {
    size_t i = (start + k) % n;
    char c = Lower(word[i]);
    bool up = IsUpper(word[i]);
    std::string repl;
    if (c == 'u' && i > 0 && !(i + 2 == n && Lower(word[i + 1]) == 's')) {
      // Not the Latin "-us" of Christian names ("Aloysius" stays).
      repl = "oe";
    } else if (c == 'j' && (i == 0 || Lower(word[i - 1]) != 'd')) {
      repl = "dj";
    } else if (c == 'c' && (i + 1 < n) && Lower(word[i + 1]) != 'h') {
      repl = "tj";
    } else {
      continue;
    }
    if (up) repl[0] = Upper(repl[0]);
    word.replace(i, 1, repl);
    return true;
  }
  return false;
}

bool DoubleOrSingle(Rng& rng, std::string& word) {
  // "Zainudin" ↔ "Zainuddin", "Hasanah" ↔ "Hassanah": double a single consonant or
  // single out a doubled one.
  for (size_t i = 1; i + 1 < word.size(); ++i) {
    if (word[i] == word[i + 1] && IsAsciiLetter(word[i]) && !IsVowel(word[i])) {
      word.erase(i, 1);
      return true;
    }
  }
  std::vector<size_t> spots;
  for (size_t i = 2; i + 1 < word.size(); ++i) {
    char c = word[i];
    if (IsAsciiLetter(c) && !IsVowel(c) && IsVowel(word[i - 1]) && IsVowel(word[i + 1]) &&
        c != 'y' && c != 'w' && c != 'h') {
      spots.push_back(i);
    }
  }
  if (spots.empty()) return false;
  size_t i = spots[rng.Below(spots.size())];
  word.insert(i, 1, word[i]);
  return true;
}

bool EndingVariant(std::string& word) {
  size_t n = word.size();
  if (n < 4) return false;
  char last = Lower(word[n - 1]);
  if (last == 'h' && Lower(word[n - 2]) == 'a') {  // Aminah → Amina
    word.pop_back();
    return true;
  }
  if (last == 'i' && !IsVowel(word[n - 2])) {  // Dewi → Dewie
    word += IsUpper(word[n - 1]) ? 'E' : 'e';
    return true;
  }
  if (last == 'y') {  // Rizky → Rizki
    word[n - 1] = IsUpper(word[n - 1]) ? 'I' : 'i';
    return true;
  }
  return false;
}

constexpr std::array<SV, 26> kNeighbours = {
    "qwsz",   "vghn",  "xdfv", "serfcx", "wsdr", "drtgvc", "ftyhbv", "gyujnb", "ujko",
    "huikmn", "jiolm", "kop",  "njk",    "bhjm", "iklp",   "ol",     "wa",     "edft",
    "awedxz", "rfgy",  "yhji", "cfgb",   "qase", "zsdc",   "tghu",   "asx"};

constexpr SV kMonthsId[] = {"Januari",   "Februari", "Maret",    "April",
                            "Mei",       "Juni",     "Juli",     "Agustus",
                            "September", "Oktober",  "November", "Desember"};
constexpr SV kMonthsEn[] = {"January",   "February", "March",    "April",
                            "May",       "June",     "July",     "August",
                            "September", "October",  "November", "December"};
constexpr SV kMonthsIdShort[] = {"Jan", "Feb", "Mar", "Apr", "Mei", "Jun",
                                 "Jul", "Agt", "Sep", "Okt", "Nov", "Des"};

void Append2(int v, std::string& out) {
  out += static_cast<char>('0' + (v / 10) % 10);
  out += static_cast<char>('0' + v % 10);
}
void AppendInt(int v, std::string& out) {
  char buf[12];
  int n = 0;
  if (v < 0) {
    out += '-';
    v = -v;
  }
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v > 0);
  while (n > 0) out += buf[--n];
}
void Append4(int v, std::string& out) {
  if (v < 1000 && v >= 0) {
    out += static_cast<char>('0' + v / 1000);
    out += static_cast<char>('0' + (v / 100) % 10);
    Append2(v % 100, out);
    return;
  }
  AppendInt(v, out);
}

struct Part {
  std::string text;
  enum Kind : uint8_t { kTitle, kGiven, kFamily, kPatronym, kFather } kind;
};

bool IsCore(const Part& p) {
  return p.kind == Part::kGiven || p.kind == Part::kFamily || p.kind == Part::kFather;
}

bool IsDroppablePrefix(SV part) {
  static constexpr SV kPrefixes[] = {"Siti", "Nur",  "Muhammad", "Baiq",  "Lalu", "Luh",
                                     "Utin", "Uray", "Sri",      "Ahmad", "Abdul"};
  for (SV p : kPrefixes) {
    if (part == p) return true;
  }
  return false;
}

void Initial(std::string& part, Rng& rng) {
  if (part.empty() || !IsAsciiLetter(part[0])) return;
  char c = Upper(part[0]);
  part.assign(1, c);
  if (rng.Chance(0.75)) part += '.';
}

void Vary(Rng& rng, std::vector<Part>& parts, double noise) {
  auto core_count = [&parts] {
    int n = 0;
    for (const Part& p : parts) n += IsCore(p) ? 1 : 0;
    return n;
  };
  auto random_core = [&](bool exclude_father) -> Part* {
    int candidates[16];
    int n = 0;
    for (size_t i = 0; i < parts.size() && n < 16; ++i) {
      if (IsCore(parts[i]) && !(exclude_father && parts[i].kind == Part::kFather)) {
        candidates[n++] = static_cast<int>(i);
      }
    }
    if (n == 0) return nullptr;
    return &parts[static_cast<size_t>(candidates[rng.Below(static_cast<uint64_t>(n))])];
  };

  if (rng.Chance(0.16 * noise)) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      Part* p = random_core(false);
      if (p != nullptr && SpellingVariant(rng, p->text)) break;
    }
  }
  if (rng.Chance(0.07 * noise) && core_count() >= 2) {
    // Drop a part: a prefix (Siti, Muhammad), a middle or last given name, or the
    // family name.
    std::vector<size_t> given;
    size_t family = parts.size();
    for (size_t i = 0; i < parts.size(); ++i) {
      if (parts[i].kind == Part::kGiven) given.push_back(i);
      if (parts[i].kind == Part::kFamily) family = i;
    }
    size_t victim = parts.size();
    if (given.size() >= 2 && IsDroppablePrefix(parts[given[0]].text) && rng.Chance(0.6)) {
      victim = given[0];
    } else if (family < parts.size() && rng.Chance(0.3)) {
      victim = family;
    } else if (given.size() >= 2) {
      victim = given[1 + rng.Below(given.size() - 1)];
    } else if (family < parts.size()) {
      victim = family;
    }
    if (victim < parts.size()) {
      bool was_father = parts[victim].kind == Part::kFather;
      parts.erase(parts.begin() + static_cast<ptrdiff_t>(victim));
      if (was_father) {  // never leave a dangling "binti"
        for (size_t i = 0; i < parts.size(); ++i) {
          if (parts[i].kind == Part::kPatronym) {
            parts.erase(parts.begin() + static_cast<ptrdiff_t>(i));
            break;
          }
        }
      }
    }
  }
  if (rng.Chance(0.05 * noise) && core_count() >= 2) {
    // Abbreviate a part that is not the last core part: "Maria Y. Manek".
    std::vector<size_t> spots;
    size_t last_core = 0;
    for (size_t i = 0; i < parts.size(); ++i) {
      if (IsCore(parts[i])) last_core = i;
    }
    for (size_t i = 0; i < last_core; ++i) {
      if (parts[i].kind == Part::kGiven && parts[i].text.size() > 2) spots.push_back(i);
    }
    if (!spots.empty()) Initial(parts[spots[rng.Below(spots.size())]].text, rng);
  }
  if (rng.Chance(0.025 * noise) && core_count() >= 2) {
    size_t family = parts.size();
    size_t first_given = parts.size();
    for (size_t i = 0; i < parts.size(); ++i) {
      if (parts[i].kind == Part::kFamily) family = i;
      if (parts[i].kind == Part::kGiven && first_given == parts.size()) first_given = i;
    }
    if (family < parts.size() && first_given < family) {
      // Family name first, as on some registers: "Manek Maria", "MANEK, Maria".
      Part moved = std::move(parts[family]);
      parts.erase(parts.begin() + static_cast<ptrdiff_t>(family));
      if (rng.Chance(0.25)) moved.text += ',';
      parts.insert(parts.begin() + static_cast<ptrdiff_t>(first_given), std::move(moved));
    } else if (first_given + 1 < parts.size() &&
               parts[first_given + 1].kind == Part::kGiven) {
      std::swap(parts[first_given].text, parts[first_given + 1].text);
    }
  }
  if (rng.Chance(0.03 * noise)) {
    // Join two given names ("Sri Wahyuni" → "Sriwahyuni") or split a compound
    // ("Nurhayati" → "Nur Hayati").
    for (size_t i = 0; i < parts.size(); ++i) {
      Part& p = parts[i];
      if (p.kind != Part::kGiven) continue;
      if (i + 1 < parts.size() && parts[i + 1].kind == Part::kGiven &&
          p.text.size() <= 5 && rng.Chance(0.5)) {
        std::string next = parts[i + 1].text;
        if (!next.empty()) next[0] = Lower(next[0]);
        p.text += next;
        parts.erase(parts.begin() + static_cast<ptrdiff_t>(i + 1));
        break;
      }
      for (SV prefix : {SV("Nur"), SV("Sri"), SV("Siti")}) {
        if (p.text.size() > prefix.size() + 3 &&
            SV(p.text).substr(0, prefix.size()) == prefix &&
            !IsUpper(p.text[prefix.size()])) {
          std::string rest = p.text.substr(prefix.size());
          rest[0] = Upper(rest[0]);
          p.text.resize(prefix.size());
          parts.insert(parts.begin() + static_cast<ptrdiff_t>(i + 1),
                       Part{std::move(rest), Part::kGiven});
          i = parts.size();
          break;
        }
      }
    }
  }
  if (rng.Chance(0.055 * noise)) {
    if (Part* p = random_core(false)) Typo(rng, p->text);
    if (rng.Chance(0.15)) {
      if (Part* p = random_core(false)) Typo(rng, p->text);
    }
  }
}

void Join(const std::vector<Part>& parts, Rng& rng, std::string& out) {
  out.clear();
  for (const Part& p : parts) {
    if (p.text.empty()) continue;
    if (!out.empty()) out += ' ';
    out += p.text;
  }
  if (rng.Chance(0.015)) {
    size_t space = out.find(' ');
    if (space != std::string::npos) out.insert(space, 1, ' ');
  }
  if (rng.Chance(0.008)) out += ' ';
}

}  // namespace

std::string OldSpelling(std::string_view word) {
  std::string out;
  out.reserve(word.size() + 4);
  size_t n = word.size();
  for (size_t i = 0; i < n; ++i) {
    char c = Lower(word[i]);
    char next = i + 1 < n ? Lower(word[i + 1]) : '\0';
    bool up = IsUpper(word[i]);
    if (c == 'n' && next == 'y') {
      AppendCased(out, "nj", up);
      ++i;
    } else if (c == 's' && next == 'y') {
      AppendCased(out, "sj", up);
      ++i;
    } else if (c == 'k' && next == 'h') {
      AppendCased(out, "ch", up);
      ++i;
    } else if (c == 'u' && !(i > 0 && Lower(word[i - 1]) == 'a')) {
      AppendCased(out, "oe", up);
    } else if (c == 'j') {
      AppendCased(out, "dj", up);
    } else if (c == 'c') {
      AppendCased(out, "tj", up);
    } else if (c == 'y' && IsVowel(next)) {
      AppendCased(out, "j", up);
    } else {
      out += word[i];
    }
  }
  return out;
}

std::string ModernSpelling(std::string_view word) {
  std::string out;
  out.reserve(word.size());
  size_t n = word.size();
  for (size_t i = 0; i < n; ++i) {
    char c = Lower(word[i]);
    char next = i + 1 < n ? Lower(word[i + 1]) : '\0';
    bool up = IsUpper(word[i]);
    if (c == 'd' && next == 'j') {
      AppendCased(out, "j", up);
      ++i;
    } else if (c == 't' && next == 'j') {
      AppendCased(out, "c", up);
      ++i;
    } else if (c == 'n' && next == 'j') {
      AppendCased(out, "ny", up);
      ++i;
    } else if (c == 's' && next == 'j') {
      AppendCased(out, "sy", up);
      ++i;
    } else if (c == 'o' && next == 'e') {
      AppendCased(out, "u", up);
      ++i;
    } else if (c == 'c' && next == 'h') {
      AppendCased(out, "kh", up);
      ++i;
    } else if (c == 'j') {
      AppendCased(out, "y", up);
    } else {
      out += word[i];
    }
  }
  return out;
}

bool SpellingVariant(Rng& rng, std::string& part) {
  for (const Variants& v : kVariants) {
    if (part != v.key) continue;
    size_t count = 0;
    while (count < v.forms.size() && !v.forms[count].empty()) ++count;
    for (int attempt = 0; attempt < 4; ++attempt) {
      SV form = v.forms[rng.Below(count)];
      if (form != part) {
        part.assign(form);
        return true;
      }
    }
    return false;
  }
  if (HasOldSpelling(part)) {
    std::string modern = ModernSpelling(part);
    if (modern != part) {
      part = std::move(modern);
      return true;
    }
  }
  double x = rng.Unit();
  if (x < 0.4) {
    if (OldSpellingOnce(rng, part)) return true;
  } else if (x < 0.75) {
    if (DoubleOrSingle(rng, part)) return true;
  }
  return EndingVariant(part);
}

void Typo(Rng& rng, std::string& text) {
  size_t letters[64];
  size_t n = 0;
  for (size_t i = 0; i < text.size() && n < 64; ++i) {
    if (IsAsciiLetter(text[i])) letters[n++] = i;
  }
  if (n < 3) return;
  size_t i = letters[rng.Below(n)];
  switch (rng.Below(4)) {
    case 0: {  // transposition with the next letter
      if (i + 1 < text.size() && IsAsciiLetter(text[i + 1]) &&
          Lower(text[i]) != Lower(text[i + 1])) {
        bool up0 = IsUpper(text[i]);
        char a = Lower(text[i]), b = Lower(text[i + 1]);
        bool up1 = IsUpper(text[i + 1]);
        text[i] = up0 ? Upper(b) : b;
        text[i + 1] = up1 ? Upper(a) : a;
        return;
      }
      [[fallthrough]];
    }
    case 1: {  // keyboard neighbour
      SV near = kNeighbours[static_cast<size_t>(Lower(text[i]) - 'a')];
      char c = near[rng.Below(near.size())];
      text[i] = IsUpper(text[i]) ? Upper(c) : c;
      return;
    }
    case 2:  // deletion
      text.erase(i, 1);
      return;
    default:  // doubled letter
      text.insert(i, 1, Lower(text[i]));
      return;
  }
}

void UpperUtf8(std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 'a' && c <= 'z') {
      text[i] = static_cast<char>(c - 32);
    } else if (c == 0xC3 && i + 1 < text.size()) {
      unsigned char d = static_cast<unsigned char>(text[i + 1]);
      if (d >= 0xA0 && d <= 0xBE && d != 0xB7) text[i + 1] = static_cast<char>(d - 0x20);
      ++i;
    }
  }
}

void LowerUtf8(std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 'A' && c <= 'Z') {
      text[i] = static_cast<char>(c + 32);
    } else if (c == 0xC3 && i + 1 < text.size()) {
      unsigned char d = static_cast<unsigned char>(text[i + 1]);
      if (d >= 0x80 && d <= 0x9E && d != 0x97) text[i + 1] = static_cast<char>(d + 0x20);
      ++i;
    }
  }
}

std::string TitleCase(std::string_view text) {
  std::string out(text);
  LowerUtf8(out);
  bool start = true;
  for (char& c : out) {
    if (start && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    start = c == ' ' || c == '-' || c == '(' || c == '.';
  }
  return out;
}

void RenderName(Rng& rng, const PersonName& name, double noise, std::string& out) {
  std::vector<Part> parts;
  parts.reserve(8);
  if (!name.title.empty() && rng.Chance(0.5)) parts.push_back({name.title, Part::kTitle});
  for (const std::string& g : name.given) parts.push_back({g, Part::kGiven});
  if (!name.family.empty()) parts.push_back({name.family, Part::kFamily});
  if (!name.patronym.empty() && rng.Chance(0.72)) {
    SV word = name.patronym;
    double x = rng.Unit();
    if (word == "binti") {
      word = x < 0.75   ? SV("binti")
             : x < 0.87 ? SV("bt.")
             : x < 0.95 ? SV("bt")
                        : SV("Binti");
    } else {
      word = x < 0.85 ? SV("bin") : x < 0.93 ? SV("b.") : SV("Bin");
    }
    parts.push_back({std::string(word), Part::kPatronym});
    // A father's two-part name is one core part for dropping purposes.
    parts.push_back({name.father, Part::kFather});
  }
  Vary(rng, parts, noise);
  Join(parts, rng, out);
}

void RenderPlainName(Rng& rng, std::string_view name, double noise, std::string& out) {
  out.assign(name);
  if (rng.Chance(0.05 * noise)) Typo(rng, out);
  if (rng.Chance(0.08 * noise)) {
    // Drop what follows the last space but keep "alias ..." readable.
    size_t alias = out.find(" alias ");
    if (alias != std::string::npos && rng.Chance(0.5)) {
      out.resize(alias);
    } else {
      size_t space = out.find(' ');
      if (space != std::string::npos && alias == std::string::npos) {
        size_t second = out.find(' ', space + 1);
        if (second == std::string::npos) out.resize(space);
      }
    }
  }
}

void AppendDate(Rng& rng, int year, int month, int day, DateFormat format,
                std::string& out) {
  int m = month < 1 ? 1 : month > 12 ? 12 : month;
  switch (format) {
    case DateFormat::kIso:
      Append4(year, out);
      out += '-';
      Append2(month, out);
      out += '-';
      Append2(day, out);
      return;
    case DateFormat::kSlash:
    case DateFormat::kDash:
    case DateFormat::kDot: {
      char sep = format == DateFormat::kSlash  ? '/'
                 : format == DateFormat::kDash ? '-'
                                               : '.';
      Append2(day, out);
      out += sep;
      Append2(month, out);
      out += sep;
      Append4(year, out);
      return;
    }
    case DateFormat::kSlashLoose:
      AppendInt(day, out);
      out += '/';
      AppendInt(month, out);
      out += '/';
      Append4(year, out);
      return;
    case DateFormat::kLongId:
      AppendInt(day, out);
      out += ' ';
      out += kMonthsId[m - 1];
      out += ' ';
      Append4(year, out);
      return;
    case DateFormat::kShortId: {
      AppendInt(day, out);
      out += ' ';
      SV name = kMonthsIdShort[m - 1];
      if (m == 8 && rng.Chance(0.5)) name = "Agu";
      if (m == 11 && rng.Chance(0.15)) name = "Nop";
      out += name;
      out += ' ';
      Append4(year, out);
      return;
    }
    case DateFormat::kLongEn:
      AppendInt(day, out);
      out += ' ';
      out += kMonthsEn[m - 1];
      out += ' ';
      Append4(year, out);
      return;
  }
}

void AppendPhone(std::string_view digits, int format, std::string& out) {
  // digits: "81234567890" (operator prefix 8xx then the subscriber number).
  auto grouped = [&](char sep) {
    // 812-3456-7890: the prefix of three, then groups of four (last takes the rest).
    out.append(digits.substr(0, 3));
    size_t i = 3;
    while (i < digits.size()) {
      out += sep;
      size_t len = digits.size() - i <= 5 ? digits.size() - i : 4;
      out.append(digits.substr(i, len));
      i += len;
    }
  };
  switch (format) {
    case 0:
      out += '0';
      out.append(digits);
      return;
    case 1:
      out += '0';
      grouped('-');
      return;
    case 2:
      out += "+62 ";
      grouped('-');
      return;
    case 3:
      out += "62";
      out.append(digits);
      return;
    case 4:
      out += "+62";
      out.append(digits);
      return;
    default:
      out += '0';
      grouped(' ');
      return;
  }
}

void CorruptDigits(Rng& rng, std::string& digits) {
  if (digits.size() < 2) return;
  std::string before = digits;
  for (int attempt = 0; attempt < 8 && digits == before; ++attempt) {
    size_t i = rng.Below(digits.size());
    if (rng.Chance(0.4) && i + 1 < digits.size()) {
      std::swap(digits[i], digits[i + 1]);
    } else {
      char c = static_cast<char>('0' + rng.Below(10));
      digits[i] = c;
    }
  }
  if (digits == before)
    digits[0] = digits[0] == '9' ? '8' : static_cast<char>(digits[0] + 1);
}

}  // namespace gugus::synth::internal
