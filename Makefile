# The few commands people type. Each works on a fresh clone with only python3 installed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app registry

.PHONY: run test lint spec seed clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,lint]'
	touch $(BIN)/activate

run: $(BIN)/activate
	$(FLASK) db upgrade
	$(FLASK) seed
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 wsgi:app

test: $(BIN)/activate
	$(BIN)/ruff check .
	$(BIN)/pytest

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
