# Wartburg: the two set-up commands are `make run` and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: deps configure build run test bench bench-process bench-grpc clean conformance conformance-cli fuzz fuzz-deps test-asan test-tsan

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@bash scripts/run-sample.sh $(BUILD)/wartburg

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

conformance: build
	@$(BUILD)/conformance ../shared/conformance/opa

conformance-cli: build
	@python3 tests/conformance/run_cli.py $(BUILD)/wartburg ../shared/conformance/opa

bench: build
	@$(BUILD)/wartburg_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
	@bash bench/run_process_bench.sh $(BUILD)/wartburg

bench-process: build
	@bash bench/run_process_bench.sh $(BUILD)/wartburg

bench-grpc: build
	@bash bench/load_grpc.sh $(BUILD) 10 32

clean:
	rm -rf $(BUILD)

# ---- fuzzing and sanitizers (README: "Fuzzing and sanitizers"; fuzz/README.md) ----
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
# The newest Debian clang installed (libFuzzer is clang's): clang++-19, clang++-16, else clang++ (14).
FUZZ_CXX ?= $(firstword $(foreach c,clang++-19 clang++-16 clang++,$(shell command -v $(c) 2>/dev/null)))
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
# Tests left out under ASan, and why: see the README section.
ASAN_EXCLUDE ?= ^$$
ASAN_ENV = WARTBURG_TEST_TIME_FACTOR=3 ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:suppressions=$(CURDIR)/fuzz/ubsan.supp
TSAN_ENV = TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 WARTBURG_TEST_TIME_FACTOR=5
SANITIZER_TEST_TARGETS = wartburg lang_tests engine_tests builtins_tests sidecar_tests conformance fuzz_regression

# clang and its libFuzzer/sanitizer runtimes (Debian: clang, libclang-rt-14-dev)
fuzz-deps: deps
	@if ! command -v clang++ >/dev/null || ! test -f "$$($(or $(FUZZ_CXX),clang++) -print-resource-dir)/lib/linux/libclang_rt.fuzzer-x86_64.a"; then \
	  echo "installing clang and libclang-rt-14-dev"; SUDO=; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq clang libclang-rt-14-dev; fi

fuzz: fuzz-deps
	@cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=$(or $(FUZZ_CXX),clang++) -DWARTBURG_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_all
	@bash fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWARTBURG_SANITIZE=address,undefined >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS) --target $(SANITIZER_TEST_TARGETS)
	@# ASan frames are several times larger: the tests that recurse to the depth limits get a 64 MiB stack
	@cd $(ASAN_BUILD) && { ulimit -s 65536 2>/dev/null || true; } && $(ASAN_ENV) ctest --output-on-failure -j $(JOBS) -E '$(ASAN_EXCLUDE)'

test-tsan: deps
	@cmake -S . -B $(TSAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DWARTBURG_SANITIZE=thread >/dev/null
	@cmake --build $(TSAN_BUILD) -j $(JOBS) --target wartburg sidecar_tests
	@cd $(TSAN_BUILD) && $(TSAN_ENV) ./sidecar_tests --gtest_brief=1 && $(TSAN_ENV) ctest --output-on-failure -R '^e2e_'
