#!/usr/bin/env python3
"""Mutation check of rtl/: how many small injected faults the lock-step stimuli catch.

usage: scripts/mutate_rtl.py BUILD_DIR [--mutants N] [--seed S] [--timesteps T] [--stimuli LIST]
                             [--equivalents FILE] [--skip-judged] [--min-rate PCT] [--out DIR]
       scripts/mutate_rtl.py BUILD_DIR --rejudge DIR   (today's judgements on an earlier run)

1. Constrained-random lock-step runs record their input pins, one per stimulus of --stimuli
   (SIZES:SEED[:TIMESTEPS], comma-separated; SIZES is NI-NR-NO-NA-LANES of a verilated
   configuration): `eligo cosim --random T --seed SEED --sizes SIZES --record stimK.hex`. Each
   is one random configuration (registers, weights, modes) and must pass: the RTL equals the
   model on it.
2. The unmutated RTL replays each stimulus on Icarus (rtl/tb/eligo_tb.sv with +dump prints every
   APB answer, AER ready, irq, busy, phase and memory write of every cycle): the reference traces.
3. N mutation sites drawn (seed S; at least one per file of rtl/files.f, the rest uniformly over
   all sites) from every operator, comparison and constant of the files (== / !=, < / <=, > / >=,
   + / -, && / ||, a dropped !, 1'b0 / 1'b1, a decimal constant + 1), one mutant each, in a copy
   of rtl/; each is compiled by Icarus and replays the stimuli in order. A mutant is killed when
   one stimulus's trace differs from its reference (or the replay hangs or fails); one that does
   not compile is not counted.
4. Survivors are judged by --equivalents (default scripts/mutation_equivalents.json): a list of
   {file, line, mutant, reason} where `line` is the original line's text and `mutant` the mutated
   line's text (both stripped), so that a judgement applies only while the RTL line is unchanged.
   A survivor with a matching entry is equivalent (excluded from the rate of non-equivalent
   mutants); every other survivor is an unjudged one and counts as a real hole. With --skip-judged
   the judged mutants are not replayed at all (they take their class unchecked: for a quick run with
   more or longer stimuli, after a full run has shown that they survive).
   Mutants inside `ifndef __ICARUS__ blocks (the legal-size checks) are "not simulated": Icarus never
   compiles them; they are not counted.
Prints the raw kill rate and the kill rate of non-equivalent mutants; DIR/mutants.json has every
mutant and its verdict, DIR/survivors.txt the survivors (judged or not). Exit status 1 when
--min-rate is given and the rate of non-equivalent mutants is below it. External tools run from an
argv list (no shell).
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
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZE_NAMES = ("NumIn", "NumRec", "NumOut", "NumAlif", "Lanes")
# equivalent: no input sequence tells it apart; unreachable: only a state no run reaches in practice
# (a 64-bit counter within 2^8 of saturation) would.
CLASSES = ("equivalent", "unreachable")
# Five random configurations of 20-10-2 (2 lanes), two of 37-23-5 (23 ALIF, 4 lanes: partial lane
# chunks, more readouts than lanes); seeds chosen for learning with exact and factored traces,
# overruns and K errors, and short samples (rtl/README.md, "Mutation check").
DEFAULT_STIMULI = ("20-10-2-5-2:29:30,20-10-2-5-2:24:30,20-10-2-5-2:31:30,20-10-2-5-2:37:30,20-10-2-5-2:40:30,"
                   "37-23-5-23-4:22:20,37-23-5-23-4:32:20")

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


def icarus_skipped(files):
    """{file: set of line indices} inside `ifndef __ICARUS__ blocks: Icarus never compiles them."""
    out = {}
    for name in files:
        with open(os.path.join(ROOT, "rtl", name), encoding="utf-8") as f:
            lines = f.read().split("\n")
        inside, skip = False, set()
        for i, line in enumerate(lines):
            code = line.strip()
            if code.startswith("`ifndef __ICARUS__"):
                inside = True
            elif inside and code.startswith(("`endif", "`else")):
                inside = False
            elif inside:
                skip.add(i)
        out[name] = skip
    return out


