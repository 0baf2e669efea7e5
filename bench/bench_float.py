#!/usr/bin/python3
"""Float golden-model benchmark: time per training iteration, peak memory against T, and the
speed of eligo's BPTT against the same BPTT in PyTorch.

Usage: bench/bench_float.py BUILD_DIR [--iterations N] [--torch-iterations N]

  1. Time per training iteration, evidence accumulation 40-100-2 (50 LIF + 50 ALIF), T = 2250,
     batch 64 (bench/configs/ea_40_100_2.json), e-prop and BPTT: `eligo train --iterations N`,
     wall_s_per_iteration from metrics.json (test_batches = 0, so it is training only; it includes
     the generation of each iteration's input batch, which is part of an eligo iteration).
  2. Peak memory (max RSS of the child process, from wait4) of one gradient computation of
     BPTT and e-prop (`eligo grad`: batch generation, forward pass and gradients, i.e. a training
     iteration without the optimizer step, whose Adam moments are two weight-sized matrices) for
     T = 500, 2000, 8000 (bench/configs/mem_T*.json: the same network and batch, evidence
     accumulation with 2 cues and the delay stretched). `eligo train` is not used here: after
     training it records a test sequence for plots (a T-long recording). Evidence-accumulation
     batches are streamed (drawn step by step), so no T-long input is stored by e-prop; BPTT keeps
     z, psi, err and the input of every step. Target: e-prop's peak at T = 8000 within 1.2x of
     its T = 500 peak, and BPTT's peak grows with T.
  3. PyTorch (bench/torch_lsnn.py: same dynamics, float64, 2 threads) time per BPTT iteration
     (forward + backward + Adam) at the sizes of 1; speed-up = torch / eligo BPTT, target >= 3x.
     Before timing, the PyTorch gradients on one batch are checked against `eligo grad` on the
     same batch and weights (files task), so both sides compute the same thing.

Prints PASS/MISS lines with the measured numbers and writes BUILD_DIR/bench/float.json. Exits
non-zero only if a program crashes (eligo, PyTorch), never because a target is missed (a failed
PyTorch/eligo gradient check is reported as a FAIL line, also with exit status 0).
"""
import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIGS = os.path.join(HERE, "configs")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
MEM_T = (500, 2000, 8000)
MEM_TARGET = 1.2     # e-prop peak(T=8000) / peak(T=500) must be <= this
SPEEDUP_TARGET = 3.0
GRAD_TOL = 1e-9      # max |dW_torch - dW_eligo| / max |dW_eligo|

summary = []  # (verdict, text)


class Crash(Exception):
    pass


def verdict(ok, text):
    v = "PASS" if ok else "MISS"
    summary.append((v, text))
    print(f"{v} {text}", flush=True)


def run(cmd, log_path):
    """Run cmd with stdout+stderr to log_path; returns (seconds, max RSS in bytes)."""
    with open(log_path, "w") as log:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        _, status, ru = os.wait4(p.pid, 0)
        dt = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        with open(log_path, errors="replace") as f:
            tail = f.read()[-3000:]
        raise Crash(f"{' '.join(cmd)} exited with {p.returncode}; output ends with:\n{tail}")
    return dt, ru.ru_maxrss * 1024  # Linux: ru_maxrss in KiB


def load_json(path):
    with open(path) as f:
        return json.load(f)


def mb(x):
    return x / 2**20


