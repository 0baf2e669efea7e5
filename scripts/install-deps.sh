#!/usr/bin/env bash
# Install every Debian package eligo needs. Idempotent: does nothing when all are present.
# Usage: scripts/install-deps.sh [--with-bench | --demo]
#   --with-bench adds PyTorch for `make bench`; --demo installs only what `make demo` needs (the
#   eligo program, the Python module and the plots: no GoogleTest, pytest, Yosys, Icarus, clang or
#   Fashion-MNIST).
set -euo pipefail

# make demo: build eligo (golden model, harness, Verilator and SystemC co-simulation) and the Python
# module (ELIGO_PYTHON, python/: pybind11, the Python headers, NumPy), plot.
demo_pkgs=(
  build-essential cmake ccache pkg-config
  libeigen3-dev libboost-dev libboost-program-options-dev
  nlohmann-json3-dev libvalijson-dev libzip-dev zlib1g-dev
  verilator libsystemc-dev
  python3 python3-numpy python3-matplotlib
  pybind11-dev python3-dev
)
pkgs=("${demo_pkgs[@]}"
  libgtest-dev yosys iverilog  # make test
  python3-pytest               # the Python module's tests
  lcov                         # make coverage: genhtml of the RTL coverage report
  dataset-fashion-mnist        # the MLP and CLAPP configs and their tests
  clang libclang-rt-14-dev     # make fuzz / test-fuzz: libFuzzer, ASan and UBSan runtimes of clang 14
  munge slurm-wlm              # make test: eligo sweep --executor slurm on a one-node Slurm (tests/scripts/slurm_sweep_test.sh)
)
case "${1:-}" in
  --with-bench) pkgs+=(python3-torch time) ;;
  --demo) pkgs=("${demo_pkgs[@]}") ;;
  "") ;;
  *) echo "install-deps: unknown option '$1' (allowed: --with-bench, --demo)" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
