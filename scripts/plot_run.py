#!/usr/bin/python3
"""Plots of one `eligo train` run: learning curve and spike raster, as PNG beside the run.

usage: scripts/plot_run.py OUT_DIR    (reads OUT_DIR/metrics.json and OUT_DIR/recording.npz)
"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_dir import check_complete  # noqa: E402


def save(fig, path):
    tmp = path + ".tmp.png"
    fig.savefig(tmp, dpi=110, bbox_inches="tight")
    plt.close(fig)
    os.replace(tmp, path)


def learning_curve(out, m):
    fig, ax = plt.subplots(figsize=(7, 3.5))
    it = np.arange(1, len(m["loss"]) + 1)
    ax.plot(it, m["loss"], color="tab:blue", lw=1)
    ax.set_xlabel("iteration")
    ax.set_ylabel("loss", color="tab:blue")
    ax.set_yscale("log")
    if "accuracy" in m:
        ax2 = ax.twinx()
        ax2.plot(it, m["accuracy"], color="tab:orange", lw=1)
        ax2.set_ylabel("training accuracy", color="tab:orange")
        ax2.set_ylim(0, 1.02)
    ax.set_title(f'{m["algo"]}: learning curve ({m["iterations"]} iterations)')
    save(fig, os.path.join(out, "learning_curve.png"))


def raster(out, rec):
    x, z, y, target = rec["x"], rec["z"], rec["y"], rec["target"]
    fig, axes = plt.subplots(3, 1, figsize=(8, 6), sharex=True,
                             gridspec_kw={"height_ratios": [1, 2, 1]})
    for ax, s, name in ((axes[0], x, "input"), (axes[1], z, "recurrent")):
        i, t = np.nonzero(s)
        ax.scatter(t, i, s=1, marker="|", color="k")
        ax.set_ylabel(f"{name} neuron")
        ax.set_ylim(-0.5, s.shape[0] - 0.5)
    for k in range(y.shape[0]):
        line, = axes[2].plot(y[k], lw=1, label=f"y{k}")
        axes[2].plot(target[k], lw=1, ls="--", color=line.get_color())
    axes[2].set_ylabel("readout (--: target)")
    axes[2].set_xlabel("time step")
    axes[0].set_title("first test sequence after training")
    save(fig, os.path.join(out, "raster.png"))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    check_complete(out, "plot_run.py")
    with open(os.path.join(out, "metrics.json")) as f:
        m = json.load(f)
    learning_curve(out, m)
    raster(out, np.load(os.path.join(out, "recording.npz")))
    print(f"plots: {out}/learning_curve.png, {out}/raster.png")


if __name__ == "__main__":
    main()
