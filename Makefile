# genrelab: the commands a newcomer types. Each one installs missing Debian
# packages first (scripts/install-deps.sh) and builds what it needs.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
WERROR     ?= ON

.PHONY: all deps test-deps build demo test test-slow asan asan-test bench bench-deps clean

all: build

deps:
	@scripts/install-deps.sh

# Also Debian's chromium: the report's headless-browser tests need it.
test-deps:
	@scripts/install-deps.sh --browser

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DGENRELAB_WERROR=$(WERROR) $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# The seed study on the bundled data; writes ./genrelab-report/
demo: build
	./$(BUILD)/genrelab demo

test: test-deps build
	ctest --test-dir $(BUILD) -j $(JOBS) --output-on-failure -L unit

test-slow: test-deps build
	ctest --test-dir $(BUILD) -j $(JOBS) --output-on-failure -L slow

# Unit tests under AddressSanitizer + UndefinedBehaviorSanitizer.
asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGENRELAB_SANITIZE=ON -DGENRELAB_BENCH=OFF -DGENRELAB_WERROR=$(WERROR) $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS)

asan-test: test-deps asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) -j $(JOBS) --output-on-failure -L unit

bench-deps:
	@scripts/install-deps.sh --bench

# Side-by-side with scikit-learn; see bench/README.md.
bench: bench-deps build
	bench/run_all.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
