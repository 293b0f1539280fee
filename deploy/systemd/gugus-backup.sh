#!/bin/sh
# Nightly backup (gugus-backup.service): `gugus backup` into GUGUS_BACKUP_DIR as
# gugus-YYYYmmddTHHMMSSZ.bak, then removes the backups older than
# GUGUS_BACKUP_KEEP_DAYS days, never the newest one, and what an interrupted run
# left (`gugus backup` writes FILE.tmp-… first and renames it when complete).
# The database: GUGUS_DB (and PGPASSWORD) from /etc/gugus/gugus.env.
#   install -m 0755 deploy/systemd/gugus-backup.sh /usr/local/lib/gugus/gugus-backup.sh
set -eu
GUGUS=${GUGUS:-/usr/local/bin/gugus}
dir=${GUGUS_BACKUP_DIR:-/var/backups/gugus}
keep_days=${GUGUS_BACKUP_KEEP_DAYS:-14}
case $keep_days in "" | *[!0-9]* | 0) echo "GUGUS_BACKUP_KEEP_DAYS must be a number of days (1 or more)" >&2; exit 2 ;; esac

umask 077
mkdir -p "$dir"
out="$dir/gugus-$(date -u +%Y%m%dT%H%M%SZ).bak"
"$GUGUS" backup --out "$out"
echo "backup: $out ($(du -h "$out" | cut -f1))"

# Retention: the new file is never among those removed (it is minutes old).
find "$dir" -maxdepth 1 -type f -name 'gugus-*.bak' -mtime "+$((keep_days - 1))" \
  ! -path "$out" -print -delete | sed 's/^/removed: /'
find "$dir" -maxdepth 1 -type f -name 'gugus-*.bak.tmp-*' -mmin +1440 -print -delete |
  sed 's/^/removed unfinished: /'
