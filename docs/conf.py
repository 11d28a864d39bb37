"""The ra2docs documentation, built with ra2docs itself: `make docs` (warnings are errors; part of `make test`).

The example catalogue (example/catalogue) is the one the catalogue page shows, and the directives on
that page render it; the rules page is generated from the rule modules' docstrings (ra2docs/rules/).
"""

project = "ra2docs"
author = "ra2docs developers"
copyright = "ra2docs developers; Apache-2.0"
html_theme = "alabaster"
html_title = "ra2docs"
numfig = True
exclude_patterns = ["_build", "example"]

extensions = ["ra2docs.sphinx"]
ra2docs_catalogue = "example/catalogue"
ra2docs_settings = "example/ra2docs.toml"
ra2docs_downloads = False
ra2docs_pages = [{"template": "rules.rst.j2", "output": "rules.rst"}]
