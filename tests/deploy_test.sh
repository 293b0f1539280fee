#!/usr/bin/env bash
# The deployment guide's files (deploy/), checked as far as one machine without
# systemd as PID 1 allows:
# 1. the systemd units pass `systemd-analyze verify` and `systemd-analyze security`
#    (offline; exposure at most 2.0), and the scripts parse;
# 2. the nginx site passes `nginx -t` inside a minimal nginx.conf, with a throwaway
#    self-signed certificate;
# 3. on PostgreSQL (the suite's, GUGUS_TEST_POSTGRES): the database is made as the
#    guide makes it (an owner, the servers' least-privilege role, `gugus init
#    --server-role`), two `gugus serve` run with the environment of
#    deploy/gugus.env.example, behind a real nginx running the shipped site (its
#    ports rewritten): HTTP is redirected, /healthz answers over TLS, requests reach
#    both servers, an upload's job is polled to its end through nginx, bodies over
#    the limit are refused, /metrics is not public, and a session made through
#    nginx keeps working when either server is stopped (SIGTERM: exit 0);
# 4. the nightly backup script, as the servers' role: a backup written 0600, old
#    ones and leftovers removed, recent ones kept;
# 5. (as root) deploy/postgres/primary.conf parses and its values are taken;
#    deploy/postgres/make-standby.sh turns a new cluster into a
#    streaming standby of the suite's server; after promotion gugus reads and
#    writes there as the servers' role.
# Usage: tests/deploy_test.sh GUGUS_BINARY. Exit 77 (skipped) without nginx or
# PostgreSQL, except under CI=true, where that fails.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
gugus=$(realpath "${1:-$src/build/gugus}")
cd "$src"

step() { echo "--- $*"; }
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
missing() {
  if [ "${CI:-}" = true ]; then fail "$* (scripts/setup.sh installs it)"; fi
  echo "SKIP: $*"
  exit 77
}
# Polls `$@` every 0.1 s until it succeeds, for at most $timeout seconds.
wait_for() {
  local timeout=$1
  shift
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}
free_port() {
  # A port the kernel hands out, free again once this returns.
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

tmp=$(mktemp -d /tmp/gugus-deploy-test.XXXXXX)
chmod 755 "$tmp"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "${standby_cluster:-}" ] && pg_dropcluster 15 "$standby_cluster" --stop >/dev/null 2>&1
  if [ -n "${db:-}" ]; then
    psql -X -q -d postgres -c "SET client_min_messages = warning" \
      -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$slot'" \
      -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
      -c "DROP ROLE IF EXISTS $owner" -c "DROP ROLE IF EXISTS $server_role" \
      -c "DROP ROLE IF EXISTS $replicator" >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# --- 1. systemd units -------------------------------------------------------
step "systemd units"
units="$tmp/units"
mkdir -p "$units"
# The instance gugus@8081, with the binary and script of this tree.
sed "s#/usr/local/bin/gugus#$gugus#" deploy/systemd/gugus@.service >"$units/gugus@8081.service"
sed "s#/usr/local/lib/gugus/gugus-backup.sh#$src/deploy/systemd/gugus-backup.sh#" \
  deploy/systemd/gugus-backup.service >"$units/gugus-backup.service"
cp deploy/systemd/gugus-backup.timer "$units/"
grep -q "$gugus serve" "$units/gugus@8081.service" || fail "gugus@.service: no /usr/local/bin/gugus serve"
# verify works offline (no systemd as PID 1 here): it reports unknown keys, bad
# values and commands that do not exist; any word from it is a failure.
(cd "$units" && systemd-analyze verify ./gugus@8081.service ./gugus-backup.service \
  ./gugus-backup.timer) >"$tmp/verify.txt" 2>&1 || true
if [ -s "$tmp/verify.txt" ]; then
  cat "$tmp/verify.txt" >&2
  fail "systemd-analyze verify"
fi
for unit in gugus@8081.service gugus-backup.service; do
  systemd-analyze security --offline=true --threshold=20 "$units/$unit" >"$tmp/security.txt" 2>&1 ||
    {
      tail -3 "$tmp/security.txt" >&2
      fail "$unit: exposure above 2.0"
    }
  echo "$unit: $(grep -o 'Overall exposure level.*' "$tmp/security.txt")"
