#!/usr/bin/python3
"""Co-simulation soak (make regress, issue 16): the verilated RTL in lock-step with the bit-exact
model (`eligo cosim --engine cc`) on random seeds until SOAK_TIMESTEPS timesteps have run, inference
and on-chip training in turn on every verilated size configuration (systemc/CMakeLists.txt), with
random chip options (DEEP R on or off, feedback, update mode, trace architecture). The first
mismatch (or failed run) ends the soak with a failure; the figures (timesteps, RTL cycles, writes and words checked, wall
time) are printed and written to OUT/soak.json.

Usage: soak.py BUILD_DIR [OUT_DIR]     (default OUT_DIR: out/regress/soak)
Environment:
  SOAK_TIMESTEPS  co-simulated timesteps to reach (default 1000000)
  SOAK_SEED       the master seed (default: drawn from os.urandom and printed); every run's
                  seeds come from it, so SOAK_SEED=S reproduces a soak run for run
Every run prints its seeds and the command that repeats it alone (its config is kept in its
directory, OUT/NNN_<kind>/).
"""
import json
import os
import random
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The verilated configurations (systemc/CMakeLists.txt): name, n_in, LIF, ALIF, n_out, lanes.
CONFIGS = [
    ("r40x40x2_l4", 40, 20, 20, 2, 4),
    ("r40x100x2_l3", 40, 50, 50, 2, 3),
    ("r20x10x2_l2", 20, 5, 5, 2, 2),
    ("r40x100x2_a0_l16", 40, 100, 0, 2, 16),
]