def machine_info():
    info = {"nproc": os.cpu_count(), "platform": platform.platform()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return info


def bench_time(eligo, work, iterations, res):
    print("\n== 1. Time per training iteration: evidence accumulation 40-100-2, T = 2250, "
          "batch 64 ==", flush=True)
    cfg_path = os.path.join(CONFIGS, "ea_40_100_2.json")
    out = {}
    for algo in ("eprop", "bptt"):
        d = os.path.join(work, f"time_{algo}")
        wall, rss = run([eligo, "train", "--config", cfg_path, "--algo", algo, "--iterations",
                         str(iterations), "--out", d], os.path.join(work, f"time_{algo}.log"))
        m = load_json(os.path.join(d, "metrics.json"))
        out[algo] = {"s_per_iteration": m["wall_s_per_iteration"], "wall_s": m["wall_s"],
                     "process_s": wall, "iterations": iterations, "peak_rss_bytes": rss,
                     "firing_rate_hz": m.get("firing_rate_hz"), "loss": m.get("loss")}
        rate = sum(m["firing_rate_hz"]) / len(m["firing_rate_hz"])
        print(f"  {algo:6s} {m['wall_s_per_iteration']:8.3f} s/iteration  ({iterations} iterations, "
              f"{m['wall_s']:.2f} s; peak RSS {mb(rss):.0f} MiB; rate {rate:.1f} Hz)", flush=True)
    res["time_per_iteration"] = out
    print(f"  e-prop / BPTT time ratio: {out['eprop']['s_per_iteration'] / out['bptt']['s_per_iteration']:.2f}")
    return out


def bench_memory(eligo, work, res):
    print("\n== 2. Peak memory vs sequence length T (40-100-2, batch 64, `eligo grad`) ==",
          flush=True)
    rows = {}
    for T in MEM_T:
        cfg_path = os.path.join(CONFIGS, f"mem_T{T}.json")
        cfg = load_json(cfg_path)
        t = cfg["task"]
        got_T = t["n_cues"] * t["t_cue_spacing"] + t["t_delay"] + t["t_recall"]
        if got_T != T:
            raise Crash(f"{cfg_path}: T is {got_T}, expected {T}")
        row = {}
        for algo in ("bptt", "eprop"):
            d = os.path.join(work, f"mem_{algo}_T{T}")
            wall, rss = run([eligo, "grad", "--config", cfg_path, "--algo", algo, "--out", d],
                            os.path.join(work, f"mem_{algo}_T{T}.log"))
            row[algo] = {"peak_rss_bytes": rss, "process_s": wall}
        rows[T] = row
    _, base = run([eligo, "train", "--help"], os.path.join(work, "base.log"))
    t0 = MEM_T[0]
    print(f"  {'T':>5s} | {'BPTT peak':>10s} {'ratio':>6s} | {'e-prop peak':>11s} {'ratio':>6s}")
    for T, row in rows.items():
        bp, ep = row["bptt"]["peak_rss_bytes"], row["eprop"]["peak_rss_bytes"]
        row["bptt"]["ratio"] = bp / rows[t0]["bptt"]["peak_rss_bytes"]
        row["eprop"]["ratio"] = ep / rows[t0]["eprop"]["peak_rss_bytes"]
        print(f"  {T:5d} | {mb(bp):8.1f}MB {row['bptt']['ratio']:5.2f}x | {mb(ep):9.1f}MB "
              f"{row['eprop']['ratio']:5.2f}x")
    print(f"  (peak = max RSS of the eligo process; base process without a run: {mb(base):.1f} MB)")
    res["memory"] = {"T": list(MEM_T), "rows": {str(T): r for T, r in rows.items()},
                     "base_rss_bytes": base}
    T1 = MEM_T[-1]
    ep_ratio = rows[T1]["eprop"]["ratio"]
    bp_ratio = rows[T1]["bptt"]["ratio"]
    bptt_grows = all(rows[a]["bptt"]["peak_rss_bytes"] < rows[b]["bptt"]["peak_rss_bytes"]
                     for a, b in zip(MEM_T, MEM_T[1:])) and bp_ratio > MEM_TARGET
    verdict(ep_ratio <= MEM_TARGET and bptt_grows,
            f"memory: e-prop peak T={T1} / T={t0} = {ep_ratio:.2f}x (target <= {MEM_TARGET}x), "
            f"BPTT {bp_ratio:.2f}x ({'grows' if bptt_grows else 'does not grow'})")
    res["memory"]["verdict"] = {"eprop_ratio": ep_ratio, "bptt_ratio": bp_ratio,
                                "target": MEM_TARGET,
                                "pass": ep_ratio <= MEM_TARGET and bptt_grows}


def grad_check(eligo, work, res):
    """PyTorch and eligo BPTT gradients on the same batch and weights."""
    import numpy as np
    cfg_path = os.path.join(CONFIGS, "ea_40_100_2.json")
    case = os.path.join(work, "case")
    run([PYTHON, os.path.join(HERE, "torch_lsnn.py"), "--config", cfg_path, "--case", case],
        os.path.join(work, "torch_case.log"))
    cfg = load_json(cfg_path)
    cfg["task"] = {"type": "files", "inputs": os.path.join(case, "inputs.npy"),
                   "targets": os.path.join(case, "targets.npy"), "test_batches": 0}
    cfg.setdefault("init", {})["weights"] = os.path.join(case, "weights.npz")
    files_cfg = os.path.join(work, "case_files.json")
    with open(files_cfg, "w") as f:
        json.dump(cfg, f, indent=2)
    d = os.path.join(work, "case_eligo")
    run([eligo, "grad", "--config", files_cfg, "--algo", "bptt", "--out", d],
        os.path.join(work, "eligo_grad.log"))
    a = np.load(os.path.join(case, "torch_grads.npz"))
    b = np.load(os.path.join(d, "grads.npz"))
    rel = max(float(np.abs(a[k] - b[k]).max()) / max(float(np.abs(b[k]).max()), 1e-300)
              for k in ("dW_in", "dW_rec", "dW_out"))
    ok = rel <= GRAD_TOL
    print(f"  gradient check (one batch, same weights): max |dW_torch - dW_eligo| / max |dW_eligo|"
          f" = {rel:.2e} -> {'same BPTT' if ok else 'DIFFERENT'}", flush=True)
    res["torch"]["grad_check_rel_err"] = rel
    for f in ("inputs.npy", "targets.npy"):  # the raster is large; the gradients stay
        os.remove(os.path.join(case, f))
    if not ok:
        summary.append(("FAIL", f"PyTorch/eligo gradient check: relative error {rel:.2e} > {GRAD_TOL}"))
        print(f"FAIL PyTorch/eligo gradient check: relative error {rel:.2e} > {GRAD_TOL}")


def bench_torch(eligo, work, iterations, eligo_bptt_s, res):
    print("\n== 3. PyTorch BPTT (float64, CPU, 2 threads), same network, T = 2250, batch 64 ==",
          flush=True)
    try:
        subprocess.run([PYTHON, "-c", "import torch, numpy"], check=True, capture_output=True)
    except subprocess.CalledProcessError as e:
        raise Crash(f"{PYTHON} cannot import torch/numpy (scripts/install-deps.sh --with-bench "
                    f"installs python3-torch): {e.stderr.decode(errors='replace')[-500:]}")
    res["torch"] = {}
    grad_check(eligo, work, res)
    out_json = os.path.join(work, "torch.json")
    run([PYTHON, os.path.join(HERE, "torch_lsnn.py"), "--config",
         os.path.join(CONFIGS, "ea_40_100_2.json"), "--iterations", str(iterations),
         "--warmup", "1", "--threads", "2", "--json", out_json], os.path.join(work, "torch.log"))
    t = load_json(out_json)
    res["torch"].update(t)
    ts = t["s_per_iteration"]
    speedup = ts / eligo_bptt_s
    res["torch"]["speedup"] = speedup
    rate = sum(t["firing_rate_hz"]) / len(t["firing_rate_hz"])
    print(f"  torch  {ts:8.3f} s/iteration  (median of {iterations} after 1 warm-up; forward "
          f"{t['forward_s']:.3f} s, backward {t['backward_s']:.3f} s; rate {rate:.1f} Hz; "
          f"input {t['input_rate_hz']:.1f} Hz)")
    print(f"  torch {t['torch']}, BLAS: {', '.join(t['blas']) or 'unknown'}")
    print(f"  eligo  {eligo_bptt_s:8.3f} s/iteration  (BPTT, single thread, from section 1)",
          flush=True)
    verdict(speedup >= SPEEDUP_TARGET,
            f"speed-up vs PyTorch BPTT: {speedup:.2f}x (torch {ts:.3f} s / eligo {eligo_bptt_s:.3f} s "
            f"per iteration; target >= {SPEEDUP_TARGET:.0f}x)")


def main():
    ap = argparse.ArgumentParser(description="float golden-model benchmark")
    ap.add_argument("build_dir")
    ap.add_argument("--iterations", type=int, default=3, help="eligo training iterations timed")
    ap.add_argument("--torch-iterations", type=int, default=3, help="PyTorch iterations timed")
    args = ap.parse_args()
    eligo = os.path.join(os.path.abspath(args.build_dir), "eligo")
    if not os.access(eligo, os.X_OK):
        print(f"bench_float: {eligo} not found (build first: make build)", file=sys.stderr)
        return 2
    out_dir = os.path.join(os.path.abspath(args.build_dir), "bench")
    work = os.path.join(out_dir, "float_work")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    res = {"machine": machine_info(), "load_avg_start": os.getloadavg(),
           "started": time.strftime("%Y-%m-%dT%H:%M:%S")}
    print(f"bench_float: {eligo}; {res['machine'].get('cpu', '?')}, {res['machine']['nproc']} cores, "
          f"load average {res['load_avg_start'][0]:.2f}")
    t_start = time.perf_counter()
    try:
        times = bench_time(eligo, work, args.iterations, res)
        bench_memory(eligo, work, res)
        bench_torch(eligo, work, args.torch_iterations, times["bptt"]["s_per_iteration"], res)
    except Crash as e:
        print(f"bench_float: CRASH: {e}", file=sys.stderr)
        return 1
    finally:
        res["load_avg_end"] = os.getloadavg()
        res["bench_s"] = time.perf_counter() - t_start
        res["summary"] = [f"{v} {t}" for v, t in summary]
        with open(os.path.join(out_dir, "float.json"), "w") as f:
            json.dump(res, f, indent=2)
    print(f"\nbench_float: {res['bench_s']:.0f} s, load average at the end "
          f"{res['load_avg_end'][0]:.2f}; wrote {os.path.join(out_dir, 'float.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
