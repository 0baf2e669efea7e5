#!/usr/bin/env python3
"""On-chip learning beside float e-prop (make regress, issue 5).

Usage: compare_learning.py FLOAT_DIR COSIM_DIR OUT_DIR [--points 5]
  FLOAT_DIR: an `eligo train` run (metrics.json: accuracy and loss per iteration, test accuracy)
  COSIM_DIR: an `eligo cosim` training run (report.json: learning_curve with the RTL's and the
             bit-exact model's accuracy and loss per iteration, test accuracy of both)
Writes OUT_DIR/learning_comparison.md and learning_comparison.png; prints the table. Target: the
RTL's test accuracy within POINTS percentage points of float e-prop's (exit status 0 either way;
the verdict is in the table).
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_dir import check_complete  # noqa: E402


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        sys.exit(f"compare_learning: {path}: {e}")


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    float_dir, cosim_dir, out = argv[1], argv[2], argv[3]
    points = float(argv[argv.index("--points") + 1]) if "--points" in argv else 5.0
    check_complete(float_dir, "compare_learning")
    check_complete(cosim_dir, "compare_learning")
    fm = load(os.path.join(float_dir, "metrics.json"))
    cr = load(os.path.join(cosim_dir, "report.json"))
    for key in ("learning_curve", "test"):
        if key not in cr or cr[key] is None:
            sys.exit(f"compare_learning: {cosim_dir}/report.json: no '{key}' (not a training co-simulation?)")
    if cr.get("mismatches", 0):
        sys.exit(f"compare_learning: {cosim_dir}/report.json: the co-simulation found a mismatch")
    f_acc = fm["test"]["accuracy"]
    r_acc, m_acc = cr["test"]["rtl"]["accuracy"], cr["test"]["model"]["accuracy"]
    verdict = "PASS" if r_acc >= f_acc - points / 100.0 else "MISS"
    curve = cr["learning_curve"]
    # Test samples: the co-simulation counts them; the float run tests test_batches batches of
    # its batch size (read from its config; "?" if the config is gone).
    chip_n = cr["test"].get("samples", "?")
    try:
        fc = load(fm["config"])
        float_n = fc["task"]["test_batches"] * fc["train"]["batch_size"]
    except (KeyError, TypeError, SystemExit):
        float_n = "?"
    rows = [
        ("RTL (lock-step co-simulation)", r_acc, cr["test"]["rtl"]["loss"], chip_n, len(curve), "SGD, MSE, on chip"),
        ("bit-exact model (same run)", m_acc, cr["test"]["model"]["loss"], chip_n, len(curve), "SGD, MSE"),
        ("float e-prop", f_acc, fm["test"]["loss"], float_n, fm["iterations"], "Adam, cross entropy"),
    ]
    lines = ["| run | test accuracy | test loss | test samples | iterations | training |", "|---|---|---|---|---|---|"]
    lines += [f"| {a} | {b:.3f} | {c:.4g} | {n} | {d} | {e} |" for a, b, c, n, d, e in rows]
    lines.append("")
    lines.append(f"Target: RTL within {points:g} points of float e-prop: {100 * (r_acc - f_acc):+.1f} points, {verdict}. "
                 f"The losses differ in kind (MSE on chip, cross entropy in float).")
    text = "\n".join(lines) + "\n"
    os.makedirs(out, exist_ok=True)
    tmp = os.path.join(out, "learning_comparison.md.tmp")
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, os.path.join(out, "learning_comparison.md"))
    print(text)
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("compare_learning: matplotlib missing, no plot")
        return 0
    fig, (ax_acc, ax_loss) = plt.subplots(1, 2, figsize=(11, 4))
    it = [e["iteration"] for e in curve]
    ax_acc.plot(it, [e["rtl"]["accuracy"] for e in curve], label="RTL", lw=2)
    ax_acc.plot(it, [e["model"]["accuracy"] for e in curve], "--", label="bit-exact model")
    ax_acc.plot(range(len(fm["accuracy"])), fm["accuracy"], label="float e-prop", alpha=0.7)
    ax_acc.set_xlabel("iteration")
    ax_acc.set_ylabel("training accuracy (batch)")
    ax_acc.legend()
    ax_loss.plot(it, [e["rtl"]["loss"] for e in curve], label="RTL (MSE)", lw=2)
    ax_loss.plot(it, [e["model"]["loss"] for e in curve], "--", label="bit-exact model (MSE)")
    ax_loss.set_xlabel("iteration")
    ax_loss.set_ylabel("chip loss (MSE per sample)")
    ax2 = ax_loss.twinx()
    ax2.plot(range(len(fm["loss"])), fm["loss"], color="tab:green", alpha=0.7, label="float e-prop (CE)")
    ax2.set_ylabel("float loss (cross entropy)")
    ax_loss.legend(loc="upper right")
    fig.suptitle(f"on-chip learning vs float e-prop: test accuracy RTL {r_acc:.3f}, float {f_acc:.3f} ({verdict})")
    fig.tight_layout()
    tmp = os.path.join(out, "learning_comparison.tmp.png")
    fig.savefig(tmp, dpi=100)
    os.replace(tmp, os.path.join(out, "learning_comparison.png"))
    print(f"wrote {out}/learning_comparison.md and learning_comparison.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
