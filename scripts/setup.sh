#!/usr/bin/env bash
# Installs what gugus needs on Debian 12 when it is missing: Debian packages (with
# apt-get; through sudo when not root) and the npm packages of package.json.
# Idempotent and quiet when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config git
  libsqlite3-dev sqlite3 nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev
  libabsl-dev libsodium-dev libutf8proc-dev libzip-dev libpugixml-dev libxlsxwriter-dev libsqlitecpp-dev libcpp-httplib-dev libboost-dev zlib1g-dev libbrotli-dev iso-codes
  libpqxx-dev libpq-dev postgresql-15 postgresql-client-15 postgresql-common
  libcairo2-dev libpango1.0-dev fonts-dejavu-core libglpk-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev clang-format time
  nodejs npm
  chromium
  nginx curl openssl  # tests/deploy_test.sh: the deploy/ nginx site in front of two servers
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done
# A machine may carry Node.js from elsewhere (nvm, nodesource): then skip Debian's.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs/}"); missing=("${missing[@]/npm/}")
fi
read -r -a missing <<<"${missing[*]}"

if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The web application's build tools (Vite) need Node.js 20.19 or later; Debian 12's
# own nodejs is 18. Say so plainly instead of failing inside the build.
node_version=$(node -p 'process.versions.node' 2>/dev/null || echo 0)
IFS=. read -r node_major node_minor _ <<<"$node_version"
if ((node_major < 20 || (node_major == 20 && node_minor < 19))); then
  echo "setup: Node.js $node_version is too old for the web application (needs 20.19 or" >&2
  echo "  later). Install a newer Node.js, or build without the web application:" >&2
  echo "  make test GUGUS_WEB=OFF BUILD=build-noweb" >&2
  [ "${GUGUS_WEB:-ON}" = "OFF" ] || exit 1
fi

# npm packages: the reference data, the web application's libraries and build tools,
# and playwright-core for the browser tests (which drive Debian's chromium).
if [ ! -f node_modules/.package-lock.json ] \
   || [ package.json -nt node_modules/.package-lock.json ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  else
    npm install --no-audit --no-fund --loglevel=error
  fi
fi
