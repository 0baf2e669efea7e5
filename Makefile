# eligo top-level driver. Quick start: `make demo`, `make test`.
BUILD    ?= build
DEMO_BUILD ?= build-demo
ASAN_BUILD ?= build-asan
COV_BUILD ?= build-coverage
FUZZ_BUILD ?= build-fuzz
# Seconds per fuzz target: make fuzz (long runs), make test-fuzz (short, CI)
FUZZ_SECONDS ?= 600
FUZZ_TEST_SECONDS ?= 20
JOBS     ?= $(shell nproc)
CMAKE_FLAGS ?=
CTEST_FLAGS ?= --output-on-failure

.PHONY: all deps configure build demo test test-asan fuzz test-fuzz fuzz-build bench regress coverage clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@if [ ! -f $(BUILD)/CMakeCache.txt ] || [ -n "$(CMAKE_FLAGS)" ]; then \
	  cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS); fi

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# The main job: float e-prop training, then a lock-step RTL co-simulation of the trained network.
# Its own build ($(DEMO_BUILD)): the eligo program and the Python module (import eligo with
# PYTHONPATH=$(DEMO_BUILD)/python) with the one verilated configuration the demo runs (40-40-2, 4
# lanes, as --cc and SystemC models), without the tests, the other verilated models and the
# toggle-counting ones (make test and make build build everything in $(BUILD)). Only the Debian
# packages the demo needs (scripts/install-deps.sh --demo).
DEMO_CMAKE_FLAGS = -DCMAKE_BUILD_TYPE=Release -DELIGO_BUILD_TESTS=OFF -DELIGO_ACTIVITY=OFF -DELIGO_RTL_MODELS=r40x40x2_l4
demo:
	@echo "demo 1/4: Debian packages (scripts/install-deps.sh --demo; nothing to do when present)"
	@scripts/install-deps.sh --demo
	@echo "demo 2/4: configuring $(DEMO_BUILD): CMake, and Verilator translating the RTL (rtl/) of the 40-40-2 core into C++"
	cmake -S . -B $(DEMO_BUILD) $(DEMO_CMAKE_FLAGS) $(CMAKE_FLAGS)
	@echo "demo 3/4: compiling eligo and the Python module with $(JOBS) jobs (about 4.5 min on 2 idle cores): the golden"
	@echo "          model, harness and co-simulation (69 files, most of the time), the two verilated 40-40-2 models and"
	@echo "          the module (python/, one file: about 25 s of CPU); not the tests"
	cmake --build $(DEMO_BUILD) -j $(JOBS) --target eligo eligo_python
	@PYTHONPATH=$(DEMO_BUILD)/python /usr/bin/python3 -c "import eligo" && \
	  echo "          import eligo works: PYTHONPATH=$(DEMO_BUILD)/python python3 (docs/python.md)"
	@echo "demo 4/4: scripts/demo.sh: float e-prop training, then on-chip learning in a lock-step RTL co-simulation"
	scripts/demo.sh $(DEMO_BUILD)

test: build
	cd $(BUILD) && ctest -j $(JOBS) $(CTEST_FLAGS)

# Golden-model tests under AddressSanitizer + UndefinedBehaviorSanitizer (without the verilated
# co-simulation, which `make test` covers). Builds only what they need (tests_golden_model: not
# the harness tests, the learning regressions or the eligo program), at -O1 with line tables only
# (-g1: reports keep file and line): a third of the compile time of -O2 -g (measured on one
# golden-model test: 17 s against 49 s of CPU; the whole build about 1,000 s on 2 cores at -O2 -g).
ASAN_CXX_FLAGS ?= -O1 -g1 -DNDEBUG
test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$(ASAN_CXX_FLAGS)" \
	  -DELIGO_SANITIZE=ON -DELIGO_COSIM=OFF -DELIGO_PYTHON=OFF $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target tests_golden_model
	cd $(ASAN_BUILD) && ctest -j $(JOBS) $(CTEST_FLAGS) -L golden_model -LE learning

# libFuzzer targets of fuzz/ (one per reader) under ASan + UBSan, built with clang in $(FUZZ_BUILD):
# only the fuzz targets and the libraries they link. `make test-fuzz` runs each for
# FUZZ_TEST_SECONDS (CTest label fuzz); `make fuzz FUZZ_SECONDS=3600` for long runs. Crashes:
# $(FUZZ_BUILD)/fuzz/crashes/ (docs/fuzzing.md).
fuzz-build: deps
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ -DELIGO_FUZZ=ON \
	  -DELIGO_COSIM=OFF -DELIGO_PYTHON=OFF -DELIGO_BUILD_TESTS=OFF -DELIGO_FUZZ_SECONDS=$(FUZZ_SECONDS) $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD) --target fuzz_targets -j $(JOBS)

fuzz: fuzz-build
	cd $(FUZZ_BUILD) && ctest -j $(JOBS) -L fuzz $(CTEST_FLAGS)

test-fuzz:
	$(MAKE) fuzz FUZZ_SECONDS=$(FUZZ_TEST_SECONDS)

bench: build
	@scripts/install-deps.sh --with-bench
	bench/run_all.sh $(BUILD)

regress: build
	scripts/regress.sh $(BUILD)

# Line, branch and toggle coverage of rtl/ over the constrained-random lock-step regression
# (scripts/coverage.sh), in its own build ($(COV_BUILD): the --cc models verilated with
# --coverage, the eligo program only; COV_MODELS picks the size configurations, default all):
# out/coverage/html/index.html and the per-module table (out/coverage/table.md, rtl/README.md).
COV_MODELS ?= all
coverage: deps
	cmake -S . -B $(COV_BUILD) -DCMAKE_BUILD_TYPE=Release -DELIGO_RTL_COVERAGE=ON -DELIGO_ACTIVITY=OFF \
	  -DELIGO_BUILD_TESTS=OFF -DELIGO_RTL_MODELS="$(COV_MODELS)" $(CMAKE_FLAGS)
	cmake --build $(COV_BUILD) -j $(JOBS) --target eligo
	COVERAGE_JOBS=$(JOBS) scripts/coverage.sh $(COV_BUILD)

clean:
	rm -rf $(BUILD) $(DEMO_BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(COV_BUILD)
