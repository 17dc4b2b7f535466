# Two commands on a fresh machine: `make lab` and `make test`. Both create (or update) the
# virtual environment .venv from the pinned requirements first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
NBVAL_OPTS := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: setup lab test lint unit nbval notebooks clean

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed; found " + sys.version.split()[0]' \
		|| { echo "Set PYTHON=/path/to/python3.11 and run make again."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# LAB_ARGS passes options through, e.g. `make lab LAB_ARGS=--no-browser`. JupyterLab refuses
# to run as root unless told: a root shell (a container, CI) gets --allow-root.
LAB_ARGS ?=
lab: setup
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

test: setup lint
	MPLBACKEND=Agg $(BIN)/python -m pytest tests notebooks $(NBVAL_OPTS) \
		--cov=linreg_helpers --cov-report=term-missing:skip-covered

lint: setup
	$(BIN)/ruff check linreg_helpers tests notebooks benchmarks

unit: setup
	MPLBACKEND=Agg $(BIN)/python -m pytest tests

nbval: setup
	$(BIN)/python -m pytest notebooks $(NBVAL_OPTS)

# Re-execute every notebook in place (top to bottom, fresh kernel) after changing code
# or a helper: the stored outputs must stay what a fresh run prints.
notebooks: setup
	$(BIN)/python tools/execute_notebooks.py $(NOTEBOOKS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
