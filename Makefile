# eligo top-level driver. Quick start: `make demo`, `make test`.
BUILD    ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
# Seconds per fuzz target: make fuzz (long runs), make test-fuzz (short, CI)
FUZZ_SECONDS ?= 600
FUZZ_TEST_SECONDS ?= 20
JOBS     ?= $(shell nproc)
CMAKE_FLAGS ?=
CTEST_FLAGS ?= --output-on-failure

.PHONY: all deps configure build demo test test-asan fuzz test-fuzz fuzz-build bench regress clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@if [ ! -f $(BUILD)/CMakeCache.txt ] || [ -n "$(CMAKE_FLAGS)" ]; then \
	  cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS); fi

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# The main job: float e-prop training, then a lock-step RTL co-simulation of the trained network.
# Builds the eligo program only (its verilated models included), not the tests (make test does).
demo: configure
	@echo "demo: building the eligo program (golden model, harness, verilated RTL; not the tests)"
	cmake --build $(BUILD) -j $(JOBS) --target eligo
	scripts/demo.sh $(BUILD)

test: build
	cd $(BUILD) && ctest -j $(JOBS) $(CTEST_FLAGS)

# Golden-model tests under AddressSanitizer + UndefinedBehaviorSanitizer (without the verilated
# co-simulation, which `make test` covers).
test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DELIGO_SANITIZE=ON -DELIGO_COSIM=OFF $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ctest -j $(JOBS) $(CTEST_FLAGS) -L golden_model -LE learning

# libFuzzer targets of fuzz/ (one per reader) under ASan + UBSan, built with clang in $(FUZZ_BUILD):
# only the fuzz targets and the libraries they link. `make test-fuzz` runs each for
# FUZZ_TEST_SECONDS (CTest label fuzz); `make fuzz FUZZ_SECONDS=3600` for long runs. Crashes:
# $(FUZZ_BUILD)/fuzz/crashes/ (docs/fuzzing.md).
fuzz-build: deps
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ -DELIGO_FUZZ=ON \
	  -DELIGO_COSIM=OFF -DELIGO_BUILD_TESTS=OFF -DELIGO_FUZZ_SECONDS=$(FUZZ_SECONDS) $(CMAKE_FLAGS)
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

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
