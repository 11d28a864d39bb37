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
.PHONY: help html docs test check clean venv graphviz chromium pandoc lint dirhtml singlehtml latex latexpdf linkcheck docx rst test-sphinx72 test-newest-python

help:
	@echo "make html    build the site into $(BUILDDIR)/html, the 2020-08 edition into $(BUILDDIR)/html/2020-08 (warnings are errors)"
	@echo "make docs    build the documentation (docs/, with ra2docs itself) into $(BUILDDIR)/docs (warnings are errors)"
	@echo "make test    run the whole test suite (unit, CLI, Sphinx builds, browser; PYTESTOPTS='-m \"not slow\"': the fast tier)"
	@echo "make check   validate the catalogues (today's and the 2020-08 edition's)"
	@echo "make lint    ruff on the package and the tests, mypy on the package"
	@echo "make clean   remove build output, generated pages and caches"
	@echo "make latex   LaTeX sources in $(BUILDDIR)/latex (make latexpdf: the PDF, where TeX is installed)"
	@echo "make docx    the Word document $(BUILDDIR)/docx/ra2.docx (pandoc; REFERENCE_DOCX=file for a style)"
	@echo "make rst     the site's sources without ra2docs directives (plain reStructuredText) in $(BUILDDIR)/rst"
	@echo "make test-sphinx72  build the site under Sphinx 7.2.6 (RA2's pin) in .venv-sphinx72"
	@echo "make test-newest-python  core, CLI and site tests under the newest Python installed (3.13+)"
	@echo "other Sphinx builders: make dirhtml | singlehtml | linkcheck"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'  # the test extra holds the others
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

# Debian's chromium drives the browser tests of the generated pages (poppler-utils reads the pages it prints).
chromium:
	@{ command -v chromium && command -v chromedriver && command -v pdftotext; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium and poppler-utils for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver poppler-utils >/dev/null; \
	  else \
	    echo "chromium or pdftotext is missing: the browser tests will fail (Debian/Ubuntu: sudo apt-get install chromium chromium-driver poppler-utils)" >&2; \
	  fi; }

# Today's RA2 at $(BUILDDIR)/html, the 2020-08 edition (the commissioned one) at $(BUILDDIR)/html/2020-08.
EDITION_2020 := editions/2020-08/source
html: $(STAMP) graphviz
	$(BIN)/sphinx-build $(SPHINXOPTS) -b html source $(BUILDDIR)/html
	$(BIN)/sphinx-build $(SPHINXOPTS) -b html $(EDITION_2020) $(BUILDDIR)/html/2020-08
	@echo "The site is in $(BUILDDIR)/html/index.html (the 2020-08 edition in $(BUILDDIR)/html/2020-08/)"

# The documentation: docs/ is a Sphinx project that uses ra2docs (its rules page, its example catalogue).
docs: $(STAMP) graphviz
	$(BIN)/sphinx-build $(SPHINXOPTS) -b html docs $(BUILDDIR)/docs
	@echo "The documentation is in $(BUILDDIR)/docs/index.html"

dirhtml singlehtml latex linkcheck: $(STAMP) graphviz
	$(BIN)/sphinx-build $(SPHINXOPTS) -b $@ source $(BUILDDIR)/$@

latexpdf: latex
	@command -v latexmk >/dev/null 2>&1 || { echo "latexpdf needs a TeX installation (Debian: texlive-latex-extra latexmk)" >&2; exit 1; }
	$(MAKE) -C $(BUILDDIR)/latex all-pdf

# Debian's pandoc turns the rendered chapters into a Word document.
pandoc:
	@command -v pandoc >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's pandoc"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pandoc >/dev/null; \
	  else \
	    echo "pandoc is missing: install it (Debian/Ubuntu: sudo apt-get install pandoc)" >&2; exit 1; \
	  fi; }

# The site's sources with every ra2docs directive written out as plain reStructuredText.
rst: $(STAMP)
	rm -rf $(BUILDDIR)/rst
	$(BIN)/ra2docs expand source $(BUILDDIR)/rst

REFERENCE_DOCX ?=
docx: rst pandoc
	@mkdir -p $(BUILDDIR)/docx
	cd $(BUILDDIR)/rst && pandoc --from rst --to docx --toc --metadata title="Anuket Kubernetes Reference Architecture (RA2)" \
	  $(if $(REFERENCE_DOCX),--reference-doc=$(abspath $(REFERENCE_DOCX))) --output ../docx/ra2.docx \
	  chapters/chapter01.rst chapters/chapter02.rst chapters/chapter03.rst chapters/chapter04.rst \
	  chapters/chapter05.rst chapters/chapter06.rst chapters/chapter07.rst chapters/appendix-a.rst
	@echo "The Word document is $(BUILDDIR)/docx/ra2.docx"

