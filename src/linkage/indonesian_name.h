// Normalisation and comparison of Indonesian personal names for record linkage.
//
// NormalizeName turns a name as one clerk wrote it into canonical tokens, so that the
// spellings other clerks use for the same person meet: "Hj. SITI AMINAH binti H.
// Oesman", "St. Aminah bt Usman" and "siti aminah" all give the parts
// {"siti", "aminah"}. NameSimilarity scores two normalised names in [0, 1],
// tolerant of part order, a missing part, initials and typos.
//
// Pure functions over static tables; thread-safe. Nothing here fails: any bytes,
// invalid UTF-8 included, give a NormalizedName, which may have no parts (digits or
// punctuation only, or titles only). Results are plain values owned by the caller.
//
// Normalisation rules, applied in this order:
//
//  1. Case and diacritics are folded (gugus::FoldForMatch: NFKC, case fold, marks
//     stripped; "Renée" → "renee"). Apostrophes (' ` ’ ʼ) are removed without
//     splitting ("Syafi'i" → "syafii", "Ma’ruf" → "maruf"); every other character
//     that is not a letter (space, punctuation, digits, symbols) separates tokens.
//     A dot separates tokens too, but "S.Pd." and "H.Usman" are first looked at
//     whole, as written.
//  2. "alias"/"als" and everything after it are dropped ("Budi alias Anto").
//  3. Titles and honorifics are removed wherever they stand, with or without dots:
//     H., Hj., Haji, Hajah, Hajjah, K.H., Dr., dr., Drs., Dra., Ir., Prof., Bpk.,
//     Bapak, Pak, Ibu, Bu, Sdr., Sdri., Sdra., Tn., Ny., Nn., Alm., Almh.,
//     Almarhum(ah), and the degrees that are not also names or initials: S.Pd.,
//     S.Pd.I., S.Kom., S.Ag., S.Sos., S.Kep., S.Ked., S.Kes., S.K.M., S.Farm., S.Psi.,
//     S.Si., S.IP., S.I.Kom., S.Hut., A.Md. (Amd, A.Md.Kep., A.Md.Keb.), A.M.K., M.Pd.,
//     M.Si., M.Kes., M.Kom., M.Ag., M.Sc., M.B.A., M.Hum., M.Kn., Ph.D. "An." (anak,
//     a child) is removed when it opens a longer name. A lone "H." is Haji only in
//     front of another part: before "bin"/"binti" or at the end it is an initial
//     ("H. binti Sahar" is what a clerk left of Hasanah binti Sahar).
//     Degrees that spell a name or initials (S.H., S.E., S.T., S.S., S.P., M.M., M.H.,
//     M.T., M.A.) are removed only after a comma or at the end of the name, where
//     degrees go: "Budi Santoso, S.H." and "Budi Santoso SH" lose "SH", but
//     "St. Aminah" keeps Siti and "M.H. Thamrin" keeps its initials. The same holds
//     for degrees written with a space ("S. Pd"). The first part after the titles
//     is never taken for a degree ("Hj. St" is Siti).
//  4. "bin", "binti", "bt", "bte" and "b." (son/daughter of) split the name: the
//     parts before are the person's, the parts after are the father's, kept apart in
//     `father` (titles removed, canonical spelling) and compared only with another
//     father. A marker needs a part on each side; a lone "b" is read as an
//     initial instead when it is written "B" in a name that has lower-case letters.
//  5. Each token gets the modern (1972) spelling: dj→j, tj→c, sj→sy, oe→u, ch→kh
//     (ch→k before r or l: "Christina" → "kristina"), nj→ny at the start of a
//     token; in a token that shows one of those old spellings, nj→ny and j→y
//     everywhere ("Tjahjono" → "cahyono", "Soejatmi" → "suyatmi"), since in the old
//     spelling j was y. Edge cases, accepted because both sides of a comparison get
//     the same treatment: "oe" that is not old spelling is changed too (Timorese
//     "Foeh" → "fuh", "Noel" → "nul"); modern "nj" inside a token is kept
//     ("Simanjuntak"), so an old-spelling writer's "nj" there is only matched by
//     the phonetic key.
//  6. Common variants get one form: Muhammad, Mohammad, Mohamad, Muhamad,
//     Mochammad, Mochamad, Muchammad, Mohammed, Mohamed, Muhammed, Mohd, Moh, Moch,
//     Much, Muh, Mhd and M. → "muhammad"; Siti, Sitti, St. → "siti"; Nur, Noor, Noer,
//     Nurul → "nur" (Nurul is Nur with the Arabic article and is dropped or added by
//     clerks and by the people themselves); Abdul, Abd., Abdoel → "abdul"; Achmad,
//     Akhmad → "ahmad"; the clerks' shorthand Wyn. → "wayan", Nym. → "nyoman",
//     Kt./Ktut → "ketut", Bq. → "baiq", Yoh. → "yohanes".
//  7. Any other single letter stays as an initial (IsInitial). "M." is not an
//     initial: it is Muhammad (rule 6).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "linkage/string_metrics.h"

