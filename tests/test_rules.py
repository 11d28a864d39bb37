"""Every check rule: one failing and one passing example, and the rule's metadata."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import PROFILES, write

from ra2docs.check import analyse
from ra2docs.context import CheckOptions
from ra2docs.findings import SEVERITIES
from ra2docs.loader import load_catalogue
from ra2docs.rules import all_rules

BASE = """\
items:
  - {id: infra.com.cfg.004, kind: rm-requirement, title: Huge Pages, values: {basic: Must support}}
  - {id: req.inf.ntw.03, kind: ra-requirement, title: Central administration, priority: SHOULD,
     statement: The networking solution should be administered centrally.}
  - {id: ra2.ch.001, kind: specification, title: Huge Pages, traces: [infra.com.cfg.004, req.inf.ntw.03]}
  - {id: k8s_conformance, kind: test-case, title: Conformance, verifies: [ra2.ch.001]}
"""

# rule -> (failing files, passing files); each pair differs only in what the rule is about
CASES: dict[str, tuple[dict[str, str | bytes], dict[str, str | bytes]]] = {
    "RA101": ({"a.yaml": "items:\n  - {id: x.y.001, title: R\xe9seau}\n".encode("latin-1")}, {}),
    "RA102": ({"a.yaml": "items:\n  - id: a\n\tkind: gap\n"}, {}),
    "RA103": (
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: A, title: B}\n"},
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: A}\n"},
    ),
    "RA104": (
        {"a.yaml": "items:\n  - {id: i.cap.016, kind: rm-capability, title: R, values: {basic: 1:1}}\n"},
        {"a.yaml": "items:\n  - {id: i.cap.016, kind: rm-capability, title: R, values: {basic: '1:1'}}\n"},
    ),
    "RA108": (
        {"a.yaml": "items:\n  - &a {id: gap.a, kind: gap, title: A}\n  - *a\n"},
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: A}\n"},
    ),
    "RA105": ({"a.yaml": "- id: gap.a\n"}, {"a.yaml": "items: []\n"}),
    "RA407": (
        {
            "a.yaml": BASE.replace(
                "traces: [infra.com.cfg.004, req.inf.ntw.03]}",
                "traces: [infra.com.cfg.004, req.inf.ntw.03], cells: {traces: 'infra.com.cfg.004 (RM chapter 5)'}}",
            )
        },
        {
            "a.yaml": BASE.replace(
                "traces: [infra.com.cfg.004, req.inf.ntw.03]}",
                "traces: [infra.com.cfg.004, req.inf.ntw.03], cells: {traces: 'infra.com.cfg.004 (RM chapter 5)'},"
                " omitted-links: {traces: [req.inf.ntw.03]}}",
            )
        },
    ),
    "RA408": (
        {"a.yaml": "items:\n  - {id: n1, kind: rm-capability, title: A, row-with: [n2]}\n"},
        {
            "a.yaml": "items:\n  - {id: n1, kind: rm-capability, title: A, row-with: [n2]}\n  - {id: n2, kind: rm-capability, title: B}\n"
        },
    ),
    "RA107": (
        {"a.yaml": "items:\r\n  - {id: gap.a, kind: gap, title: A}\r\n"},
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: A}\n"},
    ),
    "RA201": (
        {"a.yaml": "items:\n  - {id: req.inf.ntw.01, kind: ra-requirement, title: R, priority: SHOLD}\n"},
        {"a.yaml": "items:\n  - {id: req.inf.ntw.01, kind: ra-requirement, title: R, priority: SHOULD}\n"},
    ),
    "RA202": (
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: A, relatd: []}\n"},
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: A, related: []}\n"},
    ),
    "RA203": (
        {"a.yaml": "items:\n  - {id: gap.a, title: A}\n"},
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: A}\n"},
    ),
    "RA301": (
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: A}\n  - {id: gap.a, kind: gap, title: B}\n"},
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: A}\n  - {id: gap.b, kind: gap, title: B}\n"},
    ),
    "RA302": (
        {"a.yaml": "items:\n  - {kind: gap, title: A}\n"},
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: A}\n"},
    ),
    "RA303": (
        {"a.yaml": "items:\n  - {id: gen.cnt.02, kind: ra-requirement, title: A}\n"},
        {"a.yaml": "items:\n  - {id: req.gen.cnt.02, kind: ra-requirement, title: A}\n"},
    ),
    "RA304": (
        {"a.yaml": "retired:\n  - {id: gap.a, note: gone}\nitems:\n  - {id: gap.a, kind: gap, title: A}\n"},
        {"a.yaml": "retired:\n  - {id: gap.a, note: gone}\nitems:\n  - {id: gap.b, kind: gap, title: A}\n"},
    ),
    "RA305": (
        {
            "a.yaml": "items:\n  - {id: sec.gen.001, kind: rm-requirement, title: A}\n  - {id: req.sec.gen.001, kind: rm-requirement, title: A}\n"
        },
        {"a.yaml": "items:\n  - {id: req.sec.gen.001, kind: rm-requirement, title: A}\n"},
    ),
    "RA401": (
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: A, related: [nfvi.com.cfg.004]}\n"},
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: A, related: [infra.com.cfg.004]}\n"},
    ),
    "RA402": (
        {
            "a.yaml": "items:\n  - {id: i.cap.018, kind: rm-capability, title: A, values: {network-intensve: Must support}}\n"
        },
        {"a.yaml": "items:\n  - {id: i.cap.018, kind: rm-capability, title: A, values: {basic: Must support}}\n"},
    ),
    "RA403": (
        {"a.yaml": "items:\n  - {id: ra2.ch.002, kind: specification, title: A, traces: [ra2.ch.001]}\n"},
        {"a.yaml": "items:\n  - {id: ra2.ch.002, kind: specification, title: A, traces: [infra.com.cfg.004]}\n"},
    ),
    "RA405": (
        {"a.yaml": "items:\n  - {id: ra2.ch.002, kind: specification, title: A, traces: [ra2.ch.002]}\n"},
        {"a.yaml": "items:\n  - {id: ra2.ch.002, kind: specification, title: A, traces: [infra.com.cfg.004]}\n"},
    ),
    "RA406": (
        {
            "a.yaml": "items:\n  - {id: e2e.a, kind: test-case, title: A, verifies: [ra2.ch.009]}\n  - {id: ra2.ch.009, kind: specification, title: B, status: retired, traces: [infra.com.cfg.004]}\n"
        },
        {"a.yaml": "items:\n  - {id: e2e.a, kind: test-case, title: A, verifies: [ra2.ch.001]}\n"},
    ),
    "RA501": (
        {"a.yaml": "items:\n  - {id: e.cap.004, kind: rm-capability, title: A, values: {basic: '6'}}\n"},
        {
            "a.yaml": "items:\n  - {id: e.cap.004, kind: rm-capability, title: A, values: {basic: '6'}}\n  - {id: ra2.ntw.003, kind: specification, title: B, traces: [e.cap.004]}\n"
        },
    ),
    "RA502": (
        {"a.yaml": "items:\n  - {id: ra2.ntw.005, kind: specification, title: SR-IOV}\n"},
        {"a.yaml": "items:\n  - {id: ra2.ntw.005, kind: specification, title: SR-IOV, traces: [infra.com.cfg.004]}\n"},
    ),
    "RA503": (
        {"a.yaml": "items:\n  - {id: req.inf.ntw.04, kind: ra-requirement, title: A, priority: MUST}\n"},
        {
            "a.yaml": "items:\n  - {id: req.inf.ntw.04, kind: ra-requirement, title: A, priority: MUST}\n  - {id: e2e.b, kind: test-case, title: T, verifies: [req.inf.ntw.04]}\n"
        },
    ),
    "RA601": (
        {"a.yaml": "items:\n  - {id: ra2.ch.017, kind: specification}\n"},
        {"a.yaml": "items:\n  - {id: ra2.ch.017, kind: specification, status: placeholder}\n"},
    ),
    "RA602": (
        {
            "a.yaml": "items:\n  - {id: req.inf.ntw.05, kind: ra-requirement, title: A, priority: MUST, statement: It should work.}\n"
        },
        {
            "a.yaml": "items:\n  - {id: req.inf.ntw.05, kind: ra-requirement, title: A, priority: SHOULD, statement: It should work.}\n"
        },
    ),
    "RA603": (
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: 'iv. Storage', description: '*Note'}\n"},
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: 'Storage (iv)', description: '*Note*'}\n"},
    ),
    "RA604": (
        {"a.yaml": 'items:\n  - {id: gap.a, kind: gap, title: "Central\\e[2Jadministration"}\n'},
        {"a.yaml": 'items:\n  - {id: gap.a, kind: gap, title: "Central administration"}\n'},
    ),
    "RA605": (
        {"a.yaml": "items:\n  - id: gap.a\n    kind: gap\n    description: |\n      Huge pages.  \n      More.\n"},
        {"a.yaml": "items:\n  - id: gap.a\n    kind: gap\n    description: |\n      Huge pages.\n      More.\n"},
    ),
    "RA701": (
        {
            "a.yaml": "comparisons:\n  - {id: c, title: C, solutions: [{id: m, title: M}], levels: [{id: s, label: S}], rows: [{item: req.inf.ntw.3, cells: {m: suported}}]}\n"
        },
        {
            "a.yaml": "comparisons:\n  - {id: c, title: C, solutions: [{id: m, title: M}], levels: [{id: s, label: S}], rows: [{item: req.inf.ntw.03, cells: {m: s}}]}\n"
        },
    ),
}


def rules_of(tmp_path, files) -> set[str]:
    folder = tmp_path / "cat"
    write(folder, {"profiles.yaml": PROFILES, "base.yaml": BASE})
    for name, text in files.items():
        path = folder / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return {f.rule for f in analyse(load_catalogue(folder, base=tmp_path))}


def test_every_rule_has_a_case_and_documentation():
    rules = all_rules()
    # RA109 and RA110 are reported by the importer (below), RA404 too (tests/test_import.py), RA111 by its
    # RC2 reader (tests/test_import_rc2.py), RA801 by the result readers (tests/test_corpus.py),
    # RA106 by the baseline (tests/test_baseline.py), RA901 by diff (tests/test_diff_gate.py)
    assert set(CASES) | {"RA109", "RA110", "RA111", "RA404", "RA801", "RA106", "RA901"} == set(rules)
    for rule in rules.values():
        assert rule.summary and rule.severity in ("error", "warning", "info")
        assert "FAIL" in rule.doc and "PASS" in rule.doc, rule.code
        assert rule.name == rule.name.lower() and " " not in rule.name


def test_the_base_catalogue_is_clean(tmp_path):
    assert rules_of(tmp_path, {}) == set()


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fails_and_passes(tmp_path, code):
    failing, passing = CASES[code]
    assert code in rules_of(tmp_path / "fail", failing)
    assert code not in rules_of(tmp_path / "pass", passing)


def test_an_invalid_match_pattern_is_a_finding_not_a_crash(tmp_path):
    files = {"a.yaml": "items:\n  - {id: e2e.x, kind: test-case, title: X, match: {pattern: '[unclosed'}}\n"}
    assert "RA201" in rules_of(tmp_path, files)


def test_silencing_what_yaml_reads_a_value_as_leaves_the_safety_rule_fatal(tmp_path):
    """RA104 (style: ``No`` read as false) can be switched off; RA108 (anchors, tags, limits) cannot (issue 25)."""
    from ra2docs.settings import load_settings

    files = {
        "a.yaml": "items:\n  - {id: gap.a, kind: gap, title: No}\n",
        "b.yaml": "items:\n  - &a {id: gap.b, kind: gap, title: B}\n  - *a\n",
    }
    folder = write(tmp_path / "cat", {"profiles.yaml": PROFILES, **files})
    (folder / "ra2docs.toml").write_text('[severity]\nyaml-value = "off"\n', encoding="utf-8")
    options = load_settings(folder / "ra2docs.toml").check_options(folder)
    result = load_catalogue(folder, base=tmp_path)
    found = analyse(result, options)
    assert [f.rule for f in found if f.rule in ("RA104", "RA108")] == ["RA108"]
    assert [f.severity for f in found if f.rule == "RA108"] == ["error"]
    assert result.fatal and "gap.a" in result.catalogue.items and "gap.b" not in result.catalogue.items
    # Given by a caller directly, an override of a safety rule is ignored too.
    assert [f.severity for f in analyse(result, CheckOptions({"RA108": "off"})) if f.rule == "RA108"] == ["error"]


@pytest.mark.parametrize("setting", ['unsafe-yaml = "off"', 'RA108 = "warning"', 'unsafe-yaml = "info"'])
def test_a_settings_file_cannot_lower_a_safety_rule(tmp_path, setting):
    from ra2docs.findings import Ra2docsError
    from ra2docs.settings import load_settings

    path = tmp_path / "ra2docs.toml"
    path.write_text(f"[severity]\n{setting}\n", encoding="utf-8")
    with pytest.raises(Ra2docsError) as raised:
        load_settings(path)
    key = setting.split(" ")[0]
    assert f"severity: {key} = " in str(raised.value)
    assert "RA108 unsafe-yaml is a safety rule and always error: remove the setting" in str(raised.value)
    assert raised.value.findings[0].file == str(path)
    path.write_text('[severity]\nunsafe-yaml = "error"\n', encoding="utf-8")  # saying what it is anyway is fine
    assert load_settings(path).severity == {"unsafe-yaml": "error"}


_RULE_CODE = re.compile(r"\bRA\d{3}\b")


def _wording_outside_rule_modules(source: str) -> list[str]:
    """Where ``source`` words a finding itself: what each rule module alone may do.

    A finding made with literal text (``Finding(...)``, ``Finding.at_item(...)``), a code written as a
    value (``rule="RA301"``, ``finding.rule != "RA301"``), a line of the import report worded or given a
    rule in place (``Note(...)``, ``self.note(line, "...")``: ``Note.of`` takes a rule module's finding).
    Prose that names a rule (a docstring, a schema description) words no finding.
    """
    found = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _RULE_CODE.fullmatch(node.value):
            found.append(f"line {node.lineno}: the code {node.value!r} as a value")
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", "")
        owner = getattr(getattr(function, "value", None), "id", "")
        arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
        texts = [a for a in arguments if isinstance(a, ast.JoinedStr) or _is_text(a)]
        if (name == "Finding" or (owner == "Finding" and name in ("at_item", "at_link"))) and texts:
            found.append(f"line {node.lineno}: a finding worded here")
        worded = [a for a in texts if not (_is_text(a) and a.value in SEVERITIES)]  # type: ignore[attr-defined]
        if name in ("Note", "note") and (worded or any(keyword.arg == "rule" for keyword in node.keywords)):
            found.append(f"line {node.lineno}: an import note worded here")
    return found


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def test_every_finding_is_worded_by_its_rule_module():
    """Only rule modules word findings: the reader, importer, diff and result readers call them (issues 16, 25)."""
    from conftest import ROOT

    package = ROOT / "ra2docs"
    offenders = {
        path.relative_to(package).as_posix(): found
        for path in sorted(package.rglob("*.py"))
        if path.parent != package / "rules"
        and (found := _wording_outside_rule_modules(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_contract_test_sees_each_way_of_wording_a_finding_outside_a_rule_module():
    """The check above can fail: each form it refuses, as the importer, diff and result readers wrote them before."""
    forms = [
        'Finding("RA801", message, file, line, suggestion=hint)',
        'Finding(code, f"not read: {reason}", path)',
        'Finding.at_item(CODE, "no statement", item)',
        'collected.notes.append(Note(file, line, message, rule="RA404"))',
        "self.note(row.line, message, rule=code)",
        'Note(file, line, message, rule="duplicate-id")',
        "notes.append(Note(display, 1, 'no catalogue tables in this file', 'info'))",
        'self.note(table.line, f"{self.describe(table)} has no catalogue IDs", "info")',
        'self.note(row.line, "row without an ID (check reports it as RA302)")',
        'if finding.rule != "RA301": pass',
    ]
    for form in forms:
        assert _wording_outside_rule_modules(form), form
    calling = [
        "findings.append(Finding(*row))",  # a finding read back from the cache, not worded
        "Note.of(ra302.row_without_id(), file, line)",
        'self.note(row.line, ra110.more_cells(len(cells), width), "info")',
        "cls(file, line, finding.message, level, finding.rule)",  # Note.of itself
        "if finding.rule != ra301.CODE: pass",
        '"""Checked by rule RA407."""',
    ]
    for form in calling:
        assert not _wording_outside_rule_modules(form), form


class _OverBudget(Exception):
    """More function calls than the work allowed for the input."""


def _calls_within(budget: int, work):
    """``work()``'s result, failing as soon as it makes more than ``budget`` Python or C function calls.

    Counting calls bounds the work itself, whatever the machine's speed (no wall clock), and an
    algorithm gone exponential fails at once rather than running for hours.
    """
    import sys

    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1
            if calls > budget:
                raise _OverBudget(f"more than {budget:,} calls")

    sys.setprofile(count)
    try:
        return work()
    finally:
        sys.setprofile(None)


@pytest.mark.parametrize("size", [20, 40])
def test_a_knot_of_links_is_one_finding_found_in_linear_time(tmp_path, size):
    """Items all tracing to each other hold billions of simple cycles (twenty do): one finding, linear work."""
    import networkx  # noqa: F401  (imported before counting: its import is not the rule's work)

    from ra2docs.context import CheckContext
    from ra2docs.rules import ra405_cycle

    ids = [f"ra2.ch.{n:03d}" for n in range(1, size + 1)]
    lines = ["items:"] + [
        f"  - {{id: {i}, kind: specification, title: T, traces: [{', '.join(o for o in ids if o != i)}]}}" for i in ids
    ]
    folder = tmp_path / "cat"
    write(folder, {"profiles.yaml": PROFILES, "a.yaml": "\n".join(lines) + "\n"})
    context = CheckContext(load_catalogue(folder, base=tmp_path).catalogue)
    assert context.graph is not None  # built before counting
    links = size * (size - 1)
    # Finding the knot takes about 7 calls a link (strongly connected components, one cycle
    # in each); 30 a link leaves room for other versions of networkx, none for enumerating cycles.
    findings = _calls_within(30 * links, lambda: list(ra405_cycle.check(context)))
    assert len(findings) == 1
    assert findings[0].item == "ra2.ch.001"
    assert f"{size} items are linked in a knot of cycles" in findings[0].message


def test_a_cycle_is_shown_in_link_order(tmp_path):
    files = {
        "a.yaml": "items:\n"
        "  - {id: ra2.ch.001, kind: specification, title: A, traces: [ra2.ch.003]}\n"
        "  - {id: ra2.ch.002, kind: specification, title: B, traces: [ra2.ch.001]}\n"
        "  - {id: ra2.ch.003, kind: specification, title: C, traces: [ra2.ch.002]}\n"
    }
    folder = tmp_path / "cat"
    write(folder, {"profiles.yaml": PROFILES, **files})
    [finding] = [f for f in analyse(load_catalogue(folder, base=tmp_path)) if f.rule == "RA405"]
    assert finding.message == "links form a cycle: ra2.ch.001 -> ra2.ch.003 -> ra2.ch.002 -> ra2.ch.001"


def test_every_rule_module_reports_its_rule():
    """A rule module either checks the loaded catalogue or words the findings a reader reports (issue 16)."""
    import importlib
    import inspect

    from ra2docs.findings import Finding

    for rule in all_rules().values():
        module = importlib.import_module(
            next(m for m in _rule_modules() if m.rsplit(".", 1)[-1].startswith(rule.code.lower()))
        )
        wording = [
            f
            for name, f in inspect.getmembers(module, inspect.isfunction)
            if f.__module__ == module.__name__
            and not name.startswith("_")
            and name != "check"
            and inspect.signature(f).return_annotation in (Finding, "Finding")
        ]
        assert rule.check is not None or wording, rule.code


def test_every_wording_function_of_a_rule_module_is_called():
    """A rule module's finding is reported somewhere: each wording function is used outside its module (issue 25)."""
    import importlib
    import inspect

    from conftest import ROOT

    from ra2docs.findings import Finding

    package = ROOT / "ra2docs"
    used: dict[str, set[str]] = {}  # module name -> the names other modules take from it
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "ra2docs.rules":
                aliases.update({a.asname or a.name: a.name for a in node.names})
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ra2docs.rules."):
                module = node.module.rsplit(".", 1)[-1]
                if path.stem != module:
                    used.setdefault(module, set()).update(a.name for a in node.names)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
                module = aliases[node.value.id]
                if path.stem != module:
                    used.setdefault(module, set()).add(node.attr)
    never = []
    for name in _rule_modules():
        module = importlib.import_module(name)
        short = name.rsplit(".", 1)[-1]
        for function_name, function in inspect.getmembers(module, inspect.isfunction):
            wording = inspect.signature(function).return_annotation in (Finding, "Finding")
            public = not function_name.startswith("_") and function_name != "check"
            if function.__module__ == name and wording and public and function_name not in used.get(short, set()):
                never.append(f"{short}.{function_name}")
    assert never == []


def _rule_modules() -> list[str]:
    import pkgutil

    import ra2docs.rules

    return [f"ra2docs.rules.{m.name}" for m in pkgutil.iter_modules(ra2docs.rules.__path__)]


def test_a_rule_lists_at_most_its_limit_and_counts_the_rest(tmp_path, monkeypatch):
    import ra2docs.check as check

    monkeypatch.setattr(check, "MAX_RULE_FINDINGS", 3)
    files = {"a.yaml": "items:\n" + "".join(f"  - {{id: ra2.ch.{n:03d}, kind: specification}}\n" for n in range(10))}
    folder = tmp_path / "cat"
    write(folder, {"profiles.yaml": PROFILES, **files})
    empty = [f for f in analyse(load_catalogue(folder, base=tmp_path)) if f.rule == "RA601"]
    assert len(empty) == 4
    assert [f.message for f in empty if not f.item] == ["7 more findings of this rule are not listed (at most 3 are)"]


def test_doc8_s_whitespace_rules_name_the_text_line_and_the_file_line(tmp_path):
    files = {
        "a.yaml": "items:\n  - id: gap.a\n    kind: gap\n    title: 'Huge pages '\n"
        "    description: |\n      One.\n      Two.\t\n      Three. \n",
        "b.yaml": "items:\n  - {id: gap.b, kind: gap, title: B}\r\n",
    }
    loaded = load_catalogue(write(tmp_path, files))
    found = [(Path(f.file).name, f.line, f.rule, f.message) for f in analyse(loaded) if f.rule in ("RA605", "RA107")]
    assert found == [
        ("a.yaml", 2, "RA605", "description: trailing whitespace (line 2, 3 of the text)"),
        ("a.yaml", 2, "RA605", "title: trailing whitespace"),
        ("b.yaml", 2, "RA107", "line ends in a carriage return (1 in this file): lines must end in LF alone"),
    ]


def test_the_rules_page_documents_every_rule_and_marks_the_safety_rule(tmp_path):
    """The generated rules page (templates/rules.rst.j2) holds each rule module's code, and RA108 as not configurable."""
    from docutils.core import publish_doctree
    from docutils.utils import Reporter

    from ra2docs.generate import page_specs, render_pages
    from ra2docs.graph import TraceGraph

    catalogue = load_catalogue(write(tmp_path / "cat", {"profiles.yaml": PROFILES}), base=tmp_path).catalogue
    [page] = render_pages(
        catalogue, TraceGraph(catalogue), None, page_specs([{"template": "rules.rst.j2", "output": "rules.rst"}])
    ).values()
    # :ref: is Sphinx's; read as plain docutils, the page must still parse without an error of its own.
    tree = publish_doctree(
        page.replace(":ref:", ":literal:"), settings_overrides={"report_level": Reporter.SEVERE_LEVEL + 1}
    )
    titles = [node.astext() for node in tree.findall(lambda n: n.tagname == "title")]
    for rule in all_rules().values():
        assert f"{rule.code} {rule.name}" in titles
    [safety] = [
        field.astext() for field in tree.findall(lambda n: n.tagname == "field_body") if "safety rule" in field.astext()
    ]
    assert safety == "error (a safety rule: fatal, and no settings file may change it)"
    assert "RA108 unsafe-yaml" in titles


def test_the_import_report_is_worded_by_rule_modules(tmp_path):
    """An unreadable chapter is RA109 (an error); a table read other than as written RA110, a row without ID RA302."""
    from ra2docs.importer import collect

    write(
        tmp_path / "ra2",
        {
            "chapter02.md": "# Requirements\n\n| Reference | Description |\n|---|---|\n"
            "| req.inf.ntw.01 | Networking | extra |\n| | A row without an ID |\n",
            "chapter03.md": "# Prose\n\nNo tables here.\n",
        },
    )
    (tmp_path / "ra2" / "chapter04.md").write_bytes("| req.inf.ntw.02 | R\xe9seau |\n".encode("latin-1"))
    notes = sorted((n.file, n.line, n.level, n.rule, n.message) for n in collect(tmp_path).collected.notes)
    assert notes == [
        (
            "ra2/chapter02.md",
            5,
            "warning",
            "RA110",
            "row has 3 cells, the header has 2; the extra text is kept in its cells",
        ),
        (
            "ra2/chapter02.md",
            6,
            "warning",
            "RA302",
            "row without an ID: imported without 'id' (check reports it as RA302)",
        ),
        ("ra2/chapter03.md", 1, "info", "RA110", "no catalogue tables, comparisons or gaps in this file"),
        ("ra2/chapter04.md", 1, "error", "RA109", "not UTF-8 (byte at offset 20); file skipped, save it as UTF-8"),
    ]


def test_an_id_cell_missing_a_member_of_its_row_is_fixed_in_row_with_not_omitted_links(tmp_path):
    folder = tmp_path / "cat"
    row = (
        "items:\n"
        "  - {id: n1, kind: rm-capability, title: '1 Gbps', row-with: [n2], cells: {id: 'n1'}}\n"
        "  - {id: n2, kind: rm-capability, title: '2 Gbps'}\n"
    )
    write(folder, {"profiles.yaml": PROFILES, "rows.yaml": row})
    found = [f for f in analyse(load_catalogue(folder, base=tmp_path)) if f.rule == "RA407"]
    assert [f.message for f in found] == ["cells.id does not show n2, one of its links"]
    assert "row-with" in found[0].suggestion and "omitted-links" not in found[0].suggestion
