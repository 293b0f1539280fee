#include "ingest/reference_files.h"

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <list>
#include <nlohmann/json.hpp>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/status.h"
#include "core/text.h"

namespace gugus::ingest {
namespace {

namespace fs = std::filesystem;

constexpr char kInstallRegions[] =
    "install it with `npm install idn-area-data` in the project root, or set "
    "GUGUS_REF_DIR to its data folder";
constexpr char kInstallIsoCodes[] =
    "install Debian's iso-codes package (apt-get install iso-codes)";

// The whole file, or NotFound naming it and how to get it.
absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     const std::string& install) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    return absl::NotFoundError(absl::StrCat(path, " not found; ", install));
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::PermissionDeniedError(absl::StrCat("cannot read ", path));
  std::string bytes;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0)
    bytes.append(buffer, static_cast<size_t>(in.gcount()));
  if (in.bad()) return absl::DataLossError(absl::StrCat("error reading ", path));
  return bytes;
}

// One record of a small, trusted-format CSV (RFC 4180 quoting: "a, b" and "Ra""as").
// Fields are views into `text`, or into `scratch` for the rare quoted field with
// doubled quotes. Advances `pos`; false at the end of `text`.
bool NextRecord(std::string_view text, size_t& pos, std::vector<std::string_view>& fields,
                std::list<std::string>& scratch, bool& unterminated) {
  fields.clear();
  scratch.clear();
  unterminated = false;
  if (pos >= text.size()) return false;
  while (true) {
    std::string_view field;
    if (pos < text.size() && text[pos] == '"') {
      size_t begin = ++pos;
      bool doubled = false;
      while (true) {
        size_t quote = text.find('"', pos);
        if (quote == std::string_view::npos) {
          unterminated = true;
          pos = text.size();
          fields.push_back(text.substr(begin));
          return true;
        }
        if (quote + 1 < text.size() && text[quote + 1] == '"') {
          doubled = true;
          pos = quote + 2;
          continue;
        }
        field = text.substr(begin, quote - begin);
        pos = quote + 1;
        break;
      }
      if (doubled) {
        std::string& unescaped = scratch.emplace_back();
        for (size_t i = 0; i < field.size(); ++i) {
          unescaped.push_back(field[i]);
          if (field[i] == '"') ++i;  // the second of a pair
        }
        field = unescaped;
      }
      // Anything between the closing quote and the delimiter is kept, as
      // spreadsheets do.
      size_t end = text.find_first_of(",\r\n", pos);
      if (end == std::string_view::npos) end = text.size();
      if (end > pos) {
        std::string& joined = scratch.emplace_back(field);
        joined.append(text.substr(pos, end - pos));
        field = joined;
      }
      pos = end;
    } else {
      size_t end = text.find_first_of(",\r\n", pos);
      if (end == std::string_view::npos) end = text.size();
      field = text.substr(pos, end - pos);
      pos = end;
    }
    fields.push_back(field);
    if (pos >= text.size()) return true;
    char c = text[pos++];
    if (c == ',') continue;
    if (c == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
    return true;
  }
}

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// "32.02.01" has the shape of a code at `level` (2, 2, 2 and 4 digits per part)
// and lies under `parent`.
bool CodeFits(std::string_view code, RegionLevel level, std::string_view parent) {
  size_t width = level == RegionLevel::kVillage ? 4 : 2;
  if (level == RegionLevel::kProvince) return code.size() == 2 && IsDigits(code);
  return code.size() == parent.size() + 1 + width &&
         code.substr(0, parent.size()) == parent && code[parent.size()] == '.' &&
         IsDigits(code.substr(parent.size() + 1));
}

struct LevelFile {
  const char* file;
  RegionLevel level;
  const char* parent_column;  // nullptr for provinces
};

constexpr LevelFile kLevelFiles[] = {
    {"provinces.csv", RegionLevel::kProvince, nullptr},
    {"regencies.csv", RegionLevel::kRegency, "province_code"},
    {"districts.csv", RegionLevel::kDistrict, "regency_code"},
    {"villages.csv", RegionLevel::kVillage, "district_code"},
};

// Appends the regions of one idn-area-data file; every parent must already be in
// `known` (provinces first, then regencies, ...).
absl::Status LoadLevel(const std::string& dir, const LevelFile& spec,
                       std::vector<Region>& out, std::unordered_set<std::string>& known) {
  std::string path = (fs::path(dir) / spec.file).string();
  GUGUS_ASSIGN_OR_RETURN(
      std::string text,
      ReadFile(path, absl::StrCat("idn-area-data is missing; ", kInstallRegions)));
  std::string_view view = text;
  if (view.substr(0, 3) == "\xEF\xBB\xBF") view.remove_prefix(3);

  auto damaged = [&](size_t line, const std::string& why) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ":", line, ": ", why, " (damaged idn-area-data file?)"));
  };

  size_t pos = 0;
  size_t line = 1;
  std::vector<std::string_view> fields;
  std::list<std::string> scratch;
  bool unterminated = false;
  if (!NextRecord(view, pos, fields, scratch, unterminated))
    return damaged(1, "empty file");
  int code_col = -1, name_col = -1, parent_col = -1;
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string key = HeaderKey(fields[i]);
    if (key == "code") code_col = static_cast<int>(i);
    if (key == "name") name_col = static_cast<int>(i);
    if (spec.parent_column != nullptr && key == HeaderKey(spec.parent_column))
      parent_col = static_cast<int>(i);
  }
  if (code_col < 0 || name_col < 0 || (spec.parent_column != nullptr && parent_col < 0))
    return damaged(1, absl::StrCat("expected the columns code, ",
                                   spec.parent_column ? spec.parent_column : "",
                                   spec.parent_column ? ", " : "", "name"));
  size_t columns = fields.size();
  std::string last_parent;

  while (NextRecord(view, pos, fields, scratch, unterminated)) {
    ++line;
    if (unterminated) return damaged(line, "unterminated quote");
    if (fields.size() == 1 && Trim(fields[0]).empty()) continue;  // blank line
    if (fields.size() != columns)
      return damaged(line, absl::StrCat(fields.size(), " fields, expected ", columns));
    std::string_view code = Trim(fields[code_col]);
    std::string_view parent = parent_col < 0 ? "ID" : Trim(fields[parent_col]);
    std::string_view name = Trim(fields[name_col]);
    if (!CodeFits(code, spec.level, parent))
      return damaged(line, absl::StrCat("bad code \"", std::string(code), "\" under \"",
                                        std::string(parent), "\""));
    // The files are sorted, so the parent is usually the previous row's.
    if (parent_col >= 0 && parent != last_parent) {
      if (!known.contains(std::string(parent)))
        return damaged(line,
                       absl::StrCat("unknown parent \"", std::string(parent), "\""));
      last_parent = parent;
    }
    if (name.empty()) return damaged(line, "empty name");
    Region region;
    region.level = spec.level;
    region.code = std::string(code);
    region.parent_code = std::string(parent);
    region.name = std::string(name);
    if (!known.insert(region.code).second)
      return damaged(line, absl::StrCat("duplicate code \"", region.code, "\""));
    out.push_back(std::move(region));
  }
  return absl::OkStatus();
}

