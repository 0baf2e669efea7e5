"""Co-simulation speed (issue 4): simulated cycles per wall second of the same run on Verilator
--cc, Verilator --sc inside the SystemC top (with and without the scoreboard) and Icarus Verilog;
and the bit-exact model's speed over the RTL's in timesteps per second.

The run: examples/cosim_demo.json (40-40-2, 4 lanes, random initial weights), N samples of
evidence accumulation (T = 610). `eligo cosim --record` writes its input pins; the replays drive
the same pins into the RTL alone (no model, no checks), so every engine simulates the same cycles.
Usage: bench_cosim.py BUILD_DIR [SAMPLES]    (writes BUILD_DIR/bench/cosim.json)
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import benchlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CONFIG = os.path.join(ROOT, "examples", "cosim_demo.json")
with open(os.path.join(ROOT, "rtl", "files.f")) as _f:
    RTL = [ln.strip() for ln in _f if ln.strip() and not ln.startswith("#")] + ["tb/eligo_tb.sv"]


def eligo(build, *args):
    subprocess.run([os.path.join(build, "eligo"), *args], check=True, stdout=subprocess.DEVNULL)


def report(path):
    with open(os.path.join(path, "report.json")) as f:
        return json.load(f)


def line(ok, text):
    print(("PASS " if ok else "MISS ") + text)


def main():
    build = sys.argv[1]
    samples = sys.argv[2] if len(sys.argv) > 2 else "2"
    res = {}
    with tempfile.TemporaryDirectory() as tmp:
        stim = os.path.join(tmp, "stim.hex")
        eligo(build, "cosim", "--config", CONFIG, "--engine", "cc", "--samples", samples, "--out",
              os.path.join(tmp, "cc"), "--record", stim)
        cc = report(os.path.join(tmp, "cc"))
        eligo(build, "cosim", "--config", CONFIG, "--engine", "systemc", "--samples", samples, "--out",
              os.path.join(tmp, "sc"))
        sc = report(os.path.join(tmp, "sc"))
        for eng in ("cc", "systemc"):
            eligo(build, "cosim", "--config", CONFIG, "--engine", eng, "--out", os.path.join(tmp, "r" + eng),
                  "--replay", stim)
        rcc, rsc = report(os.path.join(tmp, "rcc")), report(os.path.join(tmp, "rsystemc"))
        cycles = rcc["cycles"]
        # Icarus: the same pins through rtl/tb/eligo_tb.sv.
        sim = os.path.join(tmp, "sim")
        subprocess.run(["iverilog", "-g2012", "-o", sim, "-P", "eligo_tb.NumIn=40", "-P", "eligo_tb.NumRec=40",
                        "-P", "eligo_tb.NumOut=2", "-P", "eligo_tb.NumAlif=20", "-P", "eligo_tb.Lanes=4",
                        *[os.path.join(ROOT, "rtl", f) for f in RTL]], check=True, stderr=subprocess.DEVNULL)
        t0 = time.monotonic()
        out = subprocess.run(["vvp", "-n", sim, f"+stim={stim}", f"+n={cycles}"], check=True,
                             capture_output=True, text=True).stdout
        icarus_s = time.monotonic() - t0
        icarus_spikes = sum(1 for l in out.splitlines() if l.startswith("spike "))
        # The model alone on the same task (inference), timesteps per second.
        chip_cfg = os.path.join(tmp, "chip.json")
        with open(chip_cfg, "w") as f:
            json.dump({"network_config": os.path.join(ROOT, "examples", "evidence_accumulation_demo.json"),
                       "mode": "inference", "test_batches": 1, "chip": {"lanes": 4}}, f)
        eligo(build, "chip", "--config", chip_cfg, "--out", os.path.join(tmp, "chip"))
        model = report(os.path.join(tmp, "chip"))

    steps = cc["timesteps"]
    cps = {"verilator_cc": rcc["sim_cycles_per_s"], "verilator_sc": rsc["sim_cycles_per_s"],
           "icarus": cycles / icarus_s,
           "verilator_cc_scoreboard": cc["sim_cycles_per_s"], "verilator_sc_scoreboard": sc["sim_cycles_per_s"]}
    rtl_steps_per_s = rcc["sim_cycles_per_s"] * steps / cycles
    res = {"cycles": cycles, "timesteps": steps, "cycles_per_s": cps, "icarus_spikes": icarus_spikes,
           "verilator_spikes": rcc["spikes"], "model_timesteps_per_s": model["speed"]["test"]["timesteps_per_s"],
           "rtl_timesteps_per_s": rtl_steps_per_s}
    for k, v in cps.items():
        print(f"INFO {k:>24}: {v:12.0f} simulated cycles/s")
    ratio = cps["verilator_cc"] / cps["icarus"]
    line(ratio >= 50, f"Verilator --cc / Icarus = {ratio:.1f}x (target >= 50x; same {cycles} cycles, "
                      f"spikes {rcc['spikes']} vs {icarus_spikes})")
    overhead = cps["verilator_sc"] / cps["verilator_sc_scoreboard"]
    line(overhead <= 1.5, f"scoreboard overhead on the SystemC engine = {overhead:.2f}x (target <= 1.5x; "
                          f"with the bit-exact model, every write, the state at every timestep)")
    overhead_cc = cps["verilator_cc"] / cps["verilator_cc_scoreboard"]
    print(f"INFO scoreboard overhead on the --cc engine = {overhead_cc:.2f}x")
    speed = res["model_timesteps_per_s"] / rtl_steps_per_s
    line(speed >= 100, f"bit-exact model / RTL (--cc) = {speed:.1f}x in timesteps/s "
                       f"({res['model_timesteps_per_s']:.0f} vs {rtl_steps_per_s:.0f}; target >= 100x)")
    benchlib.write_results(build, "cosim", res)


if __name__ == "__main__":
    main()
