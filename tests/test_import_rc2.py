"""RC2's traceability imported from the real chapters (anuket-project/RC2 at 7f35929)."""

from __future__ import annotations

from conftest import SHARED

from ra2docs import importer

RC2 = SHARED / "upstream" / "rc2-2024-04" / "doc" / "ref_cert" / "RC2" / "chapters"


def _build():
    result = importer.build(RC2)
    items = {i["id"]: i for data in result.files.values() for i in data.get("items", [])}
    return result, items


def test_chapter_4_rows_become_cnf_suite_tests_or_findings_naming_the_row():
    result, _ = _build()
    rows = [r for r in result.rc2.rows if r.requirement.startswith("ra2.app.")]
    assert [r.requirement for r in rows] == [f"ra2.app.{n:03d}" for n in range(6, 49)]  # 43 rows
    with_tests = [r for r in rows if r.tests]
    assert len(with_tests) == 26 and not any(r.finding for r in with_tests)
    findings = {r.requirement: r.finding for r in rows if not r.tests}
    assert set(findings) == {
        "ra2.app.006", "ra2.app.007", "ra2.app.008", "ra2.app.009", "ra2.app.010", "ra2.app.024", "ra2.app.028",
        "ra2.app.034", "ra2.app.035", "ra2.app.036", "ra2.app.037", "ra2.app.038", "ra2.app.042", "ra2.app.045",
        "ra2.app.046", "ra2.app.047", "ra2.app.048",
    }  # fmt: skip
    assert "reference to the requirement int.api.01" in findings["ra2.app.006"]
    assert all("shifted column" in findings[r] for r in ("ra2.app.008", "ra2.app.009", "ra2.app.010"))
    assert (
        findings["ra2.app.024"] == "the test column says N/A" and findings["ra2.app.038"] == "the test column says TBD"
    )
    assert findings["ra2.app.047"] == "the test column is empty"
    assert "documentation link only" in findings["ra2.app.036"] and "kubernetes.io" in findings["ra2.app.036"]
    assert "ends in 'configuration'" in findings["ra2.app.035"]  # the truncated anchor
    assert "'non_root_user' was removed" in findings["ra2.app.042"]
    # every finding is in the import report, naming the row's line and requirement
    report = [n.format() for n in result.notes if n.rule == "RA111"]
    for requirement, finding in findings.items():
        assert any(requirement in line and finding in line and "chapter04.rst:" in line for line in report)


def test_each_distinct_test_is_one_item_named_as_the_suite_names_it():
    result, items = _build()
    cnf = {i: d for i, d in items.items() if d.get("project") == "cnf-testsuite"}
    assert len(cnf) == 26
    published = cnf["helm_chart_published"]
    assert published["verifies"] == ["ra2.app.011"] and published["match"] == {"name": "helm_chart_published"}
    assert published["upstream"].endswith("RATIONALE.md#test-if-the-helm-chart-is-published-helm_chart_published")
    # two rows name one test: one item verifying both
    assert cnf["privileged_containers"]["verifies"] == ["ra2.app.041", "ra2.app.043"]
    # line breaks inside a link are not part of it (docutils): the anchor of ra2.app.022 ends 'pod_network_corruption'
    assert cnf["pod_network_corruption"]["verifies"] == ["ra2.app.022"]
    assert cnf["node_drain"]["verifies"] == ["ra2.app.017"]
    assert cnf["alpha_k8s_apis"]["verifies"] == ["ra2.app.016"]
    # names the suite has since changed: the tests as the suite names them now, and a note
    assert cnf["cni_compatible"]["verifies"] == ["ra2.app.015"]
    assert cnf["cpu_limits"]["verifies"] == cnf["memory_limits"]["verifies"] == ["ra2.app.032"]
    assert "cni_compatibility" not in items and "resource_policies" not in items
    renames = [n.message for n in result.notes if "renamed" in n.message]
    assert len(renames) == 2 and "'cni_compatibility', which the suite renamed cni_compatible" in renames[0]
    # RC2's requirement rows never become requirements of their own
    assert not any(i.startswith("ra2.app.") for i in items)


