"""eligo.train_image (python/eligo_module.cpp, docs/python.md): the MLP and CLAPP configs of
`eligo train` from Python, against the command line. Tiny runs (a few hundred Fashion-MNIST images,
a second each); skipped without the data set (Debian's dataset-fashion-mnist).
"""
import json

import pytest

import eligo
from eligo_testing import run_cli, sigint_at

pytestmark = pytest.mark.skipif(not eligo.have_fashion_mnist(),
                                reason="Fashion-MNIST not found (apt install dataset-fashion-mnist, or set ELIGO_FASHION_MNIST_DIR)")

MLP = {"model": "mlp", "seed": 3, "data": {"train_images": 600, "test_images": 200},
       "mlp": {"sizes": [784, 32, 10], "epochs": 2, "batch_size": 50, "optimizer": "adam", "lr": 0.01},
       "deepr": {"connectivity": 0.1, "l1": 1e-4, "temperature": 1e-10}}
CLAPP = {"model": "clapp", "clapp": {"seed": 2, "n_train": 200, "n_test": 100, "hidden": [8, 16], "patch": 8,
                                     "grid": 4, "kernel": 2, "offsets": [1, 1], "epochs": 1, "batch_size": 32,
                                     "probe_epochs": 1, "probe_repeats": 1, "supervised_epochs": 1,
                                     "views_per_image": 2}}


def cli_metrics(tmp_path, name, config, *args):
    path = tmp_path / (name + ".json")
    path.write_text(json.dumps(config))
    out = tmp_path / (name + "_cli")
    p = run_cli("train", "--config", str(path), "--out", str(out), *args)
    assert p.returncode == 0, p.stderr
    return path, json.loads((out / "metrics.json").read_text())


def without_wall(m, log):
    m = dict(m, **{log: [{k: v for k, v in e.items() if k != "wall_s"} for e in m[log]]})
    m.pop("wall_s")
    return m


def test_mlp_equals_cli(tmp_path):
    path, cli = cli_metrics(tmp_path, "mlp", MLP, "--seed", "5")
    seen = []
    m = eligo.train_image(str(path), seed=5, progress=seen.append)
    assert without_wall(m, "epochs") == without_wall(cli, "epochs")
    assert m["seed"] == 5 and m["algo"] == "deepr" and m["config"] == str(path)
    assert [e["epoch"] for e in seen] == [0, 1] and seen[-1]["test_accuracy"] == m["test_accuracy"]
    # A dict config gives the same run.
    d = eligo.train_image(MLP, seed=5)
    assert d["config"] == "<config dict>" and without_wall(d, "epochs") == dict(without_wall(m, "epochs"), config=d["config"])


def test_clapp_equals_cli(tmp_path):
    path, cli = cli_metrics(tmp_path, "clapp", CLAPP)
    lines = []
    m = eligo.train_image(str(path), progress=lines.append)
    assert without_wall(m, "clapp_epochs") == without_wall(cli, "clapp_epochs")
    assert m["probe_accuracy"]["clapp"] and lines and all(isinstance(s, str) for s in lines)


def test_image_config_errors(tmp_path):
    bad = dict(MLP, mlp=dict(MLP["mlp"], sizes=[100, 10]))
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    p = run_cli("train", "--config", str(path), "--out", str(tmp_path / "o"))
    assert p.returncode == 1
    cli_message = p.stderr.strip().split("error: ", 1)[1]
    assert "mlp.sizes" in cli_message
    with pytest.raises(eligo.ConfigError) as e:
        eligo.train_image(str(path))
    assert str(e.value) == cli_message
    with pytest.raises(eligo.ConfigError, match=r"<config dict>: clapp.*hidden"):
        eligo.train_image(dict(CLAPP, clapp=dict(CLAPP["clapp"], hidden=[0])))
    with pytest.raises(eligo.ConfigError, match="model: 'lsnn' is not an image model"):
        eligo.train_image({"seed": 1})


def test_ctrl_c_interrupts_mlp_training():
    seen = []
    with pytest.raises(KeyboardInterrupt):
        eligo.train_image(dict(MLP, mlp=dict(MLP["mlp"], epochs=50)), progress=sigint_at("epoch", 0, seen))
    assert seen == [0]