def choose(all_sites, n, rng):
    """n sites: one per file first (files in random order), then uniformly from the rest."""
    by_file = {}
    for s in all_sites:
        by_file.setdefault(s[0], []).append(s)
    files = sorted(by_file)
    rng.shuffle(files)
    first = [rng.choice(by_file[f]) for f in files][:n]
    rest = [s for s in all_sites if s not in set(first)]
    return first + rng.sample(rest, min(n - len(first), len(rest)))


def mutate(text_lines, line, col, k):
    name, pat, repl = OPERATORS[k]
    src = text_lines[line]
    m = pat.match(src, col)
    if not m or m.start(1) != col:
        raise RuntimeError(f"site {line}:{col} moved")
    new = repl if repl is not None else str(int(m.group(1)) + 1)
    return src[:col] + new + src[m.end(1):]


def parse_stimuli(text, timesteps):
    """SIZES:SEED[:T],... -> [(sizes dict, seed, timesteps)]; a one-line error on bad input."""
    out = []
    for item in text.split(","):
        parts = item.strip().split(":")
        try:
            if len(parts) not in (2, 3):
                raise ValueError
            vals = [int(v) for v in parts[0].split("-")]
            seed = int(parts[1])
            t = int(parts[2]) if len(parts) == 3 else timesteps
            if len(vals) != 5 or min(vals) < 0 or seed < 0 or t < 1:
                raise ValueError
        except ValueError:
            sys.exit(f"mutate_rtl: --stimuli: '{item}' is not NI-NR-NO-NA-LANES:SEED[:TIMESTEPS] "
                     "(sizes and seed >= 0, timesteps >= 1)")
        out.append((dict(zip(SIZE_NAMES, vals)), seed, t))
    return out


def size_key(sizes):
    return "-".join(str(sizes[k]) for k in SIZE_NAMES)


def load_equivalents(path):
    """{(file, line, mutant): reason}; a one-line error naming the file, entry and field."""
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as f:
        try:
            data = json.load(f)
        except json.JSONDecodeError as e:
            sys.exit(f"mutate_rtl: {path}: not JSON ({e})")
    entries = data.get("equivalents") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        sys.exit(f"mutate_rtl: {path}: field 'equivalents' must be a list")
    out = {}
    for i, e in enumerate(entries):
        for field in ("file", "line", "mutant", "reason"):
            if not isinstance(e, dict) or not isinstance(e.get(field), str) or not e[field].strip():
                sys.exit(f"mutate_rtl: {path}: equivalents[{i}].{field} must be a non-empty string")
        if e.get("class", "equivalent") not in CLASSES:
            sys.exit(f"mutate_rtl: {path}: equivalents[{i}].class must be one of {', '.join(CLASSES)}")
        out[(e["file"], e["line"].strip(), e["mutant"].strip())] = (e.get("class", "equivalent"), e["reason"])
    return out


def compile_sim(rtl_dir, sizes, out_vvp):
    argv = ["iverilog", "-g2012", "-o", out_vvp]
    for k, v in sizes.items():
        argv += ["-P", f"eligo_tb.{k}={v}"]
    argv += [os.path.join(rtl_dir, f) for f in rtl_files()]
    argv.append(os.path.join(ROOT, "rtl", "tb", "eligo_tb.sv"))
    r = subprocess.run(argv, capture_output=True, text=True, check=False)
    return r.returncode == 0, r.stderr