def test_chapter_2_mandatory_functest_cases_and_their_focus_and_skip():
    result, items = _build()
    functest = {i: d for i, d in items.items() if d.get("project") == "functest-kubernetes"}
    assert len(functest) == 22
    assert list(functest)[:3] == ["xrally_kubernetes", "k8s_conformance", "k8s_conformance_serial"]
    assert functest["kube_bench_master"]["match"] == {"case-name": "kube_bench_master"}
    assert "opnfv/functest-kubernetes-security" in functest["kube_bench_master"]["description"]
    # RC2 gives a section, not an ID: no link is invented, a finding says so
    assert not any("verifies" in d for d in functest.values())
    sections = [r for r in result.rc2.rows if r.tests and r.tests[0] in functest]
    assert len(sections) == 22 and all("not a requirement ID: no verifies link" in r.finding for r in sections)
    assert "'Security testing'" in next(r.finding for r in sections if r.tests == ["kube_hunter"])
    e2e = {i: d for i, d in items.items() if d.get("project") == "kubernetes e2e"}
    assert sorted(e2e) == [
        "e2e.conformance", "e2e.sig_api_machinery", "e2e.sig_apps", "e2e.sig_auth", "e2e.sig_cluster_lifecycle",
        "e2e.sig_instrumentation", "e2e.sig_network", "e2e.sig_node", "e2e.sig_scheduling", "e2e.sig_storage",
    ]  # fmt: skip
    assert e2e["e2e.conformance"]["match"] == {
        "tag": "[Conformance]",
        "exclude": [r"\[Disruptive\]", "NoExecuteTaintManager"],
    }
    machinery = e2e["e2e.sig_api_machinery"]["match"]
    assert machinery["tag"] == "[sig-api-machinery]" and r"\[Feature:WatchList\]" in machinery["exclude"]


def test_the_imported_test_cases_match_real_results(tmp_path):
    """The e2e focus/skip rules select results as the suite's focus and skip would."""
    import yaml

    from ra2docs.graph import TraceGraph
    from ra2docs.loader import load_catalogue
    from ra2docs.results import read_all
    from ra2docs.results.verdicts import compute

    out = tmp_path / "cat"
    importer.write(importer.build(RC2), out, importer.SCHEMA_FILE)
    loaded = load_catalogue(out)
    assert loaded.catalogue.items["e2e.sig_network"].data["match"]["tag"] == "[sig-network]"
    junit = tmp_path / "junit.xml"
    junit.write_text(
        '<testsuite name="e2e" timestamp="2024-05-01T10:00:00">'
        '<testcase name="[sig-network] Services should serve a basic endpoint [Conformance]"/>'
        '<testcase name="[sig-network] Networking IPv6 [Feature:IPv6DualStack]"><failure message="x"/></testcase>'
        "</testsuite>"
    )
    results, _ = read_all([junit])
    verdicts = compute(TraceGraph(loaded.catalogue), results)
    assert verdicts.tests["e2e.sig_network"].verdict == "pass"  # the failing case is on the skip list
    assert verdicts.tests["e2e.conformance"].verdict == "pass"
    assert yaml.safe_load((out / "rc2-chapter04.yaml").read_text())["items"][0]["id"] == "helm_chart_published"


def test_older_rc2_forms_markdown_links_and_escaped_names(tmp_path):
    """RC2 was Markdown until 2021 and wrote some case names with RST escapes ('kube_\\ bench_node')."""
    chapters = tmp_path / "doc" / "ref_cert" / "RC2" / "chapters"
    chapters.mkdir(parents=True)
    (chapters / "chapter04.md").write_text(
        "# 4. CNF Test Cases and Requirements Traceability\n\n"
        "| RM/RA Ref | High-level test definition | Test name and project | Priority |\n"
        "|---|---|---|---|\n"
        "| ra2.app.011 | Published helm chart | [CNCF CNF Testsuite](https://github.com/cncf/cnf-testsuite/blob/main"
        "/RATIONALE.md#test-if-the-helm-chart-is-published-helm_chart_published) | Should |\n"
        "| ra2.app.012 | | | Must |\n"
    )
    (chapters / "chapter02.rst").write_text(
        "Kubernetes Test Cases and Requirements Traceability\n"
        "===================================================\n\n"
        ".. list-table:: Mandatory test cases\n   :header-rows: 1\n\n"
        "   * - Container\n     - Test suite\n     - Criteria\n     - Requirements\n"
        "   * - opnfv/functest-kubernetes-security:v1.22\n     - kube_\\ bench_node\n     - PASS\n"
        "     - Security testing\n"
    )
    result = importer.build(chapters)
    items = {i["id"]: i for data in result.files.values() for i in data.get("items", [])}
    assert items["helm_chart_published"]["verifies"] == ["ra2.app.011"]
    assert items["helm_chart_published"]["upstream"].startswith("https://github.com/cncf/cnf-testsuite/")
    assert items["kube_bench_node"]["match"] == {"case-name": "kube_bench_node"}
    assert [(r.requirement, r.finding) for r in result.rc2.rows if r.requirement] == [
        ("ra2.app.011", ""),
        ("ra2.app.012", "the test column is empty"),
    ]
