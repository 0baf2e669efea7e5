"""Overhead of the Python module's call path (python/, docs/python.md) against C++ on the bit-exact
chip model, 40-100-2 with 4 lanes, evidence accumulation (bench/configs/chip_train_40_100_2.json).

1. One chip training sample: `Chip.run_sample` called from Python against the command line's
   `eligo chip` (C++ throughout: its report's train wall time per sample).
2. Single-timestep steps: the host protocol driven from Python (start_sample, one `Chip.step`
   call per timestep with its input events, end_sample) against the same sample run by the C++
   loop (`Chip.run_sample`), on the same core state (restored before every repetition); per
   timestep, and for 100 timesteps. Target: Python stepping < 20% over C++.
3. The lock-step co-simulation: `eligo.cosim` against `eligo cosim --engine cc` on the demo's
   on-chip learning (examples/cosim_train_demo.json, 40-40-2 RTL, 1 iteration of 4 samples, 2 test
   samples): the run's wall time from both reports (equal reports but the wall times are checked);
   skipped when the build has no 40-40-2 model.

Every time is the minimum over repetitions (the machine is shared). Usage: bench_python.py BUILD_DIR
(PYTHONPATH is set to BUILD_DIR/python here; writes BUILD_DIR/bench/python.json).
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import benchlib

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = os.path.join(HERE, "configs", "chip_train_40_100_2.json")
COSIM_CONFIG = os.path.join(HERE, "..", "examples", "cosim_train_demo.json")
COSIM_ARGS = {"iterations": 1, "test_samples": 2}
COSIM_REPS = 3
WALL = ("wall_s", "sim_cycles_per_s", "wall_s_per_train_sample", "waveform", "config")
REPS = 5
TARGET = 0.20


def cli_seconds_per_sample(build):
    """eligo chip's training samples: wall time per sample (minimum over REPS runs)."""
    best = None
    with open(CONFIG) as f:
        cfg = json.load(f)
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(REPS):
            out = os.path.join(tmp, str(i))
            subprocess.run([os.path.join(build, "eligo"), "chip", "--config", CONFIG, "--out", out], check=True,
                           stdout=subprocess.DEVNULL)
            with open(os.path.join(out, "report.json")) as f:
                r = json.load(f)
            per = r["speed"]["train"]["wall_s"] / (cfg["iterations"] * cfg["batch_size"])
            best = per if best is None else min(best, per)
    return best


def main():
    build = os.path.abspath(sys.argv[1])
    sys.path.insert(0, os.path.join(build, "python"))
    try:
        import eligo  # noqa: E402 (the module of this build)
    except ImportError as e:
        print(f"INFO the Python module is not in {build}/python ({e}; configured with -DELIGO_PYTHON=OFF?): skipped")
        return

    import numpy as np

    chip = eligo.Chip(CONFIG)
    state = chip.save_state()
    chip.run_sample(0)  # materialises batch 0 (task generation is not timed)
    chip.restore_state(state)

    # 1. one training sample (learning on, UPDATE at the end) from Python
    py_sample = min(timed(lambda: chip.run_sample(0, update=True), chip, state) for _ in range(REPS))
    cpp_sample = cli_seconds_per_sample(build)

    # 2. the same sample step by step from Python, and by the C++ loop (no update: the steps only)
    with open(CONFIG) as f:
        net = eligo.Network(os.path.join(os.path.dirname(CONFIG), json.load(f)["network_config"]))
    x, target = net.batch(0)  # the chip's batch 0: the same task, seed and encoding (targets 0/1)
    T, lw = x.shape[1], chip.learning_window
    counts = x[0].astype(np.int64)
    events = [[i for i in range(counts.shape[1]) for _ in range(counts[t, i])] for t in range(T)]
    targets = [chip.target_raw(target[0, t]) for t in range(T)]
    valid = [t >= T - lw for t in range(T)]

    def by_steps():
        chip.start_sample()
        step = chip.step
        for t in range(T):
            step(events[t], targets[t], valid[t])
        chip.end_sample(False)

    py_steps = min(timed(by_steps, chip, state) for _ in range(REPS))
    after_py = chip.memory("STATE")
    cpp_steps = min(timed(lambda: chip.run_sample(0), chip, state) for _ in range(REPS))
    assert (chip.memory("STATE") == after_py).all(), "stepping from Python differs from run_sample"

    step_ratio = py_steps / cpp_steps - 1
    sample_ratio = py_sample / cpp_sample - 1
    print(f"INFO one training sample (T = {T}): Python Chip.run_sample {py_sample * 1e3:.2f} ms, "
          f"eligo chip (C++) {cpp_sample * 1e3:.2f} ms per sample: {sample_ratio * 100:+.1f}%")
    print(f"INFO 100 single-timestep steps: Python Chip.step loop {py_steps / T * 100 * 1e3:.3f} ms, "
          f"C++ loop {cpp_steps / T * 100 * 1e3:.3f} ms ({py_steps / T * 1e6:.1f} vs {cpp_steps / T * 1e6:.1f} us "
          f"per timestep)")
    verdict = "PASS" if step_ratio < TARGET else "MISS"
    print(f"{verdict} Python stepping overhead {step_ratio * 100:+.1f}% over C++ for a 40-100-2 timestep "
          f"(target < {TARGET * 100:.0f}%)")
    results = {
        "T": T, "sample_python_s": py_sample, "sample_cli_s": cpp_sample, "sample_overhead": sample_ratio,
        "step_python_s": py_steps / T, "step_cpp_s": cpp_steps / T, "step_overhead": step_ratio,
        "target": TARGET}
    results.update(cosim_overhead(build, eligo))
    benchlib.write_results(build, "python", results)


def cosim_overhead(build, eligo):
    """3. eligo.cosim against eligo cosim --engine cc: minimum run wall time of COSIM_REPS each."""
    sizes = {"n_in": 40, "n_rec": 40, "n_out": 2, "n_alif": 20, "lanes": 4, "synapse_traces": True}
    if not eligo.HAVE_COSIM or sizes not in eligo.COSIM_SIZES:
        print("INFO co-simulation: this build has no 40-40-2 RTL model (ELIGO_COSIM, ELIGO_RTL_MODELS): skipped")
        return {}
    py, cli = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(COSIM_REPS):
            out = os.path.join(tmp, str(i))
            subprocess.run([os.path.join(build, "eligo"), "cosim", "--config", COSIM_CONFIG, "--engine", "cc",
                            "--iterations", str(COSIM_ARGS["iterations"]), "--test-samples",
                            str(COSIM_ARGS["test_samples"]), "--out", out], check=True, stdout=subprocess.DEVNULL)
            with open(os.path.join(out, "report.json")) as f:
                c = json.load(f)
            r = eligo.cosim(COSIM_CONFIG, **COSIM_ARGS)
            assert all(r[k] == c[k] for k in c if k not in WALL), "eligo.cosim's report differs from eligo cosim's"
            cli.append(c["wall_s"])
            py.append(r["wall_s"])
    ratio = min(py) / min(cli) - 1
    print(f"INFO co-simulation ({r['timesteps']} timesteps, {r['rtl_cycles']} RTL cycles): eligo.cosim "
          f"{min(py):.3f} s, eligo cosim --engine cc {min(cli):.3f} s: {ratio * 100:+.1f}% (write hash "
          f"{r['write_hash']}, equal reports)")
    return {"cosim_python_s": min(py), "cosim_cli_s": min(cli), "cosim_overhead": ratio}


def timed(f, chip, state):
    chip.restore_state(state)
    t0 = time.perf_counter()
    f()
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
