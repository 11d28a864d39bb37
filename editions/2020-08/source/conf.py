"""Sphinx configuration of the RA2 spec site built by ra2docs."""

project = "Anuket Kubernetes Reference Architecture (RA2)"
author = "Anuket Project (LF Networking), formerly CNTT"
copyright = "Anuket Project contributors, CC BY 4.0"  # noqa: A001

from ra2docs.sphinx import STANDARD_PAGES

extensions = ["ra2docs.sphinx"]

# The catalogue (relative to this folder); its settings are catalogue/ra2docs.toml.
ra2docs_catalogue = "../catalogue"
ra2docs_generated = "_generated"

# Pages generated from the package's templates (into source/_generated/ at every build,
# a folder git ignores). A project's own templates go in a folder named by ra2docs_templates.
ra2docs_pages = STANDARD_PAGES  # traceability, conformance, downloads, rules, catalogue reference

# Conformance test results shown next to the requirements (see results/README.md).
# These are SAMPLE files, to show the feature on a fresh clone.
ra2docs_results = ["../../../results/sample/**/*.xml", "../../../results/sample/**/*.json", "../../../results/sample/**/*.yml"]

exclude_patterns = ["_build"]
# The RA2 site's own theme (a dependency of ra2docs); `-D html_theme=alabaster` builds with Sphinx's default.
html_theme = "piccolo_theme"
html_title = "RA2 — Kubernetes Reference Architecture"
html_static_path = []

# LaTeX: A4, and long tables in a smaller font so that wide ones fit the page.
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "10pt",
    "sphinxsetup": "verbatimwithframe=false",
    "preamble": r"\usepackage{pdflscape}",
}
latex_table_style = ["booktabs", "colorrows"]
graphviz_output_format = "svg"

# The edition this site shows, named at the top of every page.
ra2docs_edition = "RA2 as of 2020-08-29 (anuket-specifications 84d0b207, between the Baldy and Baraque releases)"
# The history of its items: RA2 at each Anuket release up to Baldy.1 (2020-09-05), the last release whose RA2
# tables this edition already holds (Baldy.1 changes none of Baldy's); later releases came after this edition.
ra2docs_history = "../../../releases"  # RA2 at each Anuket release (CC BY 4.0), kept in this repository
ra2docs_history_until = "Baldy.1"
ra2docs_every_item_shown = True  # every catalogue item has its anchor on some page
