# Type stubs of the eligo module (python/eligo_module.cpp; docs/python.md). Shapes in comments.
import os
from typing import Any, Callable, Dict, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

Config = Union[Dict[str, Any], str, os.PathLike]
HAVE_COSIM: bool
# The verilated size configurations of this build (CMake ELIGO_RTL_MODELS), as Chip.sizes dicts.
COSIM_SIZES: list[Dict[str, Any]]

class ConfigError(ValueError): ...
class DataError(ValueError): ...
class ReckonDataError(ValueError): ...

class MismatchError(RuntimeError):
    # The first divergence, as report.json's first_mismatch; report: the whole report.
    kind: str
    timestep: int
    cycle: int
    phase: str
    unit: str
    memory: str
    address: int
    expected: int
    actual: int
    detail: str
    report: Dict[str, Any]

# eligo train of a "model": "mlp" or "clapp" config: metrics.json's content.
def train_image(config: Config, *, seed: Optional[int] = ..., base_dir: Optional[Union[str, os.PathLike]] = ...,
                progress: Optional[Callable[[Any], None]] = ...) -> Dict[str, Any]: ...
def have_fashion_mnist() -> bool: ...

# eligo cosim --engine cc: the report.json as a dict; MismatchError on the first divergence.
def cosim(config: Config, *, weights: Optional[Union[str, os.PathLike, Dict[str, npt.ArrayLike]]] = ...,
          base_dir: Optional[Union[str, os.PathLike]] = ..., samples: int = ..., iterations: Optional[int] = ...,
          test_samples: Optional[int] = ..., faults: Sequence[str] = ...,
          waveform: Optional[Union[str, os.PathLike]] = ...,
          progress: Optional[Callable[[Dict[str, Any]], None]] = ...) -> Dict[str, Any]: ...

class Network:
    def __init__(self, config: Config, *, seed: Optional[int] = ..., algo: Optional[str] = ...,
                 iterations: Optional[int] = ..., base_dir: Optional[Union[str, os.PathLike]] = ...) -> None: ...
    n_in: int
    n_rec: int
    n_out: int
    seed: int
    algo: str
    iterations: int
    test_batches: int
    # W_in (n_rec, n_in), W_rec (n_rec, n_rec), W_out (n_out, n_rec), B (n_rec, n_out), float64 copies
    weights: Dict[str, npt.NDArray[np.float64]]
    # x (B, T, n_in), target (B, T, n_out)
    def batch(self, index: int = ..., *, test: bool = ...) -> Tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
    # x (B, T, n_in) -> {'z', 'v': (B, T, n_rec), 'y': (B, T, n_out)}
    def forward(self, x: npt.ArrayLike) -> Dict[str, npt.NDArray[np.float64]]: ...
    def grad(self, x: Optional[npt.ArrayLike] = ..., target: Optional[npt.ArrayLike] = ..., *,
             algo: Optional[str] = ...) -> Dict[str, Any]: ...
    def evaluate(self) -> Dict[str, Any]: ...
    def train(self, progress: Optional[Callable[[Dict[str, Any]], None]] = ..., *,
              backend: str = ...) -> Dict[str, Any]: ...  # backend: "float" | "analog"

class Chip:
    def __init__(self, config: Config, *, weights: Optional[Union[str, os.PathLike, Dict[str, npt.ArrayLike]]] = ...,
                 base_dir: Optional[Union[str, os.PathLike]] = ...) -> None: ...
    sizes: Dict[str, int]
    learning_window: int
    def read_reg(self, register: Union[int, str]) -> int: ...
    def write_reg(self, register: Union[int, str], value: int) -> None: ...
    def registers(self) -> Dict[str, int]: ...
    def memory(self, name: str) -> npt.NDArray[np.uint64]: ...  # (depth,), a copy
    def set_memory(self, name: str, words: npt.ArrayLike) -> None: ...
    def start_sample(self) -> None: ...
    def step(self, events: Sequence[int], target: Optional[Sequence[int]] = ..., valid: bool = ...) -> None: ...
    def target_raw(self, target: npt.ArrayLike) -> list[int]: ...  # (n_out,) real -> raw Y
    def end_sample(self, update: bool = ...) -> None: ...
    spikes: npt.NDArray[np.int32]    # (n,) neuron indices of the last timestep
    readouts: npt.NDArray[np.float64]  # (n_out,)
    last_cycles: Dict[str, int]
    cycles: Dict[str, int]
    counters: Dict[str, Any]
    energy: Dict[str, Any]
    def clear_counters(self) -> None: ...
    def record_writes(self, on: bool = ...) -> None: ...
    def write_stream(self) -> npt.NDArray[np.uint64]: ...  # (n, 3): memory id, address, data
    write_hash: Dict[str, Any]
    def run_sample(self, sample: int = ..., *, batch: int = ..., test: bool = ..., update: bool = ...,
                   trace: bool = ...) -> Dict[str, Any]: ...
    def run(self, progress: Optional[Callable[[Dict[str, Any]], None]] = ...) -> Dict[str, Any]: ...
    def weights(self) -> Dict[str, npt.NDArray[np.float64]]: ...
    def save_state(self) -> bytes: ...
    def restore_state(self, state: bytes) -> None: ...