def replay(vvp, stim, n, timeout, ref=None):
    """The trace of a replay, or None when it hangs (timeout) or fails. With `ref`: True when the trace
    equals ref, False at its first differing line (the simulation is stopped there)."""
    argv = ["vvp", "-n", vvp, f"+stim={stim}", f"+n={n}", "+dump"]
    if ref is None:
        try:
            r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return None
        return r.stdout if r.returncode == 0 else None
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    same = True
    try:
        ref_lines = iter(ref.splitlines(keepends=True))
        for got in proc.stdout:
            if got != next(ref_lines, None):
                same = False
                break
        else:
            same = next(ref_lines, None) is None
    finally:
        if not same:
            proc.kill()
        rc = proc.wait()
        timer.cancel()
        proc.stdout.close()
    return same and rc == 0


def write_json(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2)
    os.replace(tmp, path)


def record(eligo, out, k, sizes, seed, t):
    """Records stimulus k; returns (path, cycles)."""
    stim = os.path.join(out, f"stim{k}.hex")
    r = subprocess.run([eligo, "cosim", "--random", str(t), "--seed", str(seed), "--sizes", size_key(sizes),
                        "--record", stim, "--out", os.path.join(out, f"random{k}")],
                       capture_output=True, text=True, check=False)
    print(r.stdout.strip().splitlines()[0] if r.stdout.strip() else "")
    if r.returncode != 0:
        sys.exit(f"mutate_rtl: the recording run of stimulus {k} ({size_key(sizes)}, seed {seed}) failed "
                 "(a lock-step mismatch, or a size that is not verilated?):\n" + r.stdout + r.stderr)
    with open(stim, encoding="ascii") as f:
        n = sum(1 for ln in f if ln.strip() and not ln.startswith("#"))
    return stim, n


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build")
    ap.add_argument("--mutants", type=int, default=30)
    ap.add_argument("--seed", type=int, default=21, help="seed of the mutation sites")
    ap.add_argument("--timesteps", type=int, default=300, help="timesteps of a stimulus without its own")
    ap.add_argument("--stimuli", default=DEFAULT_STIMULI, help="SIZES:SEED[:TIMESTEPS],... (default: %(default)s)")
    ap.add_argument("--equivalents", default=os.path.join(ROOT, "scripts", "mutation_equivalents.json"))
    ap.add_argument("--min-rate", type=float, default=None, help="exit 1 below this kill rate of non-equivalent mutants (%%)")
    ap.add_argument("--skip-judged", action="store_true",
                    help="do not replay mutants the equivalents list judges (they take their class unchecked)")
    ap.add_argument("--out", default="out/mutation")
    ap.add_argument("--rejudge", metavar="DIR",
                    help="replay nothing: apply the equivalents list as it is now to DIR/mutants.json of an earlier run")
    a = ap.parse_args()
    if a.rejudge:
        return rejudge(a)
    if a.mutants < 1 or a.timesteps < 1:
        sys.exit("mutate_rtl: --mutants and --timesteps must be >= 1")
    if a.min_rate is not None and not 0 <= a.min_rate <= 100:
        sys.exit("mutate_rtl: --min-rate must be in 0 .. 100")
    for tool in ("iverilog", "vvp"):
        if shutil.which(tool) is None:
            sys.exit(f"mutate_rtl: {tool} not found (scripts/install-deps.sh installs iverilog)")
    eligo = os.path.join(a.build, "eligo")
    if not os.access(eligo, os.X_OK):
        sys.exit(f"mutate_rtl: {eligo} not found (build the eligo target)")
    stimuli = parse_stimuli(a.stimuli, a.timesteps)
    equivalents = load_equivalents(a.equivalents)
    os.makedirs(a.out, exist_ok=True)
    stims = [record(eligo, a.out, k, *s) for k, s in enumerate(stimuli)]

    work = tempfile.mkdtemp(prefix="eligo_mut_")
    try:
        refs, ref_s = [], []
        for k, ((sizes, seed, _), (stim, n)) in enumerate(zip(stimuli, stims)):
            vvp = os.path.join(work, f"ref_{size_key(sizes)}.vvp")
            if not os.path.exists(vvp):
                ok, err = compile_sim(os.path.join(ROOT, "rtl"), sizes, vvp)
                if not ok:
                    sys.exit("mutate_rtl: the unmutated RTL does not compile on Icarus:\n" + err)
            t0 = time.time()
            ref = replay(vvp, stim, n, None)
            ref_s.append(time.time() - t0)
            if ref is None:
                sys.exit(f"mutate_rtl: the unmutated replay of stimulus {k} failed")
            refs.append(ref)
            print(f"reference {k} ({size_key(sizes)}, seed {seed}): {n} cycles, {len(ref.splitlines())} trace lines, "
                  f"{ref_s[-1]:.1f} s")

        files = rtl_files()
        all_sites = sites(files)
        rng = random.Random(a.seed)
        chosen = choose(all_sites, a.mutants, rng)
        skipped = icarus_skipped(files)
        results = []
        summary = {}
        t_start = time.time()
        for idx, (name, line, col, k) in enumerate(chosen):
            rtl = os.path.join(work, "rtl")
            shutil.rmtree(rtl, ignore_errors=True)
            shutil.copytree(os.path.join(ROOT, "rtl"), rtl)
            with open(os.path.join(rtl, name), encoding="utf-8") as f:
                text = f.read().split("\n")
            original = text[line]
            text[line] = mutate(text, line, col, k)
            with open(os.path.join(rtl, name), "w", encoding="utf-8") as f:
                f.write("\n".join(text))
            verdict, by = "survived", None
            compiled = {}
            judged = equivalents.get((name, original.strip(), text[line].strip()))
            if line in skipped[name]:
                verdict = "not simulated"
            elif a.skip_judged and judged is not None:
                verdict = "skip"
            for j, ((sizes, _, _), (stim, n)) in enumerate(zip(stimuli, stims)):
                if verdict != "survived":
                    break
                key = size_key(sizes)
                if key not in compiled:
                    vvp = os.path.join(work, f"mut_{key}.vvp")
                    compiled[key] = vvp if compile_sim(rtl, sizes, vvp)[0] else None
                if compiled[key] is None:
                    verdict = "no compile"
                    break
                if not replay(compiled[key], stim, n, max(30.0, 10 * ref_s[j]), refs[j]):
                    verdict, by = "killed", j
                    break
            reason, replayed = None, verdict != "skip"
            if verdict in ("survived", "skip") and judged is not None:
                verdict, reason = judged
            results.append({"file": name, "line": line + 1, "operator": OPERATORS[k][0], "original": original.strip(),
                            "mutant": text[line].strip(), "verdict": verdict, "killed_by": by, "reason": reason,
                            "replayed": replayed})
            print(f"[{idx + 1}/{len(chosen)}] {verdict + ('' if replayed else ' (judged, not replayed)'):10s} {name}:{line + 1} {OPERATORS[k][0]}: {original.strip()}  =>  "
                  f"{text[line].strip()}" + (f"  (stimulus {by})" if by is not None else ""), flush=True)
            summary = summarize(results, all_sites, a, stimuli, stims, time.time() - t_start)
            write_json(os.path.join(a.out, "mutants.json"), summary)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    report(summary, results, equivalents, a)


