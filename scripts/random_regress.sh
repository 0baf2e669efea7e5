#!/usr/bin/env bash
# The constrained-random lock-step regression of make regress (issue 21), in parallel:
#   scripts/random_regress.sh BUILD_DIR OUT_DIR
# One process per verilated size configuration (systemc_cosim_random_regress_test --gtest_filter
# '*/K'), RANDOM_JOBS at a time (default: the number of cores). Size k runs ELIGO_RANDOM_TIMESTEPS
# (default 10^5) timesteps from seed ELIGO_RANDOM_SEED + k (default 21), as the test does alone;
# the sizes listed in RANDOM_SHARDED (default 6, 256-256-16: 0.15-0.25 s of CPU per timestep by
# seed, 4-7 CPU-hours for 10^5, systemc/README.md) run as RANDOM_SHARDS processes (default 2) of
# ELIGO_RANDOM_TIMESTEPS / RANDOM_SHARDS timesteps each, shard s from seed ELIGO_RANDOM_SEED +
# 1000 s (+ k): the same number of random timesteps, in other random configurations, on more
# cores. Each process's output in OUT_DIR/random_cosim_K[_S].txt, all of them in
# OUT_DIR/random_cosim.txt; exit status 1 when any process failed (a mismatch, named with its seed
# in its output).
set -euo pipefail
build=${1:?usage: random_regress.sh BUILD_DIR OUT_DIR}
out=${2:?usage: random_regress.sh BUILD_DIR OUT_DIR}
test_bin="$build/tests/systemc_cosim_random_regress_test"
jobs=${RANDOM_JOBS:-$(nproc)}
shards=${RANDOM_SHARDS:-2}
sharded=" ${RANDOM_SHARDED:-6} "
steps=${ELIGO_RANDOM_TIMESTEPS:-100000}
seed=${ELIGO_RANDOM_SEED:-21}
for v in jobs shards steps seed; do
  if ! [[ "${!v}" =~ ^[1-9][0-9]*$ ]]; then
    echo "random_regress.sh: $v=${!v}: a positive integer is needed" >&2
    exit 1
  fi
done
mkdir -p "$out"
rm -f "$out"/random_cosim_*.txt
mapfile -t sizes < <("$test_bin" --gtest_list_tests | sed -n 's|^ *RandomConfigurationsHaveNoMismatch/\([0-9]*\).*|\1|p')
if [[ ${#sizes[@]} == 0 ]]; then
  echo "random_regress.sh: $test_bin lists no size configuration" >&2
  exit 1
fi
# run K NAME TIMESTEPS SEED: one process, in the background (its verdict is read from its output).
run() {
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
  ELIGO_REGRESS=1 ELIGO_RANDOM_TIMESTEPS=$3 ELIGO_RANDOM_SEED=$4 "$test_bin" --gtest_filter="*/$1" \
    > "$out/random_cosim_$2.txt" 2>&1 &
}
# The sharded (longest) sizes first, so that the short ones fill the other cores meanwhile.
for k in "${sizes[@]}"; do
  if [[ "$sharded" == *" $k "* ]]; then
    for ((s = 0; s < shards; s++)); do run "$k" "${k}_$s" $(((steps + shards - 1) / shards)) $((seed + 1000 * s)); done
  fi
done
for k in "${sizes[@]}"; do
  [[ "$sharded" == *" $k "* ]] || run "$k" "$k" "$steps" "$seed"
done
wait
cat "$out"/random_cosim_*.txt > "$out/random_cosim.txt"
grep -h "^random cosim" "$out/random_cosim.txt" || true
failed=0
for f in "$out"/random_cosim_*.txt; do
  if ! grep -q "^\[  PASSED  \] 1 test" "$f"; then
    echo "random_regress.sh: $f: the run failed (above)" >&2
    failed=1
  fi
done
exit $failed