# The RA2 repository pins Sphinx 7.2.6 and piccolo-theme: the site must build there too.
VENV72 ?= .venv-sphinx72
$(VENV72)/.installed: pyproject.toml
	@test -x $(VENV72)/bin/python || $(PYTHON) -m venv $(VENV72)
	$(VENV72)/bin/python -m pip install --quiet --disable-pip-version-check "sphinx==7.2.6" -e '.[site]' \
	  "pytest>=8" "hypothesis>=6"
	@touch $@

test-sphinx72: $(VENV72)/.installed graphviz
	rm -rf $(BUILDDIR)/sphinx72  # fresh builds: the comparison below must not see pages of an earlier site
	for site in source $(EDITION_2020); do \
	  out=$(BUILDDIR)/sphinx72/$$(echo $$site | tr / -); \
	  $(VENV72)/bin/sphinx-build -W --keep-going -q -b html $$site $$out/piccolo && \
	  $(VENV72)/bin/sphinx-build -W --keep-going -q -b html -D ra2docs_fast_html=0 $$site $$out/piccolo-nodes && \
	  diff -r -q -x '*.js' -x '.doctrees' -x '.buildinfo' $$out/piccolo $$out/piccolo-nodes || exit 1; \
	done
	$(VENV72)/bin/sphinx-build -W --keep-going -q -b html -D html_theme=alabaster $(EDITION_2020) \
	  $(BUILDDIR)/sphinx72/alabaster  # the default theme too (today's site is RA2's, in its theme only)
	# the property's random rounds run in full under the newest Sphinx (make test); here its examples and two more
	RA2DOCS_PROPERTY_EXAMPLES=2 $(VENV72)/bin/python -m pytest -q -p no:cacheprovider tests/test_incremental.py
	@echo "Sphinx 7.2.6: both editions build with -W in their theme (piccolo-theme), the 2020-08 one with alabaster too;"
	@echo "their large views written by the fast path are the very pages Sphinx writes from nodes;"
	@echo "incremental builds equal fresh builds"

check: $(STAMP)
	$(BIN)/ra2docs check --catalogue catalogue
	$(BIN)/ra2docs check --catalogue editions/2020-08/catalogue

lint: $(STAMP)
	$(BIN)/ruff check ra2docs tests benchmarks
	$(BIN)/ruff format --check ra2docs tests benchmarks
	$(BIN)/mypy  # its settings: [tool.mypy] in pyproject.toml

test: $(STAMP) graphviz chromium pandoc
	$(BIN)/ruff check ra2docs tests benchmarks
	$(BIN)/ruff format --check ra2docs tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTESTOPTS)  # two workers, a file's tests on one (its fixtures once)
	$(MAKE) docs
	# the two ends of the supported range, each a single process: side by side on two cores
	$(MAKE) -j2 --output-sync=target test-sphinx72 test-newest-python

# The other end of the supported range (the adoption tests run Python 3.10): the newest Python
# installed (pyenv's or on PATH, 3.13 or later) with the newest Sphinx, on the core, the CLI and the site build.
NEWEST_PYTHON ?= $(shell for p in $$(ls -d $$HOME/.pyenv/versions/3.1[3-9]*/bin/python 2>/dev/null | sort -V -r) \
  $$(command -v python3.14 python3.13 2>/dev/null); do echo $$p; break; done)
VENVNEW ?= .venv-newest
$(VENVNEW)/.installed: pyproject.toml
	@test -n "$(NEWEST_PYTHON)" || { echo "Python 3.13 or later is needed for test-newest-python (e.g. pyenv install 3.13)" >&2; exit 1; }
	@test -x $(VENVNEW)/bin/python || $(NEWEST_PYTHON) -m venv $(VENVNEW)
	$(VENVNEW)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

test-newest-python: $(VENVNEW)/.installed graphviz
	$(VENVNEW)/bin/python -c "import sys, sphinx; print('Python', sys.version.split()[0], 'Sphinx', sphinx.__version__)"
	$(VENVNEW)/bin/python -m pytest -q -p no:cacheprovider tests/test_loader.py tests/test_cli.py tests/test_settings.py \
	  tests/test_site.py tests/test_markup.py

clean:
	rm -rf $(BUILDDIR) docs/_generated source/_generated source/_history $(EDITION_2020)/_generated $(EDITION_2020)/_history .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