done
sh -n deploy/systemd/gugus-backup.sh
sh -n deploy/postgres/make-standby.sh

# --- 2. nginx -t ------------------------------------------------------------
step "nginx -t"
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || missing "nginx is not installed"
command -v openssl >/dev/null || missing "openssl is not installed"
command -v curl >/dev/null || missing "curl is not installed"
up1=$(free_port) up2=$(free_port) http=$(free_port) https=$(free_port)
. tests/nginx_local.sh
nginx_local "$tmp/nginx" "$up1" "$up2" "$http" "$https" || fail "nginx_local"
"$nginx" -t -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" 2>&1 | sed 's/^/  /'
"$nginx" -t -q -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" || fail "nginx -t"

# --- 3. two servers behind nginx on PostgreSQL ------------------------------
if [ -z "${GUGUS_TEST_POSTGRES:-}" ]; then
  missing "no PostgreSQL server (GUGUS_TEST_POSTGRES; make test sets it)"
fi
command -v psql >/dev/null || missing "psql is not installed"
step "PostgreSQL as the guide makes it"
# The libpq environment of GUGUS_TEST_POSTGRES ("postgresql:" or a URL without a
# database), as a superuser that can create roles.
if [ "$GUGUS_TEST_POSTGRES" != "postgresql:" ]; then
  eval "$(python3 - "$GUGUS_TEST_POSTGRES" <<'PY'
import sys, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
for k, v in (("PGHOST", u.hostname), ("PGPORT", u.port), ("PGUSER", u.username), ("PGPASSWORD", u.password)):
    if v: print("export %s=%s" % (k, urllib.parse.unquote(str(v))))
