#!/usr/bin/env bash
# Long learning regressions (not CI): full-size e-prop paper tasks with the float reference.
#   scripts/regress.sh BUILD_DIR     (env: EA_ITERATIONS, default 500; PG_ITERATIONS, default 2000;
#   SOAK_TIMESTEPS, default 1000000, and SOAK_SEED: the co-simulation soak, scripts/soak.py;
#   ELIGO_RANDOM_TIMESTEPS, default 100000, and ELIGO_RANDOM_SEED: the constrained-random one)
set -euo pipefail
build=${1:-build}
out=out/regress
mkdir -p "$out"
ea_iters=${EA_ITERATIONS:-500}
pg_iters=${PG_ITERATIONS:-2000}

run() {  # name config algo iterations
  echo "== $1: $2 --algo $3 --iterations $4"
  "$build/eligo" train --config "$2" --algo "$3" --iterations "$4" --out "$out/$1"
  /usr/bin/python3 scripts/plot_run.py "$out/$1" >/dev/null
}

missed=()
# Constrained-random lock-step co-simulation (issue 21, systemc/random_cosim.hpp):
# ELIGO_RANDOM_TIMESTEPS (default 10^5) timesteps of random configurations on every verilated size
# configuration, seed ELIGO_RANDOM_SEED (default 21; size k uses the seed + k); 0 mismatches.
ELIGO_REGRESS=1 "$build/tests/systemc_cosim_random_regress_test" | tee "$out/random_cosim.txt" ||
  missed+=("constrained-random co-simulation: a mismatch (see $out/random_cosim.txt)")
# Co-simulation soak (issue 16): SOAK_TIMESTEPS (default 10^6) timesteps of the RTL in lock-step
# with the bit-exact model (eligo cosim, cc engine), inference and on-chip training in turn on every
# verilated configuration, random seeds from SOAK_SEED (printed; set it to repeat a soak), random
# chip options; 0 mismatches. 15 to 30 min on a shared 2-core machine (docs/results.md: 14.9 min).
/usr/bin/python3 scripts/soak.py "$build" "$out/soak" | tee "$out/soak.txt" ||
  missed+=("co-simulation soak: a mismatch or a failed run (see $out/soak.txt)")

# DEEP R against dense networks (Fashion-MNIST MLP at 2%; LSNN evidence accumulation at 20%, the
# reduced task over 3 seeds and the full-size examples/evidence_accumulation.json, dense e-prop
# vs e-prop + DEEP R, ELIGO_DEEPR_EA_FULL_ITERATIONS (300) iterations, ELIGO_DEEPR_EA_FULL_SEEDS (1)
# seeds: 3 to 5 s of one core per iteration, so 30 to 50 min for the two runs of one seed).
# Their assertions are the issues' targets: a miss is reported and the other runs go on.
ELIGO_REGRESS=1 "$build/tests/golden_model_float_deepr_full_regress_test" | tee "$out/deepr.txt" ||
  missed+=("DEEP R vs dense (see $out/deepr.txt)")
# CLAPP on Fashion-MNIST: per-layer linear probes vs random, pixels, supervised (hierarchical
# encoder of examples/clapp_fashion_mnist.json).
ELIGO_REGRESS=1 ELIGO_CLAPP_TABLE="$out/clapp.md" \
  "$build/tests/golden_model_float_clapp_full_regress_test" | tee "$out/clapp.txt" ||
  missed+=("CLAPP targets (see $out/clapp.txt)")

# ReckOn's cue-accumulation benchmark on the bit-exact chip model (10 epochs, 2 to 5 min), when
# its data are there (../shared/data or $ELIGO_SHARED_DATA): the reader on the real files, then
# accuracy per epoch beside ReckOn's own figures. Reported, not a pass/fail target.
ELIGO_REGRESS=1 "$build/tests/golden_model_tasks_reckon_cue_regress_test" | tee "$out/reckon_cue_reader.txt" ||
  missed+=("ReckOn data reader (see $out/reckon_cue_reader.txt)")
if [[ -d "${ELIGO_SHARED_DATA:-../shared/data}/reckon-cue-accumulation" ]]; then
  echo "== reckon_cue_accumulation: examples/reckon_cue_accumulation.json on the bit-exact chip model"
  "$build/eligo" chip --config examples/reckon_cue_accumulation.json --out "$out/reckon_cue" ||
    missed+=("ReckOn cue accumulation run (eligo chip)")
fi

