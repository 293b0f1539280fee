#include "core/vocabulary.h"

#include <string>
#include <unordered_map>

#include "core/text.h"

namespace gugus {
namespace {

struct Entry {
  Term term;
  std::vector<std::string_view> synonyms;
};

// HTCDS 2.0 vic_TypeOfExploitation (ForcedLabour, SexualExploitation, ChildLabour,
// ForcedMarriage, Servitude, ForcedMilitaryByNonStateActors, OrganRemoval,
// ForcedBegging, ForcedAdoption, Surrogacy, Other) plus what Indonesia needs:
// forced criminality (online-scam compounds) and debt bondage (a HTCDS method of
// control that Indonesian agencies record as a form of exploitation). HTCDS's
// ForcedAdoption is widened to illegal adoption / baby selling.
const std::vector<Entry>& ExploitationEntries() {
  static const auto* entries = new std::vector<Entry>{
      {{"sexual_exploitation", "Sexual exploitation", "Eksploitasi seksual"},
       {"eksploitasi seks", "prostitusi", "prostitution", "pelacuran", "PSK",
        "pekerja seks", "pekerja seks komersial", "penjaja seks", "sex work", "open BO",
        "pornografi", "pornography", "seksual"}},
      {{"forced_labour", "Forced labour", "Kerja paksa"},
       {"forced labor", "labour exploitation", "labor exploitation",
        "eksploitasi tenaga kerja", "eksploitasi kerja", "eksploitasi ekonomi",
        "buruh paksa", "ABK", "anak buah kapal", "ABK kapal ikan", "awak kapal"}},
      {{"child_labour", "Child labour", "Pekerja anak"},
       {"child labor", "buruh anak", "eksploitasi ekonomi anak"}},
      {{"domestic_servitude", "Domestic servitude", "Perbudakan rumah tangga / PRT"},
       {"Servitude", "perbudakan rumah tangga", "PRT", "pembantu rumah tangga",
        "pekerja rumah tangga", "ART", "asisten rumah tangga", "domestic worker"}},
      {{"forced_marriage", "Forced marriage", "Kawin paksa / pengantin pesanan"},
       {"kawin paksa", "pernikahan paksa", "nikah paksa", "pengantin pesanan",
        "mail order bride", "kawin kontrak", "nikah kontrak", "perkawinan kontrak",
        "perkawinan paksa"}},
      {{"forced_criminality", "Forced criminality (online scams)",
        "Kriminalitas paksa (penipuan daring)"},
       {"kriminalitas paksa", "online scam", "scam online", "online scams",
        "penipuan daring", "penipuan online", "scammer", "judi online", "judol",
        "online gambling", "kurir narkoba", "drug mule"}},
      {{"forced_military", "Forced military service (by non-state actors)",
        "Militer paksa (kelompok bersenjata)"},
       {"ForcedMilitaryByNonStateActors", "child soldier", "tentara anak",
        "kombatan anak"}},
      {{"organ_removal", "Organ removal", "Pengambilan organ"},
       {"jual beli organ", "perdagangan organ", "organ trafficking", "jual ginjal",
        "penjualan ginjal", "penjualan organ"}},
      {{"forced_begging", "Forced begging", "Dipaksa mengemis"},
       {"begging", "mengemis", "pengemis", "eksploitasi pengemis", "pengemis paksa"}},
      {{"illegal_adoption", "Illegal adoption / baby selling",
        "Adopsi ilegal / jual beli bayi"},
       {"ForcedAdoption", "adopsi ilegal", "adopsi paksa", "jual beli bayi", "jual bayi",
        "penjualan bayi", "perdagangan bayi", "baby selling"}},
      {{"debt_bondage", "Debt bondage", "Jeratan utang"},
       {"jeratan hutang", "jerat utang", "jerat hutang", "perbudakan utang", "ijon"}},
      {{"surrogacy", "Surrogacy", "Ibu pengganti (sewa rahim)"},
       {"ibu pengganti", "sewa rahim", "surogasi"}},
      {{"other", "Other", "Lainnya"}, {"lain lain", "lain", "others"}},
  };
  return *entries;
}

// SPEC section 5 (modus_perekrutan); HTCDS's vic_MethodOfRecruitment values that
// fit one of these are synonyms.
const std::vector<Entry>& RecruitmentEntries() {
  static const auto* entries = new std::vector<Entry>{
      {{"social_media", "Social media", "Media sosial"},
       {"ThroughOnlineSocialNetworks",
        "online social networks",
        "medsos",
        "sosmed",
        "Facebook",
        "FB",
        "Facebook Messenger",
        "Instagram",
        "IG",
        "TikTok",
        "WhatsApp",
        "WA",
        "Telegram",
        "Twitter",
        "Line",
        "WeChat",
        "Snapchat",
        "Viber",
        "grup Facebook",
        "grup WhatsApp"}},
      {{"online_job", "Online job site or app", "Lowongan kerja daring"},
       {"ThroughAnOnlineAdvertisement", "online advertisement", "online job site",
        "online job site/app", "online job app", "job site", "job app",
        "lowongan kerja online", "loker online", "loker daring", "situs lowongan",
        "situs lowongan kerja", "aplikasi", "aplikasi lowongan",
        "aplikasi lowongan kerja", "iklan online", "iklan daring", "lowongan daring"}},
      {{"family", "Family", "Keluarga"},
       {"ThroughFamilyOrFamilyEvents", "kerabat", "saudara", "orang tua", "paman", "bibi",
        "kakak", "adik", "sepupu", "relative", "relatives", "family member"}},
      {{"friend_neighbour", "Friend or neighbour", "Teman / tetangga"},
       {"ThroughFriendsOrSocialEvents", "friend", "friends", "neighbour", "neighbor",
        "teman", "kawan", "tetangga", "kenalan", "friend/neighbor"}},
      {{"sponsor", "Sponsor or broker (calo)", "Sponsor / calo"},
       {"calo", "tekong", "perekrut", "perekrut lapangan", "petugas lapangan", "broker",
        "middleman", "makelar", "taikong"}},
      {{"recruitment_company", "Recruitment company (P3MI)",
        "Perusahaan penempatan (P3MI)"},
       {"P3MI", "PJTKI", "PPTKIS", "perusahaan penempatan",
        "perusahaan penempatan pekerja migran indonesia", "perusahaan perekrut", "agen",
        "agensi", "agency", "agen penyalur", "penyalur", "recruitment agency"}},
      {{"intimate_partner", "Intimate partner", "Pasangan / pacar"},
       {"pacar", "suami", "istri", "kekasih", "pasangan", "tunangan", "boyfriend",
        "girlfriend", "husband", "wife", "partner", "pacar online"}},
      {{"other", "Other", "Lainnya"}, {"lain lain", "lain", "others"}},
  };
  return *entries;
}

const std::vector<Entry>& Entries(Vocabulary vocabulary) {
  return vocabulary == Vocabulary::kExploitation ? ExploitationEntries()
                                                 : RecruitmentEntries();
}

struct Tables {
  std::vector<Term> terms;
  std::unordered_map<std::string, size_t> by_key;  // folded key → index in terms
};

Tables BuildTables(Vocabulary vocabulary) {
  Tables tables;
  const std::vector<Entry>& entries = Entries(vocabulary);
  for (const Entry& entry : entries) tables.terms.push_back(entry.term);
  // Codes and labels first: a synonym never takes another term's own name.
  for (size_t i = 0; i < entries.size(); ++i) {
    tables.by_key.emplace(MatchKey(entries[i].term.code), i);
    tables.by_key.emplace(MatchKey(entries[i].term.label_en), i);
    tables.by_key.emplace(MatchKey(entries[i].term.label_id), i);
  }
  for (size_t i = 0; i < entries.size(); ++i)
    for (std::string_view synonym : entries[i].synonyms)
      tables.by_key.emplace(MatchKey(synonym), i);
  return tables;
}

const Tables& TablesFor(Vocabulary vocabulary) {
  static const auto* exploitation = new Tables(BuildTables(Vocabulary::kExploitation));
  static const auto* recruitment = new Tables(BuildTables(Vocabulary::kRecruitment));
  return vocabulary == Vocabulary::kExploitation ? *exploitation : *recruitment;
}

}  // namespace

const std::vector<Term>& Terms(Vocabulary vocabulary) {
  return TablesFor(vocabulary).terms;
}

std::optional<Term> LookupTerm(Vocabulary vocabulary, std::string_view text) {
  std::string key = MatchKey(text);
  if (key.empty()) return std::nullopt;
  const Tables& tables = TablesFor(vocabulary);
  auto it = tables.by_key.find(key);
  if (it == tables.by_key.end()) return std::nullopt;
  return tables.terms[it->second];
}

}  // namespace gugus
