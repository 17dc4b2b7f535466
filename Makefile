# Two commands on a fresh machine: `make lab` and `make test`. Both create (or update) the
# virtual environment .venv from the pinned requirements first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Which torch build `make setup` installs: auto (the CPU-only build on Linux without an NVIDIA
# GPU, the default build elsewhere), cpu or default; linreg_helpers/torch_build.py decides and
# says why.
# A choice given with `make setup TORCH=...` sticks (kept in .venv/.torch) until another is given.
# TORCH_INDEX=URL: where the CPU-only torch comes from when PyTorch's CPU index cannot be reached
# (e.g. https://mirrors.aliyun.com/pytorch-wheels/cpu); pip itself honours PIP_INDEX_URL.
TORCH  ?= $(or $(shell cat $(VENV)/.torch 2>/dev/null),auto)
STAMP  := $(VENV)/.installed-torch-$(TORCH)
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb notebooks/zh/*.ipynb))
# The notebook check: nbval, extended by tools/nbval_floats.py (loaded by the root conftest.py)
# so that stored floats may differ from a fresh run by round-off, as they do between CPUs.
NBVAL_OPTS := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
EN_NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
# `make unit`: the fast suite, without the real-browser, slow and network tests (the serial
# ones are slow too).
UNIT_MARKERS := not browser and not slow and not network and not serial
PYTEST := MPLBACKEND=Agg $(BIN)/python -m pytest
# Tests run on JOBS cores (pytest-xdist; `make test JOBS=4` on a bigger machine). --dist
# loadfile gives each file to one worker: a notebook's cells run in order in one kernel, and a
# module's fixtures (a JupyterLab server) start once. (--dist loadgroup would not group:
# pytest-xdist 3.8 with pytest 9.2, pytest-xdist#1386.) Files go out in the order of the root
# conftest.py: those with long tests first.
JOBS ?= 2
XDIST := -n $(JOBS) --dist loadfile --no-loadscope-reorder
# The fast suite has no such fixtures: its tests go one by one to whichever worker is free.
XDIST_UNIT := -n $(JOBS)
# $(call tiers,ARGS,PARALLEL-ARGS,SERIAL-ARGS): ARGS's tests on both cores, then its `serial`
# ones alone (they keep both cores busy themselves: torchrun launches); pytest's
# status 5, no test selected, is no failure there.
tiers = $(PYTEST) $(1) -m "not serial" $(XDIST) $(2) && \
	{ $(PYTEST) $(1) -m serial $(3) || [ $$? -eq 5 ]; }

.PHONY: setup doctor lab test check lint unit nbval nbval-other-cpu notebooks check-translations clean
.PHONY: voila page page-js coverage test-serial

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt binder/constraints.txt pyproject.toml linreg_helpers/torch_build.py
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed; found " + sys.version.split()[0]' \
		|| { echo "Set PYTHON=/path/to/python3.11 and run make again."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python linreg_helpers/torch_build.py --torch $(TORCH)$(if $(TORCH_INDEX), --index $(TORCH_INDEX))
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -c binder/constraints.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed $(VENV)/.installed-torch-*
	echo $(TORCH) > $(VENV)/.torch
	touch $(STAMP)

# Checks the set-up a learner's JupyterLab will use; each failed check prints its fix.
# `make doctor LINREG_LANG=zh` (or LINREG_LANG=zh in the environment) prints it in Chinese.
doctor:
	@test -x $(BIN)/python || { echo "$(if $(filter zh,$(LINREG_LANG)),✗ 这里没有 $(VENV)：请先运行 make setup（或 make lab）,✗ no $(VENV) here: run make setup (or make lab) first)"; exit 1; }
	$(BIN)/python -m linreg_helpers.doctor

# LAB_ARGS passes options through, e.g. `make lab LAB_ARGS=--no-browser`. JupyterLab refuses
# to run as root unless told: a root shell (a container, CI) gets --allow-root.
LAB_ARGS ?=
lab: setup
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

# `make voila`: 04's dashboard as an app (Voilà shows the notebook's outputs, not its code),
# opened in the browser. VOILA_NOTEBOOK picks another notebook, VOILA_ARGS passes options
# through, e.g. `make voila VOILA_ARGS=--no-browser`.
VOILA_NOTEBOOK ?= notebooks/04_training.ipynb
VOILA_ARGS ?=
voila: setup
	$(BIN)/voila $(VOILA_NOTEBOOK) $(VOILA_ARGS)

# `make page`: runs PAGE_NOTEBOOK top to bottom and writes it as PAGE, an HTML page with its
# widgets' state that shows the dashboard's last picture with no kernel and no network: the
# widget renderer and require.js sit beside it in build/page-assets/, installed from the npm
# registry by `npm ci` in tools/page (pinned by its package-lock.json; `make page-js`).
PAGE_NOTEBOOK ?= notebooks/04_training.ipynb
PAGE ?= build/$(basename $(notdir $(PAGE_NOTEBOOK))).html
PAGE_JS := tools/page/node_modules/.package-lock.json
page-js: $(PAGE_JS)
$(PAGE_JS): tools/page/package.json tools/page/package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js and npm (Debian: sudo apt-get install -y nodejs npm)"; exit 1; }
	cd tools/page && npm ci --ignore-scripts --no-audit --no-fund
	touch $@
page: export MPLCONFIGDIR = $(abspath $(VENV))/mplconfig
page: setup $(PAGE_JS)
	$(BIN)/python tools/saved_page.py --execute $(PAGE_NOTEBOOK) $(PAGE)

# The tests keep matplotlib's font cache inside this environment: a cache in ~/.cache shared
# with other environments (other checkouts, test venvs) can list fonts this one lacks.
test test-serial check unit coverage nbval nbval-other-cpu notebooks: export MPLCONFIGDIR = $(abspath $(VENV))/mplconfig

# Everything: lint, every test (browser, slow and network ones included), the
# notebook check on this CPU's native float path, then again on PyTorch's non-vectorised
# kernels (another CPU), and the translations' check. First every test but the `serial` ones
# on JOBS cores (the browser tests among them: the torchrun launches must not starve them);
# then two streams side by side, one core's worth each: the `serial` tests (torchrun), and
# the other-CPU pass in one process (its 09 last). --output-sync prints each stream whole.
test: setup lint
	$(PYTEST) tests notebooks $(NBVAL_OPTS) -m "not serial and not benchmark" $(XDIST) --durations=25
	$(MAKE) --no-print-directory -j2 --output-sync=target test-serial nbval-other-cpu ONE_CORE=1
	$(MAKE) --no-print-directory check-translations

# The `serial` tests alone: those that launch torchrun (tests/test_ddp.py, notebook 09).
test-serial: setup
	$(PYTEST) tests notebooks $(NBVAL_OPTS) -m serial --durations=10

# The edit-and-test loop: lint, the fast suite and the English notebooks in one run on JOBS
# cores (09's torchrun launches start first, beside unit tests, which time nothing), then
# the translations. `notebook` marks a notebook check's cells (the root conftest.py).
check: setup lint
	$(PYTEST) tests $(EN_NOTEBOOKS) $(NBVAL_OPTS) -m "notebook or ($(UNIT_MARKERS))" $(XDIST)
	$(MAKE) --no-print-directory check-translations

lint: setup
	$(BIN)/ruff check linreg_helpers tests notebooks benchmarks tools conftest.py

unit: setup
	$(PYTEST) tests -m "$(UNIT_MARKERS)" $(XDIST_UNIT)

# Which lines of the package the fast suite runs (coverage slows the tests it measures by about
# 40 %, so make test does not measure it).
coverage: setup
	$(PYTEST) tests -m "$(UNIT_MARKERS)" $(XDIST_UNIT) --cov=linreg_helpers \
		--cov-report=term-missing:skip-covered

nbval: setup
	$(call tiers,notebooks $(NBVAL_OPTS))

# The stored outputs are a native run's; this checks them as a CPU without AVX2 would see them.
# The English notebooks only: the Chinese edition runs the same code (make check-translations
# fails if it differs beyond strings and comments), so it prints the same numbers. On JOBS
# cores (09 alone, after the rest), or with ONE_CORE=1 in one process (make test runs it so,
# beside its serial tests).
ONE_CORE ?=
nbval-other-cpu: export ATEN_CPU_CAPABILITY = default
nbval-other-cpu: setup
	$(if $(ONE_CORE),$(PYTEST) $(EN_NOTEBOOKS) $(NBVAL_OPTS),$(call tiers,$(EN_NOTEBOOKS) $(NBVAL_OPTS)))

# Re-execute every notebook in place (top to bottom, fresh kernel) after changing code
# or a helper: the stored outputs must stay what a fresh run prints.
notebooks: setup
	$(BIN)/python tools/execute_notebooks.py $(NOTEBOOKS)

# The Chinese edition (notebooks/zh/) in step with the English: which cells are stale, and
# `python tools/translations.py stale` prints their old and new English.
check-translations: setup
	$(BIN)/python tools/translations.py check

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
