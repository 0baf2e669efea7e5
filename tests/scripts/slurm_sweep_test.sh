#!/usr/bin/env bash
# eligo sweep --executor slurm against a real Slurm (issue 17): brings up a one-node cluster on
# this machine from Debian's packages (munge, slurmctld, slurmd; scripts/install-deps.sh installs
# them) with a generated slurm.conf on localhost in a scratch directory (SLURM_CONF for every
# daemon and client, own munge key and socket, free ports: nothing written to /etc), runs a small
# chip-model sweep through sbatch, checks that every point's results equal the local executor's
# (the same files byte for byte apart from wall times, the same sweep.json apart from wall_s), and
# stops every daemon it started, also on failure.
#   tests/scripts/slurm_sweep_test.sh ELIGO_BINARY
# Exit status 0 pass, 1 fail, 77 skipped (the reason is printed: not root, packages missing, the
# daemons do not come up here). ELIGO_SLURM_KEEP=1 keeps the scratch directory.
set -euo pipefail
SKIP=77
eligo=$(readlink -f "${1:?usage: slurm_sweep_test.sh ELIGO_BINARY}")
py=/usr/bin/python3

skip() { echo "SKIP: $*"; exit "$SKIP"; }
fail() { echo "FAIL: $*"; exit 1; }

[[ -x $eligo ]] || fail "$eligo is not an executable"
source "$(dirname "${BASH_SOURCE[0]}")/slurm_cluster.sh"
why=$(slurm_cluster_check)
[[ -z $why ]] || skip "$why"