def write_json(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def network_config(rng, cfg, batch):
    """The reduced evidence-accumulation task (examples/evidence_accumulation_demo.json, 610 steps
    per sample) on the configuration's network, with a random seed."""
    with open(os.path.join(REPO, "examples", "evidence_accumulation_demo.json")) as f:
        c = json.load(f)
    _, n_in, lif, alif, n_out, _ = cfg
    c["seed"] = rng.randrange(1, 2**31)
    c["network"]["n_in"], c["network"]["n_out"] = n_in, n_out
    c["network"]["lif"]["n"], c["network"]["alif"]["n"] = lif, alif
    c["train"]["batch_size"] = batch
    c["task"]["test_batches"] = 1
    return c


def chip_config(rng, cfg, train, iterations, batch):
    chip = {"lanes": cfg[5], "seed": rng.randrange(1, 2**31), "ts_budget": 0,
            "feedback": rng.choice(["symmetric", "random"])}
    if train:
        chip["lr"] = 0.004
        chip["update"] = rng.choice(["per_batch", "online"])
        if chip["update"] == "online":  # an update every timestep: 2 samples cost as much as 9 per batch
            iterations, batch = 1, 2
        if rng.random() < 0.5:
            chip["deepr"] = {"connectivity": rng.choice([0.3, 0.5]), "l1": 0.01, "temperature": 1e-06}
        trace = rng.choice(["exact", "windowed", "factored"])
        if trace != "exact":
            chip["trace"] = trace
        if trace == "windowed":
            chip["trace_pre_steps"] = rng.choice([0, 50])
    c = {"network_config": "net.json", "mode": "train" if train else "inference", "chip": chip}
    if train:
        c.update({"iterations": iterations, "batch_size": batch, "test_batches": 1})
    return c


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    build = argv[1]
    out = argv[2] if len(argv) > 2 else os.path.join("out", "regress", "soak")
    eligo = os.path.abspath(os.path.join(build, "eligo"))
    target = int(os.environ.get("SOAK_TIMESTEPS", "1000000"))
    seed_env = os.environ.get("SOAK_SEED", "")
    master = int(seed_env) if seed_env else int.from_bytes(os.urandom(4), "little")
    print(f"soak: {target} co-simulated timesteps, master seed {master} (SOAK_SEED={master} repeats this soak)",
          flush=True)
    os.makedirs(out, exist_ok=True)
    rng = random.Random(master)
    totals = {"runs": 0, "timesteps": 0, "rtl_cycles": 0, "writes_compared": 0, "words_compared": 0,
              "wall_s": 0.0, "mismatches": 0, "failed_runs": []}
    per_kind = {}
    t0 = time.monotonic()
    n = 0
    while totals["timesteps"] < target:
        cfg = CONFIGS[n % len(CONFIGS)]
        train = (n // len(CONFIGS)) % 2 == 0  # a round of training on every configuration, then of inference
        kind = f"{cfg[0]}_{'train' if train else 'infer'}"
        # Runs of about two minutes at most (610 steps per sample): training 3 updates of 3 samples
        # (online updates: 1 of 2) and 2 test samples, 80 to 10,000 timesteps/s; inference 48
        # samples, 1,700 to 34,000 timesteps/s (measured: docs/results.md). A sixth to a quarter of
        # the timesteps are training ones.
        d = os.path.join(out, f"{n:03d}_{kind}")
        os.makedirs(d, exist_ok=True)
        chip = chip_config(rng, cfg, train, 3, 3)
        batch = chip.get("batch_size", 48)
        net = network_config(rng, cfg, batch)
        write_json(os.path.join(d, "net.json"), net)
        write_json(os.path.join(d, "chip.json"), chip)
        cmd = [eligo, "cosim", "--config", os.path.join(d, "chip.json"), "--engine", "cc", "--out", d]
        cmd += ["--test-samples", "2"] if train else ["--samples", str(batch)]
        print(f"[{n:03d}] {kind}: seed {net['seed']}, chip.seed {chip['chip']['seed']}, "
              f"options {json.dumps({k: v for k, v in chip['chip'].items() if k not in ('lanes', 'seed', 'ts_budget')})}",
              flush=True)
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        report = {}
        rpath = os.path.join(d, "report.json")
        if os.path.exists(os.path.join(d, "manifest.json")) and os.path.exists(rpath):
            with open(rpath) as f:
                report = json.load(f)
        mismatches = report.get("mismatches", 1)
        if r.returncode != 0 or mismatches != 0:
            totals["mismatches"] += mismatches
            totals["failed_runs"].append(d)
            print(f"  FAILED (exit status {r.returncode}, mismatches {mismatches}): repeat with\n    {' '.join(cmd)}\n"
                  + "\n".join("    | " + line for line in r.stdout.splitlines()[-15:]), flush=True)
        for k in ("timesteps", "rtl_cycles", "writes_compared", "words_compared", "wall_s"):
            totals[k] += report.get(k, 0)
        k = per_kind.setdefault(kind, {"runs": 0, "timesteps": 0, "rtl_cycles": 0, "wall_s": 0.0})
        k["runs"] += 1
        for f in ("timesteps", "rtl_cycles", "wall_s"):
            k[f] += report.get(f, 0)
        totals["runs"] += 1
        if totals["failed_runs"]:
            break  # the first failure ends the soak: its run is repeated alone with the command above
        print(f"  {report.get('timesteps', 0)} timesteps, {report.get('rtl_cycles', 0)} RTL cycles, "
              f"{report.get('writes_compared', 0)} writes checked, {report.get('wall_s', 0.0):.1f} s; "
              f"total {totals['timesteps']}/{target} timesteps", flush=True)
        n += 1
    wall = time.monotonic() - t0
    totals["elapsed_s"] = wall
    totals["timesteps_per_s"] = totals["timesteps"] / wall if wall > 0 else 0.0
    totals["master_seed"] = master
    totals["target_timesteps"] = target
    totals["by_kind"] = per_kind
    write_json(os.path.join(out, "soak.json"), totals)
    ok = totals["mismatches"] == 0 and not totals["failed_runs"] and totals["timesteps"] >= target
    print(f"soak: {totals['runs']} runs, {totals['timesteps']} timesteps in lock-step, {totals['rtl_cycles']} RTL "
          f"cycles, {totals['writes_compared']} writes and {totals['words_compared']} memory words checked, "
          f"{totals['mismatches']} mismatches, {wall:.0f} s wall ({totals['timesteps_per_s']:.0f} timesteps/s, "
          f"{totals['rtl_cycles'] / wall if wall > 0 else 0:.3g} RTL cycles/s); master seed {master}")
    for kind, k in sorted(per_kind.items()):
        print(f"  {kind:24s} {k['runs']:3d} runs {k['timesteps']:9d} timesteps {k['rtl_cycles']:12d} cycles "
              f"{k['wall_s']:7.0f} s ({k['timesteps'] / k['wall_s'] if k['wall_s'] else 0:.0f} timesteps/s)")
    print("PASS" if ok else "FAIL", f"(target: >= {target} timesteps, 0 mismatches)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
