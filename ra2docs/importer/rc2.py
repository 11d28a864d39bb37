"""RC2's traceability tables: the tests Anuket's Reference Conformance for Kubernetes names.

- "Traceability to RA2 Requirements" (chapter 4): a row per RA2 workload
  requirement; its test column links a CNF Test Suite test through an anchor of
  the suite's ``RATIONALE.md`` whose last token is the test's name
  (``...#test-if-the-helm-chart-is-published-helm_chart_published``). Each
  distinct test becomes a test-case item named as the suite names it, with its
  upstream link, that verifies every row's requirement naming it.
- The Functest-Kubernetes "mandatory test cases" table (chapter 2): each case a
  test-case item matched by ``case-name``; the e2e focus and skip lists of the
  chapter's sections become e2e test cases matched by tag, the skips as
  ``exclude`` rules.

Every row that yields no test is a finding naming the row: N/A, TBD, empty,
documentation only, a requirement reference, a shifted column, an anchor that
names no test of the suite (a truncated anchor, a removed test). Where RC2 names
a section instead of a requirement ID, no link is invented.

The cells are judged on the node tree docutils makes of them (links are URIs
with their line breaks removed, as docutils reads them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from docutils import nodes
from docutils.core import publish_doctree

from ra2docs.documents.document import Document, Row, Section, Table
from ra2docs.docutils_alone import SAFE_SETTINGS, docutils_alone
from ra2docs.findings import Finding
from ra2docs.importer.ids import first_id, ids_in, is_id
from ra2docs.importer.mapper import Collected, Entry, Note
from ra2docs.markup import escape, plain_text
from ra2docs.rules import ra111_rc2_row_without_test as ra111

# The CNF Test Suite's repositories, under each name it has had.
CNF_SUITE_REPOSITORIES = ("cnti-testcatalog/testsuite", "cncf/cnf-testsuite", "cncf/cnf-conformance")
CNF_SUITE_PROJECT = "cnf-testsuite"
FUNCTEST_PROJECT = "functest-kubernetes"
E2E_PROJECT = "kubernetes e2e"

# The suite's test names: the tasks of embedded_files/points.yml, cnti-testcatalog/testsuite at
# 6370ad5d (2025-03-07), Apache-2.0. Facts (names), not text.
_SUITE_TESTS = """
alpha_k8s_apis application_credentials cluster_admin clusterapi_enabled cni_compatible container_sock_mounts
control_plane_hardening cpu_limits database_persistence default_namespace default_scoring disk_fill
elastic_volumes external_ips hardcoded_ip_addresses_in_k8s_runtime_configuration helm_chart_published
helm_chart_valid helm_deploy helm_tiller host_network host_pid_ipc_privileges hostpath_mounts
hostport_not_used immutable_configmap immutable_file_systems increase_decrease_capacity ingress_egress_blocked
insecure_capabilities ip_addresses k8s_conformance kube_state_metrics latest_tag linux_hardening liveness
log_output memory_limits metrics_server node_drain node_exporter nodeport_not_used non_root_containers
oci_compliant open_metrics operator_installed oran_e2_connection pod_delete pod_dns_error pod_io_stress
pod_memory_hog pod_network_corruption pod_network_duplication pod_network_latency privilege_escalation
privileged_containers prometheus_adapter prometheus_traffic readiness reasonable_image_size
reasonable_startup_time require_labels rollback rolling_downgrade rolling_update rolling_version_change
routed_logs secrets_used selinux_options service_account_mapping service_discovery shared_database
sig_term_handled single_process_type smf_upf_heartbeat specialized_init_system suci_enabled
symlink_file_system sysctls tracing versioned_tag worker_reboot_recovery zombie_handled
no_local_volume_configuration
"""
CNF_SUITE_TESTS = frozenset(_SUITE_TESTS.split())
# Names the suite has since changed (the points.yml history): old -> the test(s) now.
CNF_SUITE_RENAMED = {
    "cni_compatibility": ("cni_compatible",),  # 0da99b0c, 2021-10-29
    "resource_policies": ("cpu_limits", "memory_limits"),  # ff31455e, 2024-04-24
}
CNF_SUITE_REMOVED = {"non_root_user": "c0b0ddc8, 2024-02-15"}

_PRIORITY = re.compile(r"^(must|should|may)\b", re.IGNORECASE)
_NOT_A_TEST = {"n/a": "N/A", "na": "N/A", "tbd": "TBD", "-": "a dash", "none": "none"}


@dataclass
class RowOutcome:
    """What one row of a traceability table gave: tests, or why none."""

    line: int
    requirement: str
    tests: list[str] = field(default_factory=list)
    finding: str = ""


@dataclass
class Rc2Import:
    tests: dict[str, Entry] = field(default_factory=dict)  # test name -> its entry
    rows: list[RowOutcome] = field(default_factory=list)


def _headers(table: Table) -> list[str]:
    return [_parsed(c.text, table.markup).plain.lower() for c in table.header[-1].cells] if table.header else []


def _column(headers: list[str], *words: str) -> int:
    return next((i for i, h in enumerate(headers) if any(w in h for w in words)), -1)


def _test_column(headers: list[str]) -> int:
    return next(
        (i for i, h in enumerate(headers) if "test name" in h or "test case" in h or h in ("test", "tests")), -1
    )


def is_traceability_table(table: Table) -> bool:
    """A table of requirement IDs with a column of tests (chapter 4's, and RC2's other versions of it)."""
    headers = _headers(table)
    ref = _column(headers, "ref")
    if ref < 0 or _test_column(headers) <= ref:
        return False
    named = sum(1 for row in table.body if first_id(_parsed(_cell(row, ref), table.markup).plain))
    return named * 2 >= max(1, len(table.body))


def is_mandatory_cases_table(table: Table) -> bool:
    headers = _headers(table)
    return _column(headers, "container") >= 0 and _column(headers, "test suite", "test case", "case") >= 0


@dataclass
class _Parsed:
    """A cell as its markup's own parser reads it."""

    plain: str  # its words, markup and escapes gone
    links: list[tuple[str, str]]  # (text, URI) of each hyperlink
    roles: list[str]  # interpreted text of roles docutils does not know (``:ref:`...```)


