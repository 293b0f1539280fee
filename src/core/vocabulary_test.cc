#include "core/vocabulary.h"

#include <set>
#include <string>

#include "gtest/gtest.h"

namespace gugus {
namespace {

std::string Exploitation(std::string_view text) {
  std::optional<Term> term = LookupTerm(Vocabulary::kExploitation, text);
  return term ? std::string(term->code) : "<none>";
}

std::string Recruitment(std::string_view text) {
  std::optional<Term> term = LookupTerm(Vocabulary::kRecruitment, text);
  return term ? std::string(term->code) : "<none>";
}

TEST(VocabularyTest, ExploitationCoversHtcdsAndIndonesianAdditions) {
  std::set<std::string> codes;
  for (const Term& t : Terms(Vocabulary::kExploitation)) {
    codes.emplace(t.code);
    EXPECT_FALSE(t.label_en.empty()) << t.code;
    EXPECT_FALSE(t.label_id.empty()) << t.code;
  }
  for (const char* code :
       {"sexual_exploitation", "forced_labour", "child_labour", "domestic_servitude",
        "forced_marriage", "forced_criminality", "forced_military", "organ_removal",
        "forced_begging", "illegal_adoption", "debt_bondage", "surrogacy", "other"})
    EXPECT_TRUE(codes.contains(code)) << code;
  EXPECT_EQ(codes.size(), Terms(Vocabulary::kExploitation).size()) << "duplicate code";
}

TEST(VocabularyTest, RecruitmentFollowsTheInterchangeFormat) {
  std::vector<std::string> codes;
  for (const Term& t : Terms(Vocabulary::kRecruitment)) codes.emplace_back(t.code);
  EXPECT_EQ(codes, (std::vector<std::string>{
                       "social_media", "online_job", "family", "friend_neighbour",
                       "sponsor", "recruitment_company", "intimate_partner", "other"}));
}

TEST(VocabularyTest, CodesAndLabelsLookThemselvesUp) {
  for (Vocabulary v : {Vocabulary::kExploitation, Vocabulary::kRecruitment}) {
    for (const Term& t : Terms(v)) {
      for (std::string_view text : {t.code, t.label_en, t.label_id}) {
        std::optional<Term> got = LookupTerm(v, text);
        ASSERT_TRUE(got.has_value()) << text;
        EXPECT_EQ(got->code, t.code) << text;
      }
    }
  }
}

TEST(VocabularyTest, ExploitationSynonymsClerksWrite) {
  EXPECT_EQ(Exploitation("Eksploitasi Seksual"), "sexual_exploitation");
  EXPECT_EQ(Exploitation("prostitusi"), "sexual_exploitation");
  EXPECT_EQ(Exploitation("PSK"), "sexual_exploitation");
  EXPECT_EQ(Exploitation("Pekerja Seks Komersial"), "sexual_exploitation");
  EXPECT_EQ(Exploitation("ABK"), "forced_labour");
  EXPECT_EQ(Exploitation("kerja paksa"), "forced_labour");
  EXPECT_EQ(Exploitation("Forced labor"), "forced_labour");
  EXPECT_EQ(Exploitation("PRT"), "domestic_servitude");
  EXPECT_EQ(Exploitation("pembantu rumah tangga"), "domestic_servitude");
  EXPECT_EQ(Exploitation("pengantin pesanan"), "forced_marriage");
  EXPECT_EQ(Exploitation("kawin kontrak"), "forced_marriage");
  EXPECT_EQ(Exploitation("online scam"), "forced_criminality");
  EXPECT_EQ(Exploitation("penipuan daring"), "forced_criminality");
  EXPECT_EQ(Exploitation("Judi Online"), "forced_criminality");
  EXPECT_EQ(Exploitation("adopsi ilegal"), "illegal_adoption");
  EXPECT_EQ(Exploitation("jual beli bayi"), "illegal_adoption");
  EXPECT_EQ(Exploitation("baby selling"), "illegal_adoption");
  EXPECT_EQ(Exploitation("ForcedAdoption"), "illegal_adoption");
  EXPECT_EQ(Exploitation("pengambilan organ"), "organ_removal");
  EXPECT_EQ(Exploitation("begging"), "forced_begging");
  EXPECT_EQ(Exploitation("jeratan utang"), "debt_bondage");
  EXPECT_EQ(Exploitation("lainnya"), "other");
}

TEST(VocabularyTest, LookupFoldsCasePunctuationSpacesAndAccents) {
  EXPECT_EQ(Exploitation("  EKSPLOITASI   seksual "), "sexual_exploitation");
  EXPECT_EQ(Exploitation("pekerja-seks"), "sexual_exploitation");
  EXPECT_EQ(Exploitation("Forced_Labour"), "forced_labour");
  EXPECT_EQ(Exploitation("forced labour."), "forced_labour");
  EXPECT_EQ(Exploitation("P.S.K."), "sexual_exploitation");
  EXPECT_EQ(Exploitation("s\xC3\xA9xual exploitation"), "sexual_exploitation");
  EXPECT_EQ(Recruitment("Media Sosial"), "social_media");
  EXPECT_EQ(Recruitment("media-sosial"), "social_media");
}

TEST(VocabularyTest, RecruitmentSynonymsClerksWrite) {
  EXPECT_EQ(Recruitment("Facebook"), "social_media");
  EXPECT_EQ(Recruitment("TikTok"), "social_media");
  EXPECT_EQ(Recruitment("WhatsApp"), "social_media");
  EXPECT_EQ(Recruitment("lowongan kerja daring"), "online_job");
  EXPECT_EQ(Recruitment("situs lowongan"), "online_job");
  EXPECT_EQ(Recruitment("aplikasi"), "online_job");
  EXPECT_EQ(Recruitment("keluarga"), "family");
  EXPECT_EQ(Recruitment("teman"), "friend_neighbour");
  EXPECT_EQ(Recruitment("tetangga"), "friend_neighbour");
  EXPECT_EQ(Recruitment("calo"), "sponsor");
  EXPECT_EQ(Recruitment("tekong"), "sponsor");
  EXPECT_EQ(Recruitment("Sponsor"), "sponsor");
  EXPECT_EQ(Recruitment("P3MI"), "recruitment_company");
  EXPECT_EQ(Recruitment("PJTKI"), "recruitment_company");
  EXPECT_EQ(Recruitment("perusahaan penempatan"), "recruitment_company");
  EXPECT_EQ(Recruitment("agen"), "recruitment_company");
  EXPECT_EQ(Recruitment("pacar"), "intimate_partner");
  EXPECT_EQ(Recruitment("suami"), "intimate_partner");
  EXPECT_EQ(Recruitment("kekasih"), "intimate_partner");
  EXPECT_EQ(Recruitment("lainnya"), "other");
}

TEST(VocabularyTest, VocabulariesAreSeparate) {
  EXPECT_EQ(Recruitment("prostitusi"), "<none>");
  EXPECT_EQ(Exploitation("calo"), "<none>");
}

TEST(VocabularyTest, UnknownTermsAreNotGuessed) {
  for (const char* text : {"", "  ", ";", "eksploitasi", "xyz", "kerja"})
    EXPECT_EQ(Exploitation(text), "<none>") << "\"" << text << "\"";
  EXPECT_EQ(Recruitment("online"), "<none>");
}

}  // namespace
}  // namespace gugus

namespace gugus {
namespace {

// The SPEC's own recruitment terms must resolve exactly as written there.
TEST(VocabularySpecTerms, EverySpecRecruitmentTermResolves) {
  const std::pair<const char*, const char*> terms[] = {
      {"social media", "social_media"},
      {"online job site/app", "online_job"},
      {"family", "family"},
      {"friend/neighbour", "friend_neighbour"},
      {"sponsor/calo", "sponsor"},
      {"recruitment company (P3MI)", "recruitment_company"},
      {"intimate partner", "intimate_partner"},
      {"other", "other"},
  };
  for (const auto& [text, code] : terms) {
    std::optional<Term> term = LookupTerm(Vocabulary::kRecruitment, text);
    ASSERT_TRUE(term.has_value()) << text;
    EXPECT_EQ(term->code, code) << text;
  }
}

}  // namespace
}  // namespace gugus
