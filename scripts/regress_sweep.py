#!/usr/bin/env python3
"""The repeated runs of `make regress` as `eligo sweep` specs (scripts/regress/sweep_*.json).

  regress_sweep.py derive SRC DST [--args JSON] [--axis NAME=JSON ...] [--drop-axis NAME ...]
      writes DST: the spec SRC with its base_config made absolute, its "args" replaced by the JSON
      array given, the values of each axis NAME replaced by the JSON array given (an axis the spec
      does not have is added as the outermost one), axes NAME dropped: the settings regress.sh
      takes from the environment (iterations, seeds, the ReckOn data directory, trace mode).
  regress_sweep.py table DIR [TITLE]
      prints DIR/sweep.json's design points as a Markdown table: axis values, then every metric as
      mean +- sample standard deviation (n seeds), and the points that failed.
"""
import json
import os
import sys


def fail(msg):
    sys.exit(f"regress_sweep.py: {msg}")


def derive(argv):
    if len(argv) < 2:
        fail("derive SRC DST [--args JSON] [--axis NAME=JSON ...] [--drop-axis NAME ...]")
    src, dst, rest = argv[0], argv[1], argv[2:]
    with open(src) as f:
        spec = json.load(f)
    spec["base_config"] = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(src)), spec["base_config"]))
    axes = [a for entry in spec["axes"] for a in entry.get("zip", [entry])]
    while rest:
        opt = rest.pop(0)
        if not rest:
            fail(f"derive: {opt} needs a value")
        value = rest.pop(0)
        if opt == "--args":
            args = json.loads(value)
            if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
                fail(f"derive: --args {value}: expected a JSON array of strings")
            spec["args"] = args
        elif opt == "--axis":
            name, _, values = value.partition("=")
            vals = json.loads(values) if values else None
            if not name or not isinstance(vals, list) or not vals:
                fail(f"derive: --axis {value}: expected NAME=[values...]")
            found = [a for a in axes if a["name"] == name]
            for a in found:
                a.pop("range", None)
                a["values"] = vals
            if not found:
                spec["axes"].insert(0, {"name": name, "values": vals})
        elif opt == "--drop-axis":
            if not any(a["name"] == value for a in axes) or any("zip" in e for e in spec["axes"]):
                fail(f"derive: --drop-axis {value}: not an axis of {src} outside a zip")
            spec["axes"] = [e for e in spec["axes"] if e.get("name") != value]
            axes = [a for a in axes if a["name"] != value]
        else:
            fail(f"derive: unknown option {opt}")
    os.makedirs(os.path.dirname(os.path.abspath(dst)), exist_ok=True)
    with open(dst + ".tmp", "w") as f:
        json.dump(spec, f, indent=2)
    os.replace(dst + ".tmp", dst)


def fmt(v):
    return f"{v:.4g}" if isinstance(v, float) else str(v)


def table(argv):
    if not argv:
        fail("table DIR [TITLE]")
    with open(os.path.join(argv[0], "sweep.json")) as f:
        res = json.load(f)
    axes = [a for a in res["axes"] if a != res["seed_axis"]]
    lines = [f"{argv[1]}:" if len(argv) > 1 else f"{argv[0]}:"]
    lines.append("| " + " | ".join(axes + [f"{m} (mean ± std, n)" for m in res["metrics"]]) + " |")
    lines.append("|" + "---|" * (len(axes) + len(res["metrics"])))
    for d in res["designs"]:
        cells = [fmt(d["axes"].get(a)) for a in axes]
        for m in res["metrics"]:
            s = d["metrics"][m]
            if s["mean"] is None:
                cells.append("-")
            else:
                std = "-" if s["std"] is None else fmt(s["std"])
                cells.append(f"{fmt(s['mean'])} ± {std} ({s['count']})")
        lines.append("| " + " | ".join(cells) + " |")
    for p in res["points"]:
        if p["status"] != "ok":
            lines.append(f"failed point {p['point']} {json.dumps(p['axes'])}: exit status {p['exit_status']}")
    print("\n".join(lines))


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("derive", "table"):
        fail("usage: regress_sweep.py derive SRC DST [--args JSON] [--axis NAME=JSON ...] [--drop-axis NAME ...] | "
             "table DIR [TITLE]")
    (derive if sys.argv[1] == "derive" else table)(sys.argv[2:])


if __name__ == "__main__":
    main()
