"""A chip parameter swept from Python: the on-chip learning rate (chip.lr) against test accuracy
and energy per sample, on the bit-exact chip model (docs/python.md). Each point is a dict config
built from examples/chip_evidence_accumulation.json; an invalid value would raise
eligo.ConfigError with the command line's message.

    PYTHONPATH=build/python python3 examples/python/sweep_chip_lr.py [ITERATIONS] [OUT.png]
"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import eligo  # noqa: E402

EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
RATES = [0.001, 0.002, 0.004, 0.008, 0.016]


def main():
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    out = sys.argv[2] if len(sys.argv) > 2 else "sweep_chip_lr.png"
    with open(os.path.join(EXAMPLES, "chip_evidence_accumulation.json")) as f:
        base = json.load(f)
    rows = []
    for lr in RATES:
        cfg = dict(base, iterations=iterations, test_batches=4, chip=dict(base["chip"], lr=lr))
        report = eligo.Chip(cfg, base_dir=EXAMPLES).run()
        energy_uj = report["energy"]["pj_per_sample"] * 1e-6  # 28 nm table, from the counters
        rows.append((lr, report["accuracy"], energy_uj))
        print(f"chip.lr {lr:<6} test accuracy {report['accuracy']:.3f}  energy {energy_uj:.3f} uJ/sample")
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot([r[2] for r in rows], [r[1] for r in rows], "o-")
    for lr, acc, e in rows:
        ax.annotate(f"lr {lr}", (e, acc), textcoords="offset points", xytext=(4, 4), fontsize=8)
    ax.set_xlabel("energy per sample (uJ, 28 nm table)")
    ax.set_ylabel("test accuracy")
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    print("wrote", out)


if __name__ == "__main__":
    main()
