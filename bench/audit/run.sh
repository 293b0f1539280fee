#!/usr/bin/env bash
# Audit trail throughput (domain/audit_log.h): entries made durable per second with
# 1, 8 and 32 threads recording at once. Prints the machine and a Markdown table for
# bench/RESULTS.md.
# Usage: bench/audit/run.sh [BUILD]   (ENTRIES=4000 per run, RUNS=5 runs per row)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
BENCH="$BUILD/bench/audit_bench"
work=var/bench/audit
mkdir -p "$work"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
echo "machine: $(nproc) cores, $cpu, $(free -g | awk '/Mem:/ {print $2}') GiB, $(df -T "$work" | awk 'NR==2 {print $2}'), $(date -u +%Y-%m-%d)"
echo
"$BENCH" "$work" "${ENTRIES:-4000}" "${RUNS:-5}"
