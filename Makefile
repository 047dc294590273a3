# Wartburg: the two set-up commands are `make run` and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: deps configure build run test bench bench-process clean conformance conformance-cli

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

clean:
	rm -rf $(BUILD)
