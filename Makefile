# gugus — the two commands a new user needs: `make run` and `make test`.
# Each installs what is missing (scripts/setup.sh), builds (the C++ and the web
# application in web/), then runs.

BUILD      ?= build
BUILD_TYPE ?= RelWithDebInfo
PORT       ?= 8080
JOBS       ?= $(shell nproc)
FUZZ_SECONDS ?= 60
CMAKE_FLAGS ?=
# OFF: build and test without the web application (no Node.js 20 needed).
GUGUS_WEB  ?= ON

.PHONY: all setup build run test asan bench bench-linkage bench-stats bench-audit bench-web fuzz format screenshots clean

all: build

setup:
	@GUGUS_WEB=$(GUGUS_WEB) bash scripts/setup.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DGUGUS_WEB=$(GUGUS_WEB) $(CMAKE_FLAGS)

build: setup $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

run: build
	@PORT=$(PORT) bash scripts/run.sh $(BUILD)

# The suite runs against SQLite and, in a throwaway PostgreSQL cluster made by
# pg_virtualenv (scripts/test.sh), against PostgreSQL.
test: build
	@bash scripts/test.sh $(BUILD) $(JOBS)

# The whole test suite under AddressSanitizer and UndefinedBehaviorSanitizer.
asan: setup
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp $(MAKE) BUILD=build-asan BUILD_TYPE=Debug CMAKE_FLAGS="-DGUGUS_SANITIZE=ON -DGUGUS_BENCH=OFF" test

bench: build
	@bash bench/run.sh $(BUILD)

# Record linkage against known truth: FEBRL, then generated data up to 1M records
# (SIZES="200000" for fewer; the generated sets are cached under var/bench/linkage).
bench-linkage: build
	@bash bench/linkage/run.sh $(BUILD)

# Statistics and the annual report on the 1,000,000-record linked store that
# bench-linkage leaves in var/bench/linkage.
bench-stats: build
	@bash bench/stats/run.sh $(BUILD)

# Audit entries made durable per second, 1, 8 and 32 recording threads.
bench-audit: build
	@bash bench/audit/run.sh $(BUILD)

# Cold loads of the web application over emulated slow and fast 3G (bench/web/run.mjs).
bench-web: build
	@GUGUS_BIN=$(BUILD)/gugus node bench/web/run.mjs

fuzz: setup
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/run.sh

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

# docs/screenshots/ from the browser tests (web/tests), as shown in the README.
screenshots: build
	@bash scripts/screenshots.sh $(BUILD)

clean:
	rm -rf build build-asan build-fuzz web/dist
