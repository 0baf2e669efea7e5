"""The Python module eligo (python/eligo_module.cpp, docs/python.md) against the eligo command line.

Run by CTest (tests/CMakeLists.txt) with PYTHONPATH=<build>/python and ELIGO_BINARY=<build>/eligo;
small networks so that the whole file takes seconds.
"""
import gc
import json
import os
import signal
import sys
import threading
import time

import numpy as np
import pytest

import eligo
from eligo_testing import Ticker, run_cli, sigint_at

# A small LSNN (20 inputs, 6 LIF + 5 ALIF, 2 readouts, T = 150) as tests/harness/chip_cli_test.cpp.
NET = {
    "seed": 2,
    "network": {"n_in": 20, "n_out": 2, "lif": {"n": 6, "n_ref": 5}, "alif": {"n": 5, "n_ref": 5}},
    "task": {"type": "evidence_accumulation", "n_cues": 3, "t_cue": 20, "t_cue_spacing": 30,
             "t_delay": 40, "t_recall": 20, "test_batches": 1},
    "train": {"algo": "eprop", "iterations": 3, "batch_size": 4, "loss": "cross_entropy",
              "learning_window": 20},
}
CHIP = {"network_config": "net.json", "mode": "train", "iterations": 2, "batch_size": 3,
        "chip": {"lanes": 3, "lr": 0.01, "seed": 5,
                 "deepr": {"connectivity": 0.4, "l1": 0.01, "temperature": 1e-5}}}


@pytest.fixture
def files(tmp_path):
    (tmp_path / "net.json").write_text(json.dumps(NET))
    (tmp_path / "chip.json").write_text(json.dumps(CHIP))
    return tmp_path


# ---- parity with the command line ---------------------------------------------------------------

def test_train_equals_cli_bit_for_bit(files):
    out = files / "run"
    p = run_cli("train", "--config", str(files / "net.json"), "--out", str(out), "--seed", "5")
    assert p.returncode == 0, p.stderr
    net = eligo.Network(str(files / "net.json"), seed=5)
    metrics = net.train()
    cli = json.loads((out / "metrics.json").read_text())
    for k in ("loss", "reg_loss", "accuracy", "firing_rate_hz", "test", "iterations", "seed", "algo"):
        assert metrics[k] == cli[k], k
    w = np.load(out / "weights.npz")
    got = net.weights
    for k in ("W_in", "W_rec", "W_out", "B"):
        assert got[k].dtype == np.float64
        assert np.array_equal(got[k], w[k]), k
    # The dict config gives the same network as the file.
    net2 = eligo.Network(NET, seed=5)
    net2.train()
    assert np.array_equal(net2.weights["W_rec"], w["W_rec"])


def test_train_on_the_analog_core_equals_cli(files):
    """Network.train(backend="analog") = eligo train --backend analog: metrics (energy included) and
    weights."""
    (files / "analog.json").write_text(json.dumps(dict(NET, analog={})))
    out = files / "analog"
    p = run_cli("train", "--backend", "analog", "--config", str(files / "analog.json"), "--out", str(out),
                "--seed", "7")
    assert p.returncode == 0, p.stderr
    net = eligo.Network(str(files / "analog.json"), seed=7)
    seen = []
    m = net.train(seen.append, backend="analog")
    cli = json.loads((out / "metrics.json").read_text())
    assert set(m) == set(cli) and m["backend"] == "analog" and m["energy"]
    for k in set(cli) - {"wall_s"}:
        assert m[k] == cli[k], k
    w = np.load(out / "weights.npz")
    for k in ("W_in", "W_rec", "W_out", "B"):
        assert np.array_equal(net.weights[k], w[k]), k
    assert [e["iteration"] for e in seen] == [0, 1, 2]
    assert eligo.Network(dict(NET, analog={}), seed=7).train(backend="analog")["config"] == "<config dict>"
    with pytest.raises(ValueError, match="backend: 'digital' is not allowed"):
        net.train(backend="digital")


@pytest.mark.parametrize("algo", ["bptt", "eprop"])
def test_grad_equals_cli(files, algo):
    out = files / ("grad_" + algo)
    p = run_cli("grad", "--config", str(files / "net.json"), "--algo", algo, "--out", str(out))
    assert p.returncode == 0, p.stderr
    g = eligo.Network(NET).grad(algo=algo)
    cli = np.load(out / "grads.npz")
    for k in ("dW_in", "dW_rec", "dW_out"):
        assert np.array_equal(g[k], cli[k]), k
    assert g["dW_in"].shape == (11, 20) and g["dW_out"].shape == (2, 11)


