#!/usr/bin/env bash
# Install every Debian package eligo needs. Idempotent: does nothing when all are present.
# Usage: scripts/install-deps.sh [--with-bench]   (--with-bench adds PyTorch for `make bench`)
set -euo pipefail

pkgs=(
  build-essential cmake ccache pkg-config
  libeigen3-dev libboost-dev libboost-program-options-dev
  nlohmann-json3-dev libvalijson-dev libzip-dev libgtest-dev zlib1g-dev
  verilator libsystemc-dev yosys iverilog
  dataset-fashion-mnist
  python3 python3-numpy python3-matplotlib
  clang libclang-rt-14-dev  # make fuzz / test-fuzz: libFuzzer, ASan and UBSan runtimes of clang 14
)
if [[ "${1:-}" == "--with-bench" ]]; then
  pkgs+=(python3-torch time)
fi

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