// A gettext .mo catalogue as msgid → msgstr (no contexts, first plural form).
// Every offset is checked against the file size.
absl::StatusOr<std::unordered_map<std::string, std::string>> ParseMo(
    std::string_view bytes, const std::string& path) {
  auto damaged = [&](const char* why) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a valid gettext catalogue (", why, ")"));
  };
  if (bytes.size() < 20) return damaged("too short");
  auto u32 = [&](size_t at, bool big) -> uint32_t {
    auto b = [&](size_t i) {
      return static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + i]));
    };
    return big ? (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3)
               : (b(3) << 24) | (b(2) << 16) | (b(1) << 8) | b(0);
  };
  bool big = false;
  if (u32(0, false) != 0x950412deu) {
    if (u32(0, true) != 0x950412deu) return damaged("bad magic number");
    big = true;
  }
  uint32_t revision = u32(4, big);
  if ((revision >> 16) > 1) return damaged("unknown major revision");
  uint64_t count = u32(8, big);
  uint64_t originals = u32(12, big);
  uint64_t translations = u32(16, big);
  if (originals + count * 8 > bytes.size() || translations + count * 8 > bytes.size())
    return damaged("string tables out of bounds");

  auto string_at = [&](uint64_t table, uint64_t i, std::string_view* out) -> bool {
    uint64_t length = u32(static_cast<size_t>(table + i * 8), big);
    uint64_t offset = u32(static_cast<size_t>(table + i * 8 + 4), big);
    if (offset + length > bytes.size()) return false;
    *out = bytes.substr(static_cast<size_t>(offset), static_cast<size_t>(length));
    return true;
  };
  std::unordered_map<std::string, std::string> catalogue;
  catalogue.reserve(static_cast<size_t>(count));
  for (uint64_t i = 0; i < count; ++i) {
    std::string_view id, str;
    if (!string_at(originals, i, &id) || !string_at(translations, i, &str))
      return damaged("string out of bounds");
    if (id.empty() || id.find('\x04') != std::string_view::npos)
      continue;  // header, contexts
    id = id.substr(0, id.find('\0'));
    str = str.substr(0, str.find('\0'));
    if (str.empty() || !IsValidUtf8(str)) continue;
    catalogue.emplace(std::string(id), std::string(str));
  }
  return catalogue;
}

