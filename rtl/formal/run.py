#!/usr/bin/python3
"""Formal proofs of RTL units (rtl/formal/*.sv) with Yosys' SAT solver; see rtl/README.md
("Formal properties").

  rtl/formal/run.py [--group fx|apb|all] [--depth N] [--no-witnesses | --witness W ...] [--yosys PATH]

fx:  fx_props.sv, combinational: fx::sat at every format the units saturate to and fx::rnd at
     every shift, for every input (`sat -prove-asserts`).
apb: apb_props.sv, bounded: the core's APB port under APB3 master assumptions, every input sequence
     of N cycles after reset (default 8; `sat -seq N`), then each witness of the harness shown
     reachable within N cycles (`sat -falsify`: the properties are not vacuous; --no-witnesses
     skips them, as the CTest test does to stay near 30 s of CPU; make regress runs them).
Yosys is run with an argument list (no shell); the exit status is 0 only when every proof holds and
every witness is reached. Prints the CPU time of each group.
"""
import argparse
import os
import resource
import subprocess
import sys
import time

RTL = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FORMAL = os.path.join(RTL, "formal")
# Compute units left out of the APB proof: their outputs become free (any value in any cycle), an
# over-approximation, so a property that holds holds for the real units too.
ABSTRACTED = ["synapse_acc", "neuron_unit", "readout_unit", "learn_unit", "trace_unit", "rewire_unit",
              "perf_counters"]
APB_WITNESSES = ["w_mem_ok", "w_mem_busy", "w_reg", "w_idle_after_write"]


def rtl_sources():
    names = []
    with open(os.path.join(RTL, "files.f")) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                names.append(os.path.join(RTL, line))
    return names


def read_cmd(extra):
    # SYNTHESIS: eligo_core's simulation-only DEEP R check (assert ... else $error) is left out.
    return "read_verilog -sv -formal -DSYNTHESIS " + " ".join(rtl_sources() + [os.path.join(FORMAL, extra)])


def fx_script():
    return [read_cmd("fx_props.sv"), "prep -top fx_formal", "flatten", "opt",
            "log CHECK fx: sat -prove-asserts", "sat -prove-asserts -verify -show-inputs"]


def apb_script(depth, witnesses):
    seq = f"sat -seq {depth} -set-assumes -set-at 1 rst_ni 0 -set rst_ni 1 -ignore_unknown_cells"
    s = [read_cmd("apb_props.sv"), "blackbox " + " ".join(ABSTRACTED), "prep -top apb_formal", "flatten",
         "memory_map", "opt -fast", "async2sync", "dffunmap",
         f"log CHECK apb: properties, depth {depth}", seq + " -prove-asserts -verify -show-inputs"]
    for w in witnesses:
        s += [f"log CHECK apb: witness {w} reachable within {depth} cycles", seq + f" -prove {w} 0 -falsify"]
    return s


def run(yosys, name, script):
    t0 = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run([yosys, "-p", "; ".join(script)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    checks = [l.strip() for l in p.stdout.splitlines() if l.startswith("CHECK ")]
    if p.returncode != 0:
        err = [l[l.find("ERROR"):] for l in p.stdout.splitlines() if "ERROR" in l]
        print(f"formal {name}: FAILED at '{checks[-1] if checks else 'elaboration'}': "
              f"{err[-1] if err else 'yosys exit ' + str(p.returncode)}", file=sys.stderr)
        log = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"eligo_formal_{name}.log")
        with open(log + ".tmp", "w") as f:
            f.write(p.stdout)
        os.replace(log + ".tmp", log)
        print(f"formal {name}: yosys log (counterexample) in {log}", file=sys.stderr)
        return False
    for c in checks:
        print(f"  {c[6:]}: ok")
    print(f"formal {name}: passed, {cpu:.1f} s CPU, {time.monotonic() - t0:.1f} s wall")
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--group", choices=["fx", "apb", "all"], default="all")
    ap.add_argument("--depth", type=int, default=8, help="APB proof depth in cycles (2..64)")
    ap.add_argument("--witness", action="append", choices=APB_WITNESSES, help="run only this witness")
    ap.add_argument("--no-witnesses", action="store_true", help="skip the APB witness runs")
    ap.add_argument("--yosys", default="yosys")
    a = ap.parse_args()
    if not 2 <= a.depth <= 64:
        print(f"run.py: --depth {a.depth}: allowed range 2..64", file=sys.stderr)
        return 2
    ok = True
    if a.group in ("fx", "all"):
        ok = run(a.yosys, "fx", fx_script()) and ok
    if a.group in ("apb", "all"):
        ok = run(a.yosys, "apb", apb_script(a.depth, [] if a.no_witnesses else a.witness or APB_WITNESSES)) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
