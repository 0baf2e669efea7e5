#!/usr/bin/env bash
# eligo sweep through Slurm on a one-node cluster on this machine (issue 17): time from submit to
# gathered results of 8 chip-model points (bench/configs/sweep_chip_8_seeds.json: 40-100-2 chip
# training, chip seeds 1-8; and sweep_chip_8_seeds_inference.json, under a second per point, for
# Slurm's fixed cost), `eligo sweep --executor slurm --poll POLL` against the local executor
# (--jobs = cores, as many points at once as the node's CPUs with 1 cpu per point), best of REPS
# runs each, alternated. On a machine loaded by other work, Slurm's tasks (each in its own
# session, so its own CFS autogroup) can get more CPU than the local executor's points (in the
# sweep's session): compare on an idle machine. The cluster is brought up and stopped by tests/scripts/slurm_cluster.sh
# (root, Debian's munge and slurm-wlm); where it cannot run, an INFO line says why.
# Usage: bench/bench_sweep_slurm.sh BUILD_DIR   (env: POLL, default 1; REPS, default 2)
# Writes BUILD_DIR/bench/sweep_slurm.json.
set -euo pipefail
build=$(readlink -f "${1:?usage: bench_sweep_slurm.sh BUILD_DIR}")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
eligo=$build/eligo
poll=${POLL:-1}
reps=${REPS:-2}
source "$here/../tests/scripts/slurm_cluster.sh"
why=$(slurm_cluster_check)
if [[ -n $why ]]; then
  echo "INFO sweep through Slurm: not measured: $why"
  exit 0
fi
tmp=$(mktemp -d /tmp/eligo-bench-slurm.XXXXXX)
chmod 755 "$tmp"
trap 'slurm_cluster_down; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM  # the EXIT trap then stops the cluster (after the sweep running ends)
if ! slurm_cluster_up "$tmp/cluster"; then
  echo "INFO sweep through Slurm: not measured: $SLURM_CLUSTER_ERROR"
  exit 0
fi
jobs=$(nproc)
run() {  # SPEC EXECUTOR OUT OPTIONS..: prints the seconds of one whole eligo sweep
  local spec=$1 executor=$2 out=$3 t0
  shift 3
  t0=$(date +%s%N)
  "$eligo" sweep --spec "$spec" --executor "$executor" --out "$out" "$@" >"$out.log" 2>&1 ||
    { echo "FAIL eligo sweep --executor $executor: $(tail -n 3 "$out.log")" >&2; exit 1; }
  slurm_elapsed "$t0"
}
# Two sweeps of 8 points: chip training (seconds per point: the benchmark) and chip inference
# (under a second per point: Slurm's fixed cost of submitting, scheduling and polling).
results=()
for kind in training inference; do
  spec=$here/configs/sweep_chip_8_seeds.json
  [[ $kind == inference ]] && spec=$here/configs/sweep_chip_8_seeds_inference.json
  local_s=() slurm_s=()
  for r in $(seq "$reps"); do
    local_s+=("$(run "$spec" local "$tmp/$kind-local$r" --jobs "$jobs")")
    slurm_s+=("$(run "$spec" slurm "$tmp/$kind-slurm$r" --poll "$poll")")
  done
  results+=("$kind" "${local_s[*]}" "${slurm_s[*]}")
done
/usr/bin/python3 - "$build" "$tmp" "$reps" "$jobs" "$poll" "${results[@]}" <<'PY'
import json, os, sys
build, tmp, reps, jobs, poll = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
def no_wall(path):
    res = json.load(open(path))
    for p in res["points"]:
        p.pop("wall_s")
    return res
data, all_same = {"points": 8, "jobs": jobs, "poll_s": poll}, True
rest = sys.argv[6:]
for k in range(0, len(rest), 3):
    kind, local_s, slurm_s = rest[k], [float(x) for x in rest[k + 1].split()], [float(x) for x in rest[k + 2].split()]
    ref = no_wall(os.path.join(tmp, f"{kind}-local1", "sweep.json"))
    same = all(no_wall(os.path.join(tmp, f"{kind}-{e}{r}", "sweep.json")) == ref
               for e in ("local", "slurm") for r in range(1, reps + 1))
    all_same = all_same and same
    point_s = [p["wall_s"] for p in json.load(open(os.path.join(tmp, f"{kind}-local1", "sweep.json")))["points"]]
    best_local, best_slurm = min(local_s), min(slurm_s)
    print(f"INFO sweep of 8 chip-model points, 40-100-2 {kind} ({sum(point_s) / len(point_s):.2f} s per point run "
          f"locally), {jobs} at once:")
    print(f"INFO   local executor (--jobs {jobs}): {best_local:.1f} s (runs: {', '.join(f'{x:.1f}' for x in local_s)})")
    print(f"INFO   Slurm, one node, submit to gathered results (--poll {poll:g}): {best_slurm:.1f} s "
          f"(runs: {', '.join(f'{x:.1f}' for x in slurm_s)})")
    print(f"INFO   Slurm / local: {best_slurm / best_local:.2f}x ({best_slurm - best_local:+.1f} s)")
    print(("PASS" if same else "FAIL") + f" {kind}: the same sweep.json (apart from wall times) from both executors")
    data[kind] = {"local_s": local_s, "slurm_s": slurm_s, "best_local_s": best_local, "best_slurm_s": best_slurm,
                  "ratio": best_slurm / best_local, "mean_point_wall_s_local": sum(point_s) / len(point_s),
                  "same_results": same}
os.makedirs(os.path.join(build, "bench"), exist_ok=True)
path = os.path.join(build, "bench", "sweep_slurm.json")
with open(path + ".tmp", "w") as f:
    json.dump(data, f, indent=2)
os.replace(path + ".tmp", path)
sys.exit(0 if all_same else 1)
PY