def test_chip_run_equals_cli_report(files):
    out = files / "chip"
    p = run_cli("chip", "--config", str(files / "chip.json"), "--out", str(out))
    assert p.returncode == 0, p.stderr
    chip = eligo.Chip(str(files / "chip.json"))
    seen = []
    report = chip.run(progress=seen.append)
    cli = json.loads((out / "report.json").read_text())
    for k in ("timesteps", "cycles", "counters", "loss", "accuracy", "active_connections", "learning_curve",
              "first_test_sample", "quantization_error", "sizes", "energy", "overrun", "k_error", "mode", "config"):
        assert report[k] == cli[k], k
    assert len(seen) == 2 * 3 + 4  # 2 training batches of 3 samples, then the test batch of 4
    assert seen[-1]["phase"] == "test"


def test_chip_dict_config_and_write_stream(files):
    a = eligo.Chip(CHIP, base_dir=str(files))
    b = eligo.Chip(str(files / "chip.json"))
    for c in (a, b):
        c.record_writes()
        r = c.run_sample(0, update=True)
        assert r["cycles"] > 0 and r["label"] in (0, 1)
    sa, sb = a.write_stream(), b.write_stream()
    assert sa.dtype == np.uint64 and sa.ndim == 2 and sa.shape[1] == 3 and len(sa) > 0
    assert np.array_equal(sa, sb)
    assert a.write_hash == b.write_hash
    # The hash is FNV-1a over (memory, address, data) as 8 little-endian bytes each.
    h = 1469598103934665603
    for v in sa.ravel().tolist():
        for byte in int(v).to_bytes(8, "little"):
            h = ((h ^ byte) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    assert a.write_hash == {"hash": "%016x" % h, "writes": len(sa)}


def test_chip_step_by_step_equals_run_sample(files):
    """Stepping from Python gives the state run_sample gives (the host protocol by hand)."""
    a = eligo.Chip(str(files / "chip.json"))
    b = eligo.Chip(str(files / "chip.json"))
    net = eligo.Network(NET)
    x, target = net.batch(0)
    ra = a.run_sample(0)
    T, lw = x.shape[1], a.learning_window
    b.start_sample()
    for t in range(T):
        events = [i for i in range(x.shape[2]) for _ in range(int(x[0, t, i]))]
        b.step(events, b.target_raw(target[0, t]), t >= T - lw)
        assert sum(b.last_cycles.values()) > 0
    b.end_sample(False)
    for m in ("STATE", "Y", "W_IN", "W_REC", "PSI"):
        assert np.array_equal(a.memory(m), b.memory(m)), m
    assert a.cycles == b.cycles and a.counters == b.counters and a.energy == b.energy
    assert a.cycles["total"] == ra["cycles"]
    assert np.array_equal(a.readouts, b.readouts)


def test_chip_memories_and_registers(files):
    c = eligo.Chip(str(files / "chip.json"))
    w = c.memory("W_IN")
    assert w.dtype == np.uint64 and w.shape == (20 * 11,)
    assert w.any()
    w[:] = 0  # a copy: the chip keeps its words
    assert c.memory("W_IN").any()
    c.set_memory("W_IN", w)
    assert not c.memory("W_IN").any()
    regs = c.registers()
    assert regs["CTRL"] == c.read_reg("CTRL")
    c.write_reg("CTRL", regs["CTRL"] ^ 1)
    assert c.read_reg("CTRL") == regs["CTRL"] ^ 1
    with pytest.raises(ValueError, match="W_NOPE"):
        c.memory("W_NOPE")
    with pytest.raises(ValueError, match="does not fit in 16 bits"):
        c.set_memory("W_IN", np.full(220, 1 << 20, dtype=np.uint64))
    with pytest.raises(ValueError, match="holds 220 words"):
        c.set_memory("W_IN", np.zeros(3, dtype=np.int64))
    with pytest.raises(ValueError, match="no register named"):
        c.read_reg("NOPE")
    with pytest.raises(ValueError, match="input event address 20"):
        c.step([20])
    state = c.save_state()
    c.run_sample(0)
    after = c.memory("STATE")
    c.restore_state(state)
    c.run_sample(0)
    assert np.array_equal(c.memory("STATE"), after)


def test_chip_from_network_weights(files):
    """Float weights quantised into a core: the config's own initial weights give the same core."""
    net = eligo.Network(NET)
    a = eligo.Chip(str(files / "chip.json"), weights=net.weights)
    b = eligo.Chip(str(files / "chip.json"))
    assert np.array_equal(a.memory("W_REC"), b.memory("W_REC"))
    w = net.weights
    w["W_rec"] = w["W_rec"] * 0.5
    c = eligo.Chip(str(files / "chip.json"), weights=w)
    assert not np.array_equal(c.memory("W_REC"), b.memory("W_REC"))
    with pytest.raises(ValueError, match="W_rec"):
        eligo.Chip(str(files / "chip.json"), weights={"W_rec": np.zeros((3, 3))})


# ---- arrays: shapes and dtypes ------------------------------------------------------------------

def test_forward_shapes_and_dtypes():
    net = eligo.Network(NET)
    x, target = net.batch(0)
    assert x.shape == (4, 150, 20) and target.shape == (4, 150, 2) and x.dtype == np.float64
    out = net.forward(x)
    assert out["z"].shape == (4, 150, 11) and out["v"].shape == (4, 150, 11) and out["y"].shape == (4, 150, 2)
    assert set(np.unique(out["z"])) <= {0.0, 1.0}
    # Integer and bool rasters are accepted as 0/1; the results are the same.
    assert np.array_equal(net.forward(x.astype(np.int8))["y"], out["y"])
    assert np.array_equal(net.forward(x.astype(bool))["y"], out["y"])
    # The sequences are independent: one alone gives its own slice.
    assert np.array_equal(net.forward(x[1:2])["y"][0], out["y"][1])
    g = net.grad(x, target)
    assert np.isfinite(g["loss"]) and g["dW_rec"].shape == (11, 11)
    # Weights are copies: changing one changes nothing until it is assigned back.
    w = net.weights
    assert [w[k].shape for k in ("W_in", "W_rec", "W_out", "B")] == [(11, 20), (11, 11), (2, 11), (11, 2)]
    w["W_out"][:] = 0
    assert np.array_equal(net.forward(x)["y"], out["y"])
    net.weights = {"W_out": w["W_out"]}
    assert not net.weights["W_out"].any() and not net.forward(x)["y"].any()


def test_array_errors():
    net = eligo.Network(NET)
    x, target = net.batch(0)
    with pytest.raises(ValueError, match="x: expected a 3-D array"):
        net.forward(x[0])
    with pytest.raises(eligo.DataError, match=r"x"):
        net.forward(np.zeros((2, 10, 7)))  # n_in 7 for 20
    with pytest.raises(eligo.DataError, match="x"):
        net.forward(x * 0.5)  # not 0/1 spikes
    with pytest.raises(TypeError, match="not numeric"):
        net.forward(np.full((1, 2, 20), "a"))
    with pytest.raises(eligo.DataError, match="target"):
        net.grad(x, target[:, :, :1])
    bad = target.copy()
    bad[0, 0, 0] = np.nan
    with pytest.raises(eligo.DataError, match="target"):
        net.grad(x, bad)
    with pytest.raises(ValueError, match="both x and target"):
        net.grad(x)
    with pytest.raises(ValueError, match="W_out"):
        net.weights = {"W_out": np.zeros((11, 2))}  # transposed
    with pytest.raises(KeyError):
        net.weights = {"W_nope": np.zeros((1, 1))}
    with pytest.raises(ValueError, match="algo: 'sgd' is not allowed"):
        net.grad(algo="sgd")


# ---- configs ------------------------------------------------------------------------------------

def test_bad_configs_raise_config_error_with_the_cli_message(files):
    bad = json.loads(json.dumps(NET))
    bad["network"]["lif"]["n_ref"] = -1
    (files / "bad.json").write_text(json.dumps(bad))
    p = run_cli("train", "--config", str(files / "bad.json"), "--out", str(files / "o"))
    assert p.returncode == 1
    cli_message = p.stderr.strip().split("error: ", 1)[1]
    assert cli_message.startswith(str(files / "bad.json") + ": network.lif.n_ref")
    with pytest.raises(eligo.ConfigError) as e:
        eligo.Network(str(files / "bad.json"))
    assert str(e.value) == cli_message
    with pytest.raises(eligo.ConfigError) as e:
        eligo.Network(bad)
    assert str(e.value) == cli_message.replace(str(files / "bad.json"), "<config dict>")
    assert issubclass(eligo.ConfigError, ValueError)
    with pytest.raises(eligo.ConfigError, match="chip.lanes"):
        eligo.Chip(dict(CHIP, chip={"lanes": 99}), base_dir=str(files))
    with pytest.raises(eligo.ConfigError, match="not JSON"):
        eligo.Network({"seed": {1, 2}})
    with pytest.raises(eligo.ConfigError, match="not JSON"):
        eligo.Network(dict(NET, seed=float("nan")))
    with pytest.raises(eligo.ConfigError, match="cannot open"):
        eligo.Network(str(files / "missing.json"))
    with pytest.raises(TypeError, match="a dict or a path"):
        eligo.Network(42)


# ---- reference counts, the GIL, interruption ----------------------------------------------------

def test_no_leak_over_repeated_calls(files):
    net = eligo.Network(NET)
    chip = eligo.Chip(str(files / "chip.json"))
    x, _ = net.batch(0)

    def calls():
        net.forward(x)
        net.grad()
        net.weights = net.weights
        chip.memory("W_REC")
        chip.registers()
        chip.step([1, 2, 3])
        _ = chip.counters, chip.cycles, chip.spikes, chip.readouts

    for _ in range(5):
        calls()
    gc.collect()
    rc = sys.getrefcount(x)
    objects = len(gc.get_objects())
    with open("/proc/self/statm") as f:
        rss0 = int(f.read().split()[1])
    for _ in range(200):
        calls()
    gc.collect()
    with open("/proc/self/statm") as f:
        rss1 = int(f.read().split()[1])
    assert sys.getrefcount(x) == rc
    assert len(gc.get_objects()) - objects < 50
    assert (rss1 - rss0) * 4096 < 8 << 20, "resident memory grew by %d pages" % (rss1 - rss0)


def test_long_calls_release_the_gil():
    net = eligo.Network(dict(NET, train=dict(NET["train"], iterations=12, batch_size=16)))
    # forward over a large batch: no Python callback inside, so only a released GIL lets the thread
    # run during the call. Calls until 0.3 s are spent, so that an idle machine's fast calls can
    # tell too.
    x = np.zeros((1024, 150, 20))
    x[:, ::7, :] = 1
    during, spent, calls = 0, 0.0, 0
    with Ticker() as ticker:
        while spent < 0.3 and calls < 50:
            t0 = time.monotonic()
            net.forward(x)
            t1 = time.monotonic()
            during += ticker.between(t0, t1)
            spent += t1 - t0
            calls += 1
    assert spent > 0.1, "the calls were too short to tell (%.3f s)" % spent
    assert during >= 2 * calls + 5, "the thread ran %d times during %.3f s of %d forward() calls" % (during, spent, calls)


def test_ctrl_c_interrupts_training():
    """A SIGINT during train() raises KeyboardInterrupt after the current iteration: the signal is
    sent from the progress callback of iteration 4; the training loop's PyErr_CheckSignals turns it
    into the exception."""
    net = eligo.Network(dict(NET, train=dict(NET["train"], iterations=50)))
    w0 = net.weights["W_rec"]
    seen = []
    with pytest.raises(KeyboardInterrupt):
        net.train(sigint_at("iteration", 4, seen))
    assert seen == [0, 1, 2, 3, 4]
    assert not np.array_equal(net.weights["W_rec"], w0)  # the updates done are kept


def test_ctrl_c_interrupts_training_without_a_callback():
    """SIGINT from another thread while train() runs in C++ without a progress callback: the loop's
    own PyErr_CheckSignals stops it (a million iterations would otherwise take many minutes)."""
    net = eligo.Network(dict(NET, train=dict(NET["train"], iterations=1000000)))
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    t0 = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        net.train()
    timer.join()
    assert time.monotonic() - t0 < 30


def test_progress_exception_stops_training():
    net = eligo.Network(NET)
    seen = []

    def progress(e):
        seen.append(e["iteration"])
        if e["iteration"] == 1:
            raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        net.train(progress)
    assert seen == [0, 1]


def test_help_is_readable():
    assert "Network" in eligo.__doc__ and "ConfigError" in eligo.__doc__
    assert "(B, T, n_in)" in eligo.Network.forward.__doc__
    assert "uint64" in eligo.Chip.memory.__doc__