def _parsed(text: str, markup: str) -> _Parsed:
    if markup == "md":
        from markdown_it import MarkdownIt

        tokens = MarkdownIt("commonmark").parseInline(text)
        children = [t for token in tokens for t in (token.children or [])]
        links: list[tuple[str, str]] = []
        words: list[str] = []
        for index, token in enumerate(children):
            if token.type == "link_open":
                label = children[index + 1].content if index + 1 < len(children) else ""
                links.append((label, re.sub(r"\s+", "", str(token.attrGet("href") or ""))))
            elif token.type in ("text", "code_inline"):
                words.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                words.append(" ")
        return _Parsed(" ".join("".join(words).split()), links, [])
    tree = _tree(text)
    references = [(r.astext(), r["refuri"]) for r in tree.findall(nodes.reference) if r.get("refuri")]
    roles = [p.astext() for p in tree.findall(nodes.problematic)]
    body = [n for n in tree.children if not isinstance(n, nodes.system_message)]
    return _Parsed(" ".join(" ".join(n.astext() for n in body).split()), references, roles)


def _tree(text: str) -> nodes.document:
    """The cell as docutils reads it: unknown roles stay problematic nodes, nothing is included or run."""
    with docutils_alone():
        return publish_doctree(text, settings_overrides={**SAFE_SETTINGS, "input_encoding": "unicode"})


def _cell(row: Row, column: int) -> str:
    return row.cells[column].text if 0 <= column < len(row.cells) else ""


def _suite_anchor(uri: str) -> str | None:
    """The anchor of a link into the CNF Test Suite's repository ('' when it has none), else None."""
    parts = urlsplit(uri)
    path = parts.path.strip("/")
    if parts.netloc.lower() != "github.com" or not any(path.startswith(repo + "/") for repo in CNF_SUITE_REPOSITORIES):
        return None
    return parts.fragment


