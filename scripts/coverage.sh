#!/usr/bin/env bash
# make coverage: line, branch and toggle coverage of rtl/ over the lock-step co-simulation.
#   scripts/coverage.sh BUILD_DIR [OUT_DIR]   (BUILD_DIR configured with -DELIGO_RTL_COVERAGE=ON)
# Runs the constrained-random lock-step regression (eligo cosim --random, every size the build
# verilated; COVERAGE_RANDOM_TIMESTEPS per size, default 5000, seed COVERAGE_SEED, default 21) and,
# when the build has them, the co-simulation tests, on the coverage-instrumented --cc models
# (every engine writes its counts to OUT_DIR/dat); merges them with verilator_coverage, writes an
# lcov .info and an HTML report (genhtml, Debian's lcov) and the per-module table of
# rtl/README.md (OUT_DIR/table.md, scripts/coverage_table.py; uncovered points in
# OUT_DIR/uncovered.txt).
set -euo pipefail
build=${1:-build-coverage}
out=${2:-out/coverage}
rm -rf "$out"
mkdir -p "$out/dat"
export ELIGO_COVERAGE_DIR
ELIGO_COVERAGE_DIR=$(realpath "$out/dat")
"$build/eligo" cosim --random "${COVERAGE_RANDOM_TIMESTEPS:-5000}" --seed "${COVERAGE_SEED:-21}" --out "$out/random"
for t in systemc_cosim_cc_test systemc_cosim_train_test systemc_cosim_random_test; do
  if [[ -x "$build/tests/$t" ]]; then
    echo "== $t"
    "$build/tests/$t" --gtest_brief=1
  fi
done
verilator_coverage --write "$out/merged.dat" "$out"/dat/*.dat
verilator_coverage --write-info "$out/merged.info" "$out/merged.dat"
genhtml --quiet --branch-coverage --output-directory "$out/html" "$out/merged.info"
/usr/bin/python3 scripts/coverage_table.py "$out/merged.dat" "$out/uncovered.txt" | tee "$out/table.md"
echo "wrote $out/html/index.html, $out/table.md, $out/uncovered.txt"