def rejudge(a):
    """The verdicts of DIR/mutants.json with today's judgements (a judged mutant that was not replayed
    and lost its judgement becomes an unjudged survivor)."""
    path = os.path.join(a.rejudge, "mutants.json")
    try:
        with open(path, encoding="utf-8") as f:
            old = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        sys.exit(f"mutate_rtl: --rejudge: {path}: {e}")
    equivalents = load_equivalents(a.equivalents)
    results = old["mutants"]
    skipped = icarus_skipped(rtl_files())
    for x in results:
        if x["verdict"] != "no compile" and x["line"] - 1 in skipped.get(x["file"], ()):
            x["verdict"] = "not simulated"
        if x["verdict"] in ("survived",) + CLASSES:
            judged = equivalents.get((x["file"], x["original"], x["mutant"]))
            x["verdict"], x["reason"] = judged if judged is not None else ("survived", None)
    summary = dict(old)
    summary.update({k: v for k, v in summarize(results, [None] * old["sites"], argparse.Namespace(seed=old["seed"]), [], [],
                                                old["wall_s"]).items() if k not in ("stimuli",)})
    summary["killed_by_stimulus"] = old["killed_by_stimulus"]
    a.out = a.rejudge
    write_json(path, summary)
    report(summary, results, equivalents, a)


