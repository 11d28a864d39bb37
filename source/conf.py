"""Sphinx configuration of the shipped site: RA2's own conf.py (anuket-project/RA2, August 2025) as
`ra2docs adopt` left it, and what this repository adds (generated pages, history, edition)."""

project = 'Anuket Reference Architecture for Kubernetes based cloud infrastructure (RA2)'
copyright = '2023, Anuket. Licensed under CC BY 4.0'
author = 'Anuket Project of Linux Foundation Networking'
exclude_patterns = [
    '.tox',
    'README.rst'
]
extensions = [
    'sphinx.ext.intersphinx',
    'sphinx.ext.autosectionlabel',
    'sphinxcontrib.bibtex'
]

html_theme = "piccolo_theme"

linkcheck_retries = 3

linkcheck_ignore = [
    "https://github.com/cncf/cnf-testsuite/blob/main/RATIONALE.md",
    "https://github.com/opencontainers/runtime-spec/blob/master/config.md",
    "https://www.iso.org/obp/ui/#iso:std:iso-iec:27001:ed-2:v1:en",
    "https://www.iso.org/obp/ui/#iso:std:iso-iec:27002:ed-2:v1:en",
    "https://www.iso.org/obp/ui/#iso:std:iso-iec:27032:ed-1:v1:en",
    "https://ntia.gov/page/software-bill-materials",
    "https://www.cisecurity.org/controls/cis-controls-list",
    "https://github.com/cnti-testcatalog/testsuite/blob/main/RATIONALE.md#",
    "http://127.0.0.1",
    "http://104.154.71.112:8080"
]

autosectionlabel_prefix_document = True
autosectionlabel_maxdepth = 4
numfig = True
numfig_format = {'figure': 'Figure %s', 'table': 'Table %s',
                 'code-block': 'Listing %s', 'section': 'Section %s'}

html_static_path = ['_static']
templates_path = ['_templates']

html_css_files = [
    'custom.css',
]

html_show_sourcelink = False
html_theme_options = {
    # If False, expand all TOC entries
    'globaltoc_collapse': False,
    # If True, show hidden TOC entries
    'globaltoc_includehidden': False,
}

# Inverse png
html_logo = '_static/anuket-logo.png'
html_favicon = '_static/favicon.ico'

bibtex_bibfiles = ['refs.bib', 'rm-refs.bib']  # rm-refs.bib: added here, for the Reference Model items' citations
bibtex_default_style = 'unsrt'


# ra2docs (added by `ra2docs adopt`): the tables of catalogue items are rendered from
# catalogue/ (settings: ra2docs.toml at the repository's top); `ra2docs check` checks it.
extensions = [*extensions, "ra2docs.sphinx"]
ra2docs_catalogue = "../catalogue"
ra2docs_interactive_tables = False  # the tables keep this site's look (`:interactive:` on one table sorts it)
ra2docs_every_item_shown = True  # an item no page shows is a warning: an edit of it would change nothing

# What this repository adds to RA2's own configuration.
from ra2docs.sphinx import STANDARD_PAGES  # noqa: E402

html_static_path = ["_static"]  # RA2's logo and custom.css
ra2docs_generated = "_generated"
ra2docs_pages = STANDARD_PAGES  # traceability, conformance, downloads, rules, catalogue reference
# The edition this site shows, named at the top of every page, and the history of its items:
# RA2 at each Anuket release, Snezka (2020-01) to Quinnipiac (2024-11), kept in this repository.
ra2docs_edition = "RA2 as of 2025-08 (anuket-project/RA2, after the Quinnipiac release)"
ra2docs_history = "../releases"
exclude_patterns = [*exclude_patterns, "_build"]
# Conformance results shown next to the requirements RC2's tests verify (see results/README.md).
# These are SAMPLE files, to show the feature on a fresh clone.
ra2docs_results = ["../results/sample/**/*.xml", "../results/sample/**/*.json", "../results/sample/**/*.yml"]
