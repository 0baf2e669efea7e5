#!/usr/bin/python3
"""scripts/plot_sweep.py: the Pareto front (dominance both ways, ties) and a PNG written from a
small sweep.json, atomically (no .tmp left)."""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "..", "scripts", "plot_sweep.py")
spec = importlib.util.spec_from_file_location("plot_sweep", SCRIPT)
plot_sweep = importlib.util.module_from_spec(spec)
spec.loader.exec_module(plot_sweep)


class ParetoFront(unittest.TestCase):
    def test_front(self):
        items = [(10, 0.9, "a"), (5, 0.8, "b"), (12, 0.85, "c"), (5, 0.7, "d"), (20, 0.95, "e"), (10, 0.9, "f")]
        # c is beaten by a (cheaper and more accurate), d by b (same cost, less accurate);
        # a and f tie and neither dominates the other.
        self.assertEqual(plot_sweep.pareto_front(items), [(5, 0.8, "b"), (10, 0.9, "a"), (10, 0.9, "f"), (20, 0.95, "e")])

    def test_png(self):
        d = tempfile.mkdtemp()
        m = lambda mean, std, n: {"mean": mean, "std": std, "count": n}  # noqa: E731
        res = {"seed_axis": "seed", "metrics": ["accuracy", "cycles_per_timestep"],
               "points": [{"status": "ok", "axes": {"x": 1, "seed": 1}, "metrics": {"accuracy": 0.8, "cycles_per_timestep": 10}},
                          {"status": "ok", "axes": {"x": 2, "seed": 1}, "metrics": {"accuracy": 0.9, "cycles_per_timestep": 20}}],
               "designs": [{"axes": {"x": 1}, "metrics": {"accuracy": m(0.8, None, 1), "cycles_per_timestep": m(10, None, 1)}},
                           {"axes": {"x": 2}, "metrics": {"accuracy": m(0.9, None, 1), "cycles_per_timestep": m(20, None, 1)}}]}
        with open(os.path.join(d, "sweep.json"), "w") as f:
            json.dump(res, f)
        out = subprocess.run([sys.executable, SCRIPT, d], capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("front x=1 (10, 0.800); x=2 (20, 0.900)", out.stdout)
        with open(os.path.join(d, "pareto.png"), "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        self.assertEqual(sorted(os.listdir(d)), ["pareto.png", "sweep.json"])
        bad = subprocess.run([sys.executable, SCRIPT, d, "--cost", "memory_bytes"], capture_output=True, text=True)
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("memory_bytes", bad.stderr)


if __name__ == "__main__":
    unittest.main()
