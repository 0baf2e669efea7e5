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


class LearningCurves(unittest.TestCase):
    def test_one_png_per_design_point(self):
        d = tempfile.mkdtemp()
        m = lambda mean: {"mean": mean, "std": None, "count": 2}  # noqa: E731
        files = {"a1": ("report.json", {"learning_curve": [{"iteration": 0, "loss": 0.5, "accuracy": 0.5},
                                                           {"iteration": 1, "loss": 0.3, "accuracy": 0.7}]}),
                 "a2": ("report.json", {"learning_curve": [{"iteration": 0, "loss": 0.6, "accuracy": 0.4},
                                                           {"iteration": 1, "loss": 0.2, "accuracy": 0.8}]}),
                 "b1": ("metrics.json", {"loss": [1.0, 0.5, 0.25]}),
                 "c1": ("report.json", {"epochs": [{"epoch": 1, "train_accuracy": 0.9, "test_accuracy": 0.8}]})}
        for h, (name, doc) in files.items():
            os.makedirs(os.path.join(d, "points", h))
            with open(os.path.join(d, "points", h, name), "w") as f:
                json.dump(doc, f)
        pts = [{"point": "a1", "status": "ok", "axes": {"x": 1, "seed": 1}, "metrics": {}},
               {"point": "a2", "status": "ok", "axes": {"x": 1, "seed": 2}, "metrics": {}},
               {"point": "b1", "status": "ok", "axes": {"x": 2, "seed": 1}, "metrics": {}},
               {"point": "b2", "status": "failed", "axes": {"x": 2, "seed": 2}, "metrics": {}},
               {"point": "c1", "status": "ok", "axes": {"x": 3, "seed": 1}, "metrics": {}}]
        res = {"seed_axis": "seed", "metrics": ["loss"], "points": pts,
               "designs": [{"axes": {"x": x}, "metrics": {"loss": m(0.1)}} for x in (1, 2, 3)]}
        with open(os.path.join(d, "sweep.json"), "w") as f:
            json.dump(res, f)
        curves, xlabel = plot_sweep.learning_curves(os.path.join(d, "points", "a2"))
        self.assertEqual(curves, {"loss": [(0, 0.6), (1, 0.2)], "accuracy": [(0, 0.4), (1, 0.8)]})
        self.assertEqual(xlabel, "training batch")
        self.assertEqual(plot_sweep.learning_curves(os.path.join(d, "points", "b1"))[0],
                         {"loss": [(0, 1.0), (1, 0.5), (2, 0.25)]})
        self.assertEqual(plot_sweep.learning_curves(os.path.join(d, "points", "b2")), ({}, None))
        out = subprocess.run([sys.executable, SCRIPT, d], capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("curves of design point 0 (x=1, 2 seeds)", out.stdout)
        self.assertIn("curves of design point 1 (x=2, 1 seeds)", out.stdout)  # the failed seed left out
        self.assertIn("curves of design point 2 (x=3, 1 seeds)", out.stdout)
        self.assertIn("no Pareto plot", out.stdout)
        self.assertEqual(sorted(os.listdir(os.path.join(d, "curves"))), ["design_0.png", "design_1.png", "design_2.png"])
        for name in os.listdir(os.path.join(d, "curves")):
            with open(os.path.join(d, "curves", name), "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")


if __name__ == "__main__":
    unittest.main()
