#!/usr/bin/env bash
# make coverage: line, branch and toggle coverage of rtl/ over the lock-step co-simulation.
#   scripts/coverage.sh BUILD_DIR [OUT_DIR]   (BUILD_DIR configured with -DELIGO_RTL_COVERAGE=ON)
# Runs the constrained-random lock-step regression (eligo cosim --random --sizes, one run per size
# configuration the build verilated, the largest first, COVERAGE_JOBS at a time (default 1, make
# coverage: JOBS); seed COVERAGE_SEED,
# default 21, plus the configuration's index in systemc/CMakeLists.txt) with
# COVERAGE_RANDOM_TIMESTEPS timesteps per size (default 1000) or COVERAGE_TIMESTEPS_<name> for
# configuration <name>: defaults 3000 for the two 20-10-2 cores, 400 for the two 40-100-2 ones
# and 300 for r256x256x16_a128_l16 (the coverage models simulate 10-20 times slower than the
# -O3 ones; rtl/README.md has the times), in random configurations of about
# COVERAGE_CONFIG_TIMESTEPS_<name> timesteps each (eligo cosim --config-timesteps; default 300,
# 30 for 256-256-16, whose few long configurations left half its ALIF neurons silent). Then,
# when the build has them, the co-simulation tests, on the coverage-instrumented --cc models
# (every engine writes its counts to OUT_DIR/dat); merges them with verilator_coverage, writes an
# lcov .info and an HTML report (genhtml, Debian's lcov) and the per-module table of
# rtl/README.md (OUT_DIR/table.md, scripts/coverage_table.py, with the waivers of
# rtl/coverage_waivers.txt; uncovered and waived points in OUT_DIR/uncovered.txt). Exit status 1
# on a mismatch or an out-of-date waiver.
set -euo pipefail
build=${1:-build-coverage}
out=${2:-out/coverage}
here=$(cd "$(dirname "$0")/.." && pwd)
: "${COVERAGE_TIMESTEPS_r20x10x2_l2:=3000}" "${COVERAGE_TIMESTEPS_r20x10x2_l2_f:=3000}"
: "${COVERAGE_TIMESTEPS_r40x100x2_l3:=400}" "${COVERAGE_TIMESTEPS_r40x100x2_a0_l16:=400}"
: "${COVERAGE_TIMESTEPS_r256x256x16_a128_l16:=300}" "${COVERAGE_CONFIG_TIMESTEPS_r256x256x16_a128_l16:=30}"
jobs=${COVERAGE_JOBS:-1}
if ! [[ "$jobs" =~ ^[1-9][0-9]*$ ]]; then
  echo "coverage.sh: COVERAGE_JOBS=$jobs: a job count >= 1 is needed" >&2
  exit 1
fi
rm -rf "$out"
mkdir -p "$out/dat" "$out/random"
export ELIGO_COVERAGE_DIR
ELIGO_COVERAGE_DIR=$(realpath "$out/dat")
# A run failed (a mismatch): its log and the others', then exit status 1.
failed() {
  cat "$out"/random/*.log >&2
  echo "coverage.sh: a random co-simulation failed (above)" >&2
  exit 1
}
# The size configurations: "name NI NR NO NA LANES ST" lines of systemc/CMakeLists.txt, with
# their index k; the last (largest) first.
ran=0
while read -r k name ni nr no na lanes st; do
  if [[ -d "$build/systemc/V$name" ]]; then
    var="COVERAGE_TIMESTEPS_$name"
    steps=${!var:-${COVERAGE_RANDOM_TIMESTEPS:-1000}}
    var="COVERAGE_CONFIG_TIMESTEPS_$name"
    per_config=${!var:-300}
    sizes="$ni-$nr-$no-$na-$lanes"
    [[ "$st" == 0 ]] && sizes+="-f"
    while (($(jobs -rp | wc -l) >= jobs)); do wait -n || failed; done
    echo "== $name: $steps random timesteps"
    "$build/eligo" cosim --random "$steps" --sizes "$sizes" --seed $((${COVERAGE_SEED:-21} + k)) \
      --config-timesteps "$per_config" \
      --out "$out/random/$name" > "$out/random/$name.log" 2>&1 &
    ran=$((ran + 1))
  fi
done < <(sed -n 's/^ *"\(r[0-9a-z_]*\) \([0-9]*\) \([0-9]*\) \([0-9]*\) \([0-9]*\) \([0-9]*\) \([01]\)".*/\1 \2 \3 \4 \5 \6 \7/p' \
         "$here/systemc/CMakeLists.txt" | awk '{print NR - 1, $0}' | tac)
while (($(jobs -rp | wc -l) > 0)); do wait -n || failed; done
cat "$out"/random/*.log
if [[ $ran == 0 ]]; then
  echo "coverage.sh: $build/systemc has no verilated --cc model (V<name>) of systemc/CMakeLists.txt" >&2
  exit 1
fi
for t in systemc_cosim_cc_test systemc_cosim_train_test systemc_cosim_random_test; do
  if [[ -x "$build/tests/$t" ]]; then
    echo "== $t"
    "$build/tests/$t" --gtest_brief=1
  fi
done
verilator_coverage --write "$out/merged.dat" "$out"/dat/*.dat
verilator_coverage --write-info "$out/merged.info" "$out/merged.dat"
genhtml --quiet --branch-coverage --output-directory "$out/html" "$out/merged.info"
/usr/bin/python3 "$here/scripts/coverage_table.py" "$out/merged.dat" "$out/uncovered.txt" \
  "${COVERAGE_WAIVERS:-$here/rtl/coverage_waivers.txt}" | tee "$out/table.md"
echo "wrote $out/html/index.html, $out/table.md, $out/uncovered.txt"
