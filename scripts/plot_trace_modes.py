#!/usr/bin/python3
"""Trace architectures side by side (issue 20): accuracy against cycles per training timestep and
against eligibility-trace memory, one point per mode (mean over the runs of that mode, bars from
the lowest to the highest run).

Usage: plot_trace_modes.py OUT.png RUN_DIR...
Each RUN_DIR holds an `eligo chip` / `eligo cosim` run, of ReckOn's benchmark (report.json with
`epochs`: accuracy and cycles of epoch 1) or of a batch-trained task such as evidence accumulation
(report.json `accuracy`, `speed.train.cycles_per_timestep`), and the chip config it ran
(config.json: chip.trace, chip.trace_pre_steps, chip.adapt_block). Trace memory
bits are spec/chip.toml's widths and depths of EPSV, EPSA, EBAR and ZBAR at the run's sizes, or of
EPSV and ZBAR only for `factored` (what a factored-only build keeps; today's RTL, which runs every
mode, still instantiates EPSA and EBAR).
"""
import json
import os
import statistics
import sys
import tomllib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_dir import check_complete  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRACE_MEMORIES = ("EPSV", "EPSA", "EBAR", "ZBAR")
FACTORED_MEMORIES = ("EPSV", "ZBAR")
WEIGHT_MEMORIES = ("W_IN", "W_REC", "W_OUT")


def memory_bits(names, sizes):
    with open(os.path.join(REPO, "spec", "chip.toml"), "rb") as f:
        spec = tomllib.load(f)
    v = {"NI": sizes["n_in"], "NR": sizes["n_rec"], "NO": sizes["n_out"], "NA": sizes["n_alif"]}
    v["NP"] = v["NI"] + v["NR"]
    return sum(m["bits"] * eval(m["depth"], {"__builtins__": {}}, v) for m in spec["memories"] if m["name"] in names)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, dirs = sys.argv[1], sys.argv[2:]
    modes = {}
    for d in dirs:
        check_complete(d, "plot_trace_modes.py")
        with open(os.path.join(d, "config.json")) as f:
            chip = json.load(f)["chip"]
        with open(os.path.join(d, "report.json")) as f:
            r = json.load(f)
        label = chip.get("trace", "exact")
        if label == "windowed":
            label += f" {chip.get('trace_pre_steps', 100)}"
            if chip.get("adapt_block", 0) > 0:
                label += f", blocks {chip['adapt_block']}"
        m = modes.setdefault(label, {"acc": [], "cycles": [], "sizes": r["sizes"]})
        reckon = "epochs" in r
        title = "ReckOn's cue-accumulation benchmark" if reckon else os.path.basename(r.get("config", "")) or "task"
        m["acc"].append(r["epochs"][0]["test_accuracy"] if reckon else r["accuracy"])
        m["cycles"].append(r["epochs"][0]["cycles_per_timestep_train"] if reckon else r["speed"]["train"]["cycles_per_timestep"])
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
    for label, m in sorted(modes.items()):
        acc = statistics.mean(m["acc"])
        err = [[acc - min(m["acc"])], [max(m["acc"]) - acc]]
        weights = memory_bits(WEIGHT_MEMORIES, m["sizes"])
        kept = FACTORED_MEMORIES if label == "factored" else TRACE_MEMORIES
        mem = 100.0 * memory_bits(kept, m["sizes"]) / weights
        for ax, x in ((axes[0], statistics.mean(m["cycles"])), (axes[1], mem)):
            ax.errorbar([x], [acc], yerr=err, fmt="o", capsize=4, label=f"{label} ({len(m['acc'])} runs)")
            ax.annotate(label, (x, acc), textcoords="offset points", xytext=(6, 6))
    axes[0].axvline(380, color="grey", linestyle="--", linewidth=1, label="ReckOn (its RTL): 380")
    axes[0].set_xscale("log")
    axes[0].set_xlabel("cycles per training timestep")
    axes[1].set_xlabel("eligibility-trace memory, % of the weight memory")
    axes[0].set_ylabel("test accuracy after epoch 1" if reckon else "test accuracy")
    axes[0].legend(fontsize=8)
    fig.suptitle(f"Trace architectures on {title}")
    fig.tight_layout()
    tmp = out + ".tmp.png"
    fig.savefig(tmp, dpi=120)
    os.replace(tmp, out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
