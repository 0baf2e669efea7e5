#!/usr/bin/python3
"""Pareto fronts of an `eligo sweep` (issue 17): accuracy against each cost metric of the sweep,
one marker per design point (mean over its seeds, bars +- one standard deviation, seeds as small
dots), the Pareto-optimal design points (no other point both more accurate and cheaper) joined
and highlighted.

Usage: plot_sweep.py SWEEP_DIR [--accuracy NAME] [--cost NAME ...] [--out PNG]
SWEEP_DIR holds sweep.json. The accuracy metric defaults to "accuracy"; the cost metrics default
to those of cycles_per_timestep, energy_pj_per_sample, memory_bytes the sweep collected. The PNG
(default SWEEP_DIR/pareto.png) is written atomically. Prints the front of each cost.
"""
import argparse
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

DEFAULT_COSTS = ("cycles_per_timestep", "energy_pj_per_sample", "memory_bytes")


def label_of(axes):
    return ", ".join(f"{k.split('.')[-1]}={v}" for k, v in axes.items()) or "all"


def pareto_front(items):
    """items: (cost, accuracy, label); the ones no other item dominates (cost <= and accuracy >=,
    one strictly), by increasing cost."""
    front = []
    for c, a, lab in items:
        dominated = any(c2 <= c and a2 >= a and (c2 < c or a2 > a) for c2, a2, _ in items)
        if not dominated:
            front.append((c, a, lab))
    return sorted(front)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sweep_dir")
    ap.add_argument("--accuracy", default="accuracy")
    ap.add_argument("--cost", action="append")
    ap.add_argument("--out")
    a = ap.parse_args()
    with open(os.path.join(a.sweep_dir, "sweep.json")) as f:
        res = json.load(f)
    if a.accuracy not in res["metrics"]:
        sys.exit(f"plot_sweep.py: the sweep has no metric {a.accuracy!r} (has {res['metrics']})")
    costs = a.cost or [c for c in DEFAULT_COSTS if c in res["metrics"]]
    missing = [c for c in costs if c not in res["metrics"]]
    if not costs or missing:
        sys.exit(f"plot_sweep.py: no cost metric {missing or list(DEFAULT_COSTS)} in the sweep (has {res['metrics']})")
    seed_axis = res["seed_axis"]
    fig, axs = plt.subplots(1, len(costs), figsize=(5.5 * len(costs), 4.5), squeeze=False)
    for ax, cost in zip(axs[0], costs):
        items = []
        for d in res["designs"]:
            m = d["metrics"]
            if m[a.accuracy]["mean"] is None or m[cost]["mean"] is None:
                continue
            items.append((m[cost]["mean"], m[a.accuracy]["mean"], label_of(d["axes"])))
            ax.errorbar([m[cost]["mean"]], [m[a.accuracy]["mean"]], yerr=[m[a.accuracy]["std"] or 0],
                        xerr=[m[cost]["std"] or 0], fmt="o", color="tab:gray", capsize=3, zorder=2)
            seeds = [p for p in res["points"] if p["status"] == "ok" and
                     {k: v for k, v in p["axes"].items() if k != seed_axis} == d["axes"]]
            ax.scatter([p["metrics"][cost] for p in seeds], [p["metrics"][a.accuracy] for p in seeds], s=8,
                       color="tab:gray", alpha=0.5, zorder=1)
        front = pareto_front(items)
        ax.plot([c for c, _, _ in front], [v for _, v, _ in front], "-o", color="tab:red", lw=2, ms=8, zorder=3,
                label="Pareto front")
        for c, v, lab in items:
            ax.annotate(lab, (c, v), textcoords="offset points", xytext=(5, 5), fontsize=8)
        ax.set_xlabel(cost + " (mean over seeds)")
        ax.set_ylabel(a.accuracy)
        ax.grid(alpha=0.3)
        ax.legend(loc="lower right")
        print(f"{cost}: front " + "; ".join(f"{lab} ({c:.4g}, {v:.3f})" for c, v, lab in front))
    fig.suptitle(f"eligo sweep {os.path.basename(os.path.normpath(a.sweep_dir))}: {len(res['points'])} points, "
                 f"{len(res['designs'])} design points" + (f", mean +- std over {seed_axis}" if seed_axis else ""))
    fig.tight_layout()
    out = a.out or os.path.join(a.sweep_dir, "pareto.png")
    tmp = out + ".tmp.png"
    fig.savefig(tmp, dpi=110)
    os.replace(tmp, out)
    print("wrote", out)


if __name__ == "__main__":
    main()
