# The two commands a newcomer needs: `make run` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
COV_MIN := $(shell cat .coverage-min 2>/dev/null || echo 80)
PORT ?= 8080
RECEIVER_PORT ?= 8081

.PHONY: run test lint typecheck unit bench install clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/instaview-harness serve --port $(PORT) --receiver-port $(RECEIVER_PORT) --demo

lint: $(STAMP)
	$(BIN)/ruff check harness tests benchmarks
	$(BIN)/ruff format --check harness tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest --cov --cov-branch --cov-fail-under=$(COV_MIN) -p no:cacheprovider

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .harness .pytest_cache .mypy_cache .ruff_cache .coverage
