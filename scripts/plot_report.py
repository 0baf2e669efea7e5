#!/usr/bin/python3
"""PNG plots of a run directory (eligo chip + eligo report): energy breakdown by unit, cycles per
phase, learning curve. Usage: plot_report.py DIR"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_dir import check_complete  # noqa: E402


def save(fig, path):
    tmp = path + ".tmp.png"
    fig.savefig(tmp, dpi=110, bbox_inches="tight")
    plt.close(fig)
    os.replace(tmp, path)


def main():
    d = sys.argv[1]
    check_complete(d, "plot_report.py")
    r = json.load(open(os.path.join(d, "report.json")))
    e = json.load(open(os.path.join(d, "energy.json")))
    units = sorted(e["by_unit"].items(), key=lambda kv: -kv[1])
    # The leakage both ways: "leakage" over the busy cycles (in the total), and over the whole
    # real-time timesteps beside it (docs/energy.md).
    if "leakage_realtime_pj" in e:
        units = [("leakage (busy cycles)" if u == "leakage" else u, v) for u, v in units]
        units.append(("leakage (real time)", e["leakage_realtime_pj"]))
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    ax.barh([u for u, _ in units], [v * 1e-6 for _, v in units])
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("energy (uJ, log scale)")
    title = f"energy by unit ({e['node_nm']} nm"
    if "bands" in e:
        b = e["bands"]
        title += (f", {e['supply_v']:g} V): {e['pj_per_sop']:.4g} pJ/SOP ({b['pj_per_sop']['low']:.4g}..{b['pj_per_sop']['high']:.4g})"
                  f"\nreal time {e['realtime_power_uw']:.4g} uW ({b['realtime_power_uw']['low']:.4g}..{b['realtime_power_uw']['high']:.4g})")
        # Per training sample and per inference (eligo chip's counters_train), each with its band.
        per = [(name, e.get(k), b.get(k)) for name, k in (("training sample", "pj_per_training_sample"),
                                                          ("inference", "pj_per_inference"))]
        per = [f"per {name} {v * 1e-3:.4g} nJ ({bb['low'] * 1e-3:.4g}..{bb['high'] * 1e-3:.4g})"
               for name, v, bb in per if v]
        if per:
            title += "\n" + ", ".join(per)
    else:
        title += f"): {e['pj_per_sop']:.3g} pJ/SOP"
    ax.set_title(title, fontsize=9)
    save(fig, os.path.join(d, "energy_breakdown.png"))
    phases = [(k, v / r["timesteps"]) for k, v in r["cycles"].items() if k != "total" and v]
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.bar([k for k, _ in phases], [v for _, v in phases])
    ax.set_ylabel("cycles per timestep")
    # eligo cosim --activity's report.json has no sizes: they are in activity.json.
    act = os.path.join(d, "activity.json")
    sizes = r.get("sizes") or (json.load(open(act)).get("sizes") if os.path.exists(act) else None)
    ax.set_title(f"cycles per phase ({sizes['lanes']} lanes)" if sizes else "cycles per phase")
    save(fig, os.path.join(d, "cycles_per_phase.png"))
    sample = r.get("first_test_sample")
    if sample and sample["spikes"]:
        fig, (ax, ay) = plt.subplots(2, 1, figsize=(7, 4.5), sharex=True, gridspec_kw={"height_ratios": [3, 1]})
        ts = [t for t, s in enumerate(sample["spikes"]) for _ in s]
        js = [j for s in sample["spikes"] for j in s]
        ax.scatter(ts, js, s=1, c="k")
        ax.set_ylabel("neuron")
        ax.set_title("first test sample on the chip model: spikes and readouts")
        for k in range(len(sample["y"][0])):
            ay.plot([y[k] for y in sample["y"]], lw=0.8, label=f"y{k}")
        ay.set_xlabel("timestep")
        ay.set_ylabel("readout")
        ay.legend(fontsize=7)
        save(fig, os.path.join(d, "raster.png"))
    # eligo chip's curve has loss and accuracy; eligo cosim's has them per side ("rtl", "model").
    curve = [c if "loss" in c else dict(c, **c["rtl"]) for c in r.get("learning_curve") or [] if "loss" in c or "rtl" in c]
    if curve:
        fig, ax = plt.subplots(figsize=(6, 3))
        ax.plot([c["iteration"] for c in curve], [c["loss"] for c in curve], label="loss")
        ax2 = ax.twinx()
        ax2.plot([c["iteration"] for c in curve], [c["accuracy"] for c in curve], color="C1", label="accuracy")
        ax.set_xlabel("update")
        ax.set_ylabel("loss (MSE)")
        ax2.set_ylabel("training accuracy")
        ax.set_title("on-chip learning (bit-exact model)")
        save(fig, os.path.join(d, "learning_curve.png"))


if __name__ == "__main__":
    main()
