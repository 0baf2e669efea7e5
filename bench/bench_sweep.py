#!/usr/bin/python3
"""eligo sweep's own cost and its parallel speed-up (issue 17), each against a baseline measured
in this script under the same load:

(a) overhead per point: the 8 points of bench/configs/sweep_chip_8_seeds_inference.json (chip
    inference 40-100-2, under a second each) through `eligo sweep --jobs 1`, against the same 8
    command lines (each point's config.json, as the sweep wrote it) run directly one after
    another; best of REPS alternated runs each. Target: (sweep - direct) / direct < 5% of the
    wall time; the CPU time (user + system of the sweep and its points against the commands'),
    far less sensitive to the machine's load, is reported beside it.
(b) speed-up: the 8 points of bench/configs/sweep_chip_8_seeds.json (chip training 40-100-2)
    with `--jobs 2` against `--jobs 1`. Target: >= 1.8x on 2 cores. On a machine loaded by other
    work two processes cannot get two whole cores, so the same script also measures what the
    machine gives: one point's command run twice one after another against twice at once (a
    CPU-bound baseline); the sweep's speed-up is reported beside it and as a fraction of it, and
    the points the runner keeps running at once (sum of the points' wall times / the sweep's).

Usage: bench/bench_sweep.py BUILD_DIR   (env: REPS, default 5, for (a): 3 was too few to resolve a few percent of a 0.35 s point on an idle machine; REPS_JOBS, default 1, for
(b)). Prints the load average (os.getloadavg) before and after. Writes BUILD_DIR/bench/sweep.json.
Every process is started from an argument vector (no shell).
"""
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

from benchlib import write_results

HERE = os.path.dirname(os.path.abspath(__file__))


def children_cpu():
    """CPU seconds (user + system) of every process this one has waited for, descendants included."""
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def run(argv):
    """Seconds of one command, which must succeed."""
    t0 = time.monotonic()
    p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    dt = time.monotonic() - t0
    if p.returncode != 0:
        sys.exit(f"bench_sweep.py: {' '.join(argv)} exited with {p.returncode}: {p.stderr.strip()[-400:]}")
    return dt


