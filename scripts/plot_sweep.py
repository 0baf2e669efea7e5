#!/usr/bin/python3
"""Plots of an `eligo sweep` (issue 17): Pareto fronts and learning curves.

Pareto fronts: accuracy against each cost metric of the sweep, one marker per design point (mean
over its seeds, bars +- one standard deviation, seeds as small dots), the Pareto-optimal design
points (no other point both more accurate and cheaper) joined and highlighted.
Learning curves: one PNG per design point, SWEEP_DIR/curves/design_<i>.png (i: the design
point's index in sweep.json), every seed of it as one line per panel: loss and accuracy per
training batch (`eligo chip` / `cosim` report.json "learning_curve"), per iteration (`eligo
train` metrics.json "loss", "accuracy"), or train and test accuracy per epoch (ReckOn's
benchmark, report.json "epochs"), read from each ok point's directory.

Usage: plot_sweep.py SWEEP_DIR [--accuracy NAME] [--cost NAME ...] [--out PNG] [--no-curves]
SWEEP_DIR holds sweep.json. The accuracy metric defaults to "accuracy"; the cost metrics default
to those of cycles_per_timestep, energy_pj_per_sample, memory_bytes the sweep collected (none:
no Pareto plot, said on stdout; a metric named by --accuracy or --cost that the sweep lacks is an
error). The PNGs (default SWEEP_DIR/pareto.png) are written atomically. Prints the front of each
cost and the curves written.
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


def read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def learning_curves(point_dir):
    """{panel: [(x, y), ...]} of one point's run, and the x label; ({}, None) without a curve."""
    report = read_json(os.path.join(point_dir, "report.json")) or {}
    if report.get("learning_curve"):
        c = report["learning_curve"]
        return {k: [(e["iteration"], e[k]) for e in c if e.get(k) is not None] for k in ("loss", "accuracy")}, \
            "training batch"
    if report.get("epochs"):
        c = report["epochs"]
        return {k: [(e["epoch"], e[k]) for e in c if e.get(k) is not None]
                for k in ("train_accuracy", "test_accuracy", "train_loss", "test_loss")}, "epoch"
    metrics = read_json(os.path.join(point_dir, "metrics.json")) or {}
    if isinstance(metrics.get("loss"), list) and metrics["loss"]:
        return {k: list(enumerate(metrics[k])) for k in ("loss", "accuracy") if isinstance(metrics.get(k), list)}, \
            "iteration"
    return {}, None


def save_atomically(fig, out):
    tmp = out + ".tmp.png"
    fig.savefig(tmp, dpi=110)
    os.replace(tmp, out)


def plot_curves(sweep_dir, res):
    """One PNG per design point with a curve; returns the paths written."""
    seed_axis = res["seed_axis"]
    written = []
    for i, d in enumerate(res["designs"]):
        runs = []
        for p in res["points"]:
            if p["status"] != "ok" or "point" not in p or {k: v for k, v in p["axes"].items() if k != seed_axis} != d["axes"]:
                continue
            curves, xlabel = learning_curves(os.path.join(sweep_dir, "points", p["point"]))
            if any(curves.values()):
                runs.append((p["axes"].get(seed_axis, p["point"]), curves, xlabel))
        panels = [k for k in ("loss", "accuracy", "train_accuracy", "test_accuracy", "train_loss", "test_loss")
                  if any(c.get(k) for _, c, _ in runs)]
        if not panels:
            continue
        fig, axs = plt.subplots(1, len(panels), figsize=(5 * len(panels), 3.8), squeeze=False)
        for ax, k in zip(axs[0], panels):
            for seed, c, xlabel in runs:
                if c.get(k):
                    ax.plot([x for x, _ in c[k]], [y for _, y in c[k]], "-", lw=1.2,
                            marker="o" if len(c[k]) < 20 else None, ms=3,
                            label=f"{seed_axis.split('.')[-1]}={seed}" if seed_axis else str(seed))
            ax.set_xlabel(runs[0][2])
            ax.set_ylabel(k)
            ax.grid(alpha=0.3)
            ax.legend(fontsize=8)
        fig.suptitle(f"learning curves, {label_of(d['axes'])}: {len(runs)} seed(s)")
        fig.tight_layout()
        os.makedirs(os.path.join(sweep_dir, "curves"), exist_ok=True)
        out = os.path.join(sweep_dir, "curves", f"design_{i}.png")
        save_atomically(fig, out)
        plt.close(fig)
        written.append(out)
        print(f"curves of design point {i} ({label_of(d['axes'])}, {len(runs)} seeds): {out}")
    return written


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sweep_dir")
    ap.add_argument("--accuracy")
    ap.add_argument("--cost", action="append")
    ap.add_argument("--out")
    ap.add_argument("--no-curves", action="store_true")
    a = ap.parse_args()
    with open(os.path.join(a.sweep_dir, "sweep.json")) as f:
        res = json.load(f)
    if not a.no_curves:
        plot_curves(a.sweep_dir, res)
    accuracy = a.accuracy or "accuracy"
    if accuracy not in res["metrics"]:
        if a.accuracy:
            sys.exit(f"plot_sweep.py: the sweep has no metric {accuracy!r} (has {res['metrics']})")
        print(f"no Pareto plot: the sweep has no metric 'accuracy' (has {res['metrics']})")
        return
    a.accuracy = accuracy
    costs = a.cost or [c for c in DEFAULT_COSTS if c in res["metrics"]]
    missing = [c for c in costs if c not in res["metrics"]]
    if missing:
        sys.exit(f"plot_sweep.py: no cost metric {missing} in the sweep (has {res['metrics']})")
    if not costs:
        print(f"no Pareto plot: the sweep has none of the cost metrics {list(DEFAULT_COSTS)} (has {res['metrics']})")
        return
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
    save_atomically(fig, out)
    print("wrote", out)


if __name__ == "__main__":
    main()
