#!/usr/bin/env bash
# Runs the test suite (ctest) against both backends: SQLite always, PostgreSQL in a
# throwaway cluster that pg_virtualenv (Debian's postgresql-common) creates for the
# run and drops afterwards. The tests find it through GUGUS_TEST_POSTGRES.
# Without PostgreSQL the PostgreSQL tests are skipped, except under CI=true, where
# they fail: CI must test every backend.
# Usage: scripts/test.sh BUILD JOBS [ctest arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
JOBS=${2:-$(nproc)}
shift $(($# < 2 ? $# : 2))
run=(ctest --test-dir "$BUILD" --output-on-failure -j "$JOBS" "$@")

if [ -n "${GUGUS_TEST_POSTGRES:-}" ]; then
  exec "${run[@]}"  # a server chosen by the caller
fi
if ! command -v pg_virtualenv >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "test: PostgreSQL is not installed (scripts/setup.sh installs it); its tests are skipped" >&2
  exec "${run[@]}"
fi
# -t: the cluster in a temporary folder, even as root (not /etc/postgresql/15/regress,
# which a killed run would leave behind and the next refuse to overwrite).
# fsync off: the cluster is thrown away after the run. Enough connections for
# every test running at once, each with a few threads.
exec pg_virtualenv -t -o fsync=off -o max_connections=400 \
  env GUGUS_TEST_POSTGRES=postgresql: "${run[@]}"
