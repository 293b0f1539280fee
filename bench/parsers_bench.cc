// Micro-benchmarks of the per-row work of an import: value parsers, the CSV reader
// and row validation. Run by `make bench`.
#include <benchmark/benchmark.h>

#include "core/date.h"
#include "core/nik.h"
#include "core/values.h"
#include "ingest/interchange.h"
#include "ingest/reader.h"

namespace gugus {
namespace {

void BM_ParseDate(benchmark::State& state, const char* text) {
  for (auto _ : state) benchmark::DoNotOptimize(ParseDate(text));
}
BENCHMARK_CAPTURE(BM_ParseDate, iso, "2023-06-14");
BENCHMARK_CAPTURE(BM_ParseDate, dmy_slash, "14/06/2023");
BENCHMARK_CAPTURE(BM_ParseDate, indonesian_month, "14 Juni 2023");

void BM_ParseNik(benchmark::State& state) {
  Date reference{2023, 6, 14};
  for (auto _ : state) benchmark::DoNotOptimize(ParseNik("5371015203990001", reference));
}
BENCHMARK(BM_ParseNik);

void BM_NormalizePhone(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(NormalizePhone("0812-3456-7890"));
}
BENCHMARK(BM_NormalizePhone);

std::string SampleCsv(int rows) {
  std::string csv =
      "record_id,report_date,name,nik,sex,birth_date,origin_region,phone,notes\n";
  for (int i = 0; i < rows; ++i) {
    csv += "R" + std::to_string(i) +
           ",2023-06-14,Maria Yosefina Manek,5371015203990001,P,12/03/1999,53.71,"
           "0812-3456-7890,\"dijemput calo, dibawa ke Batam\"\n";
  }
  return csv;
}

void BM_CsvRead(benchmark::State& state) {
  std::string csv = SampleCsv(50000);
  for (auto _ : state) {
    auto reader = ingest::OpenCsvFromString(csv);
    ingest::RawRow row;
    int64_t n = 0;
    while (*(*reader)->Next(row)) ++n;
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * csv.size()));
  state.SetItemsProcessed(state.iterations() * 50000);
}
BENCHMARK(BM_CsvRead)->Unit(benchmark::kMillisecond);

void BM_ValidateRow(benchmark::State& state) {
  RegionIndex regions;
  CountryIndex countries;
  auto map = ingest::MapHeader(
      {"record_id", "report_date", "name", "nik", "sex", "birth_date", "phone"});
  ingest::RawRow row;
  row.cells = {"",  "2023-06-14", "Maria Yosefina Manek", "5371015203990001",
               "P", "12/03/1999", "0812-3456-7890"};
  ingest::RowValidator validator(regions, countries, Date{2024, 1, 1});
  int64_t i = 0;
  for (auto _ : state) {
    row.cells[0] = std::to_string(i++);  // fresh ids: no duplicate rejects
    benchmark::DoNotOptimize(validator.Validate(row, *map));
  }
}
BENCHMARK(BM_ValidateRow);

}  // namespace
}  // namespace gugus