class Rc2Mapper:
    """Maps the RC2 tables of one document into test-case entries and findings."""

    def __init__(self, doc: Document, collected: Collected, found: Rc2Import) -> None:
        self.doc, self.collected, self.found = doc, collected, found

    def note(self, line: int, finding: Finding, level: str = "warning") -> None:
        self.collected.notes.append(Note.of(finding, self.doc.file, line, level))

    def map(self, table: Table) -> bool:
        if is_traceability_table(table):
            self._traceability(table)
            return True
        if is_mandatory_cases_table(table):
            self._mandatory(table)
            return True
        return False

    # -- chapter 4 ---------------------------------------------------------------

    def _traceability(self, table: Table) -> None:
        headers = _headers(table)
        ref = _column(headers, "ref")
        test = _test_column(headers)
        priority = _column(headers, "priority")
        for row in table.body:
            requirement = first_id(_parsed(_cell(row, ref), table.markup).plain)
            outcome = RowOutcome(row.line, requirement)
            self.found.rows.append(outcome)
            if not requirement:
                outcome.finding = "the row names no requirement ID"
                self.note(row.line, ra111.traceability_row(outcome.finding))
                continue
            cell = _parsed(_cell(row, test), table.markup)
            outcome.finding = self._test_cell(cell, row, requirement, outcome)
            if (
                not outcome.finding
                and priority >= 0
                and not _PRIORITY.match(_parsed(_cell(row, priority), table.markup).plain)
            ):
                self.note(row.line, ra111.not_a_priority(requirement), "info")
            if outcome.finding:
                self.note(row.line, ra111.no_test(requirement, outcome.finding))

    def _test_cell(self, cell: _Parsed, row: Row, requirement: str, outcome: RowOutcome) -> str:
        """Tests named by the cell (added to ``outcome``), or why it names none."""
        plain = cell.plain
        if not plain and not cell.links:
            return "the test column is empty"
        if plain.lower() in _NOT_A_TEST:
            return f"the test column says {_NOT_A_TEST[plain.lower()]}"
        if not cell.links and cell.roles:
            cited = ", ".join(ids_in(" ".join(cell.roles)) or cell.roles)
            return f"the test column is a reference to the requirement {cited}, not a test"
        suite_links = [uri for _, uri in cell.links if _suite_anchor(uri) is not None]
        if not suite_links and len(plain.split()) > 6:
            return "the test column holds the requirement's text (a shifted column), not a test"
        if not cell.links:
            named = [w for w in re.findall(r"[a-z0-9_]+", plain) if w in CNF_SUITE_TESTS and "_" in w]
            for name in named:  # a test named in words, without a link
                self._add_cnf_test(name, "", requirement, row.line, outcome)
            return "" if named else f"the test column names no test ({plain[:60]!r})"
        problems: list[str] = []
        for label, uri in cell.links:
            anchor = _suite_anchor(uri)
            if anchor is None:
                problems.append(f"a documentation link only ({label}: {uri})")
                continue
            name = anchor.rsplit("-", 1)[-1] if anchor else ""
            if name in CNF_SUITE_TESTS:
                self._add_cnf_test(name, uri, requirement, row.line, outcome)
            elif name in CNF_SUITE_RENAMED:
                now = CNF_SUITE_RENAMED[name]
                for new in now:
                    self._add_cnf_test(new, uri, requirement, row.line, outcome)
                self.note(row.line, ra111.renamed_test(requirement, name, list(now)))
            elif name in CNF_SUITE_REMOVED:
                problems.append(f"{name!r} was removed from the CNF Test Suite ({CNF_SUITE_REMOVED[name]})")
            else:
                problems.append(
                    f"the anchor #{anchor} ends in {name!r}, which names no test of the CNF Test Suite "
                    "(a truncated anchor?)"
                )
        if outcome.tests:
            for problem in problems:
                self.note(row.line, ra111.also(requirement, problem), "info")
            return ""
        return "; ".join(problems)

    def _add_cnf_test(self, name: str, uri: str, requirement: str, line: int, outcome: RowOutcome) -> None:
        outcome.tests.append(name)
        entry = self.found.tests.get(name)
        if entry is None:
            data: dict[str, Any] = {
                "id": name,
                "kind": "test-case",
                "title": name,
                "project": CNF_SUITE_PROJECT,
                **({"upstream": uri} if uri else {}),
                "match": {"name": name},
                "verifies": [],
                "source": "rc2",
            }
            entry = Entry(name, "test-case", data, self.doc.file, line, "rc2")
            self.found.tests[name] = entry
            self.collected.entries.append(entry)
        if requirement not in entry.data["verifies"]:
            entry.data["verifies"].append(requirement)

    # -- chapter 2 ---------------------------------------------------------------

    def _mandatory(self, table: Table) -> None:
        headers = _headers(table)
        container = _column(headers, "container")
        case = _column(headers, "test suite", "test case", "case")
        criteria = _column(headers, "criteria")
        requirements = _column(headers, "requirement")
        for row in table.body:
            name = _parsed(_cell(row, case), table.markup).plain
            outcome = RowOutcome(row.line, "")
            self.found.rows.append(outcome)
            if not re.fullmatch(r"[a-z0-9][a-z0-9_.:-]*", name):
                outcome.finding = f"the case name {name!r} is not one"
                self.note(row.line, ra111.mandatory_row(outcome.finding))
                continue
            outcome.tests.append(name)
            named = _parsed(_cell(row, requirements), table.markup).plain
            ids = [i for i in ids_in(named, markup=False) if is_id(i)]
            data: dict[str, Any] = {
                "id": name,
                "kind": "test-case",
                "title": name,
                "project": FUNCTEST_PROJECT,
                "match": {"case-name": name},
                "source": "rc2",
            }
            image = _parsed(_cell(row, container), table.markup).plain
            expected = _parsed(_cell(row, criteria), table.markup).plain
            data["description"] = f"Run by {escape(image)}; expected criteria: {escape(expected) or 'not given'}."
            if ids:
                data["verifies"] = ids
            else:
                outcome.finding = (
                    f"RC2 gives the section {named!r}, not a requirement ID: no verifies link is made"
                    if named
                    else "no requirement is given: no verifies link is made"
                )
                self.note(row.line, ra111.case_without_link(name, outcome.finding), "info")
            if name in self.found.tests:
                self.note(row.line, ra111.case_listed_again(name, self.found.tests[name].line), "info")
                continue
            entry = Entry(name, "test-case", data, self.doc.file, row.line, "rc2")
            self.found.tests[name] = entry
            self.collected.entries.append(entry)

    def focus_and_skip(self) -> None:
        """The e2e focus and skip of each section of chapter 2, as e2e test cases with exclude rules."""
        for section in self.doc.sections:
            focus, skips, line = self._focus_of(section)
            if not focus:
                continue
            tag = focus if focus.startswith("[") else f"[{focus}]"
            slug = re.sub(r"[^a-z0-9]+", "_", tag.strip("[]").lower()).strip("_")
            name = f"e2e.{slug}"
            if name in self.found.tests:
                continue
            match: dict[str, Any] = {"tag": tag}
            if skips:
                match["exclude"] = [re.escape(s) for s in skips]
            data = {
                "id": name,
                "kind": "test-case",
                "title": section.title,
                "project": E2E_PROJECT,
                "match": match,
                "source": "rc2",
            }
            entry = Entry(name, "test-case", data, self.doc.file, line, "rc2")
            self.found.tests[name] = entry
            self.collected.entries.append(entry)

    @staticmethod
    def _focus_of(section: Section) -> tuple[str, list[str], int]:
        focus, skips, line = "", [], section.line
        expecting_skips = False
        for block in section.blocks:
            text = plain_text(block.text).strip()
            if block.kind == "paragraph" and text.lower().startswith("focus:"):
                focus, line = text.split(":", 1)[1].strip(), block.line
                expecting_skips = False
            elif block.kind == "paragraph" and text.lower().startswith("skip:"):
                expecting_skips = True
                rest = text.split(":", 1)[1].strip()
                skips += [s for s in re.split(r"[\s,]+", rest) if s]
            elif expecting_skips and block.kind == "bullet_list":
                skips += [plain_text(i).strip() for i in re.split(r"(?m)^\s*[-*+]\s+", block.text) if i.strip()]
                expecting_skips = False
        return focus, skips, line


def is_rc2(doc: Document, path: str) -> bool:
    """An RC2 chapter: in RC2's tree (``doc/ref_cert``), or titled as RC2's traceability chapters are.

    RA2's chapter 6 repeats the mandatory test cases table; RA2 imports and adoptions keep it as it is.
    """
    parts = {p.lower() for p in path.replace("\\", "/").split("/")}
    title = doc.sections[0].title.lower() if doc.sections else ""
    return bool(parts & {"ref_cert", "rc2"}) or ("test cases" in title and "traceability" in title)


def map_rc2(doc: Document, collected: Collected, found: Rc2Import) -> set[int]:
    """Map the RC2 tables of one document; the indexes of the tables it took (others go to the usual mapper)."""
    mapper = Rc2Mapper(doc, collected, found)
    taken = {index for index, table in enumerate(doc.tables) if mapper.map(table)}
    if any(is_mandatory_cases_table(t) for t in doc.tables):
        mapper.focus_and_skip()
    return taken
