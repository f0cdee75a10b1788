# kkssite — the two commands: `make build` and `make test` (each sets itself up).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# One stamp per set of packages: `make build` installs only what building needs; `make test` (and lint) add the
# test tools of the `test` extra (pytest, ruff, mypy, Playwright …) on top.
STAMP      := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: setup build serve check test test-stress lint messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	$(BIN)/python -m compileall -q kkssite  # also where PYTHONDONTWRITEBYTECODE is set
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

setup: $(STAMP)  ## install kkssite into .venv/ (what make build does first), e.g. to run .venv/bin/kkssite check

build: $(STAMP)  ## build content/ into output/
	$(BIN)/kkssite build

serve: $(STAMP)  ## build and serve with live reload on http://127.0.0.1:8000/
	$(BIN)/kkssite serve

check: $(STAMP)  ## validate content/ only
	$(BIN)/kkssite check

lint: $(TEST_STAMP)  ## ruff and the type checker
	$(BIN)/ruff check kkssite tests bench scripts
	$(BIN)/mypy

test: $(TEST_STAMP)  ## set up and run the whole test suite
	bash scripts/test-deps.sh  # chromium, Java, axe-core, vnu-jar, decap-server and decap-cms for tests/browser/ (once)
	$(BIN)/ruff check kkssite tests bench scripts
	$(BIN)/mypy
	$(BIN)/pytest -q

test-stress: $(TEST_STAMP)  ## make test five times in a row with one core kept busy (RUNS=n for another count)
	bash scripts/test-stress.sh

messages: $(STAMP)  ## merge the msgids of the code and the theme into every catalogue (kkssite/locale/)
	$(BIN)/python scripts/messages.py

clean:
	rm -rf output .kkssite-cache .kkssite-preview

# Benchmarks (see "Benchmarks" in README.md); BENCH_N, BENCH_REPEAT and BENCH_ROUNDS override the defaults.
COMPARE_VENV := bench/.venv-compare
.PHONY: bench bench-compare

bench: $(STAMP)  ## cold, no-change, one-edit builds and memory at N = 1,000, 10,000, 100,000; serve's save-to-reload at 1,000 and 10,000
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.serve_latency

$(COMPARE_VENV)/.installed: bench/compare/requirements.txt
	$(PYTHON) -m venv $(COMPARE_VENV)
	$(COMPARE_VENV)/bin/pip install --quiet --upgrade pip
	$(COMPARE_VENV)/bin/pip install --quiet -r bench/compare/requirements.txt
	touch $@

bench-compare: $(STAMP) $(COMPARE_VENV)/.installed  ## cold builds by kkssite, Hugo (full, minimal) and Pelican; hugo server's edit latency
	$(BIN)/python -m bench.compare.run
	$(BIN)/python -m bench.compare.watch_latency