bool IsUpperAscii(std::string_view s, size_t length) {
  if (s.size() != length) return false;
  for (char c : s)
    if (c < 'A' || c > 'Z') return false;
  return true;
}

// Where the Indonesian translation in iso-codes is not what Indonesia writes.
constexpr std::pair<std::string_view, std::string_view> kIndonesianNameFixes[] = {
    {"TL", "Timor Leste"},  // the catalogue has "Timor Timur", the pre-1999 province
};

}  // namespace

std::string DefaultRegionDataDir() {
  const fs::path rel = fs::path("node_modules") / "idn-area-data" / "data";
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("GUGUS_REF_DIR"); env != nullptr && *env != '\0')
    candidates.emplace_back(env);
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (!ec) candidates.push_back(cwd / rel);
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec && exe.has_parent_path()) {
    candidates.push_back(exe.parent_path() / rel);
    candidates.push_back(exe.parent_path().parent_path() / rel);
  }
  for (const fs::path& dir : candidates)
    if (fs::is_regular_file(dir / "provinces.csv", ec)) return dir.string();
  return candidates.empty() ? rel.string() : (cwd / rel).string();
}

absl::StatusOr<std::vector<Region>> LoadIdnAreaData(const std::string& dir,
                                                    bool include_villages) {
  std::vector<Region> regions;
  regions.reserve(include_villages ? 92000 : 8000);
  std::unordered_set<std::string> known;
  known.reserve(include_villages ? 92000 : 8000);
  for (const LevelFile& spec : kLevelFiles) {
    if (spec.level == RegionLevel::kVillage && !include_villages) break;
    GUGUS_RETURN_IF_ERROR(LoadLevel(dir, spec, regions, known));
  }
  return regions;
}

absl::StatusOr<std::vector<Country>> LoadIsoCountries(const std::string& json_path,
                                                      const std::string& mo_path) {
  GUGUS_ASSIGN_OR_RETURN(std::string json_text, ReadFile(json_path, kInstallIsoCodes));

  // A missing catalogue is not fatal: minimal images often strip /usr/share/locale,
  // and the clerk spellings in CountryIndex cover the Indonesian names that matter.
  std::unordered_map<std::string, std::string> indonesian;
  if (!mo_path.empty()) {
    absl::StatusOr<std::string> mo = ReadFile(mo_path, kInstallIsoCodes);
    if (mo.ok()) {
      GUGUS_ASSIGN_OR_RETURN(indonesian, ParseMo(*mo, mo_path));
    } else if (!absl::IsNotFound(mo.status())) {
      return mo.status();
    }
  }
  auto translate = [&](const std::string& english) -> const std::string* {
    auto it = indonesian.find(english);
    return it == indonesian.end() ? nullptr : &it->second;
  };

  std::vector<Country> countries;
  try {
    nlohmann::json doc = nlohmann::json::parse(json_text);
    const nlohmann::json& list = doc.at("3166-1");
    if (!list.is_array()) throw std::runtime_error("\"3166-1\" is not an array");
    countries.reserve(list.size());
    for (const nlohmann::json& entry : list) {
      Country country;
      country.alpha2 = entry.at("alpha_2").get<std::string>();
      country.alpha3 = entry.at("alpha_3").get<std::string>();
      country.name_en = entry.at("name").get<std::string>();
      if (!IsUpperAscii(country.alpha2, 2) || !IsUpperAscii(country.alpha3, 3) ||
          country.name_en.empty() || !IsValidUtf8(country.name_en))
        return absl::InvalidArgumentError(
            absl::StrCat(json_path, ": bad entry ", entry.dump().substr(0, 200)));
      // The common name reads better where iso-codes has one: "Korea Selatan"
      // rather than "Korea, Republik"; "Suriah" rather than "Republik Arab Syria".
      const std::string* name_id = nullptr;
      if (auto it = entry.find("common_name"); it != entry.end() && it->is_string())
        name_id = translate(it->get<std::string>());
      if (name_id == nullptr) name_id = translate(country.name_en);
      country.name_id = name_id != nullptr ? *name_id : country.name_en;
      for (const auto& [alpha2, fixed] : kIndonesianNameFixes)
        if (country.alpha2 == alpha2) country.name_id = fixed;
      countries.push_back(std::move(country));
    }
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat(json_path, ": not a valid iso-codes file (", e.what(), ")"));
  }
  if (countries.empty())
    return absl::InvalidArgumentError(absl::StrCat(json_path, ": no countries"));
  return countries;
}

}  // namespace gugus::ingest
