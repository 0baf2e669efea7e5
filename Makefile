# eligo top-level driver. Quick start: `make demo`, `make test`.
BUILD    ?= build
ASAN_BUILD ?= build-asan
JOBS     ?= $(shell nproc)
CMAKE_FLAGS ?=
CTEST_FLAGS ?= --output-on-failure

.PHONY: all deps configure build demo test test-asan bench regress clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@if [ ! -f $(BUILD)/CMakeCache.txt ] || [ -n "$(CMAKE_FLAGS)" ]; then \
	  cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS); fi

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# The main job: float e-prop training, then a lock-step RTL co-simulation of the trained network.
demo: build
	scripts/demo.sh $(BUILD)

test: build
	cd $(BUILD) && ctest -j $(JOBS) $(CTEST_FLAGS)

# Golden-model tests under AddressSanitizer + UndefinedBehaviorSanitizer (without the verilated
# co-simulation, which `make test` covers).
test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DELIGO_SANITIZE=ON -DELIGO_COSIM=OFF $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ctest -j $(JOBS) $(CTEST_FLAGS) -L golden_model -LE learning

bench: build
	@scripts/install-deps.sh --with-bench
	bench/run_all.sh $(BUILD)

regress: build
	scripts/regress.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
