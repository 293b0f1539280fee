#!/usr/bin/env bash
# HTTP benchmark: `gugus serve` on a linked store of 1,000,000 records, beside nginx
# (Debian) serving the very same response bytes from files, both loaded by wrk
# (Debian) at 64 connections. Prints a Markdown table for bench/RESULTS.md:
# requests/s, p50/p99 latency, errors and the ratio to nginx, for person detail,
# fuzzy name search and the dashboard's one call (each the same request again and
# again, as the issue measured it); then search through 20,000 different names (no
# page kept can answer), and /healthz on one connection;
# then (SOAK=1, the default) a bounded soak: SOAK_MINUTES (default 10) of mixed
# reads at 64 connections with imports and review decisions alongside, printing
# errors, the server's RSS every 10 s (a row every 30 s, with what SQLite and the
# heap hold), whether RSS stayed flat, and whether the audit chain verifies.
#
# The store: DB (default var/bench/linkage/link.db, left by `make bench-linkage`);
# when it is missing, 1,000,000 records are generated, imported and linked here
# first (cached under var/bench/http/, about 3 minutes).
# Usage: bench/http/run.sh [BUILD]   (DURATION=15s CONNS=64 SOAK=0 ROWS=0 THREADS=16 …)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
GUGUS="$(pwd)/$BUILD/gugus"
DB=${DB:-var/bench/linkage/link.db}
DURATION=${DURATION:-15s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-}
SOAK=${SOAK:-1}
ROWS=${ROWS:-1}  # 0: only the soak
SOAK_MINUTES=${SOAK_MINUTES:-10}
work="$(pwd)/var/bench/http"
mkdir -p "$work"

. bench/needs.sh
bench_needs wrk:wrk /usr/sbin/nginx:nginx-light sqlite3:sqlite3 curl:curl

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
echo "machine: $(nproc) cores, $cpu, $(free -g | awk '/Mem:/ {print $2}') GiB, $(date -u +%Y-%m-%d)"

if [ ! -f "$DB" ]; then
  DB="$work/link-1m.db"
  if [ ! -f "$DB" ]; then
    echo "no linked store: generating, importing and linking 1,000,000 records into $DB" >&2
    gen="$work/gen-1m"
    rm -rf "$gen" "$DB"
    "$GUGUS" generate --agencies 5 --persons 588235 --seed 11 --out "$gen" >/dev/null
    "$GUGUS" --db "$DB.tmp" init >/dev/null
    tail -n +2 "$gen/agencies.csv" | while IFS=, read -r code name type region file; do
      "$GUGUS" --db "$DB.tmp" agency add "$code" --name "$name" --type "$type" --region "$region" >/dev/null
      "$GUGUS" --db "$DB.tmp" import "$gen/$file" --agency "$code" --json >/dev/null
    done
    "$GUGUS" --db "$DB.tmp" link --json >/dev/null
    mv "$DB.tmp" "$DB"
    rm -f "$DB.tmp-wal" "$DB.tmp-shm"
  fi
fi

db="$work/serve.db"
rm -f "$db" "$db-wal" "$db-shm"
cp "$DB" "$db"
"$GUGUS" --db "$db" init >/dev/null
records=$(sqlite3 "$db" "SELECT count(*) FROM source_records")
persons=$(sqlite3 "$db" "SELECT count(DISTINCT person_id) FROM person_links")
echo "store: $records source records, $persons persons"
password="bench-gugus-$(date +%s)"
"$GUGUS" --db "$db" user add bench.sekretariat --role secretariat --region ID \
  --agency "$(sqlite3 "$db" "SELECT code FROM agencies ORDER BY id LIMIT 1")" \
  --password-stdin <<<"$password" >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
serve_args=(--db "$db" serve --host 127.0.0.1 --port "$port" --upload-dir "$work/uploads")
[ -n "$THREADS" ] && serve_args+=(--threads "$THREADS")
"$GUGUS" "${serve_args[@]}" >"$work/serve.out" 2>"$work/serve.log" &
server=$!
nginx_pid=""
cleanup() {
  kill "$server" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  [ -n "${soak_writer:-}" ] && kill "$soak_writer" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 100); do
  grep -q serving "$work/serve.out" 2>/dev/null && break
  sleep 0.1
