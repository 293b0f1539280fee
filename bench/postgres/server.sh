# Sourced at the start of bench/postgres/*.sh, from the repository's root: unless
# GUGUS_BENCH_POSTGRES names a server, runs the script ($0, with BUILD) again
# inside a throwaway cluster made by pg_virtualenv, with fsync on and the settings
# a deployment would have, where GUGUS_BENCH_POSTGRES=postgresql: (libpq's
# environment) reaches it.
if [ -z "${GUGUS_BENCH_POSTGRES:-}" ] && [ -z "${GUGUS_BENCH_INSIDE:-}" ]; then
  exec pg_virtualenv -t -o shared_buffers=2GB -o max_wal_size=8GB -o work_mem=64MB \
    env GUGUS_BENCH_INSIDE=1 GUGUS_BENCH_POSTGRES=postgresql: bash "$0" "$BUILD"
fi