# On-chip learning in RTL (issue 5): the default chip config (examples/chip_evidence_accumulation.json:
# e-prop, SGD, DEEP R at 30%, CHIP_RTL_ITERATIONS (its 150) updates of 16 samples) learned by the
# verilated RTL in lock-step with the bit-exact model (any mismatch stops the run), beside float
# e-prop on the same network and task (examples/evidence_accumulation_demo.json); target: the RTL
# within 5 points of float e-prop. Both test on 256 samples (chip: 16 batches of 16; float: 4 of
# 64); 64 samples have a standard error of about 4 points (chip seed 7: 0.887 on 64, 0.870 on 256).
# About 2 s of RTL per training sample: 80 to 100 min.
rtl_iters=${CHIP_RTL_ITERATIONS:-150}
echo "== on-chip learning: eligo cosim (cc engine), $rtl_iters iterations, vs float e-prop"
"$build/eligo" train --config examples/evidence_accumulation_demo.json --out "$out/chip_float_eprop"
if "$build/eligo" cosim --config examples/chip_evidence_accumulation.json --engine cc --iterations "$rtl_iters" \
     --out "$out/chip_rtl"; then
  /usr/bin/python3 scripts/compare_learning.py "$out/chip_float_eprop" "$out/chip_rtl" "$out/chip_rtl" |
    tee "$out/chip_rtl/summary.txt"
  grep -q "PASS" "$out/chip_rtl/learning_comparison.md" || missed+=("RTL within 5 points of float e-prop (see $out/chip_rtl)")
else
  missed+=("on-chip learning co-simulation (see $out/chip_rtl/report.json)")
fi
# seeded_config EXAMPLE SEED OUT [CHIP_JSON]: EXAMPLE (a chip config under examples/) with chip.seed
# SEED and the keys of CHIP_JSON (an object) set in its chip section, written to OUT with its
# referenced network config and ReckOn data directory as absolute paths.
seeded_config() {
  /usr/bin/python3 - "$1" "$2" "$3" "${4:-{\}}" <<'PY'
import json, os, sys
src, seed, dst = sys.argv[1], int(sys.argv[2]), sys.argv[3]
c = json.load(open(src))
c["chip"]["seed"] = seed
c["chip"].update(json.loads(sys.argv[4]))
if isinstance(c.get("network_config"), str):
    c["network_config"] = os.path.join(os.path.abspath(os.path.dirname(src)), c["network_config"])
if c.get("task", {}).get("type") == "reckon_cue_accumulation":
    c["task"]["data_dir"] = os.path.join(os.environ.get("ELIGO_SHARED_DATA", os.path.abspath("../shared/data")),
                                         "reckon-cue-accumulation")
json.dump(c, open(dst, "w"), indent=2)
PY
}

# Evidence accumulation with the sign step (issue 15): examples/chip_evidence_accumulation_sign.json
# (CTRL.UPD_SIGN, batch 64, no DEEP R) on the bit-exact model for chip seeds 7 1 2 3 (about 4 min
# each); target: mean test accuracy >= 0.94 (within 3 points of float e-prop with Adam, 0.969).
# The same config on the RTL in lock-step for each chip seed of EA_SIGN_RTL_SEEDS (default 7; set
# it empty to skip): about 2 s of RTL per training sample, so 5 to 6 hours per seed; the run stops
# at the first mismatch and its test accuracy is checked against the model's for the same seed.
ea_sign_dirs=()
for seed in 7 1 2 3; do
  mkdir -p "$out/ea_sign_s$seed"
  seeded_config examples/chip_evidence_accumulation_sign.json "$seed" "$out/ea_sign_s$seed/config.json"
  if "$build/eligo" chip --config "$out/ea_sign_s$seed/config.json" --out "$out/ea_sign_s$seed"; then
    ea_sign_dirs+=("$out/ea_sign_s$seed")
  else
    missed+=("evidence accumulation with the sign step, seed $seed (eligo chip)")
  fi