PY
)"
fi
export PGDATABASE=postgres
pghost=${PGHOST:-localhost}
case $pghost in /*) pghost=localhost ;; esac  # password roles connect over TCP
pgport=${PGPORT:-5432}
suffix="$$_$RANDOM"
db="gugus_deploy_$suffix" owner="gugus_deploy_owner_$suffix" server_role="gugus_deploy_server_$suffix"
replicator="gugus_deploy_repl_$suffix" slot="gugus_deploy_$suffix"
owner_pw="owner-$RANDOM$RANDOM" server_pw="server-$RANDOM$RANDOM"
psql -X -q -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE $owner LOGIN PASSWORD '$owner_pw'" \
  -c "CREATE ROLE $server_role LOGIN PASSWORD '$server_pw'" \
  -c "CREATE DATABASE $db OWNER $owner"
owner_url="postgresql://$owner@$pghost:$pgport/$db"
server_url="postgresql://$server_role@$pghost:$pgport/$db"
PGPASSWORD=$owner_pw "$gugus" --db "$owner_url" init --server-role "$server_role" >"$tmp/init.txt" ||
  fail "gugus init --server-role: $(cat "$tmp/init.txt")"
PGPASSWORD=$owner_pw "$gugus" --db "$owner_url" agency add POLDA-NTT --name "Polda NTT" \
  --type police --region 53 >/dev/null
admin_pw="admin-$RANDOM$RANDOM"
PGPASSWORD=$owner_pw "$gugus" --db "$owner_url" user add deploy.sekretariat --role secretariat \
  --region ID --agency POLDA-NTT --password-stdin <<<"$admin_pw" >/dev/null

# /etc/gugus/gugus.env: the example with this database's address and password.
sed -e "s#^GUGUS_DB=.*#GUGUS_DB=$server_url#" -e "s#^PGPASSWORD=.*#PGPASSWORD=$server_pw#" \
  -e "s#^GUGUS_BACKUP_DIR=.*#GUGUS_BACKUP_DIR=$tmp/backups#" -e "s#^GUGUS_BACKUP_KEEP_DAYS=.*#GUGUS_BACKUP_KEEP_DAYS=3#" \
  deploy/gugus.env.example >"$tmp/gugus.env"
grep -q "^GUGUS_DB=$server_url\$" "$tmp/gugus.env" || fail "gugus.env.example: no GUGUS_DB line"
grep -q "^PGPASSWORD=$server_pw\$" "$tmp/gugus.env" || fail "gugus.env.example: no PGPASSWORD line"
# Runs a command with the environment systemd's EnvironmentFile= would give.
mapfile -t unit_env < <(grep -E '^[A-Z_]+=' "$tmp/gugus.env")
with_env() { env -i PATH="$PATH" HOME="$tmp" "${unit_env[@]}" "$@"; }

step "two gugus serve behind nginx"
start_server() {  # PORT: as gugus@PORT's ExecStart does
  # env execs gugus: $! is the server itself, as systemd's main PID would be.
  env -i PATH="$PATH" HOME="$tmp" "${unit_env[@]}" "$gugus" serve --host 127.0.0.1 --port "$1" --web-dir "$tmp/nginx/www" \
    --upload-dir "$tmp/uploads-$1" --trust-proxy 127.0.0.1 >"$tmp/serve-$1.out" 2>"$tmp/serve-$1.log" &
  server_pid[$1]=$!
  pids+=("$!")
  wait_for 60 grep -q 'gugus is serving' "$tmp/serve-$1.out" ||
    fail "server on $1 did not start: $(cat "$tmp/serve-$1.out" "$tmp/serve-$1.log")"
}
stop_server() {  # PORT: SIGTERM, as systemctl stop does; gugus exits 0
  kill -TERM "${server_pid[$1]}"
  local status=0
  wait "${server_pid[$1]}" || status=$?
  ((status == 0)) || fail "server on $1 exited $status on SIGTERM"
  grep -q 'gugus stopped' "$tmp/serve-$1.out" || fail "server on $1 did not say it stopped"
}
declare -A server_pid
start_server "$up1"
start_server "$up2"
grep -q "$db" "$tmp/serve-$up1.out" || fail "the server does not name its database"
grep -q "$server_pw" "$tmp/serve-$up1.out" "$tmp/serve-$up1.log" && fail "the server printed the password"

"$nginx" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -g 'daemon off;' &
pids+=("$!")
base="https://127.0.0.1:$https"
c() { curl -sk --max-time 20 "$@"; }
wait_for 20 c -f "$base/healthz" || fail "nginx: no answer on $base/healthz: $(cat "$tmp/nginx/error.log")"

# HTTP is sent to HTTPS; answers carry HSTS; /metrics is not public.
location=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$http/api/v1/auth/me")
[ "$location" = "301 https://127.0.0.1/api/v1/auth/me" ] || fail "http: $location"
c -D "$tmp/headers.txt" -o /dev/null "$base/healthz"
grep -qi '^strict-transport-security: max-age=' "$tmp/headers.txt" || fail "no HSTS header"
[ "$(c -o /dev/null -w '%{http_code}' "$base/metrics")" = 404 ] || fail "/metrics is public"
c "$base/healthz" | grep -q . || fail "/healthz: empty"
[ "$(c -o /dev/null -w '%{http_version}' "$base/healthz")" = 2 ] || fail "no HTTP/2 over TLS"

# A login through nginx; the session works on both servers.
login() {
  c -f -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"deploy.sekretariat\",\"password\":\"$admin_pw\"}" |
    sed -nE 's/.*"token":"([^"]+)".*/\1/p'
}
token=$(login)
[ -n "$token" ] || fail "login through nginx"
auth="Authorization: Bearer $token"
me() { c -o /dev/null -w '%{http_code}' -H "$auth" "$base/api/v1/auth/me"; }
for _ in 1 2 3 4 5 6; do [ "$(me)" = 200 ] || fail "/auth/me through nginx: $(me)"; done
for port in "$up1" "$up2"; do
  grep -q "GET /api/v1/auth/me 127.0.0.1:$port\$" "$tmp/nginx/access.log" ||
    fail "no request reached the server on $port: $(cat "$tmp/nginx/access.log")"
done

# An upload through nginx: 202, then its job polled (through either server: jobs
# are in the database) until done.
printf 'record_id,report_date,name,sex,birth_date,origin_region\nD-1,2025-03-14,Sri Wahyuni,P,1990-04-02,53.01\nD-2,2025-03-15,Yohanes Bria,L,1988-11-30,53.02\n' >"$tmp/upload.csv"
c -D "$tmp/upload-headers.txt" -o "$tmp/upload.json" -X POST -H "$auth" -H 'Content-Type: text/csv' \
  --data-binary "@$tmp/upload.csv" "$base/api/v1/imports?agency=POLDA-NTT&file_name=deploy.csv"
