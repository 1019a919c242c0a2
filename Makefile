# The two commands a newcomer needs: `make run` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
COV_MIN := $(shell cat .coverage-min)
PORT ?= 8080
RECEIVER_PORT ?= 8081
NODE_TOOLS := tools/node
NODE_STAMP := $(NODE_TOOLS)/node_modules/.installed

.PHONY: run test lint typecheck unit smoke bench bench-peers bench-ladder wrk install node-tools clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Node tools the suite drives (Prism), exactly as tools/node/package-lock.json pins them
# (reinstalled when node_modules is missing or either file changes); no install script runs.
$(NODE_STAMP): $(NODE_TOOLS)/package.json $(NODE_TOOLS)/package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --prefix $(NODE_TOOLS)
	touch $(NODE_STAMP)

node-tools: $(NODE_STAMP)

run: $(STAMP)
	$(BIN)/instaview-harness serve --port $(PORT) --receiver-port $(RECEIVER_PORT) --demo

lint: $(STAMP)
	$(BIN)/ruff check harness tests benchmarks
	$(BIN)/ruff format --check harness tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

# coverage runs pytest (not pytest-cov): the instaview pytest11 plugin imports harness while
# pytest starts, before pytest-cov would begin measuring.
unit: $(STAMP) node-tools
	$(BIN)/coverage run -m pytest -p no:cacheprovider
	$(BIN)/coverage report --fail-under=$(COV_MIN)

# What users install, not the checkout: the sdist, the wheel built from it, installed into a
# fresh venv outside the checkout, and tests/installed run against it.
smoke: $(STAMP)
	scripts/smoke-installed $(BIN)/python

test: lint typecheck unit smoke

# wrk is the load generator (Debian's package): installed when missing, as root or via sudo -n.
wrk:
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y -q wrk || { apt-get update -q && apt-get install -y -q wrk; }; \
	  else sudo -n apt-get install -y -q wrk || { sudo -n apt-get update -q && sudo -n apt-get install -y -q wrk; }; fi; }

# Servers pinned to CPU 0, wrk to CPU 1, every target in one run; prints the table the README quotes.
bench: $(STAMP) wrk
	$(BIN)/python -m benchmarks

# The same, plus Prism 5 and WireMock 3 (pinned in tools/node; WireMock needs Java 17+).
bench-peers: $(STAMP) wrk node-tools
	$(BIN)/python -m benchmarks --peers

# Where a create's CPU goes: bare, serve's stack with a fixed answer, + key and body checks,
# the whole create, WireMock's stub; side by side in rounds (benchmarks/ladder.py).
bench-ladder: $(STAMP) wrk node-tools
	$(BIN)/python -m benchmarks.ladder --peers

clean:
	rm -rf $(VENV) .harness .pytest_cache .mypy_cache .ruff_cache .coverage
	rm -rf $(NODE_TOOLS)/node_modules