def run_parallel(argvs):
    """Seconds until every command (started together) has ended."""
    t0 = time.monotonic()
    procs = [subprocess.Popen(a, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for a in argvs]
    rcs = [p.wait() for p in procs]
    dt = time.monotonic() - t0
    if any(rcs):
        sys.exit(f"bench_sweep.py: a parallel run failed ({rcs})")
    return dt


def sweep(eligo, spec, out, jobs):
    shutil.rmtree(out, ignore_errors=True)
    return run([eligo, "sweep", "--spec", spec, "--out", out, "--jobs", str(jobs)])


def point_commands(eligo, sweep_dir, out_root):
    """The command of every point of a finished sweep, with its own config.json, into out_root."""
    res = json.load(open(os.path.join(sweep_dir, "sweep.json")))
    cmds = []
    for p in res["points"]:
        cfg = os.path.join(sweep_dir, "points", p["point"], "config.json")
        cmds.append([eligo, res["command"], "--config", cfg, "--out", os.path.join(out_root, p["point"])])
    return cmds


def load():
    return "%.2f %.2f %.2f" % os.getloadavg()


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: bench_sweep.py BUILD_DIR")
    build = os.path.abspath(sys.argv[1])
    eligo = os.path.join(build, "eligo")
    reps = int(os.environ.get("REPS", "5"))
    reps_jobs = int(os.environ.get("REPS_JOBS", "1"))
    cores = os.cpu_count()
    load_before = load()
    print(f"INFO load average before: {load_before} ({cores} cores)")
    tmp = tempfile.mkdtemp(prefix="eligo-bench-sweep.")
    try:
        # (a) overhead per point
        spec_a = os.path.join(HERE, "configs", "sweep_chip_8_seeds_inference.json")
        sweep(eligo, spec_a, os.path.join(tmp, "a-warm"), 1)  # warm the page cache, get the configs
        cmds = point_commands(eligo, os.path.join(tmp, "a-warm"), os.path.join(tmp, "a-direct"))
        t_sweep, t_direct, c_sweep, c_direct = [], [], [], []
        for _ in range(reps):
            c0 = children_cpu()
            t_sweep.append(sweep(eligo, spec_a, os.path.join(tmp, "a-sweep"), 1))
            c_sweep.append(children_cpu() - c0)
            shutil.rmtree(os.path.join(tmp, "a-direct"), ignore_errors=True)
            c0, t0 = children_cpu(), time.monotonic()
            for c in cmds:
                run(c)
            t_direct.append(time.monotonic() - t0)
            c_direct.append(children_cpu() - c0)
        n = len(cmds)
        bs, bd = min(t_sweep), min(t_direct)
        overhead = (bs - bd) / bd
        cs, cd = min(c_sweep), min(c_direct)
        cpu_overhead = (cs - cd) / cd
        print(f"INFO (a) {n} chip inference points one at a time: eligo sweep --jobs 1 {bs:.2f} s "
              f"(runs {', '.join(f'{x:.2f}' for x in t_sweep)}), the same commands directly {bd:.2f} s "
              f"(runs {', '.join(f'{x:.2f}' for x in t_direct)}); best of {reps}")
        print(f"INFO     per point: sweep {bs / n:.3f} s, direct {bd / n:.3f} s, difference {(bs - bd) / n * 1000:+.0f} ms")
        print(f"INFO     CPU time (user + system, the sweep process and its points / the commands): sweep {cs:.2f} s, "
              f"direct {cd:.2f} s, {(cs - cd) / n * 1000:+.0f} ms per point ({100 * cpu_overhead:+.1f}%)")
        print(("PASS" if overhead < 0.05 else "MISS") + f" sweep overhead per point {100 * overhead:+.1f}% of the wall time "
              f"(target < 5%; CPU time {100 * cpu_overhead:+.1f}%)")

        # (b) speed-up of --jobs 2 over --jobs 1, and the machine's own for two copies of a point
        spec_b = os.path.join(HERE, "configs", "sweep_chip_8_seeds.json")
        t1, t2, seq, par = [], [], [], []
        sweep(eligo, spec_b, os.path.join(tmp, "b-warm"), 2)
        one = point_commands(eligo, os.path.join(tmp, "b-warm"), os.path.join(tmp, "b-copy"))[0]
        copies = [one[:-1] + [one[-1] + "-1"], one[:-1] + [one[-1] + "-2"]]
        conc = {1: [], 2: []}  # points running at once on average: sum of point wall times / sweep wall time
        for _ in range(reps_jobs):
            for jobs, ts in ((1, t1), (2, t2)):
                out = os.path.join(tmp, f"b-j{jobs}")
                ts.append(sweep(eligo, spec_b, out, jobs))
                pts = json.load(open(os.path.join(out, "sweep.json")))["points"]
                conc[jobs].append(sum(p["wall_s"] for p in pts) / ts[-1])
            seq.append(run(copies[0]) + run(copies[1]))
            par.append(run_parallel(copies))
        speedup = min(t1) / min(t2)
        base = min(seq) / min(par)
        same = json.load(open(os.path.join(tmp, "b-j1", "sweep.json")))["designs"] == \
            json.load(open(os.path.join(tmp, "b-j2", "sweep.json")))["designs"]
        print(f"INFO (b) 8 chip training points: --jobs 1 {min(t1):.1f} s, --jobs 2 {min(t2):.1f} s "
              f"(runs {', '.join(f'{x:.1f}' for x in t1)} / {', '.join(f'{x:.1f}' for x in t2)})")
        print(f"INFO     points running at once (sum of the points' wall times / the sweep's): --jobs 1 "
              f"{', '.join(f'{x:.2f}' for x in conc[1])}, --jobs 2 {', '.join(f'{x:.2f}' for x in conc[2])}")
        print(f"INFO     baseline, one point's command twice: one after another {min(seq):.1f} s, "
              f"at once {min(par):.1f} s: {base:.2f}x")
        print(("PASS" if speedup >= 1.8 else "MISS") + f" --jobs 2 / --jobs 1 speed-up {speedup:.2f}x (target >= 1.8x on "
              f"{cores} cores; the machine's own for two processes under this load: {base:.2f}x, the sweep gets "
              f"{100 * speedup / base:.0f}% of it)")
        print(("PASS" if same else "FAIL") + " the same design means with --jobs 1 and --jobs 2")
        load_after = load()
        print(f"INFO load average after: {load_after}")
        path = write_results(build, "sweep", {
            "cores": cores, "load_before": load_before, "load_after": load_after,
            "overhead": {"points": n, "reps": reps, "sweep_s": t_sweep, "direct_s": t_direct, "ratio": overhead,
                         "sweep_cpu_s": c_sweep, "direct_cpu_s": c_direct, "cpu_ratio": cpu_overhead},
            "speedup": {"points": 8, "reps": reps_jobs, "jobs1_s": t1, "jobs2_s": t2, "ratio": speedup,
                        "concurrency_jobs1": conc[1], "concurrency_jobs2": conc[2], "baseline_sequential_s": seq, "baseline_parallel_s": par, "baseline_ratio": base,
                        "same_results": same}})
        print(f"INFO wrote {path}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
