#!/usr/bin/env bash
# make coverage: line, branch and toggle coverage of rtl/ over the lock-step regression.
#   scripts/coverage.sh BUILD_DIR [OUT_DIR]   (BUILD_DIR configured with -DELIGO_RTL_COVERAGE=ON)
# Runs the co-simulation tests on the coverage-instrumented --cc models (every engine writes its
# counts to OUT_DIR/dat), merges them with verilator_coverage, writes an lcov .info and an HTML
# report (genhtml, Debian's lcov) and the per-module table of rtl/README.md (OUT_DIR/table.md, by
# scripts/coverage_table.py). COVERAGE_RANDOM_TIMESTEPS (default 5000): the constrained-random
# timesteps per size configuration (seed COVERAGE_RANDOM_SEED, default 21).
set -euo pipefail
build=${1:-build-coverage}
out=${2:-out/coverage}
rm -rf "$out"
mkdir -p "$out/dat"
export ELIGO_COVERAGE_DIR
ELIGO_COVERAGE_DIR=$(realpath "$out/dat")
for t in systemc_cosim_cc_test systemc_cosim_train_test systemc_cosim_random_test; do
  echo "== $t"
  "$build/tests/$t" --gtest_brief=1
done
echo "== systemc_cosim_random_regress_test (${COVERAGE_RANDOM_TIMESTEPS:-5000} timesteps per size)"
ELIGO_REGRESS=1 ELIGO_RANDOM_TIMESTEPS=${COVERAGE_RANDOM_TIMESTEPS:-5000} ELIGO_RANDOM_SEED=${COVERAGE_RANDOM_SEED:-21} \
  "$build/tests/systemc_cosim_random_regress_test" --gtest_brief=1
verilator_coverage --write "$out/merged.dat" "$out"/dat/*.dat
verilator_coverage --write-info "$out/merged.info" "$out/merged.dat"
genhtml --quiet --branch-coverage --output-directory "$out/html" "$out/merged.info"
/usr/bin/python3 scripts/coverage_table.py "$out/merged.dat" "$out/uncovered.txt" | tee "$out/table.md"
echo "wrote $out/html/index.html, $out/table.md, $out/uncovered.txt"
