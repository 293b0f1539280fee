#!/usr/bin/env bash
# Person detail through nginx in front of two servers, on PostgreSQL: the
# deployment of the README's guide on one machine. A linked store of SIZE records
# (default 1,000,000: the five agencies' files of the linkage benchmark, imported
# and linked with `gugus link --full`) in PostgreSQL; two `gugus serve` on it;
# nginx running the shipped site deploy/nginx/gugus.conf (TLS, the round-robin
# upstream with keepalive; ports rewritten by tests/nginx_local.sh); then
# wrk -t2 -c64 on GET /api/v1/persons/{id} with a session, through nginx (HTTPS,
# HTTP/1.1, TLS 1.3) and directly against one server (plain HTTP), RUNS times each,
# alternating, for two kinds of load:
# - "one person": the same person again and again, as bench/http/run.sh measures
#   it (each server keeps the answer while the data is unchanged: two small
#   queries a request);
# - "persons in turn": persons of two or more records, a Lua list in a random
#   order over the whole id range, every wrk thread and every run on a slice of
#   its own, so that no person is asked twice and no kept answer serves.
# Prints req/s, p50/p99 and errors of each run, and their medians as a Markdown
# table for bench/RESULTS.md.
#
# The server: GUGUS_BENCH_POSTGRES (a libpq URL of a server whose user may create
# databases; the store, database gugus_bench_http_SIZE, is kept there and reused
# by the next run), or else a throwaway cluster made by pg_virtualenv (the store
# is built again each time: some minutes at 1,000,000).
# The data: DATA (default var/bench/linkage/gen-SIZE, generated when missing).
# Usage: bench/postgres/http.sh [BUILD]   (SIZE=1000000 RUNS=3 DURATION=15s CONNS=64)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
export BUILD
. bench/postgres/server.sh

GUGUS="$(realpath "$BUILD/gugus")"
SIZE=${SIZE:-1000000}
RUNS=${RUNS:-3}
DURATION=${DURATION:-15s}
CONNS=${CONNS:-64}
server=$GUGUS_BENCH_POSTGRES
work="$(pwd)/var/bench/postgres-http"
mkdir -p "$work"

. bench/needs.sh
bench_needs wrk:wrk /usr/sbin/nginx:nginx curl:curl openssl:openssl

name="gugus_bench_http_$SIZE"
if [ "$server" = "postgresql:" ]; then db="postgresql:///$name"; else db="$server/$name"; fi
q() { psql -X -At "$db" -c "$1"; }

# The store, unless a complete one (its link run finished) is there already.
if ! q "SELECT 1 FROM link_runs LIMIT 1" 2>/dev/null | grep -q 1; then
  dir=${DATA:-var/bench/linkage/gen-$SIZE}
  if [ ! -f "$dir/agencies.csv" ]; then
    echo "generating $SIZE records into $dir ..." >&2
    "$GUGUS" generate --agencies 5 --persons $((SIZE * 10 / 17)) --seed 11 --out "$dir" >/dev/null
  fi
  psql -q -X -d postgres -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >&2
  echo "importing and linking $dir into PostgreSQL ($name) ..." >&2
  start=$SECONDS
  "$GUGUS" --db "$db" init >/dev/null
  tail -n +2 "$dir/agencies.csv" | while IFS=, read -r code aname type region file; do
    "$GUGUS" --db "$db" agency add "$code" --name "$aname" --type "$type" --region "$region" >/dev/null
    "$GUGUS" --db "$db" import "$dir/$file" --agency "$code" --json >/dev/null
  done
  "$GUGUS" --db "$db" link --full >/dev/null
  echo "store built in $((SECONDS - start)) s" >&2
fi
records=$(q "SELECT count(*) FROM source_records")
persons=$(q "SELECT count(DISTINCT person_id) FROM person_links")
echo "store: $records source records, $persons persons"

password="bench-gugus-$RANDOM$RANDOM"
user="bench.http.$RANDOM"
"$GUGUS" --db "$db" user add "$user" --role secretariat --region ID \
  --agency "$(q "SELECT code FROM agencies ORDER BY id LIMIT 1")" \
  --password-stdin <<<"$password" >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
up1=$(free_port) up2=$(free_port) http=$(free_port) https=$(free_port)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
for port in "$up1" "$up2"; do
  "$GUGUS" --db "$db" serve --host 127.0.0.1 --port "$port" --web-dir "$work/www" \
    --upload-dir "$work/uploads-$port" >"$work/serve-$port.out" 2>"$work/serve-$port.log" &
  pids+=("$!")
