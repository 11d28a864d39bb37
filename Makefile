# ra2docs — build the RA2 site and run the tests. `make help` lists the targets.
#
# Every target installs what it needs: a virtual environment in .venv with the
# package and its dependencies, and Debian's graphviz (and chromium for the
# browser tests) when missing and the machine allows it (root + apt-get).

PYTHON     ?= python3
VENV       ?= .venv
BUILDDIR   ?= build
SPHINXOPTS ?= -W --keep-going
PYTESTOPTS ?=
BIN        := $(VENV)/bin
STAMP      := $(VENV)/.ra2docs-installed

.DEFAULT_GOAL := help
.PHONY: help html test check clean venv graphviz chromium lint dirhtml singlehtml latex linkcheck

help:
	@echo "make html    build the site into $(BUILDDIR)/html (warnings are errors)"
	@echo "make test    run the whole test suite (unit, CLI, Sphinx builds, browser)"
	@echo "make check   validate the catalogue (ra2docs check catalogue)"
	@echo "make lint    ruff on the package and the tests"
	@echo "make clean   remove build output, generated pages and caches"
	@echo "other Sphinx builders: make dirhtml | singlehtml | latex | linkcheck"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

venv: $(STAMP)

# graphviz's `dot` draws the trace graphs; it is not on a fresh machine.
graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's graphviz (dot is missing)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	  else \
	    echo "graphviz is missing: install it (Debian/Ubuntu: sudo apt-get install graphviz; macOS: brew install graphviz)" >&2; \
	    exit 1; \
	  fi; }

# Debian's chromium drives the browser tests of the generated pages.
chromium:
	@{ command -v chromium && command -v chromedriver; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else \
	    echo "chromium is missing: the browser tests will be skipped (Debian/Ubuntu: sudo apt-get install chromium)" >&2; \
	  fi; }

html: $(STAMP) graphviz
	$(BIN)/sphinx-build $(SPHINXOPTS) -b html source $(BUILDDIR)/html
	@echo "The site is in $(BUILDDIR)/html/index.html"

dirhtml singlehtml latex linkcheck: $(STAMP) graphviz
	$(BIN)/sphinx-build $(SPHINXOPTS) -b $@ source $(BUILDDIR)/$@

check: $(STAMP)
	$(BIN)/ra2docs check catalogue

lint: $(STAMP)
	$(BIN)/ruff check ra2docs tests benchmarks
	$(BIN)/ruff format --check ra2docs tests benchmarks

test: $(STAMP) graphviz chromium
	$(BIN)/ruff check ra2docs tests benchmarks
	$(BIN)/python -m pytest $(PYTESTOPTS)

clean:
	rm -rf $(BUILDDIR) source/_generated .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
