"""Speed of the bit-exact chip model (golden_model/chip) on evidence accumulation, 40-100-2.

Runs `eligo chip` for inference and for training (DEEP R on) and prints timesteps per second,
cycles per timestep by phase, and the float reference's speed on the same task for scale
(timesteps per second of `eligo train` e-prop, from bench_float's configuration).
Usage: bench_chip.py BUILD_DIR   (writes BUILD_DIR/bench/chip.json)
"""
import json
import os
import subprocess
import sys
import tempfile

import benchlib

HERE = os.path.dirname(os.path.abspath(__file__))


def run_chip(build, cfg, out):
    subprocess.run([os.path.join(build, "eligo"), "chip", "--config", os.path.join(HERE, "configs", cfg),
                    "--out", out], check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "report.json")) as f:
        return json.load(f)


def main():
    build = sys.argv[1]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for mode, cfg in (("inference", "chip_inference_40_100_2.json"), ("training", "chip_train_40_100_2.json")):
            r = run_chip(build, cfg, os.path.join(tmp, mode))
            steps = r["timesteps"]
            speed = r["speed"]["train" if mode == "training" else "test"]
            # Cycles per timestep by phase over the whole run (training runs also hold test samples).
            per_phase = {k: v / steps for k, v in r["cycles"].items() if k != "total" and v}
            results[mode] = {"timesteps": speed["timesteps"], "wall_s": speed["wall_s"],
                             "timesteps_per_s": speed["timesteps_per_s"],
                             "cycles_per_timestep": r["cycles_per_timestep"], "cycles_per_timestep_by_phase": per_phase}
            print(f"INFO chip model {mode} 40-100-2 (4 lanes): {speed['timesteps_per_s']:.0f} timesteps/s "
                  f"({speed['timesteps']} timesteps in {speed['wall_s']:.2f} s)")
            print("INFO   cycles/timestep by phase: " +
                  ", ".join(f"{k} {v:.1f}" for k, v in per_phase.items()))
    benchlib.write_results(build, "chip", results)


if __name__ == "__main__":
    main()
