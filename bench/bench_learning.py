"""On-chip learning benchmarks (issue 5): cycles per timestep by phase, with and without learning,
for 40-100-2 and 256-256-16; wall time of one training sample on the RTL under both engines.

1. Cycles. `eligo chip` (the bit-exact model; its cycle model is exact and equal to the RTL's,
   phase by phase, in lock-step co-simulation) runs each size in inference mode and in train mode
   (e-prop with DEEP R at 30%, SGD, batch size 1, 2 updates, then 1 test sample with learning
   off). report.json counts cycles over the whole run, test sample included, so the test sample is
   taken out exactly: its REC/OUT cycles from its spike raster (report.json
   `first_test_sample`; the test batch holds one sample), NEU and RST from their formulas, IN
   from the input events of the inference run (the same test sample). The method is checked on
   the inference run, whose phase cycles it must reproduce exactly. Per-timestep phases are
   per training timestep; RST, UPD and RWR run once per sample / update (batch mode) and are
   shown amortised: their training cycles divided by the training timesteps (batch size 1: one
   RST, one UPD and one RWR per sample of T timesteps; at batch size B, UPD and RWR divide by B).
   The analytic cycles of TRC, NEU, LRN, OGR, UPD and RST (chip_spec.md) are printed beside.
     40-100-2:   evidence accumulation (T = 2250, learning window 150), 50 LIF + 50 ALIF, 4 lanes
     256-256-16: pattern generation (T = 1000, target valid at every step), 128 LIF + 128 ALIF,
                 16 lanes
2. Wall time of one training sample (40-100-2, 50 ALIF, 3 lanes: a verilated configuration;
   evidence accumulation, batch size 1, learning window 150, DEEP R on): `eligo cosim
   --iterations 1 --test-samples 0` on Verilator --cc and on the SystemC top (--sc), lock-step with
   the model (scoreboard on), and the bit-exact model alone (`eligo chip`, report.json
   speed.train) as the baseline. The RTL's training cycles are also checked against the model's
   (the same separation as in 1).
Usage: bench_learning.py BUILD_DIR     (writes BUILD_DIR/bench/learning.json)
"""
import json
import os
import subprocess
import sys
import tempfile

import benchlib

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIGS = os.path.join(HERE, "configs")
PHASES = ["RST", "IN", "REC", "NEU", "OUT", "LRN", "OGR", "TRC", "UPD", "RWR"]
PER_STEP = ["IN", "REC", "NEU", "OUT", "LRN", "OGR", "TRC", "UPD"]  # the phases of one timestep
PER_SAMPLE = ["RST", "UPD", "RWR"]                                  # per sample / per update
SIZES = [  # name, inference config, training config
    ("40-100-2", "chip_learn_inference_40_100_2.json", "chip_learn_train_40_100_2.json"),
    ("256-256-16", "chip_learn_inference_256_256_16.json", "chip_learn_train_256_256_16.json"),
]
COSIM = "cosim_train_40_100_2_l3.json"