grep -q '^HTTP/[0-9.]* 202' "$tmp/upload-headers.txt" || fail "upload: $(cat "$tmp/upload-headers.txt" "$tmp/upload.json")"
job=$(sed -nE 's/^location: *(\S+)\r?$/\1/Ip' "$tmp/upload-headers.txt" | tr -d '\r')
[ -n "$job" ] || fail "upload: no Location"
job_done() { c -f -H "$auth" "$base$job" | grep -q '"state":"done"'; }
wait_for 60 job_done || fail "job $job: $(c -H "$auth" "$base$job")"
c -f -H "$auth" "$base$job" | grep -q '"inserted":2' || fail "job $job: $(c -H "$auth" "$base$job")"
# Every poll finds the job, whichever server round robin sends it to.
for _ in 1 2 3 4 5 6; do
  [ "$(c -o /dev/null -w '%{http_code}' -H "$auth" "$base$job")" = 200 ] || fail "job $job: a poll found no job"
done
for port in "$up1" "$up2"; do
  grep -q "GET $job 127.0.0.1:$port\$" "$tmp/nginx/access.log" ||
    fail "no poll of $job reached the server on $port"
done

# Bodies over the limits are refused by nginx: 1 MiB of JSON, not 2.
head -c 2097152 /dev/zero | tr '\0' 'a' >"$tmp/big.json"
[ "$(c -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  --data-binary "@$tmp/big.json" "$base/api/v1/auth/login")" = 413 ] || fail "a 2 MiB JSON body was not refused"

# One server stopped: the session made through nginx still works, through the
# other; then the other way round (sessions are in the database).
stop_server "$up1"
for _ in 1 2 3 4 5 6; do [ "$(me)" = 200 ] || fail "with $up1 stopped: $(me)"; done
[ -n "$(login)" ] || fail "login with $up1 stopped"
start_server "$up1"
stop_server "$up2"
wait_for 20 bash -c "[ \"\$(curl -sk -o /dev/null -w '%{http_code}' -H '$auth' $base/api/v1/auth/me)\" = 200 ]" ||
  fail "with $up2 stopped: $(me)"
for _ in 1 2 3 4 5 6; do [ "$(me)" = 200 ] || fail "with $up2 stopped: $(me)"; done
grep -q "GET /api/v1/auth/me 127.0.0.1:$up1\$" "$tmp/nginx/access.log" || fail "no request after the restart"
[ "$(c -o /dev/null -w '%{http_code}' -X POST -H "$auth" "$base/api/v1/auth/logout")" = 200 ] || fail "logout"
[ "$(me)" = 401 ] || fail "the session outlived its logout: $(me)"

# --- 4. the nightly backup ---------------------------------------------------
step "gugus-backup.sh"
mkdir -p "$tmp/backups"
touch -d '10 days ago' "$tmp/backups/gugus-20000101T000000Z.bak"
touch -d '1 day ago' "$tmp/backups/gugus-20000102T000000Z.bak"
touch -d '2 days ago' "$tmp/backups/gugus-20000103T000000Z.bak.tmp-1234"
touch -d '10 days ago' "$tmp/backups/keep-me.txt"
with_env GUGUS="$gugus" sh deploy/systemd/gugus-backup.sh >"$tmp/backup.txt" 2>&1 ||
  fail "backup: $(cat "$tmp/backup.txt")"
new=$(find "$tmp/backups" -name 'gugus-2*.bak' -newer "$tmp/backups/gugus-20000102T000000Z.bak")
[ -n "$new" ] && [ -s "$new" ] || fail "backup: no new file: $(cat "$tmp/backup.txt")"
[ "$(stat -c %a "$new")" = 600 ] || fail "backup: mode $(stat -c %a "$new")"
[ ! -e "$tmp/backups/gugus-20000101T000000Z.bak" ] || fail "backup: the 10-day-old backup was kept"
[ -e "$tmp/backups/gugus-20000102T000000Z.bak" ] || fail "backup: the 1-day-old backup was removed"
[ ! -e "$tmp/backups/gugus-20000103T000000Z.bak.tmp-1234" ] || fail "backup: a leftover was kept"
[ -e "$tmp/backups/keep-me.txt" ] || fail "backup: removed a file that is not a backup"
sed 's/^/  /' "$tmp/backup.txt"

