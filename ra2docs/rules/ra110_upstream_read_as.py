"""An upstream chapter's table or gap section that ``ra2docs import`` reads other than as written.

Upstream Markdown and reStructuredText are not always regular: a row with
more or fewer cells than its header, a grid table whose column separators are
out of line, two rows run on in one line, a table broken by a blank line, a
table naming IDs without an ID column, a gap section without its fields. The
importer reads each as it was meant and reports it here, at the line of the
chapter, so that the upstream chapter can be corrected (warnings), and notes
for the record what it left out or kept once (infos). Only ``import`` and
``adopt`` report it; a catalogue cannot have this problem.

FAIL (upstream)::

    | Reference | Sub-category | Description |
    |-----------|--------------|-------------|
    | e.cap.001 | Compute      | Max number of vCPU | 8 |

PASS: the row has as many cells as the header::

    | Reference | Sub-category | Description |
    |-----------|--------------|-------------|
    | e.cap.001 | Compute      | Max number of vCPU |
"""

from __future__ import annotations

from ra2docs.findings import Finding

CODE = "RA110"
NAME = "upstream-read-as"
SEVERITY = "warning"
SUMMARY = "An upstream table or gap section that import reads other than as written, or leaves out (import report)."


def reader_problem(message: str) -> Finding:
    """What the chapter's reader (docutils, markdown-it-py) could not read as written, in its own words."""
    return Finding(CODE, message)


def no_catalogue_content() -> Finding:
    return Finding(CODE, "no catalogue tables, comparisons or gaps in this file")


def ids_without_id_column(table: str) -> Finding:
    return Finding(CODE, f"{table} names IDs but has no ID column: not imported")


def not_a_catalogue_table(table: str) -> Finding:
    return Finding(CODE, f"{table} has no catalogue IDs: not a catalogue table")


def comparison_imported_as_items(table: str) -> Finding:
    return Finding(CODE, f"{table} is a comparison with IDs in a column: imported as items")


def fewer_cells(cells: int, width: int) -> Finding:
    return Finding(CODE, f"row has {cells} cells, the header has {width}; missing cells left empty")


def more_cells(cells: int, width: int) -> Finding:
    return Finding(CODE, f"row has {cells} cells, the header has {width}; the extra text is kept in its cells")


def merged_cell_out_of_line(span: int) -> Finding:
    return Finding(
        CODE,
        f"a cell spans {span} columns because the row's column separators are out of line "
        "(Sphinx shows one merged cell): read as the cells meant",
    )


def row_runs_on(cell: int) -> Finding:
    return Finding(
        CODE,
        f"a second row runs on in this row's line (from cell {cell}): read as a row of its own; "
        "GitHub does not show it",
    )


def profile_values_differ(item: str, first_at: str, differences: list[str]) -> Finding:
    return Finding(
        CODE, f"{item}: profile values differ from {first_at} " + "; ".join(differences) + "; kept the first"
    )


def row_repeated(item: str, first_line: int) -> Finding:
    return Finding(CODE, f"{item} repeats the row of line {first_line}; kept once")


def listed_again(item: str, first_at: str) -> Finding:
    return Finding(CODE, f"{item} is listed again (first at {first_at})")


def gap_template(number: str, title: str) -> Finding:
    return Finding(CODE, f"gap {number} {title!r} is the template: skipped")


def gap_without_fields(number: str, title: str) -> Finding:
    return Finding(
        CODE,
        f"gap {number} {title!r} has no 'Related requirements' / 'Baseline project' / "
        "'Gap description' fields; imported with its text",
    )