def cdiv(a, b):
    return -(-a // b)


def load(path):
    with open(path) as f:
        return json.load(f)


def eligo(build, args, out):
    """Runs eligo; returns (report or None, error text)."""
    p = subprocess.run([os.path.join(build, "eligo"), *args, "--out", out], capture_output=True, text=True)
    if p.returncode != 0:
        return None, f"exit status {p.returncode}: " + (p.stderr.strip() or p.stdout.strip())
    return load(os.path.join(out, "report.json")), ""


class Formula:
    """The cycle formulas of docs/chip_spec.md for one size and lane count."""

    def __init__(self, sizes):
        self.ni, self.nr, self.no, self.L = sizes["n_in"], sizes["n_rec"], sizes["n_out"], sizes["lanes"]
        self.np = self.ni + self.nr
        L = self.L
        self.r, self.o, self.p = cdiv(self.nr, L), cdiv(self.no, L), cdiv(self.np, L)

    def rst(self, learn):
        return self.r + self.o + (self.r + self.p + self.np * self.r if learn else 0) + 2

    def neu(self):
        return self.r + 2

    def trc(self):
        return self.p + self.np * self.r + 2

    def lrn(self, valid):
        return valid * (self.o + self.nr * self.o + 2)

    def ogr(self, steps, valid):
        return steps * (self.r + 2) + valid * self.nr * self.o

    def upd(self):
        return self.np * self.r + self.nr * self.o + 2

    def sample_cycles(self, spikes, in_events, learn=False):
        """RST, REC, NEU, OUT and IN of one inference sample from its raster (spikes per timestep)."""
        T = len(spikes)
        rec = sum(len(spikes[t - 1]) * self.r + 1 for t in range(1, T)) + (1 if T else 0)
        out = sum((len(s) + 1) * self.o + 2 for s in spikes)
        return {"RST": self.rst(learn), "IN": in_events * self.r + T, "REC": rec, "NEU": T * self.neu(), "OUT": out}


def test_sample_of(rep, f, in_events):
    """Cycles of the report's (single) test sample, or None if the test batch holds more than one."""
    spikes = rep["first_test_sample"]["spikes"]
    if rep["speed"]["test"]["timesteps"] != len(spikes):
        return None
    return f.sample_cycles(spikes, in_events)


def learning_window(rep, T):
    cfg = load(rep["config"])
    net = load(os.path.join(os.path.dirname(rep["config"]), cfg["network_config"]))
    lw = net["train"]["learning_window"]
    return lw if lw > 0 else T


def cycles_part(build, tmp, name, inf_cfg, train_cfg):
    """Inference and training cycles per timestep by phase for one size."""
    res = {"size": name}
    inf, err = eligo(build, ["chip", "--config", os.path.join(CONFIGS, inf_cfg)], os.path.join(tmp, name + "-inf"))
    if inf is None:
        print(f"FAIL eligo chip {inf_cfg}: {err}")
        return None
    tr, err = eligo(build, ["chip", "--config", os.path.join(CONFIGS, train_cfg)], os.path.join(tmp, name + "-train"))
    if tr is None:
        print(f"FAIL eligo chip {train_cfg}: {err}")
        return None
    f = Formula(inf["sizes"])
    T = len(inf["first_test_sample"]["spikes"])
    # Input events of the test sample (IN = E_IN * cdiv(NR, L) + 1 per timestep).
    e_in = (inf["cycles"]["IN"] - T) // f.r
    inf_sample = test_sample_of(inf, f, e_in)
    ok_method = inf_sample is not None and all(inf_sample[k] == inf["cycles"][k] for k in inf_sample)
    res["separation_checked_on_inference"] = ok_method
    test = test_sample_of(tr, f, e_in)
    train_steps = tr["speed"]["train"]["timesteps"]
    n_train = train_steps // T
    updates = len(tr["learning_curve"])
    if test is None or not ok_method:
        # Fallback: the whole run (training and its test samples).
        print("INFO   (could not separate the test samples: training figures include them)")
        tcyc = {k: tr["cycles"][k] for k in PHASES}
        train_steps = tr["timesteps"]
    else:
        tcyc = {k: tr["cycles"][k] - test.get(k, 0) for k in PHASES}
    inf_steps = inf["timesteps"]
    res["lanes"] = f.L
    res["T"] = T
    res["inference"] = {"timesteps": inf_steps, "samples": inf_steps // T,
                        "cycles": {k: inf["cycles"][k] for k in PHASES},
                        "per_timestep": {k: inf["cycles"][k] / inf_steps for k in PHASES},
                        "spikes_per_timestep": sum(len(s) for s in inf["first_test_sample"]["spikes"]) / T,
                        "input_events_per_timestep": e_in / T}
    res["training"] = {"timesteps": train_steps, "samples": n_train, "updates": updates, "batch_size": 1,
                       "cycles": tcyc, "per_timestep": {k: tcyc[k] / train_steps for k in PHASES},
                       "model_timesteps_per_s": tr["speed"]["train"]["timesteps_per_s"],
                       "counters": {k: tr["counters"].get(k) for k in ("probes", "reactivations", "prunes")
                                    if k in tr["counters"]}}
    res["inference"]["model_timesteps_per_s"] = inf["speed"]["test"]["timesteps_per_s"]
    # Analytic cross-check (exact formulas; REC/OUT/IN depend on activity, RWR on the probes).
    valid = n_train * learning_window(tr, T)
    analytic = {"TRC": train_steps * f.trc(), "NEU": train_steps * f.neu(), "LRN": f.lrn(valid),
                "OGR": f.ogr(train_steps, valid), "UPD": updates * f.upd(), "RST": n_train * f.rst(True)}
    res["analytic"] = {"per_timestep": {"TRC": f.trc(), "NEU": f.neu(),
                                        "LRN_valid_step": f.lrn(1), "OGR": f.ogr(1, valid / train_steps)},
                       "UPD_per_update": f.upd(), "RST_per_sample_learning": f.rst(True),
                       "RST_per_sample_inference": f.rst(False), "totals": analytic,
                       "equal": {k: analytic[k] == tcyc[k] for k in analytic}}
    return res


def print_cycles(rows):
    print("INFO cycles per timestep by phase (bit-exact model = RTL cycle model; L = lanes). inf: inference, "
          "per timestep; train: e-prop + DEEP R, per training timestep (test sample taken out); RST, UPD and RWR "
          "run once per sample / update and are divided by the training timesteps (batch size 1: one of each per "
          "sample of T timesteps; at batch size B divide UPD and RWR by B)")
    cols = []
    for r in rows:
        cols.append((f"{r['size']} L={r['lanes']} inf", r["inference"]["per_timestep"]))
        cols.append((f"{r['size']} L={r['lanes']} train", r["training"]["per_timestep"]))
    w = max(len(c[0]) for c in cols) + 1
    print("INFO   " + f"{'phase':<22}" + "".join(f"{c[0]:>{w}}" for c in cols))

    def row(label, fn):
        print("INFO   " + f"{label:<22}" + "".join(f"{fn(c[1]):>{w}.1f}" for c in cols))

    for k in PER_STEP:
        row(k if k != "UPD" else "UPD (online only)", lambda d, k=k: 0.0 if k == "UPD" else d[k])
    row("= per timestep", lambda d: sum(d[k] for k in PER_STEP if k != "UPD"))
    for k in PER_SAMPLE:
        row(f"{k} (amortised)", lambda d, k=k: d[k])
    row("= incl. amortised", lambda d: sum(d[k] for k in PHASES))
    for r in rows:
        i, t = r["inference"], r["training"]
        print(f"INFO   {r['size']} L={r['lanes']}: T={r['T']}, {i['input_events_per_timestep']:.1f} input events and "
              f"{i['spikes_per_timestep']:.1f} spikes per timestep (inference); training: {t['samples']} samples, "
              f"{t['updates']} updates of batch 1 ({t['timesteps']} timesteps, test sample taken out: "
              f"{'yes' if r['separation_checked_on_inference'] else 'NO'}); model "
              f"{i['model_timesteps_per_s']:.0f} / {t['model_timesteps_per_s']:.0f} timesteps/s (inf / train)")
        a = r["analytic"]
        print(f"INFO   {r['size']} L={r['lanes']} analytic: TRC = cdiv(NP,L) + NP*cdiv(NR,L) + 2 = "
              f"{a['per_timestep']['TRC']} per timestep (measured {t['per_timestep']['TRC']:.1f}); "
              f"NEU {a['per_timestep']['NEU']}; LRN {a['per_timestep']['LRN_valid_step']} per valid step; "
              f"UPD {a['UPD_per_update']} per update; RST {a['RST_per_sample_learning']} per sample "
              f"({a['RST_per_sample_inference']} without learning)")
        bad = [k for k, ok in a["equal"].items() if not ok]
        print(("PASS " if not bad else "MISS ") + f"{r['size']} L={r['lanes']}: training cycles of "
              + ", ".join(a["equal"]) + " equal the formulas of chip_spec.md" + (f" (not: {bad})" if bad else ""))


def cosim_part(build, tmp):
    cfg = os.path.join(CONFIGS, COSIM)
    res = {"config": COSIM}
    failed = False
    model, err = eligo(build, ["chip", "--config", cfg], os.path.join(tmp, "cosim-model"))
    if model is None:
        print(f"FAIL eligo chip {COSIM}: {err}")
        return res, True
    n_train = sum(1 for _ in model["learning_curve"])  # batch size 1: one sample per iteration
    res["model"] = {"wall_s_per_train_sample": model["speed"]["train"]["wall_s"] / n_train,
                    "timesteps_per_s": model["speed"]["train"]["timesteps_per_s"]}
    args = ["cosim", "--config", cfg, "--iterations", "1", "--test-samples", "0"]
    for eng in ("cc", "systemc"):
        rep, err = eligo(build, args + ["--engine", eng], os.path.join(tmp, "cosim-" + eng))
        if rep is None:
            print(f"FAIL eligo {' '.join(args)} --engine {eng}: {err}")
            res[eng] = {"error": err}
            failed = True
            continue
        res[eng] = {k: rep[k] for k in ("wall_s_per_train_sample", "sim_cycles_per_s", "timesteps", "rtl_cycles",
                                        "mismatches", "wall_s")}
        res[eng]["cycles"] = rep["cycles"]
        if rep["mismatches"]:
            print(f"FAIL cosim {eng}: mismatch {rep['first_mismatch']}")
            failed = True
    m = res["model"]["wall_s_per_train_sample"]
    print("INFO wall time of one training sample, 40-100-2 (50 ALIF), 3 lanes, evidence accumulation T=2250, "
          "DEEP R on (lock-step: scoreboard and model included in the RTL times):")
    print("INFO   (model: run_sample only, speed.train; RTL: from configuration to the end of the training "
          "sample, report.json wall_s_per_train_sample)")
    print(f"INFO   bit-exact model alone        {m:9.3f} s   ({res['model']['timesteps_per_s']:.0f} timesteps/s)")
    for eng, label in (("cc", "RTL, Verilator --cc"), ("systemc", "RTL, SystemC (--sc)")):
        if "error" in res.get(eng, {"error": 1}):
            continue
        e = res[eng]
        print(f"INFO   {label:<28} {e['wall_s_per_train_sample']:9.3f} s   ({e['sim_cycles_per_s']:.0f} simulated "
              f"cycles/s, {e['rtl_cycles']} cycles, {e['mismatches']} mismatches)")
    if "error" not in res.get("cc", {"error": 1}):
        res["ratio_cc_over_model"] = res["cc"]["wall_s_per_train_sample"] / m
        print(f"INFO   RTL --cc / model = {res['ratio_cc_over_model']:.1f}x")
        if "error" not in res.get("systemc", {"error": 1}):
            res["ratio_systemc_over_cc"] = res["systemc"]["wall_s_per_train_sample"] / res["cc"]["wall_s_per_train_sample"]
            print(f"INFO   SystemC / --cc   = {res['ratio_systemc_over_cc']:.2f}x")
        # The RTL's training cycles (no test sample in this run) against the model's, test sample taken out.
        f = Formula(model["sizes"])
        T = len(model["first_test_sample"]["spikes"])
        inf_in = None
        for d in (os.path.join(tmp, "40-100-2-inf"),):
            if os.path.exists(os.path.join(d, "report.json")):
                r4 = load(os.path.join(d, "report.json"))
                inf_in = (r4["cycles"]["IN"] - T) // Formula(r4["sizes"]).r
        if inf_in is not None:
            test = test_sample_of(model, f, inf_in)
            if test is not None:
                mc = {k: model["cycles"][k] - test.get(k, 0) for k in PHASES}
                rc = res["cc"]["cycles"]
                same = all(mc[k] == rc[k] for k in PHASES)
                print(("PASS " if same else "MISS ") + "RTL training cycles per phase (cosim, no test sample) equal "
                      "the model's with its test sample taken out: " + ", ".join(f"{k} {rc[k]}" for k in PHASES if rc[k]))
    return res, failed


def main():
    build = sys.argv[1]
    out = {}
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for name, inf_cfg, train_cfg in SIZES:
            r = cycles_part(build, tmp, name, inf_cfg, train_cfg)
            if r is None:
                failed = True
            else:
                rows.append(r)
        if rows:
            print_cycles(rows)
        out["cycles"] = rows
        out["wall_time"], cf = cosim_part(build, tmp)
        failed = failed or cf
    benchlib.write_results(build, "learning", out)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
