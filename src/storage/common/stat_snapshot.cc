#include "storage/common/stat_snapshot.h"

#include <cstdlib>
#include <cstring>
#include <string>

namespace gugus::storage {

uint16_t PackDestination(std::string_view code) {
  if (code.size() != 2) return 0;
  return static_cast<uint16_t>((static_cast<unsigned char>(code[0]) << 8) |
                               static_cast<unsigned char>(code[1]));
}

report::RecordFact StoredFact(ingest::ParsedRecord& parsed, int64_t agency_id,
                              std::string_view agency_code) {
  const std::string& age = parsed[ingest::Field::kAge];
  parsed.age.reset();
  if (!age.empty()) parsed.age = std::atoi(age.c_str());
  return report::FactOf(parsed, agency_id, agency_code);
}

SnapshotReader::SnapshotReader(report::FactSet& set)
    : set_(set), destination_index_(1 << 16, -1) {
  for (size_t i = 0; i < set.agencies.size(); ++i)
    agency_index_[set.agencies[i].id] = static_cast<int32_t>(i);
}

void SnapshotReader::Add(const void* data, size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  const size_t n = size / kPackedSize;
  for (size_t i = 0; i < n; ++i, p += kPackedSize) {
    PackedFact packed;
    std::memcpy(&packed, p, kPackedSize);
    auto agency = agency_index_.find(packed.agency_id);
    if (agency == agency_index_.end()) continue;  // cannot happen: a foreign key
    report::Fact f;
    f.person = packed.person;
    f.case_key = packed.case_key;
    f.agency = agency->second;
    f.report_date = packed.report_date;
    f.incident_date = packed.incident_date;
    f.origin = packed.origin;
    f.exploitation = packed.exploitation;
    f.recruitment = packed.recruitment;
    f.age = packed.age;
    f.sex = packed.sex;
    f.nik = packed.nik;
    f.stable_key = packed.stable_key;
    f.birth_date = packed.birth_date;
    f.nik_birth = packed.nik_birth;
    f.nik_origin = packed.nik_origin;
    f.nik_sex = packed.nik_sex;
    if (packed.destination != 0) {
      int32_t& index = destination_index_[packed.destination];
      if (index < 0) {
        index = static_cast<int32_t>(set_.destinations.size());
        set_.destinations.push_back({static_cast<char>(packed.destination >> 8),
                                     static_cast<char>(packed.destination & 0xff)});
      }
      f.destination = index;
    }
    set_.facts.push_back(f);
  }
}

}  // namespace gugus::storage