done
. tests/nginx_local.sh
rm -rf "$work/nginx"
nginx_local "$work/nginx" "$up1" "$up2" "$http" "$https" "$(nproc)"
# wrk's requests would fill the access log: none for the measurement.
sed -i 's#access_log .*#access_log off;#' "$work/nginx/nginx.conf"
/usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=("$!")
# Both servers have warmed (name index, statistics facts) before measuring.
for _ in $(seq 2400); do
  n=0
  for port in "$up1" "$up2"; do grep -q '"event":"warmed"' "$work/serve-$port.log" && n=$((n + 1)); done
  ((n == 2)) && break
  sleep 0.5
done
nginx_base="https://127.0.0.1:$https"
direct_base="http://127.0.0.1:$up1"
for _ in $(seq 100); do curl -skf -o /dev/null "$nginx_base/healthz" && break; sleep 0.1; done
token=$(curl -skf -X POST "$nginx_base/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$user\",\"password\":\"$password\"}" | sed -nE 's/.*"token":"([^"]+)".*/\1/p')
auth="Authorization: Bearer $token"

# One person with several agencies' records (as bench/http picks it), and up to
# 120,000 persons of two or more records in a random (but fixed) order.
person=$(q "SELECT person_id FROM person_links GROUP BY person_id HAVING count(*) >= 3 ORDER BY person_id LIMIT 1 OFFSET 1000")
q "SELECT person_id FROM person_links GROUP BY person_id HAVING count(*) >= 2
   ORDER BY md5(person_id::text) LIMIT 120000" >"$work/ids.txt"
ids=$(wc -l <"$work/ids.txt")
# Each run (of 2 x RUNS) takes a slice; the two wrk threads take every other id.
slice=$((ids / (2 * RUNS)))
{
  echo "ids = {$(paste -sd, "$work/ids.txt")}"
  cat <<'LUA'
local threads = 0
setup = function(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
local n = 0
local start = tonumber(os.getenv("START") or "0")
request = function()
  local i = start + 2 * n + tid
  n = n + 1
  return wrk.format("GET", "/api/v1/persons/" .. ids[(i % #ids) + 1])
end
LUA
} >"$work/persons.lua"
for base in "$nginx_base" "$direct_base"; do
  code=$(curl -sk -o "$work/person.json" -w '%{http_code}' -H "$auth" "$base/api/v1/persons/$person")
  [ "$code" = 200 ] || { echo "person $person through $base: $code $(cat "$work/person.json")" >&2; exit 1; }
done
echo "one person: $person ($(stat -c %s "$work/person.json") bytes); persons in turn: $ids, $slice a run"

summarise() { python3 bench/http/wrk_summary.py; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
: >"$work/wrk.log"
declare -A results
echo
echo "| run | load | path | req/s | p50 ms | p99 ms | errors |"
echo "|---|---|---|---:|---:|---:|---:|"
k=0
for run in $(seq "$RUNS"); do
  for load in one turn; do
    for path in nginx direct; do
      base=$nginx_base
      [ "$path" = direct ] && base=$direct_base
      if [ "$load" = one ]; then
        out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency -H "$auth" "$base/api/v1/persons/$person")
      else
        out=$(START=$((k * slice)) wrk -t2 -c"$CONNS" -d"$DURATION" --latency -H "$auth" -s "$work/persons.lua" "$base")
        k=$((k + 1))
        sent=$(sed -nE 's/^ *([0-9]+) requests in.*/\1/p' <<<"$out")
        ((sent <= slice)) || echo "warning: $sent requests, more than the slice of $slice: some persons asked twice" >&2
      fi
      echo "$out" >>"$work/wrk.log"
      r=$(summarise <<<"$out")
      results[$load.$path]+="$r"$'\n'
      read -r rps p50 p99 err <<<"$r"
      echo "| $run | $load | $path | $rps | $p50 | $p99 | $err |"
    done
  done
done
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
echo
echo "machine: $(nproc) cores, $cpu, $(free -g | awk '/Mem:/ {print $2}') GiB," \
  "PostgreSQL $(psql -X -At -d postgres -c 'SHOW server_version'), $(/usr/sbin/nginx -v 2>&1 | sed 's/.*: //'), $(date -u +%Y-%m-%d)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| person detail, $records records, wrk -t2 -c$CONNS -d$DURATION (median of $RUNS) | req/s | p50 ms | p99 ms | errors (all runs) |"
echo "|---|---:|---:|---:|---:|"
for load in one turn; do
  for path in nginx direct; do
    label="one person again and again"
    [ "$load" = turn ] && label="persons in turn, none twice"
    if [ "$path" = nginx ]; then label="$label, through nginx (TLS) to two servers"; else label="$label, directly to one server"; fi
    col() { awk -v c="$1" 'NF {print $c}' <<<"${results[$load.$path]}" | median; }
    echo "| $label | $(col 1) | $(col 2) | $(col 3) | $(awk 'NF {s += $4} END {print s}' <<<"${results[$load.$path]}") |"
  done
done
echo
echo "server log errors: $(cat "$work"/serve-*.log | grep -c '"level":"error"' || true)"
