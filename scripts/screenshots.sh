#!/usr/bin/env bash
# `make screenshots`: runs the browser tests with GUGUS_SCREENSHOTS set, so each test
# saves the screens it walks through into docs/screenshots/ (the README shows them).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
rm -rf docs/screenshots
mkdir -p docs/screenshots
GUGUS_BIN="$BUILD/gugus" GUGUS_WEB_DIR=web/dist GUGUS_SCREENSHOTS=docs/screenshots \
  node --test web/tests/*.test.mjs
ls docs/screenshots
