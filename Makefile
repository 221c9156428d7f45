# Paper Atlas. `make help` lists the targets. Every target sets up .venv/ on first use.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.DEFAULT_GOAL := help
.PHONY: help venv serve site build check test clean lighthouse bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

# The venv is rebuilt when the pins change. `python3.11` is preferred; plain python3 works if it is 3.11+.
# uv (pinned) installs the pinned packages: ~3 s against pip's ~16 s. The venv is made without
# pip (~3.5 s less) and this Python's pip puts uv into it; with no pip here, the venv gets its own.
UV_VERSION := 0.13.8
$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) not found; run 'make PYTHON=python3 ...' with Python 3.11+"; exit 1; }
	$(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(BIN)/python install --quiet uv==$(UV_VERSION) \
	  || { $(BIN)/python -m ensurepip --default-pip && $(BIN)/python -m pip install --quiet uv==$(UV_VERSION); }
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements-dev.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $(STAMP)

venv: $(STAMP) ## Create .venv/ with the pinned dependencies and the atlas command

# --dirty: a save rebuilds only the pages it changed; the hooks make that safe (scripts/atlas/liveserve.py).
serve: $(STAMP) ## Build the pages and preview the site at http://127.0.0.1:8000 (live reload)
	SITE_URL=http://127.0.0.1:8000/ $(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

site: $(STAMP) ## Build the whole site into site/ (strict; replaces site/ only on success)
	$(BIN)/atlas site

build: $(STAMP) ## Generate the Markdown pages under docs/ from data/
	$(BIN)/atlas build

check: $(STAMP) ## Validate every entry and the taxonomy
	$(BIN)/atlas check

bench: $(STAMP) ## Measure builds at 71, 1,000 and 10,000 papers (minutes); results into docs/performance.md
	$(BIN)/atlas bench --search --write docs/performance.md

# A worker per core and one more (browser and server tests wait as much as they compute); each
# test file stays on one worker, so its module fixtures (a built site, a browser) are made once.
# The tests' temporary projects (~400 MB, tens of thousands of files, kept only for failed
# tests) go to a RAM-backed /dev/shm where there is one: on a disk that is ~6 s more of
# kernel time creating and deleting them.
TEST_TMPDIR := $(shell [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm)
test: $(STAMP) ## Run the whole test suite
	$(if $(TEST_TMPDIR),TMPDIR=$(TEST_TMPDIR)) PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n $$(( $$(nproc) + 1 )) --dist loadfile --no-loadscope-reorder

lighthouse: $(STAMP) ## Lighthouse scores of home, a paper and a tag page (mobile and desktop; needs chromium, npm)
	scripts/lighthouse.sh

clean: ## Remove generated pages, the built site and the venv
	rm -rf site .site-* .atlas-cache $(VENV)
	@[ -f docs/.atlas-generated ] && grep -v '^#' docs/.atlas-generated | sed 's|^|docs/|' | xargs rm -f || true
	rm -f docs/.atlas-generated
