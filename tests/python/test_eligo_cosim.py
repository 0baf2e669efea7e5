"""eligo.cosim (python/eligo_module.cpp, docs/python.md) against `eligo cosim --engine cc`.

The RTL of the small verilated configuration (20-10-2, 5 ALIF, 2 lanes: r20x10x2_l2) in lock-step
with the model on a short task (T = 150), so that each co-simulation takes about a second.
"""
import json
import os
import signal
import threading
import time

import pytest

import eligo
from eligo_testing import Ticker, run_cli, sigint_at
from test_eligo_module import NET as MODULE_NET

SMALL = {"n_in": 20, "n_rec": 10, "n_out": 2, "n_alif": 5, "lanes": 2, "synapse_traces": True}

pytestmark = pytest.mark.skipif(not eligo.HAVE_COSIM or SMALL not in eligo.COSIM_SIZES,
                                reason="this build has no co-simulation of the 20-10-2 core (ELIGO_COSIM, ELIGO_RTL_MODELS)")

# test_eligo_module's network with 5 LIF (20-10-2, 5 ALIF).
NET = dict(MODULE_NET, seed=4, network=dict(MODULE_NET["network"], lif={"n": 5, "n_ref": 5}),
           train=dict(MODULE_NET["train"], iterations=2))
TRAIN = {"network_config": "net.json", "mode": "train", "iterations": 2, "batch_size": 2,
         "chip": {"lanes": 2, "lr": 0.01, "seed": 5,
                  "deepr": {"connectivity": 0.5, "l1": 0.01, "temperature": 1e-5}}}
INFER = {"network_config": "net.json", "mode": "inference", "chip": {"lanes": 2}}
# What differs between two runs of the same config and seed: wall times, the output paths.
WALL = ("wall_s", "sim_cycles_per_s", "wall_s_per_train_sample", "waveform")


@pytest.fixture
def files(tmp_path):
    (tmp_path / "net.json").write_text(json.dumps(NET))
    (tmp_path / "train.json").write_text(json.dumps(TRAIN))
    (tmp_path / "infer.json").write_text(json.dumps(INFER))
    return tmp_path


def test_cosim_equals_cli_report(files):
    out = files / "cli"
    p = run_cli("cosim", "--config", str(files / "train.json"), "--engine", "cc", "--out", str(out),
                "--test-samples", "2")
    assert p.returncode == 0, p.stderr
    cli = json.loads((out / "report.json").read_text())
    seen = []
    report = eligo.cosim(str(files / "train.json"), test_samples=2, progress=seen.append)
    assert report["mismatches"] == 0 and report["first_mismatch"] is None
    assert report["timesteps"] == (2 * 2 + 2) * 150 and report["writes_compared"] > 0
    assert set(report) == set(cli)
    for k in set(cli) - set(WALL):
        assert report[k] == cli[k], k
    assert [(e["phase"], e["sample"]) for e in seen] == [("train", 0), ("train", 1)] * 2 + [("test", 0), ("test", 1)]
    # A dict config runs the same RTL writes.
    d = eligo.cosim(TRAIN, base_dir=str(files), test_samples=2)
    assert d["write_hash"] == cli["write_hash"] and d["config"] == "<config dict>"


def test_cosim_write_hash_is_the_chip_models(files):
    """Inference on the RTL writes what the model alone writes (Chip.write_hash, same samples)."""
    report = eligo.cosim(str(files / "infer.json"), samples=2)
    chip = eligo.Chip(str(files / "infer.json"))
    chip.record_writes()
    for s in range(2):
        chip.run_sample(s, test=True)
    assert report["write_hash"] == chip.write_hash["hash"]
    assert report["writes_compared"] == chip.write_hash["writes"]
    assert report["timesteps"] == 2 * 150 and report["mode"] == "inference"


