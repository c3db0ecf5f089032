# One task runner. `make report` and `make test` work on a fresh clone with only Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
EXAMPLE := catalogs/examples/gemeente-voorbeeld.csv
DATE   ?= $(shell date +%Y-%m-%d)

.PHONY: report test lint wheel bench clean

$(BIN)/sovereign: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.test-installed: pyproject.toml $(BIN)/sovereign
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	@touch $@

## Audit the bundled example municipality and print where the report is.
report: $(BIN)/sovereign
	$(BIN)/sovereign audit $(EXAMPLE) --out reports/gemeente-voorbeeld --date $(DATE)

## Run the test suite (creates the virtualenv with test extras).
test: $(VENV)/.test-installed
	$(BIN)/python -m pytest --cov=sovereign --cov-report=term:skip-covered

lint: $(VENV)/.test-installed
	$(BIN)/ruff check sovereign tests bench
	$(BIN)/ruff format --check sovereign tests bench
	$(BIN)/mypy sovereign bench

## Time sovereign against the floor at 500, 10,000, 75,000 and 150,000 rows (a few minutes).
bench: $(BIN)/sovereign
	$(BIN)/python -m bench

wheel: $(VENV)/.test-installed
	$(BIN)/python -m build --wheel --outdir dist

clean:
	rm -rf $(VENV) dist build reports/gemeente-voorbeeld .pytest_cache
