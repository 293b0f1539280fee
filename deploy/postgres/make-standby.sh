#!/bin/sh
# Turns an empty Debian PostgreSQL 15 cluster on this machine (db2) into a
# streaming-replication standby of the primary: stops it, replaces its data
# directory by pg_basebackup's copy of the primary (-R: standby.signal and
# primary_conninfo written; -C -S: a replication slot on the primary, so that it
# keeps the WAL the standby still needs), and starts it.
# Run as root on the standby:
#   PGPASSWORD=… deploy/postgres/make-standby.sh PRIMARY_HOST [CLUSTER] [VERSION]
# (replication role `replicator`, slot named after this host; override with
# REPL_USER, REPL_SLOT, PRIMARY_PORT). It refuses a cluster that holds any
# database of its own: it is for a new cluster (pg_createcluster 15 main).
# Promotion, when the primary is lost: pg_ctlcluster 15 main promote
# (or SELECT pg_promote(); in psql on the standby).
set -eu
primary=${1:?usage: make-standby.sh PRIMARY_HOST [CLUSTER] [VERSION]}
cluster=${2:-main}
version=${3:-15}
port=${PRIMARY_PORT:-5432}
user=${REPL_USER:-replicator}
slot=${REPL_SLOT:-$(hostname -s | tr -c 'a-z0-9_\n' _)}

data=$(pg_conftool -s "$version" "$cluster" show data_directory)
owner=$(stat -c %U "$data")
# A new cluster holds template0, template1 and postgres: three folders in base/.
if [ -e "$data/standby.signal" ]; then
  echo "make-standby: $version/$cluster is a standby already" >&2
  exit 1
fi
if [ "$(find "$data/base" -mindepth 1 -maxdepth 1 -type d | wc -l)" -gt 3 ]; then
  echo "make-standby: $version/$cluster holds databases of its own; refusing to replace it" >&2
  exit 1
fi

echo "make-standby: copying $primary:$port into $version/$cluster ($data), slot $slot"
pg_ctlcluster "$version" "$cluster" stop 2>/dev/null || true
find "$data" -mindepth 1 -delete
# As the cluster's owner, so that every file is its own; PGPASSWORD (kept by
# runuser) or the owner's ~/.pgpass gives the replication role's password, which
# -R writes into postgresql.auto.conf (readable by the owner only).
runuser -u "$owner" -- "/usr/lib/postgresql/$version/bin/pg_basebackup" -h "$primary" -p "$port" -U "$user" \
  -D "$data" -R -X stream -C -S "$slot" --checkpoint=fast
# A standby refuses to start with fewer connections, workers, senders, prepared
# transactions or locks than its primary: raise this cluster's settings to the
# primary's, which the copy's control file records.
while IFS=: read -r label value; do
  case "$label" in
    "max_connections setting") name=max_connections ;;
    "max_worker_processes setting") name=max_worker_processes ;;
    "max_wal_senders setting") name=max_wal_senders ;;
    "max_prepared_xacts setting") name=max_prepared_transactions ;;
    "max_locks_per_xact setting") name=max_locks_per_transaction ;;
    *) continue ;;
  esac
  value=$(echo "$value" | tr -d ' ')
  current=$(pg_conftool -s "$version" "$cluster" show "$name" 2>/dev/null || echo 0)
  if [ "${current:-0}" -lt "$value" ] 2>/dev/null; then
    pg_conftool "$version" "$cluster" set "$name" "$value"
  fi
done <<EOF2
$("/usr/lib/postgresql/$version/bin/pg_controldata" "$data")
EOF2
pg_ctlcluster "$version" "$cluster" start
echo "make-standby: $version/$cluster streams from $primary; check on the primary:"
echo "  SELECT client_addr, state, replay_lag FROM pg_stat_replication;"