def test_cosim_mismatch_raises_with_the_first_divergence(files):
    """A bit flipped in an RTL memory (not the model's) at timestep 3: the CLI's first mismatch, as
    the exception's attributes."""
    fault = "STATE:3:5@3"
    out = files / "cli"
    p = run_cli("cosim", "--config", str(files / "infer.json"), "--engine", "cc", "--out", str(out),
                "--inject-fault", fault)
    assert p.returncode == 1, p.stderr
    cli = json.loads((out / "report.json").read_text())
    assert cli["mismatches"] == 1
    fst = files / "window.fst"
    with pytest.raises(eligo.MismatchError) as e:
        eligo.cosim(str(files / "infer.json"), faults=[fault], waveform=str(fst))
    err = e.value
    assert isinstance(err, RuntimeError)
    for k, v in cli["first_mismatch"].items():
        assert getattr(err, k) == v, k
    assert err.timestep == 3 and err.memory and err.expected != err.actual
    assert str(err).startswith("cosim: ") and "timestep 3" in str(err)
    for k in set(cli) - set(WALL):
        assert err.report[k] == cli[k], k
    assert err.report["waveform"] == str(fst) and fst.stat().st_size > 0
    assert not (files / "window.fst.tmp").exists()
    # Without the fault the same config runs clean.
    assert eligo.cosim(str(files / "infer.json"))["mismatches"] == 0


def test_cosim_sizes_and_argument_errors(files):
    for s in eligo.COSIM_SIZES:
        assert set(s) == set(SMALL)
    # 11 neurons, 3 lanes: no verilated model; the message names the ones built.
    big = dict(NET, network=dict(NET["network"], lif={"n": 6, "n_ref": 5}))
    (files / "big.json").write_text(json.dumps(big))
    with pytest.raises(ValueError, match=r"no verilated RTL for 20-11-2 \(5 ALIF\), 3 lanes \(available: .*20-10-2"):
        eligo.cosim(dict(INFER, network_config="big.json", chip={"lanes": 3}), base_dir=str(files))
    with pytest.raises(ValueError, match=r"samples: 9 \(allowed: 1 .. 4"):
        eligo.cosim(str(files / "infer.json"), samples=9)
    with pytest.raises(ValueError, match="iterations: only with a training config"):
        eligo.cosim(str(files / "infer.json"), iterations=1)
    with pytest.raises(ValueError, match="ADDRESS 99 is outside STATE"):
        eligo.cosim(str(files / "infer.json"), faults=["STATE:99:0@1"])
    with pytest.raises(eligo.ConfigError, match="chip.lanes"):
        eligo.cosim(dict(INFER, chip={"lanes": 99}), base_dir=str(files))
    assert "MismatchError" in eligo.cosim.__doc__ and "COSIM_SIZES" in eligo.cosim.__doc__


def test_cosim_releases_the_gil(files):
    """One long sample (T = 12110): the per-sample callback takes the GIL once, at its end, so only a
    GIL released during the sample lets the thread tick meanwhile."""
    (files / "long.json").write_text(json.dumps(dict(NET, task=dict(NET["task"], t_delay=12000))))
    with Ticker() as ticker:
        t0 = time.monotonic()
        eligo.cosim(dict(INFER, network_config="long.json"), base_dir=str(files))
        t1 = time.monotonic()
    during = ticker.between(t0, t1)
    assert t1 - t0 > 0.1, "the call was too short to tell (%.3f s)" % (t1 - t0)
    assert during >= 5, "the thread ran %d times during %.3f s of cosim()" % (during, t1 - t0)


def test_ctrl_c_interrupts_the_cosim(files):
    """SIGINT sent from the progress callback of sample 1 (deterministic): KeyboardInterrupt after
    that sample; then SIGINT from another thread during a long run without a callback."""
    seen = []
    with pytest.raises(KeyboardInterrupt):
        eligo.cosim(str(files / "infer.json"), samples=4, progress=sigint_at("sample", 1, seen))
    assert seen == [0, 1]
    long = dict(TRAIN, iterations=1000)  # about 2000 training samples: many minutes if not stopped
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    t0 = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        eligo.cosim(long, base_dir=str(files))
    timer.join()
    assert time.monotonic() - t0 < 30
    # The process can co-simulate again afterwards.
    assert eligo.cosim(str(files / "infer.json"))["mismatches"] == 0
