#!/usr/bin/env bash
# `make run`: prepare the database (create or upgrade, reference data), load the demo
# data set (and its demo accounts) into an empty one, link it, show what is there,
# then serve the API and the web application on http://localhost:${PORT:-8080}.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
GUGUS="$BUILD/gugus"
export GUGUS_DB=${GUGUS_DB:-var/gugus.db}

"$GUGUS" init
if "$GUGUS" summary | grep -q '^source records:   0 '; then
  echo "empty database: loading the synthetic demo data set (5 agencies)"
  "$GUGUS" demo --persons 2000 --agencies 5 --seed 2026 --out var/demo
fi
echo
# Link the records into persons: the first time fits the model, later runs only
# look at what is new or corrected (and say "nothing new" otherwise).
"$GUGUS" link
echo
"$GUGUS" summary
echo
"$GUGUS" agency list
cat <<EOT

Open http://localhost:${PORT:-8080}/ in a browser and log in with a demo account,
e.g. demo.sekretariat (national secretariat), demo.uptd-ppa-jabar (case worker) or
demo.admin, all with the password demo-gugus-2026 (see the README).

Or explore the data with the CLI in another terminal:
  $GUGUS imports                              # every import, with counts
  $GUGUS rejects --format csv | head          # quarantined rows and why
  $GUGUS records --name siti --limit 5        # look records up
  $GUGUS export links --format csv | head     # which person each record belongs to
  $GUGUS review list --limit 3                # pairs the model was unsure about
  $GUGUS justice                              # suspects named, prosecuted, convicted per year
  $GUGUS cases --stalled 180 | head           # cases without progress for six months
  $GUGUS user list                            # accounts (demo accounts: see README)
  $GUGUS --help                               # every command
or the API: curl -s -X POST localhost:${PORT:-8080}/api/v1/auth/login \\
  -d '{"username":"demo.sekretariat","password":"demo-gugus-2026"}'
EOT
echo
# Serve until Ctrl-C (or SIGTERM): the API under /api/v1 and the web application.
exec "$GUGUS" serve
