#!/usr/bin/env bash
# Runs every benchmark in bench/ in order and prints a summary of their PASS/MISS lines.
# Usage: bench/run_all.sh BUILD_DIR        (`make bench` builds first and installs PyTorch)
#
# Benchmarks: bench/bench_*.py (run with Debian's /usr/bin/python3, which has numpy and torch)
# and bench/bench_*.sh, in name order, each called with BUILD_DIR. Each prints lines starting
# with "PASS ", "MISS " or "FAIL " for its targets ("INFO " for context) and writes its
# numbers to BUILD_DIR/bench/.
# Exit status: non-zero only if a benchmark program exits non-zero (it crashed); a missed
# target is reported, not an error. Logs: BUILD_DIR/bench/<name>.log.
set -uo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
BUILD=$1
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3
mkdir -p "$BUILD/bench"

shopt -s nullglob
benches=("$HERE"/bench_*.py "$HERE"/bench_*.sh)
if [[ ${#benches[@]} -eq 0 ]]; then
  echo "run_all: no benchmarks in $HERE" >&2
  exit 1
fi

declare -a results=()
crashed=0
t_all=$SECONDS
for b in "${benches[@]}"; do
  name=$(basename "${b%.*}")
  log="$BUILD/bench/$name.log"
  echo "==================== $name ===================="
  t0=$SECONDS
  if [[ $b == *.py ]]; then
    "$PY" "$b" "$BUILD" 2>&1 | tee "$log"
  else
    bash "$b" "$BUILD" 2>&1 | tee "$log"
  fi
  rc=${PIPESTATUS[0]}
  dt=$((SECONDS - t0))
  if [[ $rc -ne 0 ]]; then
    crashed=1
    results+=("CRASH $name exited with status $rc after ${dt} s (log: $log)")
  else
    results+=("ok    $name (${dt} s)")
  fi
  while IFS= read -r line; do
    results+=("      $line")
  done < <(grep -E '^(PASS|MISS|FAIL|INFO) ' "$log" || true)
done

echo
echo "==================== summary ($((SECONDS - t_all)) s) ===================="
printf '%s\n' "${results[@]}"
exit $crashed
