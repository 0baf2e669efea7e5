"""Trace architectures (issue 20, docs/architecture.md "Trace architectures"): cycles per training
timestep of each chip trace mode, on the bit-exact model (equal to the RTL in lock-step).

- ReckOn's cue-accumulation benchmark (40-100-2, 100 LIF, T 2250, learning window 150), 4 lanes,
  one epoch: exact traces against windowed traces on the learning window only; target for the
  windowed mode: <= 380 cycles per training timestep (ReckOn's own RTL, measured here). Needs
  ReckOn's data: $ELIGO_SHARED_DATA/reckon-cue-accumulation or ../shared/data beside the repository.
- The ALIF network at 40-100-2 (bench/configs/chip_train_40_100_2.json: 50 ALIF, full-size evidence
  accumulation, T 2250, window 150), 4 lanes: exact against windowed 300 steps before the window
  (the span that kept the float reference's accuracy on the reduced task, docs/results.md) and
  windowed 50 with ALIF's eps_a kept in adaptation blocks of 16 steps before that (the mode that
  keeps exact's accuracy on the chip, docs/architecture.md "Adaptation blocks"); target for the
  best approximate mode: no more than twice ReckOn's 380.
- Simulation speed: one epoch of ReckOn's benchmark on the RTL in lock-step with the model
  (`eligo cosim --engine cc`, the verilated 40-100-2 model, 16 lanes, windowed traces on the
  learning window), wall seconds per training sample; target <= 1.4 s, a fifth of the 7.1 s that
  ReckOn's own RTL takes under Verilator on this machine kind (issue 20). Baseline in the same
  run: the bit-exact model alone on the same epoch.
Accuracy by mode over seeds is `make regress`'s (scripts/regress.sh), not a benchmark's.
Usage: bench_trace_modes.py BUILD_DIR   (writes BUILD_DIR/bench/trace_modes.json)
"""
import json
import os
import subprocess
import sys
import tempfile

import benchlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
RECKON_CYCLES = 380
RTL_SAMPLE_S = 1.4   # target: wall seconds per lock-step training sample
RECKON_RTL_S = 7.1   # ReckOn's own RTL under Verilator, its ported testbench (issue 20)


def chip_run(build, cfg, out, extra):
    subprocess.run([os.path.join(build, "eligo"), "chip", "--config", cfg, "--out", out] + extra, check=True,
                   stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "report.json")) as f:
        return json.load(f)


def cosim_run(build, cfg, out, extra):
    subprocess.run([os.path.join(build, "eligo"), "cosim", "--config", cfg, "--engine", "cc", "--out", out] + extra,
                   check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "report.json")) as f:
        return json.load(f)


def configured(src, dst, chip, **top):
    with open(src) as f:
        c = json.load(f)
    c["chip"].update(chip)
    c.update(top)
    with open(dst, "w") as f:
        json.dump(c, f)
    return dst


def main():
    build = sys.argv[1]
    results = {}
    shared = os.environ.get("ELIGO_SHARED_DATA", os.path.join(os.path.dirname(REPO), "shared", "data"))
    data = os.path.join(shared, "reckon-cue-accumulation")
    with tempfile.TemporaryDirectory() as tmp:
        if os.path.isdir(data):
            reckon = {}
            for mode, chip in (("exact", {"trace": "exact"}), ("windowed 0", {"trace": "windowed", "trace_pre_steps": 0})):
                cfg = os.path.join(tmp, "reckon.json")
                with open(os.path.join(REPO, "examples", "reckon_cue_accumulation.json")) as f:
                    task = json.load(f)["task"]
                task["data_dir"] = data
                configured(os.path.join(REPO, "examples", "reckon_cue_accumulation.json"), cfg, dict(chip, lanes=4), task=task)
                r = chip_run(build, cfg, os.path.join(tmp, "r" + mode[0]), ["--epochs", "1"])
                reckon[mode] = r["epochs"][0]["cycles_per_timestep_train"]
                print(f"INFO ReckOn's benchmark, 4 lanes, trace {mode}: {reckon[mode]:.1f} cycles per training timestep")
            w = reckon["windowed 0"]
            print(f"INFO windowed / exact: {w / reckon['exact']:.3f}")
            print(("PASS" if w <= RECKON_CYCLES else "MISS") +
                  f" ReckOn's benchmark with windowed traces: {w:.1f} cycles per training timestep (target <= {RECKON_CYCLES})")
            results["reckon"] = reckon
            # The RTL in lock-step: the verilated 16-lane model, windowed traces on the window.
            configured(os.path.join(REPO, "examples", "reckon_cue_accumulation.json"), cfg,
                       {"trace": "windowed", "trace_pre_steps": 0, "lanes": 16}, task=task)
            model = chip_run(build, cfg, os.path.join(tmp, "m16"), ["--epochs", "1"])["epochs"][0]
            rtl = cosim_run(build, cfg, os.path.join(tmp, "c16"), ["--epochs", "1"])["epochs"][0]
            s_rtl, s_model = rtl["wall_s_per_train_sample"], model["wall_s_per_train_sample"]
            print(f"INFO ReckOn's benchmark, 16 lanes, windowed 0: {s_rtl:.2f} s per training sample on the RTL in "
                  f"lock-step, {s_model:.3f} s on the model alone (RTL / model {s_rtl / s_model:.0f}x); "
                  f"ReckOn's RTL {RECKON_RTL_S} s ({RECKON_RTL_S / s_rtl:.1f}x slower)")
            print(("PASS" if s_rtl <= RTL_SAMPLE_S else "MISS") +
                  f" RTL training sample in lock-step: {s_rtl:.2f} s (target <= {RTL_SAMPLE_S})")
            results["rtl_s_per_train_sample"] = {"rtl_lockstep": s_rtl, "model": s_model}
        else:
            print(f"INFO ReckOn's data not found at {data}: its part is skipped")
        alif = {}
        for mode, chip in (("exact", {"trace": "exact"}), ("windowed 300", {"trace": "windowed", "trace_pre_steps": 300}),
                           ("windowed 50, blocks 16", {"trace": "windowed", "trace_pre_steps": 50, "adapt_block": 16})):
            cfg = configured(os.path.join(HERE, "configs", "chip_train_40_100_2.json"), os.path.join(HERE, "configs", ".trace_tmp.json"), chip)
            try:
                r = chip_run(build, cfg, os.path.join(tmp, "a" + mode[0]), [])
            finally:
                os.remove(cfg)
            alif[mode] = r["speed"]["train"]["cycles_per_timestep"]
            print(f"INFO ALIF 40-100-2, 4 lanes, trace {mode}: {alif[mode]:.1f} cycles per training timestep")
        results["alif"] = alif
        for mode in ("windowed 300", "windowed 50, blocks 16"):
            print(f"INFO {mode} / exact: {alif[mode] / alif['exact']:.3f}")
        best = alif["windowed 50, blocks 16"]
        print(("PASS" if best <= 2 * RECKON_CYCLES else "MISS") +
              f" ALIF 40-100-2 with windowed traces and adaptation blocks: {best:.1f} cycles per training timestep "
              f"(target <= {2 * RECKON_CYCLES})")
    benchlib.write_results(build, "trace_modes", results)


if __name__ == "__main__":
    main()
