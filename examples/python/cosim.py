"""The RTL from Python: the demo's on-chip learning (examples/cosim_train_demo.json, 40-40-2, 4 lanes)
in a lock-step co-simulation of the verilated core against the bit-exact model (eligo.cosim, as
`eligo cosim --engine cc`; from make demo's float-trained weights out/demo/weights.npz when they
exist, else from the config's initial weights), then the same config with a bit flipped in an RTL memory, which the
scoreboard catches (eligo.MismatchError). docs/python.md.

    PYTHONPATH=build-demo/python python3 examples/python/cosim.py [ITERATIONS] [WAVEFORM.fst]
    (after make demo; build/python after make build)
"""
import os
import sys

import eligo

CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cosim_train_demo.json")


def main():
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    waveform = sys.argv[2] if len(sys.argv) > 2 else "cosim_mismatch.fst"
    print("verilated sizes in this build:", eligo.COSIM_SIZES)
    weights = "out/demo/weights.npz" if os.path.exists("out/demo/manifest.json") else None
    report = eligo.cosim(CONFIG, weights=weights, iterations=iterations, test_samples=2,
                         progress=lambda e: print("  %s sample %d/%d" % (e["phase"], e["sample"] + 1, e["samples"])))
    print("%d timesteps, %d RTL cycles, %d writes compared, write hash %s, %d mismatches"
          % (report["timesteps"], report["rtl_cycles"], report["writes_compared"], report["write_hash"],
             report["mismatches"]))
    print("test accuracy: RTL %.3f, model %.3f" % (report["test"]["rtl"]["accuracy"], report["test"]["model"]["accuracy"]))
    # Bit 5 of neuron 3's state word flipped in the RTL (not in the model) at timestep 3.
    try:
        eligo.cosim(CONFIG, iterations=0, test_samples=1, faults=["STATE:3:5@3"], waveform=waveform)
    except eligo.MismatchError as e:
        print("caught: %s" % e)
        print("  %s mismatch at timestep %d, cycle %d, phase %s (%s): %s[%d] expected %d, got %d; waveform %s"
              % (e.kind, e.timestep, e.cycle, e.phase, e.unit, e.memory, e.address, e.expected, e.actual,
                 e.report["waveform"]))


if __name__ == "__main__":
    main()