tmp=$(mktemp -d /tmp/eligo-slurm-test.XXXXXX)
chmod 755 "$tmp"
child=  # the eligo sweep running, if any (run in the background so that a signal is handled at once)
cleanup() {
  local rc=$?
  set +e
  [[ -n $child ]] && kill "$child" 2>/dev/null && wait "$child" 2>/dev/null
  slurm_cluster_down
  if [[ ${ELIGO_SLURM_KEEP:-0} == 1 || ($rc -ne 0 && $rc -ne $SKIP) ]]; then
    echo "slurm_sweep_test: scratch directory kept: $tmp"
  else
    rm -rf "$tmp"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

t0=$(date +%s%N)
slurm_cluster_up "$tmp/cluster" || skip "$SLURM_CLUSTER_ERROR"
echo "slurm_sweep_test: one-node Slurm ($SLURM_CONF) up in $(slurm_elapsed "$t0") s"

# ---- a small chip-model sweep: lanes 0 (rejected by eligo chip: failed points), 2, 4 x seeds 1, 2
w=$tmp/work
mkdir "$w"
cat > "$w/net.json" <<'EOF'
{"seed": 2,
 "network": {"n_in": 20, "n_out": 2, "lif": {"n": 6}, "alif": {"n": 5}},
 "task": {"type": "evidence_accumulation", "n_cues": 3, "t_cue": 20, "t_cue_spacing": 30,
          "t_delay": 40, "t_recall": 20, "test_batches": 1},
 "train": {"iterations": 2, "batch_size": 2, "loss": "mse"}}
EOF
cat > "$w/chip.json" <<'EOF'
{"network_config": "net.json", "mode": "train", "iterations": 2, "batch_size": 2, "test_batches": 1,
 "chip": {"lanes": 2, "seed": 1}}
EOF
cat > "$w/sweep.json" <<'EOF'
{"base_config": "chip.json", "command": "chip",
 "axes": [{"name": "chip.lanes", "values": [0, 2, 4]}, {"name": "chip.seed", "range": {"from": 1, "to": 2}}],
 "seed_axis": "chip.seed",
 "metrics": {"accuracy": "report.json:accuracy", "cycles_per_timestep": "report.json:cycles_per_timestep",
             "energy_pj": "report.json:energy.total_pj"},
 "resources": {"cpus": 1, "mem": "1G", "time": "00:05:00"}}
EOF

cd "$w"
# Both executors write into the same --out (moved aside after each run), so that the paths inside
# the outputs (stdout's "wrote ...", the failed points' error lines) are the same.
sweep_into() {  # EXECUTOR NAME [OPTIONS..]: runs the sweep, moves its --out to $w/NAME, sets rc and secs
  local executor=$1 name=$2
  shift 2
  local t0
  t0=$(date +%s%N)
  "$eligo" sweep --spec sweep.json --executor "$executor" --out "$w/out" "$@" >"$w/$name.log" 2>&1 &
  child=$!
  rc=0
  wait "$child" || rc=$?
  child=
  secs=$(slurm_elapsed "$t0")
  mv "$w/out" "$w/$name"
}
sweep_into slurm slurm --poll 0.2
slurm_rc=$rc t_slurm=$secs
sweep_into local local --jobs 2
local_rc=$rc t_local=$secs
echo "slurm_sweep_test: 6 points through sbatch in $t_slurm s, with the local executor (--jobs 2) in $t_local s"
cat "$w/slurm.log"
# Two points fail (lanes 0) on both executors: exit status 1 of both sweeps.
[[ $slurm_rc -eq 1 && $local_rc -eq 1 ]] ||
  fail "exit status of the sweeps: slurm $slurm_rc, local $local_rc (expected 1, 1: two failed points); local log: $(cat "$w/local.log")"
grep -q "submitted Slurm job [0-9]* (6 array tasks)" "$w/slurm.log" || fail "no Slurm job was submitted"
ls "$w"/slurm/slurm/*_[0-9].out >/dev/null 2>&1 || fail "no per-task Slurm output file (DIR/slurm/JOB_I.out)"

# Same results: sweep.json apart from wall_s, and every file of every point directory byte for
# byte, apart from wall-time fields: wall_s and timesteps_per_s in JSON files, "N timesteps/s" in
# stdout.txt, and in manifest.json the size and CRC of exactly the files that differ only there.
"$py" - "$w/local" "$w/slurm" <<'PY'
import json, os, re, sys
local, slurm = sys.argv[1], sys.argv[2]
WALL = ("wall_s", "timesteps_per_s")
def load(p):
    with open(p, "rb") as f:
        return f.read()
def no_wall(x):
    if isinstance(x, dict):
        return {k: no_wall(v) for k, v in x.items() if k not in WALL}
    if isinstance(x, list):
        return [no_wall(v) for v in x]
    return x
a, b = json.loads(load(os.path.join(local, "sweep.json"))), json.loads(load(os.path.join(slurm, "sweep.json")))
if no_wall(a) != no_wall(b):
    sys.exit("sweep.json differs between the executors apart from wall times")
status = [p["status"] for p in b["points"]]
if status != ["failed", "failed", "ok", "ok", "ok", "ok"]:
    sys.exit(f"unexpected point status through Slurm: {status}")
if [p["exit_status"] for p in b["points"]] != [1, 1, 0, 0, 0, 0]:
    sys.exit("exit status of the points through Slurm: " + str([p["exit_status"] for p in b["points"]]))
if not all("chip.lanes: 0 is out of range" in p["stderr_tail"] for p in b["points"][:2]):
    sys.exit("the failed points' stderr tail through Slurm does not name the error")
files = same = 0
for p in b["points"]:
    h = p["point"]
    da, db = os.path.join(local, "points", h), os.path.join(slurm, "points", h)
    names = sorted(os.listdir(da))
    if names != sorted(os.listdir(db)):
        sys.exit(f"point {h}: files {names} locally, {sorted(os.listdir(db))} through Slurm")
    wall_only = set()
    for n in names:
        x, y = load(os.path.join(da, n)), load(os.path.join(db, n))
        files += 1
        if x == y:
            same += 1
        elif n == "manifest.json":
            pass  # below, once every other file is known
        elif n.endswith(".json") and no_wall(json.loads(x)) == no_wall(json.loads(y)):
            wall_only.add(n)
        elif n == "stdout.txt" and re.sub(rb"[0-9.]+ timesteps/s", b"", x) == re.sub(rb"[0-9.]+ timesteps/s", b"", y):
            wall_only.add(n)
        else:
            sys.exit(f"point {h}: {n} differs between the executors beyond wall times")
    if "manifest.json" in names:
        mx, my = json.loads(load(os.path.join(da, "manifest.json"))), json.loads(load(os.path.join(db, "manifest.json")))
        fx, fy = mx.pop("files"), my.pop("files")
        if mx != my or fx.keys() != fy.keys():
            sys.exit(f"point {h}: manifest.json differs between the executors")
        bad = [f for f in fx if fx[f] != fy[f] and f not in wall_only]
        if bad:
            sys.exit(f"point {h}: manifest.json lists {bad} with other sizes or CRCs")
print(f"slurm_sweep_test: {len(b['points'])} points, {files} files compared, {same} byte-identical, "
      f"{files - same} identical apart from wall-time fields")
PY

# A task Slurm ends before its point does (scancel, as a time limit or a lost node would): the point
# is failed with exit status -1 and Slurm's own line from the task's output file.
"$py" -c '
import json, sys
c = json.load(open("chip.json")); c["iterations"] = 1000000
json.dump(c, open("chip_long.json", "w"))
s = json.load(open("sweep.json")); s["base_config"] = "chip_long.json"
s["axes"] = [{"name": "chip.seed", "values": [1]}]
json.dump(s, open("sweep_long.json", "w"))'
"$eligo" sweep --spec sweep_long.json --executor slurm --poll 0.2 --out "$w/cancelled" >"$w/cancelled.log" 2>&1 &
child=$!
job=
for _ in $(seq 300); do
  job=$(squeue -h -t RUNNING -o %A 2>/dev/null | head -n 1)
  [[ -n $job ]] && break
  sleep 0.1
done
[[ -n $job ]] || fail "the long point never ran: $(cat "$w/cancelled.log")"
scancel "$job"
cancel_rc=0
wait "$child" || cancel_rc=$?
child=
[[ $cancel_rc -eq 1 ]] || fail "a sweep with a cancelled task exits with $cancel_rc (expected 1): $(cat "$w/cancelled.log")"
"$py" - "$w/cancelled/sweep.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))["points"][0]
if p["status"] != "failed" or p["exit_status"] != -1:
    sys.exit(f"cancelled point: status {p['status']}, exit status {p['exit_status']} (expected failed, -1)")
if "CANCELLED" not in p["stderr_tail"] or "not finished by Slurm job" not in p["stderr_tail"]:
    sys.exit("cancelled point: stderr_tail does not say Slurm cancelled it: " + p["stderr_tail"])
print("slurm_sweep_test: a cancelled task is a failed point:", p["stderr_tail"].replace("\n", " | "))
PY
echo "slurm_sweep_test: PASS"
