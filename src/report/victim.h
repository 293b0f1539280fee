// Facts about a victim that statistics and exchange formats derive the same way from
// a source record's parsed values: age at the time of exploitation and CTDC's broad
// age bands. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "ingest/interchange.h"

namespace gugus::report {

// CTDC's broad age bands: 0–8, 9–17, 18–20, 21–23, 24–26, 27–29, 30–38, 39–47, 48+.
inline constexpr int kAgeBandCount = 9;
// The band of an age in whole years (0..kAgeBandCount-1); -1 for a negative age.
int AgeBand(int age);
// "0-8", "9-17", …, "48+" (gugus statistics) and "0--8", …, "48+" (CTDC files).
std::string_view AgeBandLabel(int band);
std::string_view CtdcAgeBandLabel(int band);

// A person under 18 is a child (UU 35/2014 on child protection).
inline constexpr int kAdultAge = 18;

// Age in whole years when the exploitation happened: from the birth date (else the
// one a valid NIK encodes) to the incident date, else to the report date; else the
// age stated at report (an upper bound when the incident came earlier, the best
// there is). nullopt when unknown.
std::optional<int> AgeAtExploitation(const ingest::ParsedRecord& record);

}  // namespace gugus::report
