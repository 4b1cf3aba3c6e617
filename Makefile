# The few commands people type. Each works on a fresh clone with only python3 installed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app registry

.PHONY: run demo test fuzz lint spec seed clean bench

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,lint]'
	touch $(BIN)/activate

run: $(BIN)/activate
	$(FLASK) db upgrade
	$(FLASK) seed
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 wsgi:app

# Synthetic practices to try search, filters and facets on (each says it is synthetic); then `make run`.
# Refused on a registry holding real practices. DEMO_COUNT=1000 make demo for more.
DEMO_COUNT ?= 200
demo: $(BIN)/activate
	$(FLASK) db upgrade
	$(FLASK) seed
	$(FLASK) demo --count $(DEMO_COUNT)

# pytest-xdist workers: two for a two-core machine; each worker makes databases of its own.
WORKERS ?= 2

test: $(BIN)/activate
	$(BIN)/ruff check .
	$(BIN)/pytest -n $(WORKERS)

# The schemathesis tests with fresh randomness and more examples (never part of `make test`, whose draws
# are the same on every machine). The seed is printed in pytest's header: REGISTRY_FUZZ_SEED=<it> draws again.
REGISTRY_FUZZ_SEED ?= $(shell $(PYTHON) -c 'import secrets; print(secrets.randbelow(2**32))')
fuzz: $(BIN)/activate
	REGISTRY_FUZZ=1 REGISTRY_FUZZ_SEED=$(REGISTRY_FUZZ_SEED) $(BIN)/pytest -n $(WORKERS) \
		tests/api/test_schemathesis_read.py tests/api/test_schemathesis_write.py

# The registry and Datasette side by side over BENCH_N synthetic practices (never part of `make test`):
# builds bench/work/, installs Datasette into bench/.venv-datasette and wrk (apt-get) if missing, writes
# bench/RESULTS.md. Loopback only; under 15 minutes at 100k. BENCH_ENGINE=postgresql (bench/RESULTS-postgresql.md,
# a database on BENCH_POSTGRES_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/bench_registry) or
# both (one run, PostgreSQL/SQLite ratios); BENCH_ARGS=--reuse to time again without rebuilding the data;
# BENCH_WORK=bench/work-1m to keep a second N (1,000,000) beside the first.
BENCH_N ?= 100000
BENCH_DURATION ?= 10
BENCH_ENGINE ?= sqlite
BENCH_ARGS ?=
bench: $(BIN)/activate
	$(BIN)/python -m bench.run --count $(BENCH_N) --duration $(BENCH_DURATION) --engine $(BENCH_ENGINE) $(BENCH_ARGS)

lint: $(BIN)/activate
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

spec: $(BIN)/activate
	$(FLASK) openapi write --format=json openapi/openapi.json

seed: $(BIN)/activate
	$(FLASK) db upgrade
	$(FLASK) seed

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