def report(summary, results, equivalents, a):
    with open(os.path.join(a.out, "survivors.txt"), "w", encoding="utf-8") as f:
        for x in results:
            if x["verdict"] in ("survived",) + CLASSES:
                tag = f"{x['verdict']}: {x['reason']}" if x["verdict"] in CLASSES else "UNJUDGED"
                f.write(f"{x['file']}:{x['line']}  {x['operator']}: {x['original']}  =>  {x['mutant']}\n    {tag}\n")
    # A judgement whose line is no longer in the RTL judges nothing (its mutant is unjudged).
    stale = []
    for (name, line, _), _ in equivalents.items():
        with open(os.path.join(ROOT, "rtl", name), encoding="utf-8") as f:
            if line not in {ln.strip() for ln in f}:
                stale.append((name, line))
    s = summary
    print(f"{s['sites']} mutation sites; {s['sampled']} sampled, {s['not_simulated']} not simulated (`ifndef __ICARUS__), "
          f"{s['compiled']} compiled, {s['killed']} killed: raw kill rate {100 * s['raw_kill_rate']:.1f}%; "
          f"{s['equivalent']} equivalent, {s['unreachable']} unreachable ({s['judged_not_replayed']} of them not replayed), "
          f"{s['unjudged']} unjudged survivors: "
          f"kill rate of non-equivalent mutants {100 * s['kill_rate']:.1f}% ({s['killed']}/{s['killed'] + s['unjudged']}); "
          f"killed by stimulus {s['killed_by_stimulus']}; {s['wall_s']:.0f} s (survivors in {a.out}/survivors.txt)")
    print(f"{len(equivalents)} judgements in {a.equivalents}; {len(stale)} stale (line no longer in the RTL)")
    for name, line in stale:
        print(f"  stale: {name}: {line}")
    if a.min_rate is not None and 100 * s["kill_rate"] < a.min_rate:
        print(f"mutate_rtl: kill rate of non-equivalent mutants {100 * s['kill_rate']:.1f}% < --min-rate {a.min_rate}%")
        sys.exit(1)


def summarize(results, all_sites, a, stimuli, stims, wall):
    compiled = [x for x in results if x["verdict"] not in ("no compile", "not simulated")]
    count = lambda v: sum(1 for x in compiled if x["verdict"] == v)
    killed, unjudged = count("killed"), count("survived")
    by = [sum(1 for x in compiled if x["killed_by"] == j) for j in range(len(stimuli))]
    real = killed + unjudged
    return {"sites": len(all_sites), "sampled": len(results), "compiled": len(compiled), "killed": killed,
            "not_simulated": sum(1 for x in results if x["verdict"] == "not simulated"),
            "judged_not_replayed": sum(1 for x in compiled if not x.get("replayed", True)),
            "equivalent": count("equivalent"), "unreachable": count("unreachable"), "unjudged": unjudged,
            "raw_kill_rate": killed / len(compiled) if compiled else 0.0,
            "kill_rate": killed / real if real else 1.0, "killed_by_stimulus": by,
            "seed": a.seed, "stimuli": [{"sizes": size_key(s), "seed": sd, "timesteps": t, "cycles": n}
                                        for (s, sd, t), (_, n) in zip(stimuli, stims)],
            "wall_s": wall, "mutants": results}


if __name__ == "__main__":
    main()
