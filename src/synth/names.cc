#include "synth/names.h"

#include <string>
#include <string_view>

#include "synth/clerk.h"

namespace gugus::synth::internal {
namespace {

using SV = std::string_view;

// --- Javanese (Central/East Java, Yogyakarta; transmigrants elsewhere) ---
constexpr SV kJavaF1[] = {
    "Sri",      "Siti",         "Dwi",     "Tri",      "Endang",  "Sumiati", "Wahyuni",
    "Sulastri", "Suparti",      "Rukmini", "Wartini",  "Kasiyem", "Tumini",  "Lestari",
    "Puji",     "Yuni",         "Sutini",  "Mulyani",  "Kartini", "Indah",   "Dewi",
    "Ayu",      "Ratna",        "Wulan",   "Eka",      "Suyatmi", "Sumarni", "Sukini",
    "Partini",  "Warsini",      "Lasmi",   "Painem",   "Ngatini", "Suwarni", "Rini",
    "Nanik",    "Tutik",        "Umi",     "Dian",     "Novi",    "Fitri",   "Rina",
    "Erna",     "Yuli",         "Retno",   "Kusmiati", "Murni",   "Winarti", "Suryani",
    "Nur",      "Sulistyowati", "Tumirah", "Sainem",   "Juminten"};
constexpr SV kJavaF2[] = {
    "Lestari",   "Rahayu",     "Wahyuni",        "Ningsih",     "Astuti",    "Handayani",
    "Susanti",   "Wulandari",  "Setyowati",      "Wijayanti",   "Rahmawati", "Mulyani",
    "Purwanti",  "Utami",      "Sulistyowati",   "Kurniasih",   "Hastuti",   "Suryani",
    "Yuliani",   "Pratiwi",    "Anggraini",      "Fitriani",    "Safitri",   "Kusumawati",
    "Indriyani", "Susilowati", "Sari",           "Puspitasari", "Nurhayati", "Maryati",
    "Rohmah",    "Aminah",     "Lestariningsih", "Palupi",      "Nuraini",   "Yulianti"};
constexpr SV kJavaM1[] = {
    "Budi",     "Agus",    "Joko",      "Suparman", "Slamet",  "Bambang", "Sugeng",
    "Heru",     "Eko",     "Tri",       "Dwi",      "Wahyu",   "Teguh",   "Sutrisno",
    "Bagus",    "Yanto",   "Supriyadi", "Sugiarto", "Hadi",    "Priyo",   "Purnomo",
    "Sukirman", "Paijo",   "Darmanto",  "Suyanto",  "Sumarno", "Sunarto", "Wagiman",
    "Kasno",    "Ponijan", "Rudi",      "Andi",     "Aris",    "Arif",    "Dani",
    "Fajar",    "Ilham",   "Imam",      "Gunawan",  "Hery",    "Wawan",   "Ahmad",
    "Muhammad", "Mulyono", "Bayu",      "Dimas",    "Rizky",   "Sujono",  "Jumadi"};
constexpr SV kJavaM2[] = {
    "Santoso",  "Setiawan",  "Purnomo",  "Prasetyo",  "Wibowo",  "Nugroho",  "Saputro",
    "Hidayat",  "Kurniawan", "Susilo",   "Sulistyo",  "Wijaya",  "Hartono",  "Widodo",
    "Riyanto",  "Suprapto",  "Haryanto", "Pamungkas", "Raharjo", "Utomo",    "Firmansyah",
    "Hermawan", "Cahyono",   "Mulyono",  "Sutrisno",  "Prabowo", "Yulianto", "Ardiansyah",
    "Fauzi",    "Rohman",    "Subagyo",  "Triyono",   "Wahyudi", "Suryadi",  "Junaedi"};

// --- Sundanese (West Java, Banten) ---
constexpr SV kSundaF1[] = {
    "Euis", "Neng",  "Imas",  "Entin", "Iis",   "Lilis", "Cucu",   "Nining",
    "Nani", "Yeni",  "Siti",  "Tati",  "Enung", "Eti",   "Elis",   "Yanti",
    "Rina", "Ai",    "Cicih", "Dedeh", "Enok",  "Ika",   "Ani",    "Tini",
    "Ida",  "Wiwin", "Yayah", "Popon", "Iin",   "Heni",  "Rika",   "Sri",
    "Nur",  "Dewi",  "Rani",  "Kokom", "Eneng", "Titin", "Nenden", "Lina"};
constexpr SV kSundaF2[] = {
    "Nurhasanah", "Kurniasih", "Rohmah",    "Sumarni", "Nurjanah", "Komariah",
    "Rahmawati",  "Setiawati", "Sukmawati", "Suryani", "Hasanah",  "Maryani",
    "Rosita",     "Lestari",   "Marlina",   "Nurlela", "Kartika",  "Hayati",
    "Sopiah",     "Juariah",   "Mulyati",   "Sundari", "Fitriani", "Wulandari",
    "Sulastri",   "Herlina",   "Yulianti",  "Rohaeti", "Aisyah",   "Maryam"};
constexpr SV kSundaM1[] = {"Asep",   "Dede",   "Ujang",   "Cecep",  "Dadang", "Deden",
                           "Encep",  "Jajang", "Yayan",   "Ade",    "Iwan",   "Ridwan",
                           "Agus",   "Rudi",   "Aang",    "Endang", "Usep",   "Ohim",
                           "Engkus", "Maman",  "Odang",   "Dadan",  "Wawan",  "Yana",
                           "Ruslan", "Cahya",  "Aep",     "Iyan",   "Ilham",  "Rizal",
                           "Hendra", "Dedi",   "Nandang", "Ece",    "Yusup",  "Ayi"};
constexpr SV kSundaM2[] = {
    "Sopian",    "Saepudin", "Hidayat",    "Permana",      "Gunawan",  "Suryana",
    "Rukmana",   "Mulyana",  "Supriatna",  "Hermawan",     "Sunarya",  "Setiawan",
    "Kusnadi",   "Rohendi",  "Sutisna",    "Hidayatulloh", "Ruhiyat",  "Sobari",
    "Komarudin", "Nugraha",  "Firmansyah", "Sujana",       "Nurdin",   "Kurnia",
    "Sumarna",   "Saputra",  "Kosasih",    "Rustandi",     "Suherman", "Abdullah"};

// --- Sasak (Lombok) and other Muslim names of NTB ---
constexpr SV kSasakF[] = {"Nurhayati",       "Rohani",      "Saodah",        "Sumiati",
                          "Hartini",         "Rusmini",     "Nurul Hidayah", "Marhamah",
                          "Sahirah",         "Mahnun",      "Rabiah",        "Zaenab",
                          "Aisyah",          "Fatimah",     "Hurniati",      "Rukiah",
                          "Sri Wahyuni",     "Siti Aminah", "Siti Hajar",    "Nurjannah",
                          "Husnul Khotimah", "Mariana",     "Sahnun",        "Rohana",
                          "Heni Susanti",    "Nurmala",     "Baiq Ratna",    "Sumarni",
                          "Raehan",          "Saniah",      "Hadijah",       "Rahmatun",
                          "Ernawati",        "Muslihah",    "Nurhasanah",    "Salmah"};
constexpr SV kSasakM[] = {
    "Zainudin",   "Muhammad Zaini", "Ahmad",        "Sahnan",   "Hasanudin",
    "Samsul",     "Rusdi",          "Junaidi",      "Sapri",    "Mahsun",
    "Mustiadi",   "Saharudin",      "Jumaidi",      "Habibi",   "Rizal",
    "Suhaimi",    "Sahabudin",      "Syamsul Hadi", "Amrullah", "Usman",
    "Hamdan",     "Muliadi",        "Fathurrahman", "Wardi",    "Muhammad Ali",
    "Ahmad Yani", "Lukmanul Hakim", "Sahrul",       "Supardi",  "Mahrip"};
constexpr SV kFathers[] = {
    "Abdullah", "Ahmad",    "Hasan",       "Saleh",    "Umar",   "Ismail",  "Amin",
    "Mahmud",   "Sulaiman", "Rahman",      "Muhammad", "Ishak",  "Yusuf",   "Harun",
    "Idris",    "Mansur",   "Sahar",       "Sanusi",   "Junaid", "Hamid",   "Jaelani",
    "Marzuki",  "Kasim",    "Abdul Kadir", "Ali",      "Musa",   "Zakaria", "Syukur",
    "Karto",    "Suroso",   "Sarmin",      "Ujang",    "Udin",   "Mukhtar", "Lalu Amir"};

// --- Muslim names used across Indonesia ---
constexpr SV kMuslimCoreF[] = {
    "Aminah",    "Aisyah",    "Fatimah", "Khadijah",  "Zainab",  "Maryam",   "Halimah",
    "Rahmawati", "Nurhaliza", "Hasanah", "Salmah",    "Hajar",   "Rohani",   "Hamidah",
    "Rabiah",    "Jamilah",   "Mardiah", "Rosmiati",  "Suryani", "Hartati",  "Erna",
    "Nurlaili",  "Wahidah",   "Husna",   "Mutmainah", "Ramlah",  "Nuraini",  "Asmawati",
    "Yusnita",   "Rahmah",    "Kartini", "Megawati",  "Indah",   "Fitriani", "Nurjannah",
    "Zulaikha",  "Sakinah",   "Rukayah", "Masitah",   "Hafsah",  "Nurbaya",  "Ratnasari"};
constexpr SV kMuslimCoreM[] = {
    "Rizki",    "Fauzi",  "Hidayat", "Rahman", "Hakim",    "Yusuf",  "Ismail",
    "Ibrahim",  "Ilham",  "Syahrul", "Arifin", "Zulkifli", "Hasan",  "Husain",
    "Amin",     "Rasyid", "Saleh",   "Nasir",  "Hamzah",   "Ridwan", "Faisal",
    "Taufik",   "Irwan",  "Fadli",   "Hendra", "Rahmat",   "Jafar",  "Malik",
    "Kadir",    "Wahab",  "Latif",   "Aziz",   "Syafi'i",  "Ma'ruf", "Nurdin",
    "Iskandar", "Sofyan", "Anwar",   "Zainal", "Basri",    "Jufri",  "Usman"};
constexpr SV kMuslimSecond[] = {
    "Hidayat",   "Syahputra", "Ramadhan", "Kurniawan", "Saputra",    "Hasibuan",
    "Rahmadani", "Fitriani",  "Nasution", "Maulana",   "Firmansyah", "Sari",
    "Lestari",   "Hamid",     "Putri",    "Pratama",   "Utami",      "Wahyudi",
    "Aulia",     "Setiawan",  "Yunus",    "Rusli",     "Mansur",     "Amir",
    "Rahayu",    "Anggraini", "Safitri",  "Effendi"};

// --- NTT: mostly Catholic/Protestant given names with family names ---
constexpr SV kChristianF[] = {
    "Maria",      "Yohana",    "Yosefina",  "Agustina",     "Margaretha", "Yuliana",
    "Kristina",   "Elisabeth", "Fransiska", "Martha",       "Regina",     "Serlina",
    "Dorkas",     "Ester",     "Imelda",    "Anastasia",    "Katarina",   "Paulina",
    "Veronika",   "Theresia",  "Adelina",   "Marselina",    "Yuliani",    "Florida",
    "Wilhelmina", "Oktaviana", "Deviana",   "Novita",       "Sisilia",    "Lusia",
    "Ance",       "Mince",     "Yane",      "Meri",         "Dominika",   "Selfiana",
    "Yustina",    "Susana",    "Ribka",     "Naomi",        "Debora",     "Angelina",
    "Natalia",    "Agnes",     "Rosalia",   "Maria Goreti", "Yasinta",    "Aprilia"};
constexpr SV kChristianM[] = {
    "Fransiskus",  "Yohanes",  "Petrus",  "Paulus",    "Yosef",      "Aloysius",
    "Antonius",    "Markus",   "Yakobus", "Simon",     "Adrianus",   "Stefanus",
    "Wilhelmus",   "Kornelis", "Yulius",  "Dominikus", "Agustinus",  "Bernadus",
    "Kristoforus", "Melkior",  "Yermias", "Daniel",    "Obed",       "Marthen",
    "Zakarias",    "Alfonsus", "Gabriel", "Heronimus", "Arnoldus",   "Laurensius",
    "Siprianus",   "Emanuel",  "Yoseph",  "Matias",    "Benediktus", "Klemens"};
// Rare given names with letters beyond ASCII (all within Windows-1252).
constexpr SV kAccentedF[] = {"Désy", "Renée", "Noëlla", "Mérry", "Antónia", "Zoé"};
constexpr SV kAccentedM[] = {"José", "João", "Andréas", "Noël", "Hélder", "Andrés"};
constexpr SV kNttFamily[] = {
    "Manek", "Bria",   "Seran",     "Nahak",  "Tefa",  "Nenobais", "Taek",  "Bere",
    "Lake",  "Ndun",   "Fanggidae", "Tallo",  "Benu",  "Nope",     "Kase",  "Leki",
    "Neno",  "Tanone", "Mau",       "Talan",  "Kolo",  "Bani",     "Selan", "Sau",
    "Pello", "Dethan", "Lay",       "Nalle",  "Amalo", "Lomi",     "Foeh",  "Tse",
    "Sola",  "Lelo",   "Nubatonis", "Boimau", "Taneo", "Sanam",    "Kefi",  "Abineno",
    "Ratu",  "Wadu",   "Djami",     "Hege",   "Luruk", "Klau",     "Atok",  "Kolin",
    "Bunga", "Wogo",   "Kaka",      "Dedo",   "Laga",  "Riwu",     "Lobo",  "Making"};

// --- Batak ---
constexpr SV kBatakF[] = {
    "Rosmawati", "Lamria",   "Tiurma",  "Romauli",  "Maria",     "Rut",   "Debora",
    "Sondang",   "Dormauli", "Rotua",   "Nurmala",  "Hotnida",   "Lasma", "Rosdiana",
    "Herlina",   "Erna",     "Mariani", "Tetty",    "Friska",    "Yanti", "Evi",
    "Rina",      "Lisbet",   "Sarma",   "Tiominar", "Rotua Uli", "Ruth",  "Melva"};
constexpr SV kBatakM[] = {
    "Jonny",   "Parlindungan", "Rudolf",    "Martua", "Bonar",   "Togar",    "Maruli",
    "Hotman",  "Poltak",       "Tigor",     "Sahat",  "Jansen",  "Roy",      "Daniel",
    "Hendrik", "Benny",        "Pardamean", "Sabar",  "Rikardo", "Fernando", "Oloan",
    "Binsar",  "Marolop",      "Halomoan",  "Janter", "Lamhot"};
constexpr SV kBatakFamily[] = {
    "Siregar",    "Simanjuntak", "Nainggolan", "Sitorus",  "Hutapea",   "Sinaga",
    "Pardede",    "Manurung",    "Situmorang", "Silalahi", "Panjaitan", "Simatupang",
    "Hutagalung", "Sihombing",   "Tambunan",   "Gultom",   "Sitompul",  "Pasaribu",
    "Simbolon",   "Napitupulu",  "Sianturi",   "Purba",    "Saragih",   "Damanik",
    "Ginting",    "Tarigan",     "Sembiring",  "Sitepu",   "Sihotang",  "Marpaung"};
constexpr SV kBatakMuslimFamily[] = {
    "Lubis",    "Nasution", "Harahap", "Siregar",    "Rangkuti",  "Daulay",  "Batubara",
    "Hasibuan", "Pulungan", "Ritonga", "Dalimunthe", "Matondang", "Tanjung", "Pohan"};

// --- Lampung ---
constexpr SV kLampungSecondF[] = {"Saputri",   "Anggraini", "Herlina",    "Yulianti",
                                  "Oktaviani", "Marlina",   "Febriyanti", "Susanti",
                                  "Hartati",   "Wati",      "Sari",       "Novitasari"};
constexpr SV kLampungSecondM[] = {"Saputra",    "Pratama",    "Irawan", "Kurniawan",
                                  "Hermansyah", "Juliansyah", "Efendi", "Syahputra",
                                  "Gumay",      "Hasan",      "Wijaya", "Ramadhan"};

// --- West Kalimantan ---
constexpr SV kDayakSecond[] = {
    "Ajun",   "Ajan",    "Alim",  "Ding",   "Anyang", "Nyangun", "Usat",  "Lenjau",
    "Bujang", "Minggu",  "Akim",  "Djuang", "Laing",  "Apui",    "Acun",  "Lawai",
    "Jimbau", "Tingang", "Sumbi", "Abai",   "Asang",  "Kiyai",   "Ubeng", "Ngabang"};
constexpr SV kDayakF[] = {"Yuliana",   "Maria",   "Agustina", "Lusiana", "Natalia",
                          "Kristiani", "Yustina", "Lidia",    "Sinta",   "Veronika",
                          "Margareta", "Agnes",   "Paulina",  "Serlina", "Rosalia",
                          "Florensia", "Yovita",  "Elisabet", "Desi",    "Martina"};
constexpr SV kDayakM[] = {"Agustinus",  "Yohanes",    "Herkulanus", "Ronaldus",
                          "Aloysius",   "Stefanus",   "Markus",     "Andreas",
                          "Paulus",     "Petrus",     "Yosef",      "Martinus",
                          "Fransiskus", "Benediktus", "Antonius",   "Ignasius",
                          "Hironimus",  "Leonardus",  "Yakobus",    "Lukas"};

// --- Chinese-Indonesian ---
constexpr SV kChineseSurname[] = {"Lie",  "Tan",  "Lim",   "Bong", "Tjhin", "Phang",
                                  "Liem", "Oei",  "Go",    "Kho",  "Ong",   "Thio",
                                  "Chin", "Lay",  "Tjong", "Jap",  "Fung",  "Lo",
                                  "Khoe", "Njoo", "Sim"};
constexpr SV kChineseSyllF[] = {"Mei", "Ling", "Lan", "Siu", "Fung", "Nyuk", "Hoa",
                                "Li",  "Lian", "Hui", "Yin", "Fong", "Moi",  "Kim",
                                "Suk", "Sui",  "Cin", "Ai",  "Jin",  "Lin",  "Hiong"};
constexpr SV kChineseSyllM[] = {"Kok",  "Wei",  "Seng", "Kiong", "Hok",  "Liong", "Tjin",
                                "Hin",  "Kiat", "Fat",  "Kian",  "Hong", "Sen",   "Bun",
                                "Kong", "Tek",  "Jun",  "Khiun", "Fuk",  "Kim"};
constexpr SV kChineseIndoFamily[] = {
    "Wijaya",   "Halim",     "Gunawan",   "Tanjaya", "Santoso",  "Salim",    "Tanuwijaya",
    "Setiawan", "Kurniawan", "Hartono",   "Susanto", "Lesmana",  "Sugianto", "Wibisono",
    "Limanto",  "Tjandra",   "Hendrawan", "Sutanto", "Hadinata", "Kusuma"};
constexpr SV kChineseIndoF[] = {"Susanti", "Lina",     "Meliana",  "Yuliana", "Lili",
                                "Fenny",   "Meiliana", "Novita",   "Sinta",   "Veronica",
                                "Herlina", "Megawati", "Linda",    "Jessica", "Stefani",
                                "Cindy",   "Vivian",   "Angelina", "Desi",    "Mei Lan"};
constexpr SV kChineseIndoM[] = {
    "Hendra", "Budi",     "Andi", "Rudy",  "Hendrik", "Johan", "Ricky", "Steven",
    "Kevin",  "Sugianto", "Edy",  "Ferry", "Willy",   "Jimmy", "Felix", "Aseng"};

// --- Bali ---
constexpr SV kBaliOrder[] = {"Wayan",  "Putu",   "Gede",   "Made", "Kadek",
                             "Nengah", "Nyoman", "Komang", "Ketut"};
constexpr SV kBaliF[] = {"Sari",      "Ayu",        "Suartini", "Wulandari", "Sukerti",
                         "Astiti",    "Artini",     "Sumiarni", "Ariani",    "Dewi",
                         "Mertasari", "Yuliastini", "Sudiani",  "Purnami",   "Candra"};
constexpr SV kBaliM[] = {"Sudarma", "Suarta",    "Artawan",  "Budiarta", "Sukadana",
                         "Wirawan", "Mertayasa", "Suardana", "Adnyana",  "Sudiarsa",
                         "Arsana",  "Widiana",   "Sutama",   "Parwata",  "Darmawan"};

// --- Maluku, North Sulawesi, Papua ---
constexpr SV kEasternFamily[] = {
    "Pattiasina", "Tuhumury", "Sahertian", "Pangemanan", "Rumbiak",   "Wanggai",
    "Latumahina", "Tupamahu", "Lumowa",    "Wenas",      "Rondonuwu", "Mandey",
    "Kogoya",     "Wenda",    "Tabuni",    "Yikwa",      "Matulessy", "Siahaya",
    "Manuputty",  "Karubaba", "Rumere",    "Watimena",   "Tuasikal",  "Ohoiwutun"};

// --- Suspects' aliases and foreign bosses ---
constexpr SV kAliasNick[] = {"Mama Ani", "Bos",       "Pak De",   "Om Yos",
                             "Mami",     "Koh Ahong", "Mak Ijah", "Bang Jago",
                             "Ibu Rita", "Ci Lina",   "Pit",      "Anto",
                             "Nona",     "Papi",      "Bu Haji",  "Om Nus"};
constexpr SV kForeignBoss[] = {"Mr. Lim",    "Ah Chong",   "Mr. Wang",    "Tan Ah Kow",
                               "Abu Faisal", "Mr. Chen",   "Datuk Razak", "Lee Kah Wai",
                               "Mr. Huang",  "Madam Wong", "Zhang Wei",   "Ko Aung"};

// --- Village names for addresses ---
constexpr SV kVillagesJava[] = {"Sukamaju",  "Sukajaya",    "Mekarsari",   "Karangrejo",
                                "Sidomulyo", "Sumberrejo",  "Kedungsari",  "Margamulya",
                                "Tegalsari", "Sukamulya",   "Jatisari",    "Wonosari",
                                "Cibodas",   "Karanganyar", "Sindangsari", "Purwodadi"};
constexpr SV kVillagesEast[] = {"Oelnasi",  "Oebelo",  "Nifukani", "Tuapukan", "Oeltua",
                                "Noelbaki", "Baumata", "Naibonat", "Oenunu",   "Kuanheun",
                                "Bokong",   "Weliman", "Fatukoa",  "Haliwen",  "Silawan"};
constexpr SV kVillagesLombok[] = {"Sakra",    "Masbagik",     "Pringgasela", "Suralaga",
                                  "Kopang",   "Jonggat",      "Batukliang",  "Aikmel",
                                  "Sembalun", "Labuhan Haji", "Wanasaba",    "Terara"};
constexpr SV kVillagesOther[] = {
    "Sungai Raya", "Teluk Pakedai", "Sebangki",     "Pasir Panjang", "Tanjung Harapan",
    "Suka Damai",  "Bukit Tinggi",  "Air Itam",     "Sidorejo",      "Mekar Jaya",
    "Batu Ampar",  "Kampung Baru",  "Simpang Tiga", "Lubuk Pakam"};

template <size_t N>
std::string PickS(Rng& rng, const SV (&items)[N]) {
  return std::string(rng.Pick(items));
}

// Splits "Nurul Hidayah" into parts and appends them to `given`.
void AppendParts(std::string_view text, std::vector<std::string>& given) {
  size_t start = 0;
  while (start < text.size()) {
    size_t space = text.find(' ', start);
    if (space == std::string_view::npos) space = text.size();
    if (space > start) given.emplace_back(text.substr(start, space - start));
    start = space + 1;
  }
}

std::string MaybeAccented(Rng& rng, Sex sex, std::string_view fallback) {
  if (rng.Chance(0.006)) {
    return sex == Sex::kFemale ? PickS(rng, kAccentedF) : PickS(rng, kAccentedM);
  }
  return std::string(fallback);
}

void JavaneseLike(Rng& rng, Sex sex, PersonName& n, const SV* f1, size_t nf1,
                  const SV* f2, size_t nf2, const SV* m1, size_t nm1, const SV* m2,
                  size_t nm2, double mononym) {
  const bool female = sex == Sex::kFemale;
  const SV* first = female ? f1 : m1;
  const SV* second = female ? f2 : m2;
  size_t nfirst = female ? nf1 : nm1;
  size_t nsecond = female ? nf2 : nm2;
  double x = rng.Unit();
  n.given.emplace_back(first[rng.Below(nfirst)]);
  if (x < mononym) return;
  if (x > 0.87 && !female) {
    // Three parts: "Muhammad Agus Santoso".
    n.given.emplace_back(first[rng.Below(nfirst)]);
  } else if (x > 0.87) {
    n.given.emplace_back(second[rng.Below(nsecond)]);
  }
  std::string last(second[rng.Below(nsecond)]);
  if (last == n.given.back()) return;
  n.given.push_back(std::move(last));
}

void MuslimGiven(Rng& rng, Sex sex, PersonName& n) {
  if (sex == Sex::kFemale) {
    double x = rng.Unit();
    if (x < 0.28) {
      n.given.emplace_back("Siti");
    } else if (x < 0.45) {
      n.given.emplace_back("Nur");
    }
    n.given.push_back(PickS(rng, kMuslimCoreF));
  } else {
    double x = rng.Unit();
    if (x < 0.25) {
      n.given.emplace_back("Muhammad");
    } else if (x < 0.37) {
      n.given.emplace_back("Abdul");
    } else if (x < 0.49) {
      n.given.emplace_back("Ahmad");
    }
    n.given.push_back(PickS(rng, kMuslimCoreM));
  }
  if (n.given.size() == 1 && rng.Chance(0.5))
    n.given.push_back(PickS(rng, kMuslimSecond));
}

void MaybePatronym(Rng& rng, Sex sex, double p, PersonName& n) {
  if (!rng.Chance(p)) return;
  n.patronym = sex == Sex::kFemale ? "binti" : "bin";
  n.father = PickS(rng, kFathers);
}

void MaybeTitle(Rng& rng, Ethnicity e, Sex sex, int age, double p, PersonName& n) {
  if (!IsMuslim(e) || age < 35 || !rng.Chance(p)) return;
  n.title = sex == Sex::kFemale ? "Hj." : "H.";
}

void MaybeOldSpelling(Rng& rng, int age, PersonName& n) {
  // Names registered before the 1972 spelling reform keep Soe-, Dj-, Tj-.
  if (age < 48 || !rng.Chance(0.45)) return;
  for (std::string& part : n.given) part = OldSpelling(part);
}

void FillGiven(Rng& rng, Ethnicity e, Sex sex, int age, PersonName& n) {
  const bool female = sex == Sex::kFemale;
  switch (e) {
    case Ethnicity::kJavanese:
      JavaneseLike(rng, sex, n, kJavaF1, std::size(kJavaF1), kJavaF2, std::size(kJavaF2),
                   kJavaM1, std::size(kJavaM1), kJavaM2, std::size(kJavaM2), 0.30);
      MaybeOldSpelling(rng, age, n);
      break;
    case Ethnicity::kSundanese:
      JavaneseLike(rng, sex, n, kSundaF1, std::size(kSundaF1), kSundaF2,
                   std::size(kSundaF2), kSundaM1, std::size(kSundaM1), kSundaM2,
                   std::size(kSundaM2), 0.20);
      MaybeOldSpelling(rng, age, n);
      break;
    case Ethnicity::kSasak:
      if (rng.Chance(0.12)) n.given.emplace_back(female ? "Baiq" : "Lalu");
      AppendParts(female ? rng.Pick(kSasakF) : rng.Pick(kSasakM), n.given);
      break;
    case Ethnicity::kMuslim:
      MuslimGiven(rng, sex, n);
      break;
    case Ethnicity::kNttChristian:
    case Ethnicity::kEasternChristian:
      n.given.push_back(MaybeAccented(
          rng, sex, female ? rng.Pick(kChristianF) : rng.Pick(kChristianM)));
      if (rng.Chance(0.4)) {
        std::string second(female ? rng.Pick(kChristianF) : rng.Pick(kChristianM));
        if (second != n.given[0]) AppendParts(second, n.given);
      }
      break;
    case Ethnicity::kBatakChristian:
      n.given.push_back(female ? PickS(rng, kBatakF) : PickS(rng, kBatakM));
      if (rng.Chance(0.2)) {
        n.given.push_back(female ? PickS(rng, kChristianF) : PickS(rng, kChristianM));
      }
      break;
    case Ethnicity::kBatakMuslim:
      MuslimGiven(rng, sex, n);
      if (n.given.size() > 2) n.given.pop_back();
      break;
    case Ethnicity::kLampung:
      if (rng.Chance(0.5)) {
        n.given.push_back(female ? PickS(rng, kMuslimCoreF) : PickS(rng, kMuslimCoreM));
      } else {
        n.given.push_back(female ? PickS(rng, kJavaF1) : PickS(rng, kSundaM1));
      }
      n.given.push_back(female ? PickS(rng, kLampungSecondF)
                               : PickS(rng, kLampungSecondM));
      break;
    case Ethnicity::kMalay: {
      double x = rng.Unit();
      if (x < 0.10) {
        n.given.emplace_back(female ? "Utin" : "Uray");
      } else if (x < 0.17) {
        n.given.emplace_back(female ? "Syarifah" : "Syarif");
      } else if (x < 0.21) {
        n.given.emplace_back(female ? "Dayang" : "Abang");
      }
      if (n.given.empty()) {
        MuslimGiven(rng, sex, n);
      } else {
        n.given.push_back(female ? PickS(rng, kMuslimCoreF) : PickS(rng, kMuslimCoreM));
      }
      break;
    }
    case Ethnicity::kDayak:
      n.given.push_back(
          MaybeAccented(rng, sex, female ? rng.Pick(kDayakF) : rng.Pick(kDayakM)));
      if (rng.Chance(0.6)) n.given.push_back(PickS(rng, kDayakSecond));
      break;
    case Ethnicity::kChinese:
      if (rng.Chance(0.45)) {
        // "Lie Mei Ling": the surname in front.
        n.given.push_back(PickS(rng, kChineseSurname));
        n.given.push_back(female ? PickS(rng, kChineseSyllF) : PickS(rng, kChineseSyllM));
        n.given.push_back(female ? PickS(rng, kChineseSyllF) : PickS(rng, kChineseSyllM));
      } else {
        AppendParts(female ? rng.Pick(kChineseIndoF) : rng.Pick(kChineseIndoM), n.given);
        n.family = PickS(rng, kChineseIndoFamily);
      }
      break;
    case Ethnicity::kBalinese:
      if (female && rng.Chance(0.4)) n.given.emplace_back("Luh");
      n.given.push_back(PickS(rng, kBaliOrder));
      n.given.push_back(female ? PickS(rng, kBaliF) : PickS(rng, kBaliM));
      break;
  }
  if (n.given.empty()) n.given.emplace_back("Sri");
}

void FillFamily(Rng& rng, Ethnicity e, PersonName& n) {
  switch (e) {
    case Ethnicity::kNttChristian:
      if (rng.Chance(0.9)) n.family = PickS(rng, kNttFamily);
      break;
    case Ethnicity::kEasternChristian:
      if (rng.Chance(0.85)) n.family = PickS(rng, kEasternFamily);
      break;
    case Ethnicity::kBatakChristian:
      n.family = PickS(rng, kBatakFamily);
      break;
    case Ethnicity::kBatakMuslim:
      n.family = PickS(rng, kBatakMuslimFamily);
      break;
    default:
      break;
  }
}

}  // namespace

bool IsMuslim(Ethnicity e) {
  switch (e) {
    case Ethnicity::kJavanese:
    case Ethnicity::kSundanese:
    case Ethnicity::kSasak:
    case Ethnicity::kBatakMuslim:
    case Ethnicity::kLampung:
    case Ethnicity::kMalay:
    case Ethnicity::kMuslim:
      return true;
    default:
      return false;
  }
}

Ethnicity PickEthnicity(Rng& rng, std::string_view regency_code) {
  std::string_view province = regency_code.substr(0, 2);
  double x = rng.Unit();
  auto is = [&](std::string_view p) { return province == p; };
  if (is("53")) return x < 0.86 ? Ethnicity::kNttChristian : Ethnicity::kMuslim;
  if (is("52")) {
    // Lombok: West, Central, East, North Lombok and Mataram; Sumbawa and Bima else.
    static constexpr SV kLombok[] = {"52.01", "52.02", "52.03", "52.08", "52.71"};
    for (SV code : kLombok) {
      if (regency_code == code) return x < 0.9 ? Ethnicity::kSasak : Ethnicity::kMuslim;
    }
    return x < 0.15 ? Ethnicity::kSasak : Ethnicity::kMuslim;
  }
  if (is("32") || is("36")) {
    if (x < 0.82) return Ethnicity::kSundanese;
    return x < 0.93 ? Ethnicity::kJavanese : Ethnicity::kMuslim;
  }
  if (is("33") || is("34") || is("35")) {
    if (x < 0.84) return Ethnicity::kJavanese;
    return x < 0.97 ? Ethnicity::kMuslim : Ethnicity::kChinese;
  }
  if (is("18")) {
    if (x < 0.55) return Ethnicity::kJavanese;
    return x < 0.85 ? Ethnicity::kLampung : Ethnicity::kSundanese;
  }
  if (is("61")) {
    if (x < 0.45) return Ethnicity::kMalay;
    return x < 0.8 ? Ethnicity::kDayak : Ethnicity::kChinese;
  }
  if (is("12")) {
    if (x < 0.40) return Ethnicity::kBatakChristian;
    if (x < 0.60) return Ethnicity::kBatakMuslim;
    if (x < 0.80) return Ethnicity::kJavanese;
    return x < 0.95 ? Ethnicity::kMuslim : Ethnicity::kChinese;
  }
  if (is("51")) return x < 0.85 ? Ethnicity::kBalinese : Ethnicity::kJavanese;
  if (is("71") || is("81") || is("91") || is("92") || is("93") || is("94") || is("95") ||
      is("96")) {
    return x < 0.7 ? Ethnicity::kEasternChristian : Ethnicity::kMuslim;
  }
  if (is("21") || is("64") || is("65")) {
    if (x < 0.5) return Ethnicity::kMuslim;
    return x < 0.8 ? Ethnicity::kJavanese : Ethnicity::kBatakChristian;
  }
  return x < 0.85 ? Ethnicity::kMuslim : Ethnicity::kJavanese;
}

PersonName MakeName(Rng& rng, Ethnicity ethnicity, Sex sex, int age) {
  PersonName n;
  FillGiven(rng, ethnicity, sex, age, n);
  FillFamily(rng, ethnicity, n);
  double patronym_p = 0.0;
  switch (ethnicity) {
    case Ethnicity::kSasak:
      patronym_p = 0.45;
      break;
    case Ethnicity::kMuslim:
    case Ethnicity::kMalay:
      patronym_p = 0.12;
      break;
    case Ethnicity::kJavanese:
    case Ethnicity::kSundanese:
    case Ethnicity::kLampung:
      patronym_p = 0.06;
      break;
    default:
      break;
  }
  MaybePatronym(rng, sex, patronym_p, n);
  MaybeTitle(rng, ethnicity, sex, age, 0.15, n);
  return n;
}

PersonName MakeSiblingName(Rng& rng, const PersonName& sibling, Ethnicity ethnicity,
                           Sex sex, int age) {
  PersonName n = MakeName(rng, ethnicity, sex, age);
  n.family = sibling.family;
  if (sibling.patronym.empty()) {
    n.patronym.clear();
    n.father.clear();
  } else {
    n.patronym = sex == Sex::kFemale ? "binti" : "bin";
    n.father = sibling.father;
  }
  if (ethnicity == Ethnicity::kChinese && sibling.given.size() == 3 &&
      n.given.size() == 3) {
    n.given[0] = sibling.given[0];  // same surname
  }
  return n;
}

std::string MakeSuspectName(Rng& rng, Ethnicity ethnicity, Sex* sex_out, bool* foreign) {
  if (foreign != nullptr) *foreign = false;
  if (rng.Chance(0.06)) {
    SV boss = rng.Pick(kForeignBoss);
    if (foreign != nullptr) *foreign = true;
    if (sex_out != nullptr) *sex_out = boss == "Madam Wong" ? Sex::kFemale : Sex::kMale;
    return std::string(boss);
  }
  Sex sex = rng.Chance(0.62) ? Sex::kMale : Sex::kFemale;
  if (sex_out != nullptr) *sex_out = sex;
  PersonName n = MakeName(rng, ethnicity, sex, rng.Range(25, 60));
  n.patronym.clear();
  n.father.clear();
  std::string out = FullName(n);
  if (rng.Chance(0.12)) {
    out += " alias ";
    out += rng.Pick(kAliasNick);
  }
  return out;
}

std::string FullName(const PersonName& name) {
  std::string out;
  out.reserve(48);
  auto add = [&out](std::string_view part) {
    if (part.empty()) return;
    if (!out.empty()) out += ' ';
    out += part;
  };
  add(name.title);
  for (const std::string& part : name.given) add(part);
  add(name.family);
  if (!name.patronym.empty()) {
    add(name.patronym);
    add(name.father);
  }
  return out;
}

std::string_view PickVillage(Rng& rng, std::string_view province_code) {
  std::string_view p = province_code.substr(0, 2);
  if (p == "53") return rng.Pick(kVillagesEast);
  if (p == "52") return rng.Pick(kVillagesLombok);
  if (p == "18" || (p >= "31" && p <= "36")) return rng.Pick(kVillagesJava);
  return rng.Pick(kVillagesOther);
}

}  // namespace gugus::synth::internal
