#include "core/country_index.h"

#include <algorithm>
#include <utility>

#include "core/text.h"

namespace gugus {
namespace {

// What clerks write beyond the ISO names and the iso-codes translations, by alpha-2.
// ISO codes win over these: "AS" stays American Samoa (where Indonesian fishing
// crews do land), so Amerika Serikat is "AS" only as "Amerika Serikat"/"USA"/"US".
constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
    {"WNI", "ID"},
    {"Warga Negara Indonesia", "ID"},
    {"RI", "ID"},
    {"Republik Indonesia", "ID"},
    {"NKRI", "ID"},
    {"Arab Saudi", "SA"},
    {"Saudi Arabia", "SA"},
    {"Saudi", "SA"},
    {"Arab", "SA"},  // "kerja di Arab" means Saudi Arabia
    {"KSA", "SA"},
    {"Hongkong", "HK"},
    {"Hong Kong", "HK"},
    {"Makau", "MO"},
    {"Macau", "MO"},
    {"Korea Selatan", "KR"},
    {"Korsel", "KR"},
    {"South Korea", "KR"},
    {"Korea", "KR"},  // the EPS destination; North Korea is always written out
    {"Korea Utara", "KP"},
    {"Korut", "KP"},
    {"North Korea", "KP"},
    {"Uni Emirat Arab", "AE"},
    {"Emirat Arab", "AE"},
    {"UEA", "AE"},
    {"UAE", "AE"},
    {"Dubai", "AE"},
    {"Abu Dhabi", "AE"},
    {"Myanmar", "MM"},
    {"Burma", "MM"},
    {"Birma", "MM"},
    {"Filipina", "PH"},
    {"Philippines", "PH"},
    {"Pilipina", "PH"},
    {"Singapura", "SG"},
    {"Singapore", "SG"},
    {"Jepang", "JP"},
    {"Japan", "JP"},
    {"Malaysia", "MY"},
    {"Malaysya", "MY"},
    {"Malaisia", "MY"},
    {"Sabah", "MY"},
    {"Sarawak", "MY"},
    {"Kuala Lumpur", "MY"},
    {"Brunei", "BN"},
    {"Brunei Darussalam", "BN"},
    {"Timor Leste", "TL"},
    {"Timor Timur", "TL"},  // the iso-codes translation, and the pre-1999 name
    {"East Timor", "TL"},
    {"Tiongkok", "CN"},
    {"RRT", "CN"},
    {"RRC", "CN"},
    {"Cina", "CN"},
    {"China", "CN"},
    {"Vietnam", "VN"},
    {"Thailand", "TH"},
    {"Thailan", "TH"},
    {"Muangthai", "TH"},
    {"Laos", "LA"},
    {"Kamboja", "KH"},
    {"Cambodia", "KH"},
    {"Taiwan", "TW"},
    {"Turki", "TR"},
    {"Turkey", "TR"},
    {"Qatar", "QA"},
    {"Katar", "QA"},
    {"Kuwait", "KW"},
    {"Kuwet", "KW"},
    {"Oman", "OM"},
    {"Bahrain", "BH"},
    {"Yordania", "JO"},
    {"Jordan", "JO"},
    {"Mesir", "EG"},
    {"Irak", "IQ"},
    {"Suriah", "SY"},
    {"Syria", "SY"},
    {"Iran", "IR"},
    {"Polandia", "PL"},
    {"Belanda", "NL"},
    {"Jerman", "DE"},
    {"Inggris", "GB"},
    {"Britania Raya", "GB"},
    {"UK", "GB"},
    {"Amerika Serikat", "US"},
    {"Amerika", "US"},
    {"USA", "US"},
    {"Australia", "AU"},
    {"Selandia Baru", "NZ"},
    {"Papua Nugini", "PG"},
    {"Rusia", "RU"},
    {"Russia", "RU"},
    {"Perancis", "FR"},
    {"Prancis", "FR"},
};

}  // namespace

CountryIndex::CountryIndex(std::vector<Country> countries)
    : countries_(std::move(countries)) {
  std::sort(countries_.begin(), countries_.end(),
            [](const Country& a, const Country& b) { return a.alpha2 < b.alpha2; });
  countries_.erase(std::unique(countries_.begin(), countries_.end(),
                               [](const Country& a, const Country& b) {
                                 return a.alpha2 == b.alpha2;
                               }),
                   countries_.end());

  auto add = [this](std::string_view text, size_t index) {
    std::string key = MatchKey(text);
    if (!key.empty()) by_key_.emplace(std::move(key), index);  // first one wins
  };
  for (size_t i = 0; i < countries_.size(); ++i) {
    add(countries_[i].alpha2, i);
    add(countries_[i].alpha3, i);
  }
  for (size_t i = 0; i < countries_.size(); ++i) {
    add(countries_[i].name_en, i);
    add(countries_[i].name_id, i);
  }
  for (const auto& [alias, alpha2] : kAliases) {
    if (const Country* country = FindByAlpha2(alpha2); country != nullptr)
      add(alias, static_cast<size_t>(country - countries_.data()));
  }
  // "Iran, Islamic Republic of" → "Iran", unless the head is shared
  // ("Korea, Republic of" / "Korea, Democratic People's Republic of").
  std::unordered_map<std::string, std::vector<size_t>> heads;
  for (size_t i = 0; i < countries_.size(); ++i) {
    for (const std::string* name : {&countries_[i].name_en, &countries_[i].name_id}) {
      size_t comma = name->find(',');
      if (comma == std::string::npos) continue;
      std::vector<size_t>& list =
          heads[MatchKey(std::string_view(*name).substr(0, comma))];
      if (std::find(list.begin(), list.end(), i) == list.end()) list.push_back(i);
    }
  }
  for (const auto& [key, list] : heads)
    if (!key.empty() && list.size() == 1) by_key_.emplace(key, list[0]);
}

const Country* CountryIndex::FindByAlpha2(std::string_view alpha2) const {
  if (alpha2.size() != 2) return nullptr;
  std::string upper(alpha2);
  for (char& c : upper)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  auto it = std::lower_bound(countries_.begin(), countries_.end(), upper,
                             [](const Country& country, const std::string& code) {
                               return country.alpha2 < code;
                             });
  return it != countries_.end() && it->alpha2 == upper ? &*it : nullptr;
}

std::optional<std::string> CountryIndex::Resolve(std::string_view text) const {
  std::string key = MatchKey(text);
  if (key.empty()) return std::nullopt;
  auto it = by_key_.find(key);
  if (it == by_key_.end()) return std::nullopt;
  return countries_[it->second].alpha2;
}

}  // namespace gugus