done
base="http://127.0.0.1:$port"
token=$(curl -sf -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"bench.sekretariat\",\"password\":\"$password\"}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
auth="Authorization: Bearer $token"

# A person with several agencies' records, and a name with one letter changed.
person=$(sqlite3 "$db" "SELECT person_id FROM person_links GROUP BY person_id HAVING count(*) >= 3 LIMIT 1 OFFSET 1000")
name=$(sqlite3 "$db" "SELECT v.name FROM record_versions v JOIN person_links l ON l.source_record_id = v.source_record_id WHERE l.person_id = $person LIMIT 1" 2>/dev/null || true)
if [ -z "$name" ]; then
  name=$(curl -sf -H "$auth" "$base/api/v1/persons/$person" | python3 -c 'import json,sys; print(json.load(sys.stdin)["records"][0]["name"])')
fi
fuzzy=$(python3 -c 'import sys; n=sys.argv[1]; i=len(n)//2; print(n[:i] + ("a" if n[i] != "a" else "e") + n[i+1:])' "$name")
q=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$fuzzy")
# The server builds its name index and loads the statistics' facts in the
# background at start (logged as "warmed"): measure after that.
for _ in $(seq 1200); do
  grep -q '"event":"warmed"' "$work/serve.log" && break
  sleep 0.5
done
curl -sf -o /dev/null -H "$auth" "$base/api/v1/persons?q=$q"

# 20,000 other names drawn from the store, each with one letter changed, for
# searches that kept pages cannot answer (none is asked twice in a run of 15 s at
# the rates measured): a Lua list for wrk.
sqlite3 "$db" "SELECT v.name FROM record_versions v WHERE v.id % 29 = 3 LIMIT 40000" |
  python3 -c '
import random, re, sys, urllib.parse
random.seed(7)
out = []
for n in sys.stdin:
    n = n.strip()
    # Names a search is refused for (digits; nothing but titles and initials before
    # bin/binti, as in "S. binti Mansur") are left out: the name before the father
    # must hold a word of three letters or more, the whole name two.
    own = re.split(r"\s(?:bin|binti|bt|bte)\s", n, flags=re.I)[0]
    if (any(c.isdigit() for c in n)
            or sum(len(w) >= 3 and w.isalpha() for w in n.split()) < 2
            or not any(len(w) >= 3 and w.isalpha() for w in own.split())):
        continue
    i = random.randrange(len(n))
    if n[i].isalpha():
        n = n[:i] + random.choice("aeiounr") + n[i + 1:]
    out.append(urllib.parse.quote(n))
print("names = {" + ",".join("\"%s\"" % q for q in out[:20000]) + "}")
' >"$work/names.lua"
cat >>"$work/names.lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/v1/persons?q=" .. names[(n % #names) + 1])
end
LUA

declare -A paths=(
  [person]="/api/v1/persons/$person"
  [search]="/api/v1/persons?q=$q"
  [dashboard]="/api/v1/stats/dashboard"
)
order=(person search dashboard)

# nginx serves each answer's exact bytes from a file.
static="$work/nginx"
rm -rf "$static"
mkdir -p "$static/www"
for k in "${order[@]}"; do
  curl -sf -H "$auth" "$base${paths[$k]}" -o "$static/www/$k.json"
done
nport=$(free_port)
cat >"$static/nginx.conf" <<CONF
worker_processes $(nproc);
pid $static/nginx.pid;
error_log $static/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100;
  client_body_temp_path $static/tmp;
  proxy_temp_path $static/tmp;
  fastcgi_temp_path $static/tmp;
  uwsgi_temp_path $static/tmp;
  scgi_temp_path $static/tmp;
  server {
    listen 127.0.0.1:$nport;
    default_type application/json;
    add_header Cache-Control no-store;
    location / { root $static/www; }
  }
}
CONF
mkdir -p "$static/tmp"
/usr/sbin/nginx -c "$static/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$nport/person.json" && break; sleep 0.1; done

# wrk's summary (from stdin) as: rps p50_ms p99_ms errors
summarise() { python3 bench/http/wrk_summary.py; }
measure() {
  wrk -t"$(( $1 < 2 ? 1 : 2 ))" -c"$1" -d"$DURATION" --latency -H "$auth" "${@:3}" "$2" | tee -a "$work/wrk.log" | summarise
}

if [ "$ROWS" = "1" ]; then
echo
echo "wrk -t2 -c$CONNS -d$DURATION, the same response bytes from nginx (keepalive_requests 100 like gugus)"
echo
echo "| request | bytes | gugus req/s | p50 ms | p99 ms | errors | nginx req/s | nginx p50 ms | gugus / nginx |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for k in "${order[@]}"; do
  read -r g_rps g_p50 g_p99 g_err <<<"$(measure "$CONNS" "$base${paths[$k]}")"
  read -r n_rps n_p50 _ _ <<<"$(measure "$CONNS" "http://127.0.0.1:$nport/$k.json")"
  bytes=$(stat -c %s "$static/www/$k.json")
  ratio=$(python3 -c "print('%.1f%%' % (100.0 * $g_rps / $n_rps))")
  echo "| $k | $bytes | $g_rps | $g_p50 | $g_p99 | $g_err | $n_rps | $n_p50 | $ratio |"
done
read -r m_rps m_p50 m_p99 m_err <<<"$(measure "$CONNS" "$base" -s "$work/names.lua")"
echo "| search, 20,000 other names in turn | | $m_rps | $m_p50 | $m_p99 | $m_err | | | |"
read -r h_rps h_p50 h_p99 h_err <<<"$(measure 1 "$base/healthz")"
echo "| /healthz, 1 connection | $(curl -s "$base/healthz" | wc -c) | $h_rps | $h_p50 | $h_p99 | $h_err | | | |"
fi

[ "$SOAK" = "1" ] || exit 0

# --- The soak: mixed reads from wrk, and a writer that imports a small file and
# decides a review pair in turn, each through the API.
echo
echo "soak: $SOAK_MINUTES min, wrk -t2 -c$CONNS mixed reads (person detail 60%, search 25% — the 20,000 names in turn —, dashboard 15%), an import or a review decision every 5 s"
{
  grep '^names = ' "$work/names.lua"
  cat <<LUA
local paths = {}
for i = 1, 12 do paths[#paths + 1] = "${paths[person]}" end
for i = 1, 5 do paths[#paths + 1] = false end
for i = 1, 3 do paths[#paths + 1] = "${paths[dashboard]}" end
local n = 0
request = function()
  n = n + 1
  local path = paths[(n % #paths) + 1]
  if not path then path = "/api/v1/persons?q=" .. names[(n % #names) + 1] end
  return wrk.format("GET", path)
end
LUA
} >"$work/mixed.lua"
agency=$(sqlite3 "$db" "SELECT code FROM agencies ORDER BY id LIMIT 1")
(
  i=0 errors=0
  while :; do
    i=$((i + 1))
    if ((i % 2)); then
      f="$work/soak-$i.csv"
      {
        echo "record_id,report_date,name,sex,birth_date,origin_region"
        for j in 1 2 3 4 5 6 7 8 9 10; do
          echo "SOAK-$i-$j,2025-0$((j % 9 + 1))-1$j,Sri Wahyuni $i $j,P,199$j-0$((j % 9 + 1))-0$j,32.02"
        done
      } >"$f"
      code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "$auth" -H 'Content-Type: text/csv' \
        --data-binary "@$f" "$base/api/v1/imports?agency=$agency&file_name=soak-$i.csv")
      rm -f "$f"
      [ "$code" = 202 ] || errors=$((errors + 1))
    else
      item=$(curl -s -H "$auth" "$base/api/v1/review?limit=1" | python3 -c 'import json,sys; i=json.load(sys.stdin)["items"]; print(i[0]["item"] if i else "")' || true)
      if [ -n "$item" ]; then
        code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "$auth" -H 'Content-Type: application/json' \
          -d '{"decision":"different","note":"soak"}' "$base/api/v1/review/$item/decision")
        [ "$code" = 202 ] || [ "$code" = 409 ] || errors=$((errors + 1))
      fi
    fi
    echo "$i $errors" >"$work/writer.txt"
    sleep 5
  done
) &
soak_writer=$!
wrk -t2 -c"$CONNS" -d"${SOAK_MINUTES}m" --latency -s "$work/mixed.lua" -H "$auth" "$base" >"$work/soak-wrk.txt" &
soak_wrk=$!
echo
echo "| minute | RSS MiB | SQLite MiB | heap in use / free / mapped MiB | open connections | writer operations / errors |"
echo "|---:|---:|---:|---|---:|---|"
rss_log="$work/rss.txt"
: >"$rss_log"
# A metric of the last sample, in MiB.
mib() { awk -v k="$1" '$1 == k {printf "%.0f", $2 / 1048576}' <<<"$metrics"; }
start=$(date +%s)
sample=0
while kill -0 "$soak_wrk" 2>/dev/null; do
  sleep 10
  kill -0 "$soak_wrk" 2>/dev/null || break
  now=$(($(date +%s) - start))
  rss=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$server/status")
  metrics=$(curl -s "$base/metrics")
  sqlite_mib=$(mib gugus_sqlite_memory_bytes)
  heap="$(mib 'gugus_heap_bytes{kind="in_use"}') / $(mib 'gugus_heap_bytes{kind="free"}') / $(mib 'gugus_heap_bytes{kind="mapped"}')"
  echo "$now $rss" >>"$rss_log"
  sample=$((sample + 1))
  ((sample % 3)) && continue
  open=$(awk '/^gugus_http_open_connections/ {print $2}' <<<"$metrics")
  printf '| %.1f | %s | %s | %s | %s | %s |\n' "$(python3 -c "print($now / 60)")" "$rss" "$sqlite_mib" "$heap" "$open" "$(tr ' ' / <"$work/writer.txt" 2>/dev/null)"
done
wait "$soak_wrk" || true
kill "$soak_writer" 2>/dev/null || true
wait "$soak_writer" 2>/dev/null || true
soak_writer=""
echo
read -r s_rps s_p50 s_p99 s_err <<<"$(summarise <"$work/soak-wrk.txt")"
echo "soak reads: $s_rps req/s, p50 $s_p50 ms, p99 $s_p99 ms, errors $s_err; writer: $(cat "$work/writer.txt" | awk '{print $1 " operations, " $2 " errors"}')"
# Flat: the least-squares slope of RSS over the samples (every 10 s) after the
# first two minutes (warm-up), in MiB per minute; and the same for each minute's
# lowest and highest sample (RSS rises for seconds while a reload holds the old and
# the new index or facts, so the lows show what is kept, the highs what it peaks at).
python3 - "$rss_log" <<'PY'
import sys
pts = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
warm = [(t / 60, r) for t, r in pts if t >= 120]
def slope(xy):
    n = len(xy); mx = sum(t for t, _ in xy) / n; my = sum(r for _, r in xy) / n
    return sum((t - mx) * (r - my) for t, r in xy) / max(1e-9, sum((t - mx) ** 2 for t, _ in xy))
if len(warm) >= 2:
    print("RSS after warm-up (from minute 2): %.0f -> %.0f MiB, slope %.1f MiB/min over %d samples" % (warm[0][1], warm[-1][1], slope(warm), len(warm)))
    minutes = {}
    for t, r in warm: minutes.setdefault(int(t), []).append(r)
    lows = [(m + 0.5, min(v)) for m, v in sorted(minutes.items())]
    highs = [(m + 0.5, max(v)) for m, v in sorted(minutes.items())]
    if len(lows) >= 2:
        print("per minute, lowest: %s MiB (slope %.1f MiB/min)" % (" ".join("%.0f" % r for _, r in lows), slope(lows)))
        print("per minute, highest: %s MiB (slope %.1f MiB/min)" % (" ".join("%.0f" % r for _, r in highs), slope(highs)))
PY
echo "server log errors: $(grep -c '"level":"error"' "$work/serve.log" || true)"
# The audit trail after the load: the server stopped, the whole chain checked.
kill "$server" && wait "$server" 2>/dev/null || true
echo "audit trail after the soak: $("$GUGUS" --db "$db" audit verify 2>&1 | tail -1)"