done
if [[ ${#ea_sign_dirs[@]} -gt 0 ]]; then
  /usr/bin/python3 - "${ea_sign_dirs[@]}" <<'PY' | tee "$out/ea_sign.txt" || missed+=("evidence accumulation with the sign step: >= 0.94 (see $out/ea_sign.txt)")
import json, os, statistics, sys
acc = [json.load(open(os.path.join(d, "report.json")))["accuracy"] for d in sys.argv[1:]]
m = statistics.mean(acc)
print("evidence accumulation, sign step, test accuracy per seed:", " ".join(f"{a:.3f}" for a in acc),
      f"mean {m:.3f}", "PASS" if m >= 0.94 else "MISS", "(target >= 0.94; float e-prop with Adam 0.969)")
sys.exit(0 if m >= 0.94 else 1)
PY
fi
for seed in ${EA_SIGN_RTL_SEEDS-7}; do
  d="$out/ea_sign_rtl_s$seed"
  mkdir -p "$d"
  seeded_config examples/chip_evidence_accumulation_sign.json "$seed" "$d/config.json"
  echo "== evidence accumulation, sign step, on the RTL (eligo cosim, cc engine), chip.seed $seed"
  if "$build/eligo" cosim --config "$d/config.json" --engine cc --out "$d"; then
    /usr/bin/python3 - "$d" "$out/ea_sign_s$seed" <<'PY' || missed+=("evidence accumulation, sign step, RTL seed $seed differs from the model")
import json, os, sys
rtl = json.load(open(os.path.join(sys.argv[1], "report.json")))["test"]["rtl"]["accuracy"]
model = json.load(open(os.path.join(sys.argv[2], "report.json")))["accuracy"]
print(f"RTL test accuracy {rtl:.3f}, model {model:.3f}", "PASS" if rtl == model else "MISS")
sys.exit(0 if rtl == model else 1)
PY
  else
    missed+=("evidence accumulation with the sign step on the RTL, seed $seed (eligo cosim)")
  fi
done

# Trace architectures (issue 20) on ReckOn's benchmark, bit-exact model, 4 lanes, 3 epochs, chip
# seeds 7 1 2 3: exact traces against windowed traces on the learning window only; targets for
# the windowed mode: <= 380 cycles per training timestep (ReckOn's) and within 2 points of exact
# after every epoch. About 1 min.
if [[ -d "${ELIGO_SHARED_DATA:-../shared/data}/reckon-cue-accumulation" ]]; then
  trace_dirs=()
  for mode in exact windowed; do
    for seed in 7 1 2 3; do
      d="$out/reckon_trace_${mode}_s$seed"
      mkdir -p "$d"
      seeded_config examples/reckon_cue_accumulation.json "$seed" "$d/config.json" \
        "{\"lanes\": 4, \"trace\": \"$mode\"$([[ $mode == windowed ]] && echo ', "trace_pre_steps": 0')}"
      "$build/eligo" chip --config "$d/config.json" --epochs 3 --out "$d" >/dev/null || missed+=("ReckOn, trace $mode, seed $seed")
      trace_dirs+=("$d")
    done
  done
  /usr/bin/python3 - "${trace_dirs[@]}" <<'PY' | tee "$out/reckon_trace_modes.txt" || missed+=("trace architectures on ReckOn's benchmark (see $out/reckon_trace_modes.txt)")
import json, os, statistics, sys
by = {}
for d in sys.argv[1:]:
    mode = os.path.basename(d).split("_")[2]
    by.setdefault(mode, []).append(json.load(open(os.path.join(d, "report.json")))["epochs"])
res = {}
for mode, runs in by.items():
    acc = [statistics.mean(r[e]["test_accuracy"] for r in runs) for e in range(3)]
    cyc = statistics.mean(r[0]["cycles_per_timestep_train"] for r in runs)
    res[mode] = (acc, cyc)
    print(f"{mode:9s} test after epochs 1-3: " + " ".join(f"{a:.3f}" for a in acc) + f", {cyc:.0f} cycles per training timestep")
(wa, wc), (ea, _) = res["windowed"], res["exact"]
ok = wc <= 380 and all(w >= e - 0.02 for w, e in zip(wa, ea))
print("PASS" if ok else "MISS", "(windowed: <= 380 cycles per timestep at 4 lanes, within 2 points of exact)")
sys.exit(0 if ok else 1)
PY
  /usr/bin/python3 scripts/plot_trace_modes.py "$out/reckon_trace_modes.png" "${trace_dirs[@]}" ||
    missed+=("trace-mode plot")
fi

# ReckOn's cue accumulation on the RTL (its 50 + 50 samples and initial weights) in lock-step, for
# each chip seed of RECKON_RTL_SEEDS (default 1 2 3 7), RECKON_RTL_EPOCHS epochs (default 3), and
# issue 15's targets on the mean over the seeds: >= 96% test after epoch 1 and >= 98% after
# epoch 3 (ReckOn's own RTL: 90% after epoch 1). RECKON_RTL_TRACE_PRE_STEPS (default 50) runs
# the chip with windowed traces (chip.trace "windowed", docs/results.md "Windowed traces on the
# chip": the same accuracy on the model, 7 times fewer cycles); set it to "exact" for exact
# traces (about 25 min of RTL per epoch and seed).
if [[ -d "${ELIGO_SHARED_DATA:-../shared/data}/reckon-cue-accumulation" ]]; then
  pre=${RECKON_RTL_TRACE_PRE_STEPS:-50}
  reckon_chip='{}'
  [[ $pre == exact ]] || reckon_chip="{\"trace\": \"windowed\", \"trace_pre_steps\": $pre}"
  reckon_dirs=()
  for seed in ${RECKON_RTL_SEEDS:-1 2 3 7}; do
    echo "== reckon_cue_accumulation on the RTL (eligo cosim, cc engine), chip.seed $seed"
    mkdir -p "$out/reckon_cue_rtl_s$seed"
    seeded_config examples/reckon_cue_accumulation.json "$seed" "$out/reckon_cue_rtl_s$seed/config.json" "$reckon_chip"
    if "$build/eligo" cosim --config "$out/reckon_cue_rtl_s$seed/config.json" --engine cc \
         --epochs "${RECKON_RTL_EPOCHS:-3}" --out "$out/reckon_cue_rtl_s$seed"; then
      reckon_dirs+=("$out/reckon_cue_rtl_s$seed")
    else
      missed+=("ReckOn cue accumulation on the RTL, seed $seed (eligo cosim)")
    fi
  done
  if [[ ${#reckon_dirs[@]} -gt 0 ]]; then
    /usr/bin/python3 - "${reckon_dirs[@]}" <<'PY' | tee "$out/reckon_cue_rtl.txt" || missed+=("ReckOn on the RTL: issue 15 targets (see $out/reckon_cue_rtl.txt)")
import json, os, sys
runs = [json.load(open(os.path.join(d, "report.json")))["epochs"] for d in sys.argv[1:]]
n = min(len(r) for r in runs)
mean = [sum(r[e]["test_accuracy"] for r in runs) / len(runs) for e in range(n)]
print("ReckOn on the RTL, mean test accuracy per epoch over", len(runs), "seeds:", " ".join(f"{a:.3f}" for a in mean))
ok = mean[0] >= 0.96 and (n < 3 or mean[2] >= 0.98)
print("PASS" if ok else "MISS", "(targets: >= 0.96 after epoch 1, >= 0.98 after epoch 3; ReckOn's RTL 0.90 after epoch 1)")
sys.exit(0 if ok else 1)
PY
  fi
fi
run pattern_generation_eprop examples/pattern_generation.json eprop "$pg_iters"
run evidence_accumulation_bptt examples/evidence_accumulation.json bptt "$ea_iters"
run evidence_accumulation_eprop examples/evidence_accumulation.json eprop "$ea_iters"

/usr/bin/python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
rows = []
def load(name):
    with open(os.path.join(out, name, "metrics.json")) as f:
        return json.load(f)
pg = load("pattern_generation_eprop")
ratio = pg["loss"][0] / pg["loss"][-1]
rows.append(("pattern generation, e-prop", f"loss {pg['loss'][0]:.4g} -> {pg['loss'][-1]:.4g} ({ratio:.1f}x)",
             "PASS" if ratio >= 5 else "MISS", pg["wall_s"]))
for algo in ("bptt", "eprop"):
    m = load(f"evidence_accumulation_{algo}")
    acc = m["test"]["accuracy"]
    rows.append((f"evidence accumulation, {algo}", f"test accuracy {acc:.3f} after {m['iterations']} it.",
                 "PASS" if acc >= 0.85 else "MISS", m["wall_s"]))
lines = ["| run | result | target | wall s |", "|---|---|---|---|"]
lines += [f"| {a} | {b} | {c} | {d:.0f} |" for a, b, c, d in rows]
text = "\n".join(lines) + "\n"
tmp = os.path.join(out, "summary.md.tmp")
with open(tmp, "w") as f:
    f.write(text)
os.replace(tmp, os.path.join(out, "summary.md"))
print(text)
print(f"plots and metrics under {out}/")
PY
for m in "${missed[@]+"${missed[@]}"}"; do echo "MISS: $m"; done
[[ ${#missed[@]} -eq 0 ]]
