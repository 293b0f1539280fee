#!/usr/bin/env bash
# Builds every libFuzzer target (tests/fuzz/*_fuzz.cc) with clang, AddressSanitizer
# and UndefinedBehaviorSanitizer in build-fuzz, runs each for $FUZZ_SECONDS seconds
# (default 60) from its corpus, and prints a Markdown table: fuzzer, seconds,
# executions, result. Exits non-zero when any fuzzer crashed or a sanitizer spoke;
# the crashing input is kept as build-fuzz/fuzz-artifacts/NAME-crash-…
#
# Corpora live in tests/fuzz/corpus-NAME (git-ignored) and grow from run to run.
# They are seeded from tests/testdata (csv: text files; xlsx: workbooks, also
# re-zipped without compression so that mutations reach the XML) and from
# tests/fuzz/NAME.seeds when it exists (one seed per line).
#
# Environment: FUZZ_SECONDS, FUZZ_BUILD (build folder), FUZZ_TARGETS (names to run,
# default all), FUZZ_JOBS (build parallelism).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

seconds=${FUZZ_SECONDS:-60}
build=${FUZZ_BUILD:-build-fuzz}
jobs=${FUZZ_JOBS:-$(nproc)}

for tool in clang clang++ cmake ninja; do
  command -v "$tool" >/dev/null || { echo "fuzz: $tool is missing (make setup)" >&2; exit 2; }
done

if [ -n "${FUZZ_TARGETS:-}" ]; then
  read -r -a targets <<<"$FUZZ_TARGETS"
else
  targets=()
  for src in tests/fuzz/*_fuzz.cc; do targets+=("$(basename "$src" .cc)"); done
fi
((${#targets[@]})) || { echo "fuzz: no *_fuzz.cc targets" >&2; exit 2; }

# GUGUS_FUZZ also instruments the libraries for coverage (cmake/GugusTargets.cmake).
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DGUGUS_FUZZ=ON -DGUGUS_SANITIZE=ON -DGUGUS_BENCH=OFF >"$build.configure.log" 2>&1 \
  || { cat "$build.configure.log" >&2; exit 2; }
rm -f "$build.configure.log"
cmake --build "$build" -j "$jobs" --target "${targets[@]}"

# Copies a seed into a corpus under a content name (no duplicates).
add_seed() {
  local corpus=$1 file=$2
  cp "$file" "$corpus/seed-$(sha1sum <"$file" | cut -c1-16)"
}

seed_corpus() {
  local name=$1 corpus=$2 f
  case "$name" in
    csv_fuzz)
      while IFS= read -r -d '' f; do add_seed "$corpus" "$f"; done < <(
        find tests/testdata -type f \( -name '*.csv' -o -name '*.tsv' -o -name '*.txt' \
          -o -name '*.jsonl' \) -size -64k -print0)
      ;;
    xlsx_fuzz)
      while IFS= read -r -d '' f; do
        add_seed "$corpus" "$f"
        if command -v zip >/dev/null && command -v unzip >/dev/null; then
          local tmp
          tmp=$(mktemp -d)
          if unzip -q "$f" -d "$tmp/x" 2>/dev/null; then
            (cd "$tmp/x" && zip -q -0 -X -D -r ../stored.xlsx .)
            add_seed "$corpus" "$tmp/stored.xlsx"
          fi
          rm -rf "$tmp"
        fi
      done < <(find tests/testdata -type f -name '*.xlsx' -size -1024k -print0)
      ;;
  esac
  if [ -f "tests/fuzz/$name.seeds" ]; then
    local i=0 line
    while IFS= read -r line || [ -n "$line" ]; do
      printf '%s' "$line" >"$corpus/line-$i"
      i=$((i + 1))
    done <"tests/fuzz/$name.seeds"
  fi
}

mkdir -p "$build/fuzz-artifacts" "$build/fuzz-logs"
failed=0
rows=()
for name in "${targets[@]}"; do
  corpus="tests/fuzz/corpus-${name%_fuzz}"
  mkdir -p "$corpus"
  seed_corpus "$name" "$corpus"
  log="$build/fuzz-logs/$name.log"
  echo "fuzz: $name for ${seconds}s (log: $log)" >&2
  status=0
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ASAN_OPTIONS=detect_leaks=1 \
    "$root/$build/tests/fuzz/$name" -max_total_time="$seconds" -print_final_stats=1 \
    -timeout=30 -rss_limit_mb=2560 -artifact_prefix="$root/$build/fuzz-artifacts/$name-" \
    "$corpus" >"$log" 2>&1 || status=$?
  executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 |
    grep -o '[0-9]*$' || true)
  result=ok
  if ((status != 0)) || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$log"; then
    result="FAILED (exit $status; see $log)"
    failed=1
    grep -E 'ERROR:|runtime error:|SUMMARY:|Test unit written' "$log" | head -5 >&2 || true
  fi
  rows+=("| $name | $seconds | ${executions:-?} | $result |")
done

echo
echo "| fuzzer | seconds | executions | result |"
echo "|---|---:|---:|---|"
printf '%s\n' "${rows[@]}"
exit "$failed"