# --- 5. a standby, then its promotion ----------------------------------------
# Only in pg_virtualenv's throwaway setup (PG_CLUSTER_CONF_ROOT), where a new
# cluster's configuration does not land in /etc/postgresql.
if [ "$(id -u)" -ne 0 ] || [ -z "${PG_CLUSTER_CONF_ROOT:-}" ] || ! command -v pg_createcluster >/dev/null; then
  echo "SKIP (part 5): the standby needs root and pg_virtualenv (scripts/test.sh)"
  echo "deploy test: passed"
  exit 0
fi
step "make-standby.sh and promotion"
repl_pw="repl-$RANDOM$RANDOM"
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE ROLE $replicator REPLICATION LOGIN PASSWORD '$repl_pw'"
standby_port=$(free_port)
standby_cluster="deploy_$suffix"
mkdir -p "$tmp/standby"
chown postgres:postgres "$tmp/standby"
pg_createcluster 15 "$standby_cluster" -p "$standby_port" -d "$tmp/standby/data" \
  -l "$tmp/standby/log" >/dev/null
# deploy/postgres/primary.conf parses, and PostgreSQL 15 takes its values
# (postgres -C reads the configuration and prints one setting, starting nothing).
cp deploy/postgres/primary.conf "$tmp/standby/primary.conf"
echo "include 'primary.conf'" >"$tmp/standby/check.conf"
chown postgres:postgres "$tmp/standby/primary.conf" "$tmp/standby/check.conf"
wal_keep=$(runuser -u postgres -- "/usr/lib/postgresql/15/bin/postgres" -D "$tmp/standby/data" \
  -c config_file="$tmp/standby/check.conf" -C max_slot_wal_keep_size 2>&1) ||
  fail "primary.conf: $wal_keep"
[ "$wal_keep" = 20480 ] || fail "primary.conf: max_slot_wal_keep_size is $wal_keep"
PGPASSWORD=$repl_pw REPL_USER=$replicator REPL_SLOT=$slot PRIMARY_PORT=$pgport \
  sh deploy/postgres/make-standby.sh "$pghost" "$standby_cluster" 15 >"$tmp/standby.txt" 2>&1 ||
  fail "make-standby: $(cat "$tmp/standby.txt" "$tmp/standby/log" 2>/dev/null)"
standby_url="postgresql://$server_role@localhost:$standby_port/$db"
streaming() {
  [ "$(psql -X -At -c "SELECT r.state FROM pg_replication_slots s JOIN pg_stat_replication r ON r.pid = s.active_pid WHERE s.slot_name = '$slot'")" = streaming ]
}
wait_for 60 streaming || fail "the standby does not stream: $(cat "$tmp/standby/log")"
# What the servers wrote is on the standby, which refuses writes.
count="SELECT count(*) FROM source_records"
in_standby() { [ "$(PGPASSWORD=$server_pw psql -X -At "$standby_url" -c "$count")" = 2 ]; }
wait_for 30 in_standby || fail "the import is not on the standby"
PGPASSWORD=$server_pw "$gugus" --db "$standby_url" user list >/dev/null ||
  fail "gugus cannot read the standby"
[ "$(PGPASSWORD=$server_pw psql -X -At "$standby_url" -c 'SELECT pg_is_in_recovery()')" = t ] || fail "not a standby"
# Promotion: then the servers' role writes there.
pg_ctlcluster 15 "$standby_cluster" promote
[ "$(PGPASSWORD=$server_pw psql -X -At "$standby_url" -c 'SELECT pg_is_in_recovery()')" = f ] || fail "not promoted"
PGPASSWORD=$server_pw "$gugus" --db "$standby_url" user add deploy.after-promotion --role secretariat \
  --region ID --agency POLDA-NTT --password-stdin <<<"after-$RANDOM$RANDOM" >/dev/null ||
  fail "no write on the promoted standby"
PGPASSWORD=$server_pw "$gugus" --db "$standby_url" audit verify >"$tmp/verify-audit.txt" 2>&1 ||
  fail "audit chain on the promoted standby: $(cat "$tmp/verify-audit.txt")"
echo "deploy test: passed"
