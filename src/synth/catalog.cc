#include "synth/catalog.h"

#include <fmt/format.h>

#include <cstddef>
#include <iterator>

#include "core/strcat.h"
#include "synth/rng.h"

namespace gugus::synth::internal {
namespace {

using SV = std::string_view;

// Agency names are those of the kinds of offices that exist; the NGOs are invented.
constexpr AgencyTemplate kAgencies[] = {
    {"POLDA-NTT", "Kepolisian Daerah Nusa Tenggara Timur", "police", "53", "PNTT",
     "POLDA NTT"},
    {"UPTD-PPA-JABAR", "UPTD Perlindungan Perempuan dan Anak Provinsi Jawa Barat",
     "pppa_unit", "32", "UPPA", "JABAR"},
    {"DINSOS-NTB", "Dinas Sosial Provinsi Nusa Tenggara Barat", "social_service", "52",
     "DSNTB", "NTB"},
    {"BP3MI-JATIM", "BP3MI Jawa Timur", "migrant_worker_agency", "35", "BP3MI.JTM",
     "JTM"},
    {"LSM-SAHABAT-MIGRAN-KALBAR", "LSM Sahabat Migran Kalimantan Barat", "ngo", "61",
     "SMK", "SMK"},
    {"IMIGRASI-ENTIKONG", "Kantor Imigrasi Kelas II TPI Entikong", "immigration", "61.03",
     "IMI-ETK", "ETK"},
    {"POLRES-KUPANG", "Kepolisian Resor Kupang", "police", "53.01", "PRKPG",
     "POLRES KUPANG"},
    {"UPTD-PPA-NTT", "UPTD PPA Provinsi Nusa Tenggara Timur", "pppa_unit", "53", "PPANTT",
     "NTT"},
    {"BP3MI-NTT", "BP3MI Nusa Tenggara Timur", "migrant_worker_agency", "53", "BP3MI.NTT",
     "NTT"},
    {"POLDA-KALBAR", "Kepolisian Daerah Kalimantan Barat", "police", "61", "PKB",
     "POLDA KALBAR"},
    {"UPTD-PPA-LAMPUNG", "UPTD PPA Provinsi Lampung", "pppa_unit", "18", "PPALPG",
     "LAMPUNG"},
    {"DINSOS-JATENG", "Dinas Sosial Provinsi Jawa Tengah", "social_service", "33",
     "DSJTG", "JATENG"},
    {"POLDA-SUMUT", "Kepolisian Daerah Sumatera Utara", "police", "12", "PSU",
     "POLDA SUMUT"},
    {"BP3MI-NTB", "BP3MI Nusa Tenggara Barat", "migrant_worker_agency", "52", "BP3MI.NTB",
     "NTB"},
    {"KEJATI-NTT", "Kejaksaan Tinggi Nusa Tenggara Timur", "prosecutor", "53", "KJNTT",
     "N.3.10"},
    {"PN-KUPANG", "Pengadilan Negeri Kupang", "court", "53.71", "PNKPG", "PN Kpg"},
    {"RS-BHAYANGKARA-KUPANG", "Rumah Sakit Bhayangkara Kupang", "health", "53.71", "RM",
     "RSB"},
    {"DISNAKERTRANS-JABAR", "Dinas Tenaga Kerja dan Transmigrasi Provinsi Jawa Barat",
     "labour", "32", "DTK", "JABAR"},
    {"KEMLU-PWNI", "Direktorat Pelindungan WNI Kementerian Luar Negeri",
     "foreign_affairs", "31", "PWNI", "PWNI", /*national=*/true},
    {"POLDA-JATIM", "Kepolisian Daerah Jawa Timur", "police", "35", "PJTM",
     "POLDA JATIM"},
    {"UPTD-PPA-JATENG", "UPTD PPA Provinsi Jawa Tengah", "pppa_unit", "33", "PPAJTG",
     "JATENG"},
    {"UPTD-PPA-SBD", "UPTD PPA Kabupaten Sumba Barat Daya", "pppa_unit", "53.18",
     "PPASBD", "SBD"},
    {"POLRES-TTS", "Kepolisian Resor Timor Tengah Selatan", "police", "53.02", "PRTTS",
     "POLRES TTS"},
    {"BP3MI-KEPRI", "BP3MI Kepulauan Riau", "migrant_worker_agency", "21", "BP3MI.KEPRI",
     "KEPRI"},
    {"DINSOS-BATAM", "Dinas Sosial Kota Batam", "social_service", "21.71", "DSBTM",
     "BTM"},
    {"POLRES-NUNUKAN", "Kepolisian Resor Nunukan", "police", "65.03", "PRNNK",
     "POLRES NUNUKAN"},
    {"BP3MI-KALTARA", "BP3MI Kalimantan Utara", "migrant_worker_agency", "65",
     "BP3MI.KTR", "KALTARA"},
    {"LSM-RUMAH-AMAN-JATIM", "Perkumpulan Rumah Aman Perempuan Jawa Timur", "ngo", "35",
     "RAP", "RAP"},
    {"UPTD-PPA-SUMUT", "UPTD PPA Provinsi Sumatera Utara", "pppa_unit", "12", "PPASU",
     "SUMUT"},
    {"POLDA-NTB", "Kepolisian Daerah Nusa Tenggara Barat", "police", "52", "PNTB",
     "POLDA NTB"},
    {"POLDA-JABAR", "Kepolisian Daerah Jawa Barat", "police", "32", "PJB", "POLDA JABAR"},
    {"POLDA-LAMPUNG", "Kepolisian Daerah Lampung", "police", "18", "PLPG",
     "POLDA LAMPUNG"},
    {"IMIGRASI-SOETTA", "Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta",
     "immigration", "36.71", "IMI-SH", "SH"},
    {"IMIGRASI-BATAM", "Kantor Imigrasi Kelas I Khusus TPI Batam", "immigration", "21.71",
     "IMI-BTM", "BTM"},
    {"IMIGRASI-KUPANG", "Kantor Imigrasi Kelas I TPI Kupang", "immigration", "53.71",
     "IMI-KPG", "KPG"},
    {"DINSOS-NTT", "Dinas Sosial Provinsi Nusa Tenggara Timur", "social_service", "53",
     "DSNTT", "NTT"},
    {"DINSOS-KALBAR", "Dinas Sosial Provinsi Kalimantan Barat", "social_service", "61",
     "DSKB", "KALBAR"},
    {"UPTD-PPA-KALBAR", "UPTD PPA Provinsi Kalimantan Barat", "pppa_unit", "61", "PPAKB",
     "KALBAR"},
    {"KEJATI-JABAR", "Kejaksaan Tinggi Jawa Barat", "prosecutor", "32", "KJJB", "O.2.10"},
    {"PN-MATARAM", "Pengadilan Negeri Mataram", "court", "52.71", "PNMTR", "PN Mtr"},
    {"POLRES-LOTIM", "Kepolisian Resor Lombok Timur", "police", "52.03", "PRLTM",
     "POLRES LOTIM"},
    {"POLRES-INDRAMAYU", "Kepolisian Resor Indramayu", "police", "32.12", "PRIMY",
     "POLRES INDRAMAYU"},
    {"UPTD-PPA-INDRAMAYU", "UPTD PPA Kabupaten Indramayu", "pppa_unit", "32.12", "PPAIMY",
     "IMY"},
    {"BP3MI-JABAR", "BP3MI Jawa Barat", "migrant_worker_agency", "32", "BP3MI.JBR",
     "JBR"},
    {"BP3MI-JATENG", "BP3MI Jawa Tengah", "migrant_worker_agency", "33", "BP3MI.JTG",
     "JTG"},
    {"DISNAKERTRANS-NTT",
     "Dinas Tenaga Kerja dan Transmigrasi Provinsi Nusa Tenggara Timur", "labour", "53",
     "DTKNTT", "NTT"},
    {"LSM-SAHABAT-PEREMPUAN-NTB", "Lembaga Sahabat Perempuan dan Anak NTB", "ngo", "52",
     "LSPA", "LSPA"},
    {"LSM-PELANGI-ANAK-SUMUT", "Yayasan Pelangi Anak Sumatera Utara", "ngo", "12", "YPA",
     "YPA"},
    {"RSUD-MATARAM", "RSUD Kota Mataram", "health", "52.71", "RM", "RSUD"},
    {"BARESKRIM-POLRI", "Direktorat Tindak Pidana Umum Bareskrim Polri", "police", "31",
     "BRS", "BARESKRIM POLRI", /*national=*/true},
};

constexpr SV kExpId[kExploitationCount][4] = {
    {"eksploitasi seksual", "Eksploitasi Seksual", "prostitusi", "eksploitasi seks"},
    {"kerja paksa", "Kerja Paksa", "eksploitasi tenaga kerja", "kerja paksa"},
    {"PRT", "pekerja rumah tangga", "perbudakan rumah tangga", "PRT"},
    {"penipuan daring", "kriminalitas paksa", "online scam", "penipuan online"},
    {"kawin paksa", "pengantin pesanan", "perkawinan paksa", "kawin paksa"},
    {"ABK", "kerja paksa ABK", "anak buah kapal", "ABK"},
    {"adopsi ilegal", "penjualan bayi", "adopsi ilegal", "adopsi ilegal"},
    {"jeratan utang", "jeratan hutang", "jeratan utang", "jeratan utang"},
    {"pengambilan organ", "penjualan organ", "pengambilan organ", "pengambilan organ"},
};
constexpr SV kExpEn[kExploitationCount][4] = {
    {"Sexual exploitation", "sexual exploitation", "Sexual exploitation",
     "Sexual exploitation"},
    {"Forced labour", "forced labor", "Forced labour", "Forced labour"},
    {"Domestic servitude", "domestic servitude", "Domestic servitude",
     "Domestic servitude"},
    {"Forced criminality", "Online scam", "forced criminality", "Forced criminality"},
    {"Forced marriage", "forced marriage", "Forced marriage", "Forced marriage"},
    {"ABK", "Forced labour at sea", "ABK", "ABK"},
    {"Illegal adoption", "Baby selling", "Illegal adoption", "Illegal adoption"},
    {"Debt bondage", "debt bondage", "Debt bondage", "Debt bondage"},
    {"Organ removal", "organ removal", "Organ removal", "Organ removal"},
};
constexpr SV kRecId[kRecruitmentCount][4] = {
    {"media sosial", "medsos", "Facebook", "media sosial"},
    {"lowongan kerja daring", "lowongan kerja online", "loker online",
     "lowongan kerja daring"},
    {"keluarga", "keluarga", "Keluarga", "keluarga"},
    {"teman/tetangga", "teman", "tetangga", "teman/tetangga"},
    {"calo", "sponsor", "sponsor/calo", "tekong"},
    {"P3MI", "perusahaan penempatan", "PT penyalur", "P3MI"},
    {"pacar", "kekasih", "pacar", "pacar"},
    {"lainnya", "lainnya", "lain-lain", "lainnya"},
};
constexpr SV kRecEn[kRecruitmentCount][4] = {
    {"Social media", "social media", "Social media", "Social media"},
    {"Online job site or app", "Online job site/app", "online job advertisement",
     "online job site"},
    {"Family", "family member", "Family", "Family"},
    {"Friend/neighbour", "friend", "neighbour", "Friend/neighbour"},
    {"Sponsor/calo", "broker", "Sponsor/calo", "Sponsor/calo"},
    {"Recruitment company (P3MI)", "recruitment agency", "P3MI",
     "Recruitment company (P3MI)"},
    {"Intimate partner", "boyfriend", "Intimate partner", "Intimate partner"},
    {"Other", "other", "Other", "Other"},
};

constexpr Destination kDestinations[] = {
    {"MY", "Malaysia", "Malaysia", "", 40},
    {"SA", "Arab Saudi", "Saudi Arabia", "", 8},
    {"KH", "Kamboja", "Cambodia", "", 8},
    {"MM", "Myanmar", "Myanmar", "", 3},
    {"TW", "Taiwan", "Taiwan", "", 5},
    {"HK", "Hong Kong", "Hong Kong", "", 4},
    {"SG", "Singapura", "Singapore", "", 4},
    {"AE", "Uni Emirat Arab", "United Arab Emirates", "", 3},
    {"JP", "Jepang", "Japan", "", 2},
    {"KR", "Korea Selatan", "South Korea", "", 2},
    {"CN", "Tiongkok", "China", "", 2},
    {"", "", "", "21.71", 5},    // Batam
    {"", "", "", "31.72", 2},    // Jakarta Utara
    {"", "", "", "31.73", 2},    // Jakarta Barat
    {"", "", "", "35.78", 2},    // Surabaya
    {"", "", "", "65.03", 2},    // Nunukan
    {"", "", "", "51.03", 2},    // Badung
    {"", "", "", "12.71", 1.5},  // Medan
    {"", "", "", "21.01", 1},    // Bintan
    {"", "", "", "36.71", 1},    // Kota Tangerang
    {"", "", "", "53.71", 1},    // Kota Kupang
    {"", "", "", "61.71", 1},    // Pontianak
    {"", "", "", "64.72", 0.5},  // Samarinda
    {"", "", "", "73.71", 0.5},  // Makassar
};

constexpr ProvinceWeight kOrigins[] = {
    {"53", "NTT", 20},     {"52", "NTB", 16},      {"32", "Jabar", 15},
    {"33", "Jateng", 9},   {"35", "Jatim", 11},    {"18", "", 4},
    {"61", "Kalbar", 6},   {"12", "Sumut", 5},     {"36", "", 2},
    {"73", "Sulsel", 1.5}, {"16", "Sumsel", 1},    {"31", "DKI", 0.8},
    {"64", "Kaltim", 0.5}, {"51", "", 0.5},        {"34", "DIY", 0.7},
    {"71", "Sulut", 0.6},  {"81", "", 0.4},        {"91", "", 0.3},
    {"11", "", 0.5},       {"13", "Sumbar", 0.5},  {"14", "", 0.6},
    {"21", "Kepri", 0.6},  {"72", "Sulteng", 0.4}, {"74", "Sultra", 0.4},
    {"63", "Kalsel", 0.5}, {"15", "", 0.3},        {"17", "", 0.3},
    {"19", "Babel", 0.2},  {"62", "Kalteng", 0.3}, {"65", "Kaltara", 0.4},
    {"75", "", 0.2},       {"76", "Sulbar", 0.2},  {"82", "Malut", 0.2},
    {"92", "", 0.2},
};

constexpr SV kHotspots[] = {"32.12", "32.03", "32.02", "32.15", "32.09", "32.13", "53.02",
                            "53.01", "53.04", "53.21", "53.03", "53.18", "52.03", "52.02",
                            "52.01", "33.01", "33.29", "33.24", "35.10", "35.07", "35.02",
                            "35.05", "35.04", "18.07", "18.02", "61.01", "61.03", "61.07",
                            "61.72", "12.05", "12.07"};

constexpr SV kPhonePrefixes[] = {
    "811", "812", "813", "821", "822", "823", "852", "853", "851",  // Telkomsel
    "814", "815", "816", "855", "856", "857", "858",                // Indosat
    "817", "818", "819", "859", "877", "878",                       // XL
    "831", "832", "838", "895", "896", "897", "898", "899", "881", "882", "887"};
constexpr double kPhonePrefixWeights[] = {4, 6, 5, 5, 4, 3, 6, 5, 2, 1, 1,
                                          1, 3, 4, 4, 2, 2, 2, 2, 3, 3, 2,
                                          1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1};
static_assert(std::size(kPhonePrefixes) == std::size(kPhonePrefixWeights));

constexpr SV kRoman[] = {"I",   "II",   "III", "IV", "V",  "VI",
                         "VII", "VIII", "IX",  "X",  "XI", "XII"};

}  // namespace

std::span<const AgencyTemplate> AgencyTemplates() { return kAgencies; }

std::string FormatCaseRef(const AgencyTemplate& t, int64_t n, int month, int year,
                          bool alternate) {
  auto is = [&t](SV type) { return t.type == type; };
  if (is("police")) {
    char kind = t.national != alternate ? 'A' : 'B';
    char sep = (StableHash(t.code) & 1) != 0 ? '.' : '/';
    return gugus::StrCat("LP/", SV(&kind, 1), "/", n, "/", kRoman[month - 1], "/", year,
                         "/SPKT", SV(&sep, 1), t.tag);
  }
  if (is("prosecutor")) {
    return gugus::StrCat("PDM-", n, "/", t.tag, alternate ? "/Eoh.2/" : "/Eku.2/",
                         fmt::format("{:02d}", month), "/", year);
  }
  if (is("court")) {
    return gugus::StrCat(n, alternate ? "/Pid.Sus-TPPO/" : "/Pid.Sus/", year, "/", t.tag);
  }
  if (is("pppa_unit")) {
    return gugus::StrCat("UPTD-PPA/", year, "/", fmt::format("{:03d}", n));
  }
  if (is("social_service")) return gugus::StrCat("466/", n, "/DINSOS-", t.tag, "/", year);
  if (is("migrant_worker_agency")) {
    return gugus::StrCat(t.prefix, "/KASUS/", year, "/", fmt::format("{:04d}", n));
  }
  if (is("immigration")) {
    return gugus::StrCat("IMI-", t.tag, "/", year, "/", fmt::format("{:04d}", n));
  }
  if (is("foreign_affairs"))
    return gugus::StrCat("PWNI/", year, "/", fmt::format("{:05d}", n));
  if (is("labour")) return gugus::StrCat("PENG/", n, "/", t.tag, "/", year);
  if (is("health")) return gugus::StrCat("VER/", n, "/", kRoman[month - 1], "/", year);
  return gugus::StrCat(t.tag, "-", year % 100, "-", fmt::format("{:03d}", n));
}

std::span<const std::string_view> PhonePrefixes() { return kPhonePrefixes; }
std::span<const double> PhonePrefixWeights() { return kPhonePrefixWeights; }

std::span<const std::string_view> ExploitationTerms(Exploitation e, bool english) {
  const auto& row = english ? kExpEn[static_cast<int>(e)] : kExpId[static_cast<int>(e)];
  return std::span<const SV>(row, 4);
}

std::span<const std::string_view> RecruitmentTerms(Recruitment r, bool english) {
  const auto& row = english ? kRecEn[static_cast<int>(r)] : kRecId[static_cast<int>(r)];
  return std::span<const SV>(row, 4);
}

std::span<const Destination> Destinations() { return kDestinations; }
std::span<const ProvinceWeight> OriginProvinces() { return kOrigins; }

bool IsSendingHotspot(std::string_view regency_code) {
  for (SV code : kHotspots) {
    if (code == regency_code) return true;
  }
  return false;
}

}  // namespace gugus::synth::internal
