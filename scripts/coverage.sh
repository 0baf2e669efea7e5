#!/usr/bin/env bash
# make coverage: line, branch and toggle coverage of rtl/ over the lock-step co-simulation.
#   scripts/coverage.sh BUILD_DIR [OUT_DIR]   (BUILD_DIR configured with -DELIGO_RTL_COVERAGE=ON)
# Runs the constrained-random lock-step regression (eligo cosim --random --sizes, one run per size
# configuration the build verilated, in the order of systemc/CMakeLists.txt; seed COVERAGE_SEED,
# default 21, plus the configuration's index) with COVERAGE_RANDOM_TIMESTEPS timesteps per size
# (default 5000) or COVERAGE_TIMESTEPS_<name> for configuration <name> (default 600 for
# r256x256x16_a128_l16, whose model simulates about 30 times slower than 40-40-2) and, when the
# build has them, the co-simulation tests, on the coverage-instrumented --cc models (every engine
# writes its counts to OUT_DIR/dat); merges them with verilator_coverage, writes an lcov .info
# and an HTML report (genhtml, Debian's lcov) and the per-module table of rtl/README.md
# (OUT_DIR/table.md, scripts/coverage_table.py, with the waivers of rtl/coverage_waivers.txt;
# uncovered and waived points in OUT_DIR/uncovered.txt).
set -euo pipefail
build=${1:-build-coverage}
out=${2:-out/coverage}
here=$(cd "$(dirname "$0")/.." && pwd)
: "${COVERAGE_TIMESTEPS_r256x256x16_a128_l16:=600}"
rm -rf "$out"
mkdir -p "$out/dat" "$out/random"
export ELIGO_COVERAGE_DIR
ELIGO_COVERAGE_DIR=$(realpath "$out/dat")
# The size configurations: "name NI NR NO NA LANES ST" lines of systemc/CMakeLists.txt.
k=0
ran=0
while read -r name ni nr no na lanes st; do
  if [[ -d "$build/systemc/V$name" ]]; then
    var="COVERAGE_TIMESTEPS_$name"
    steps=${!var:-${COVERAGE_RANDOM_TIMESTEPS:-5000}}
    sizes="$ni-$nr-$no-$na-$lanes"
    [[ "$st" == 0 ]] && sizes+="-f"
    echo "== $name: $steps random timesteps"
    "$build/eligo" cosim --random "$steps" --sizes "$sizes" --seed $((${COVERAGE_SEED:-21} + k)) --out "$out/random/$name"
    ran=$((ran + 1))
  fi
  k=$((k + 1))
done < <(sed -n 's/^ *"\(r[0-9a-z_]*\) \([0-9]*\) \([0-9]*\) \([0-9]*\) \([0-9]*\) \([0-9]*\) \([01]\)".*/\1 \2 \3 \4 \5 \6 \7/p' \
         "$here/systemc/CMakeLists.txt")
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
