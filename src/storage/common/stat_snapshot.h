// Private to src/storage: what every backend's StatsRepository shares — how a current
// record version becomes its statistics fact (a row of stat_facts), and the packed
// snapshot those rows are kept in, chunk by chunk in person order, so that a read
// of a million facts copies bytes instead of converting column values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "ingest/interchange.h"
#include "report/cube.h"

namespace gugus::storage {

// How facts are derived from records (report::FactOf) and packed. Raised whenever
// that changes (2: ages from the NIK when no birth date is given; 3: snapshot
// chunks by person key; 4: what each record says of its person — stated birth
// date, the NIK and what it encodes, a stable key; 5: the stable key from the
// record id too, which 4 left out), so that facts a database already holds are
// derived again on the next read instead of staying stale.
inline constexpr int64_t kFactsVersion = 5;

// The snapshot's chunk c holds the facts of person keys [c << kChunkBits,
// (c + 1) << kChunkBits), in person order, so that chunks in order are the facts in
// person order and a change rewrites only the chunks of the persons it touched
// (a small import or a review decision: a few chunks of some 300 KiB, not 56 MB
// under the write lock that every audited read waits for). A person key is the
// person id, or -source_record_id for a record not linked yet.
inline constexpr int kChunkBits = 12;
inline int64_t ChunkOf(int64_t person_key) { return person_key >> kChunkBits; }

// One fact as stored in a snapshot chunk: fixed layout, host byte order (the
// snapshot is derived data: a database moved to a machine of the other byte order
// would need its stat_state cleared, and none of gugus's targets is big-endian).
struct PackedFact {
  int64_t person;
  int64_t case_key;
  int64_t agency_id;
  int64_t nik;
  uint64_t stable_key;
  int32_t report_date;
  int32_t incident_date;
  int32_t origin;
  uint32_t exploitation;
  uint32_t recruitment;
  int32_t birth_date;
  int32_t nik_birth;
  int32_t nik_origin;
  uint16_t destination;  // PackDestination
  int16_t age;
  int8_t sex;
  int8_t nik_sex;
  int8_t padding[2];
};
inline constexpr size_t kPackedSize = sizeof(PackedFact);
static_assert(kPackedSize == 80);

// A destination code as stored ("MY"): two ASCII letters, high byte first; 0 for
// anything else (unknown).
uint16_t PackDestination(std::string_view code);

// The fact of a current version. `parsed` holds its stored values (every field but
// record_id; the age as its text, as the column reads back); its `age` is set here.
report::RecordFact StoredFact(ingest::ParsedRecord& parsed, int64_t agency_id,
                              std::string_view agency_code);

// Turns snapshot chunks, in chunk order, back into `set`'s facts in person order.
// `set.agencies` must be filled first: facts refer to them by index.
class SnapshotReader {
 public:
  explicit SnapshotReader(report::FactSet& set);
  // Appends the whole packed facts in `data` (`size` bytes).
  void Add(const void* data, size_t size);

 private:
  report::FactSet& set_;
  absl::flat_hash_map<int64_t, int32_t> agency_index_;  // agency id → index
  std::vector<int32_t> destination_index_;              // packed code → index
};

}  // namespace gugus::storage