namespace gugus::linkage {

struct NormalizedName {
  // Canonical tokens of the person's own name (not the father's), in written order.
  std::vector<std::string> parts;
  // `parts` joined by single spaces; "" when there are none.
  std::string joined;
  // `parts` sorted and joined by single spaces: equal for names that differ only
  // in the order of their parts ("Santoso Budi", "Budi Santoso").
  std::string sorted;
  // First and last of `parts` (the same token for a one-part name; "" for none).
  std::string first;
  std::string last;
  // PhoneticKey of each of `parts`, index for index.
  std::vector<std::string> phonetic;
  // The father's name after bin/binti, canonical tokens joined by spaces; "" when
  // the name has no patronym.
  std::string father;
  // PhoneticKey of each token of `father`, joined by spaces.
  std::string father_phonetic;
};

NormalizedName NormalizeName(std::string_view raw);

// True for a one-letter token such as NormalizeName leaves for an initial ("y",
// also "Y." as written: dots are ignored). False for "", words and "..".
bool IsInitial(std::string_view part);

// True for the parts so common that they say little about who someone is (Muhammad,
// Siti, Nur, Sri, the Balinese birth-order names, …), in normalised form. They count
// half in NameSimilarity, and blocking makes no key of them when a name has others.
bool IsCommonPart(std::string_view part);

// A coarse key for one canonical token (a member of NormalizedName::parts), equal
// for the spellings of a name that Indonesians treat as the same. On top of the
// canonical spelling:
//   kh → h            Khoirul/Choirul, Khadijah/Hadijah, Akhmad/Ahmad
//   h after another consonant is dropped (th, dh, ph, gh, sh, ch), and a final h
//   (not a lone "h", an initial):
//                     Fathurrahman/Faturahman, Ramadhan/Ramadan, Aminah/Amina
//   sy → s, z → s, dz → s       Syamsul/Samsul, Rizki/Riski, Dzikri/Zikri
//   f, v, p → p       Sofyan/Sopian, Yosefina/Yosevina, Yusuf/Yusup (Sundanese p)
//   j → y             Johanes/Yohanes (Dutch j), Joko and Djoko meet as "yoko"
//   q → k, x → ks, ck → k, c → k before r, l or k and in "sc" before a, o, u
//                     Rizqi/Rizki, Cristina/Kristina, Fransiscus/Fransiskus
//   ae → ai           Zaenudin/Zainudin, Saepudin/Saipudin
//   y between a consonant (other than n) and a vowel → i, y after i before a
//   vowel dropped, final y → i, final ie → i
//                     Sofyan/Sofian, Supriyadi/Supriadi, Rizky/Rizki, Dewie/Dewi
//   runs of one letter collapse to one (after the rules above)
//                     Zainuddin/Zainudin, Nurjannah/Nurjanah, Saadah/Sadah
// Bytes outside ASCII pass through unchanged. "" for "".
std::string PhoneticKey(std::string_view part);

// Similarity in [0, 1] of two canonical parts (members of NormalizedName::parts)
// given with their PhoneticKey, as NameSimilarity scores one pair of parts (the
// rule `s` below). Person search uses it to find the indexed parts near a query's.
double PartSimilarity(std::string_view part_a, std::string_view phonetic_a,
                      std::string_view part_b, std::string_view phonetic_b);

// An upper bound of PartSimilarity from the parts and their keys with CharMask
// (string_metrics.h) of each, text then key: exact where PartSimilarity is cheap
// (equal parts or keys, initials), JaroWinklerBound where it would compute
// Jaro-Winkler. Person search scans every indexed part with it and scores only
// the parts that could reach its threshold.
double PartSimilarityBound(std::string_view part_a, std::string_view phonetic_a,
                           uint64_t mask_a, uint64_t phonetic_mask_a,
                           std::string_view part_b, std::string_view phonetic_b,
                           uint64_t mask_b, uint64_t phonetic_mask_b);

// A looser bound of PartSimilarity in constant time, for two parts neither of
// which is an initial, from the Sketch (string_metrics.h) of each part and key:
// the larger of the two JaroWinklerSketchBound. Person search tries it first.
double PartSimilaritySketchBound(const JaroSketch& part_a, const JaroSketch& phonetic_a,
                                 const JaroSketch& part_b, const JaroSketch& phonetic_b);

// Similarity of two names in [0, 1]; 1 for the same parts in any order (and the
// same father or none). Symmetric. 0 when either name has no parts.
//
// Parts are compared pairwise with
//   s = 1 for equal parts;
//       0.85 for an initial against a part that starts with it, 0 against another;
//       max(0.95, JW) for equal phonetic keys;
//       otherwise max(JW, min(0.95, JW of the phonetic keys)),
// with JW the Jaro-Winkler similarity. Each part of the name with fewer parts is
// assigned to a different part of the other, the assignment that maximises
// Σ w·s (exactly for up to 8 parts, greedily beyond; parts after the 16th are
// ignored), where w is the mean of the two parts' weights: 0.5 for the prefixes
// that a large share of people carry (muhammad, siti, nur, abdul, ahmad, sri, the
// Balinese birth-order names and i/ni/luh, the Sasak baiq/lalu), 1 for the rest.
// With the sums over the assigned pairs and U the parts left unassigned,
//   given = Σ w·s / (Σ w + 0.15 · Σ_{u∈U} w_u),
// so that a missing part costs less than a wrong one: "Sumiati" against
// "Sumiati Rahayu" scores 0.87, "Aminah" against "Siti Aminah" 0.93. When the
// parts of both names run together are equal ("Nurhayati" / "Nur Hayati"), given
// is at least 0.97. When both names have a father, with f his similarity (the
// same formula over his parts), the score is given · (1 - 0.5 · (1 - f)): a
// different father lowers it, the same father cannot raise it (brothers share
// him). When only one name has a father it is given / 1.05, since clerks often
// leave "bin ..." out.
//
// Allocates nothing; a few dozen Jaro-Winkler calls for names of three parts.
double NameSimilarity(const NormalizedName& a, const NormalizedName& b);

// A part as NameSimilarity compares it: its canonical text and PhoneticKey (views
// into strings the caller keeps), its weight (0.5 for the common parts, else 1)
// and whether it is an initial. `query` and `id` are NameScorer's.
struct NamePart {
  std::string_view text;
  std::string_view phonetic;
  double weight = 1.0;
  bool initial = false;
  int query = -1;   // NameScorer: the query part's index, -1 for a name's part
  uint32_t id = 0;  // NameScorer: the caller's id of a name's part
};
NamePart MakeNamePart(std::string_view text, std::string_view phonetic, uint32_t id = 0);

// The parts of `name` as NameSimilarity compares them (the first 16), with views
// into `name`, which must outlive them and not move.
std::vector<NamePart> PrepareParts(const NormalizedName& name);

// A number no other call returns, for a caller's numbering of part texts (below).
uint64_t NewPartIdSpace();

// NameSimilarity(a, b) with each name's PrepareParts made beforehand: for callers
// that compare the same names many times (linkage compares each name with dozens).
// A caller that gives each distinct part text its own NamePart::id (not 0) and
// names that numbering with `id_space` (NewPartIdSpace, once per numbering) lets
// the similarity of two parts be computed once and kept for the next names that
// have them, in a small cache of the thread's; 0 keeps nothing.
double NameSimilarity(const NormalizedName& a, std::span<const NamePart> parts_a,
                      const NormalizedName& b, std::span<const NamePart> parts_b,
                      uint64_t id_space = 0);

// An upper bound of NameSimilarity(query, b) for every name b none of whose parts
// is more similar (PartSimilarity) to the query's i-th part than best[i] — except
// a name whose parts run together equal the query's (the compound rule: 0.97 at
// least), which the caller must find otherwise. `best` holds one value per part of
// the query (only the first 16 count, as in NameSimilarity). Person search ranks
// the parts near the query best first and stops once no name left can reach the
// hits it has.
double NameSimilarityBound(const NormalizedName& query, std::span<const double> best);

// NameSimilarity of one query against many names, as person search scores the
// names of an index: the query's parts are prepared once, and the similarity of a
// query part to a name's part is computed once per distinct part, identified by
// its id (equal ids for equal parts, the same numbering for the scorer's life).
// Score(...) is exactly NameSimilarity(query, name) for the name whose canonical
// parts, in written order, are `parts` (made by MakeNamePart, each with its id),
// whose father is `father` (canonical parts joined by spaces, as
// NormalizedName::father) with `father_phonetic`.
// With `ids` given (every id below it), the memo is a table of ids × query parts
// made at once, which is faster to read than the hash map used otherwise.
// Not thread-safe: one scorer per query and thread. Keeps a memo that grows with
// the distinct parts scored.
class NameScorer {
 public:
  explicit NameScorer(const NormalizedName& query, size_t ids = 0);
  ~NameScorer();
  NameScorer(const NameScorer&) = delete;  // its parts point into query_
  NameScorer& operator=(const NameScorer&) = delete;
  double Score(std::span<const NamePart> parts, std::string_view father,
               std::string_view father_phonetic);

 private:
  NormalizedName query_;
  std::vector<std::string_view> sorted_;     // query_'s parts, sorted
  std::unique_ptr<NamePart[]> query_parts_;  // query_'s, as NameSimilarity takes them
  size_t query_count_ = 0;
  size_t query_letters_ = 0;  // bytes of query_'s parts, spaces not counted
  absl::flat_hash_map<uint64_t, double> memo_;  // (query part, id) → similarity
  std::vector<double> table_;  // [id * query_count_ + query part], NaN until known
  std::vector<std::string_view> scratch_;
  std::string joined_;
};

}  // namespace gugus::linkage
