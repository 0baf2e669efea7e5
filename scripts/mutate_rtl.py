#!/usr/bin/env python3
"""Mutation check of rtl/: how many small injected faults the lock-step stimuli catch.

usage: scripts/mutate_rtl.py BUILD_DIR [--mutants N] [--seed S] [--timesteps T] [--out DIR]

1. A constrained-random lock-step run on the 20-10-2 configuration (2 lanes) records its input
   pins: `eligo cosim --random T --seed S --sizes 20-10-2-5-2 --record stim.hex` (it must pass:
   the RTL equals the model on it).
2. The unmutated RTL replays the pins on Icarus (rtl/tb/eligo_tb.sv with +dump prints every APB
   answer, AER ready, irq, busy, phase and memory write of every cycle): the reference trace.
3. N mutation sites drawn (seed S) from every operator, comparison and constant of the files of
   rtl/files.f (== / !=, < / <=, > / >=, + / -, && / ||, a dropped !, 1'b0 / 1'b1, a decimal
   constant + 1), one mutant each, in a copy of rtl/; each is compiled by Icarus and replayed.
   A mutant is killed when its trace differs from the reference (or it hangs); one that does not
   compile is not counted. Equivalent mutants are not recognised automatically: the survivors are
   listed (DIR/survivors.txt) for a reader to judge.
Prints the kill rate; DIR/mutants.json has every mutant and its verdict. External tools run from
an argv list (no shell).
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZES = {"NumIn": 20, "NumRec": 10, "NumOut": 2, "NumAlif": 5, "Lanes": 2}

# (name, pattern, replacement): the pattern's group 1 is replaced.
OPERATORS = [
    ("==->!=", re.compile(r"(==)(?!=)"), "!="),
    ("!=->==", re.compile(r"(!=)(?!=)"), "=="),
    ("<-><=", re.compile(r"(?<![<=])(<)(?![<=])"), "<="),
    (">->=", re.compile(r"(?<![->=])(>)(?![>=])"), ">="),
    (">=->", re.compile(r"(?<![>])(>=)"), ">"),
    ("+->-", re.compile(r"(?<![+])(\+)(?![+:=])"), "-"),
    ("-->+", re.compile(r"(?<![-])(-)(?![-:>=])"), "+"),
    ("&&->||", re.compile(r"(&&)"), "||"),
    ("||->&&", re.compile(r"(\|\|)"), "&&"),
    ("drop !", re.compile(r"(!)(?!=)"), ""),
    ("1'b0->1'b1", re.compile(r"(1'b0)"), "1'b1"),
    ("1'b1->1'b0", re.compile(r"(1'b1)"), "1'b0"),
    ("n->n+1", re.compile(r"(?<!['\w.])(\d+)(?![\w'.])"), None),
]


def rtl_files():
    with open(os.path.join(ROOT, "rtl", "files.f"), encoding="utf-8") as f:
        return [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]


def sites(files):
    """Every (file, line index, column, operator index) where an operator applies (code, not comments)."""
    out = []
    for name in files:
        with open(os.path.join(ROOT, "rtl", name), encoding="utf-8") as f:
            lines = f.read().split("\n")
        for i, line in enumerate(lines):
            code = line.split("//", 1)[0]
            if re.match(r"\s*(`|import|module|parameter|localparam|package|endpackage|input|output)", code):
                continue
            if re.match(r"\s*(logic|wire|reg)\b", code) and "=" not in code:
                continue  # a declaration (its widths)
            code = re.sub(r'"[^"]*"', lambda m: " " * len(m.group(0)), code)  # strings
            for k, (_, pat, _) in enumerate(OPERATORS):
                for m in pat.finditer(code):
                    out.append((name, i, m.start(1), k))
    return out


def mutate(text_lines, line, col, k):
    name, pat, repl = OPERATORS[k]
    src = text_lines[line]
    m = pat.match(src, col)
    if not m or m.start(1) != col:
        raise RuntimeError(f"site {line}:{col} moved")
    new = repl if repl is not None else str(int(m.group(1)) + 1)
    mutated = src[:col] + new + src[m.end(1):]
    return mutated, f"{name}: {src.strip()}  =>  {mutated.strip()}"


def compile_sim(rtl_dir, out_vvp):
    argv = ["iverilog", "-g2012", "-o", out_vvp]
    for k, v in SIZES.items():
        argv += ["-P", f"eligo_tb.{k}={v}"]
    argv += [os.path.join(rtl_dir, f) for f in rtl_files()]
    argv.append(os.path.join(ROOT, "rtl", "tb", "eligo_tb.sv"))
    r = subprocess.run(argv, capture_output=True, text=True, check=False)
    return r.returncode == 0, r.stderr


def replay(vvp, stim, n, timeout):
    try:
        r = subprocess.run(["vvp", "-n", vvp, f"+stim={stim}", f"+n={n}", "+dump"], capture_output=True, text=True,
                           timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None
    return r.stdout if r.returncode == 0 else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build")
    ap.add_argument("--mutants", type=int, default=30)
    ap.add_argument("--seed", type=int, default=21)
    ap.add_argument("--timesteps", type=int, default=300)
    ap.add_argument("--out", default="out/mutation")
    a = ap.parse_args()
    if a.mutants < 1 or a.timesteps < 1:
        sys.exit("mutate_rtl: --mutants and --timesteps must be >= 1")
    for tool in ("iverilog", "vvp"):
        if shutil.which(tool) is None:
            sys.exit(f"mutate_rtl: {tool} not found (scripts/install-deps.sh installs iverilog)")
    eligo = os.path.join(a.build, "eligo")
    if not os.access(eligo, os.X_OK):
        sys.exit(f"mutate_rtl: {eligo} not found (build the eligo target)")
    os.makedirs(a.out, exist_ok=True)
    stim = os.path.join(a.out, "stim.hex")
    r = subprocess.run([eligo, "cosim", "--random", str(a.timesteps), "--seed", str(a.seed), "--sizes",
                        "-".join(str(SIZES[k]) for k in ("NumIn", "NumRec", "NumOut", "NumAlif", "Lanes")),
                        "--record", stim, "--out", os.path.join(a.out, "random")],
                       capture_output=True, text=True, check=False)
    print(r.stdout.strip())
    if r.returncode != 0:
        sys.exit("mutate_rtl: the recording run failed (a lock-step mismatch?):\n" + r.stdout + r.stderr)
    with open(stim, encoding="ascii") as f:
        n = sum(1 for ln in f if ln.strip() and not ln.startswith("#"))

    work = tempfile.mkdtemp(prefix="eligo_mut_")
    try:
        ok, err = compile_sim(os.path.join(ROOT, "rtl"), os.path.join(work, "ref.vvp"))
        if not ok:
            sys.exit("mutate_rtl: the unmutated RTL does not compile on Icarus:\n" + err)
        t0 = time.time()
        ref = replay(os.path.join(work, "ref.vvp"), stim, n, None)
        ref_s = time.time() - t0
        if ref is None:
            sys.exit("mutate_rtl: the unmutated replay failed")
        print(f"reference: {n} cycles, {len(ref.splitlines())} trace lines, {ref_s:.1f} s")

        files = rtl_files()
        all_sites = sites(files)
        rng = random.Random(a.seed)
        chosen = rng.sample(all_sites, min(a.mutants, len(all_sites)))
        results = []
        for idx, (name, line, col, k) in enumerate(chosen):
            rtl = os.path.join(work, "rtl")
            shutil.rmtree(rtl, ignore_errors=True)
            shutil.copytree(os.path.join(ROOT, "rtl"), rtl)
            with open(os.path.join(rtl, name), encoding="utf-8") as f:
                text = f.read().split("\n")
            text[line], what = mutate(text, line, col, k)
            with open(os.path.join(rtl, name), "w", encoding="utf-8") as f:
                f.write("\n".join(text))
            vvp = os.path.join(work, "mut.vvp")
            compiled, _ = compile_sim(rtl, vvp)
            if not compiled:
                verdict = "no compile"
            else:
                out = replay(vvp, stim, n, max(30.0, 10 * ref_s))
                verdict = "killed" if out is None or out != ref else "survived"
            results.append({"file": name, "line": line + 1, "mutation": what, "verdict": verdict})
            print(f"[{idx + 1}/{len(chosen)}] {verdict:10s} {name}:{line + 1} {what}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    compiled = [x for x in results if x["verdict"] != "no compile"]
    killed = [x for x in compiled if x["verdict"] == "killed"]
    rate = len(killed) / len(compiled) if compiled else 0.0
    summary = {"sites": len(all_sites), "sampled": len(results), "compiled": len(compiled), "killed": len(killed),
               "kill_rate": rate, "seed": a.seed, "timesteps": a.timesteps, "cycles": n, "mutants": results}
    with open(os.path.join(a.out, "mutants.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
    with open(os.path.join(a.out, "survivors.txt"), "w", encoding="utf-8") as f:
        for x in compiled:
            if x["verdict"] == "survived":
                f.write(f"{x['file']}:{x['line']}  {x['mutation']}\n")
    print(f"{len(all_sites)} mutation sites; {len(results)} sampled, {len(compiled)} compiled, {len(killed)} killed: "
          f"kill rate {100 * rate:.1f}% (equivalent mutants not excluded; survivors in {a.out}/survivors.txt)")


if __name__ == "__main__":
    main()
