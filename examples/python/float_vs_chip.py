"""Float e-prop against on-chip e-prop, from Python (docs/python.md).

Trains the demo LSNN (examples/evidence_accumulation_demo.json: 40 inputs, 20 LIF + 20 ALIF,
2 readouts) in float, lets the bit-exact chip model learn from the same initial weights
(examples/chip_evidence_accumulation.json), draws both learning curves in one figure, then
quantises the float-trained weights onto a fresh chip and reports its test accuracy.

    PYTHONPATH=build/python python3 examples/python/float_vs_chip.py [ITERATIONS] [OUT.png]
"""
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import eligo  # noqa: E402

EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def main():
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    out = sys.argv[2] if len(sys.argv) > 2 else "float_vs_chip.png"

    net = eligo.Network(os.path.join(EXAMPLES, "evidence_accumulation_demo.json"), iterations=iterations)
    initial = net.weights
    metrics = net.train(progress=lambda e: print(f"\rfloat {e['iteration'] + 1}/{iterations} loss {e['loss']:.3f}",
                                                 end="", flush=True))
    print(f"\nfloat: test accuracy {metrics['test']['accuracy']:.3f}")

    # The chip config with this many updates, as a dict (the file's keys, validated the same way).
    import json
    with open(os.path.join(EXAMPLES, "chip_evidence_accumulation.json")) as f:
        chip_cfg = json.load(f)
    chip_cfg["iterations"] = iterations
    chip_cfg["test_batches"] = 4
    chip = eligo.Chip(chip_cfg, weights=initial, base_dir=EXAMPLES)
    report = chip.run(progress=lambda s: print(f"\rchip {s['phase']} sample {s['sample'] + 1}/{s['samples']}",
                                               end="", flush=True))
    print(f"\nchip: test accuracy {report['accuracy']:.3f}, {report['cycles_per_timestep']:.0f} cycles/timestep")

    deployed = eligo.Chip(dict(chip_cfg, mode="inference"), weights=net.weights, base_dir=EXAMPLES)
    inference = deployed.run()
    print(f"float-trained weights on the chip: test accuracy {inference['accuracy']:.3f}")

    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(range(1, iterations + 1), metrics["accuracy"], label="float e-prop (batch %d)" % 64)
    ax.plot([c["iteration"] + 1 for c in report["learning_curve"]], [c["accuracy"] for c in report["learning_curve"]],
            label="chip model, on-chip e-prop + DEEP R (batch %d)" % chip_cfg["batch_size"])
    ax.axhline(inference["accuracy"], color="gray", ls="--", label="float-trained, quantised onto the chip (test)")
    ax.set_xlabel("update")
    ax.set_ylabel("training accuracy")
    ax.set_ylim(0, 1)
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    print("wrote", out)


if __name__ == "__main__":
    main()
