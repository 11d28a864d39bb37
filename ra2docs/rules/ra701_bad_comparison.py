"""A comparison row or cell points at something the catalogue does not define.

Every row names a catalogue item; every cell names one of the comparison's
solutions and one of its support levels (its legend); every note mark names
one of its notes. Each solution should have a cell in every row.

FAIL::

    rows:
      - item: req.inf.ntw.3            # no such item
        cells: {multus: suported}      # no such level

PASS::

    rows:
      - item: req.inf.ntw.03
        cells: {multus: supported, danm: supported}
"""

from __future__ import annotations

from collections.abc import Iterator

from ra2docs.context import CheckContext
from ra2docs.findings import Finding
from ra2docs.model import Comparison
from ra2docs.schema import did_you_mean

CODE = "RA701"
NAME = "bad-comparison"
SEVERITY = "error"
SUMMARY = "A comparison row names an unknown item, solution, support level or note."


def check(ctx: CheckContext) -> Iterator[Finding]:
    items = ctx.catalogue.items
    for comp in ctx.catalogue.comparisons.values():
        solutions = [s for s, _ in comp.solutions]
        levels = [lv for lv, _ in comp.levels]
        notes = [n for n, _ in comp.notes]

        def finding(message: str, line: int, hint: str = "", comp: Comparison = comp) -> Finding:
            return Finding(CODE, message, comp.file, line, item=comp.id, suggestion=hint)

        for row in comp.rows:
            if not row.item and not row.label:
                yield finding("row has neither an item nor a label", row.line, "give the row 'item:' or 'label:'")
            elif row.item and row.item not in items:
                hint = ctx.ids.suggest(row.item)
                yield finding(
                    f"row names unknown item {row.item!r}", row.line, f"did you mean {hint!r}?" if hint else ""
                )
            for solution, cell in row.cells.items():
                if solution not in solutions:
                    hint = did_you_mean(solution, solutions)
                    yield finding(
                        f"row {row.item or row.label}: unknown solution {solution!r}",
                        row.line,
                        f"did you mean {hint!r}?" if hint else "",
                    )
                if cell.level not in levels:
                    hint = did_you_mean(cell.level, levels)
                    yield finding(
                        f"row {row.item or row.label}: unknown support level {cell.level!r}",
                        row.line,
                        f"did you mean {hint!r}?" if hint else "levels: " + ", ".join(levels),
                    )
                if cell.note and cell.note not in notes:
                    yield finding(
                        f"row {row.item or row.label}: unknown note {cell.note!r}",
                        row.line,
                        "notes: " + ", ".join(notes),
                    )
            for solution in solutions:
                if solution not in row.cells:
                    yield finding(
                        f"row {row.item or row.label}: no cell for solution {solution!r}", row.line, "add the cell"
                    )
