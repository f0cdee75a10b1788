# kkssite — the two commands: `make build` and `make test` (each sets itself up).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: build serve check test lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)  ## build content/ into output/
	$(BIN)/kkssite build

serve: $(STAMP)  ## build and serve with live reload on http://127.0.0.1:8000/
	$(BIN)/kkssite serve

check: $(STAMP)  ## validate content/ only
	$(BIN)/kkssite check

lint: $(STAMP)
	$(BIN)/ruff check kkssite tests bench

test: $(STAMP)  ## set up and run the whole test suite
	$(BIN)/ruff check kkssite tests bench
	$(BIN)/pytest -q

clean:
	rm -rf output .kkssite-cache
