"""The TestAPI client against a local HTTP server on 127.0.0.1 replaying answers of the real TestAPI's shape."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import ra2docs, write
from test_result_formats import RECORD, page_of_testapi
from test_result_runs import CATALOGUE

from ra2docs.results import read_file
from ra2docs.results.result import ResultsError
from ra2docs.results.testapi import Fetch, fetch_all, write_cache


class Replay:
    """What the server answers: pages of records, and faults to play first."""

    def __init__(self) -> None:
        self.pages: list[list[dict]] = []
        self.faults: list[int] = []  # HTTP statuses answered before the real page
        self.delay = 0.0
        self.body: bytes | None = None  # answer this instead of a page
        self.queries: list[dict[str, list[str]]] = []


@pytest.fixture
def testapi() -> Iterator[tuple[str, Replay]]:
    replay = Replay()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(parts.query)
            replay.queries.append(query)
            if replay.delay:
                time.sleep(replay.delay)
            if replay.faults:
                self.send_error(replay.faults.pop(0))
                return
            if parts.path != "/api/v1/results":
                self.send_error(404)
                return
            page = int(query.get("page", ["1"])[0])
            body = replay.body or json.dumps(page_of_testapi(replay.pages[page - 1], page, len(replay.pages))).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v1/results", replay
    finally:
        server.shutdown()
        server.server_close()


def record(case: str, criteria: str = "PASS", build_tag: str = "BT1") -> dict:
    return dict(RECORD, case_name=case, criteria=criteria, build_tag=build_tag)


def test_every_page_is_fetched_with_the_filters_and_the_cache_is_read_offline(testapi, tmp_path):
    url, replay = testapi
    replay.pages = [[record("k8s_conformance"), record("xrally_kubernetes")], [record("kube_hunter", "FAIL")]]
    fetch = Fetch(url, {"project": "functest", "pod": "pod1", "from": "2024-05-01 00:00:00"}, backoff=0.01)
    records = fetch_all(fetch)
    assert [r["case_name"] for r in records] == ["k8s_conformance", "xrally_kubernetes", "kube_hunter"]
    assert [q["page"] for q in replay.queries] == [["1"], ["2"]]
    assert replay.queries[0]["project"] == ["functest"] and replay.queries[0]["from"] == ["2024-05-01 00:00:00"]
    cache = tmp_path / "cache" / "testapi.json"
    write_cache(cache, fetch, records)
    offline = read_file(cache, "testapi.json")  # no server needed any more
    assert [(r.name, r.status, r.run, r.environment) for r in offline] == [
        ("k8s_conformance", "pass", "BT1", "pod1"),
        ("xrally_kubernetes", "pass", "BT1", "pod1"),
        ("kube_hunter", "fail", "BT1", "pod1"),
    ]


def test_server_errors_are_retried_and_client_errors_are_not(testapi):
    url, replay = testapi
    replay.pages = [[record("k8s_conformance")]]
    replay.faults = [503, 502]
    assert len(fetch_all(Fetch(url, retries=2, backoff=0.01))) == 1
    assert len(replay.queries) == 3
    replay.faults = [503, 503, 503]
    with pytest.raises(ResultsError, match="HTTP 503"):
        fetch_all(Fetch(url, retries=2, backoff=0.01))
    replay.queries.clear()
    replay.faults = [404]
    with pytest.raises(ResultsError, match="HTTP 404"):
        fetch_all(Fetch(url, retries=3, backoff=0.01))
    assert len(replay.queries) == 1


def test_timeouts_sizes_and_wrong_answers_are_clear_errors(testapi):
    url, replay = testapi
    replay.pages = [[record("k8s_conformance")]]
    replay.delay = 0.5
    with pytest.raises(ResultsError, match=r"cannot reach the test database .* after 2 tries"):
        fetch_all(Fetch(url, timeout=0.1, retries=1, backoff=0.01))
    replay.delay = 0
    with pytest.raises(ResultsError, match="more than 100 bytes"):
        fetch_all(Fetch(url, max_bytes=100))
    replay.body = b"<html>maintenance</html>"
    with pytest.raises(ResultsError, match="not JSON"):
        fetch_all(Fetch(url))
    replay.body = b'{"pods": []}'
    with pytest.raises(ResultsError, match="not a TestAPI results page"):
        fetch_all(Fetch(url))
    with pytest.raises(ResultsError, match="http:// or https://"):
        fetch_all(Fetch("file:///etc/passwd"))
    with pytest.raises(ResultsError, match="unknown TestAPI filter"):
        fetch_all(Fetch(url, {"drop": "x"}))


def test_the_cli_fetches_writes_the_cache_and_gives_verdicts(testapi, tmp_path: Path):
    url, replay = testapi
    replay.pages = [[record("k8s_conformance", "FAIL", "BT1")], [record("k8s_conformance", "PASS", "BT2")]]
    folder = write(tmp_path / "cat", CATALOGUE)
    done = ra2docs(
        "results", "--testapi", url, "--case", "k8s_conformance", "--cache", "db.json",
        "--catalogue", str(folder), "--format", "json", "--fail-on", "never", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "2 results from" in done.stderr and (tmp_path / "db.json").is_file()
    assert replay.queries[0]["case"] == ["k8s_conformance"]
    data = json.loads(done.stdout)
    assert data["tests"]["k8s_conformance"]["verdict"] == "pass"  # BT2 is the latest run
    offline = ra2docs("results", "db.json", "--catalogue", str(folder), "--format", "json", cwd=tmp_path)
    assert json.loads(offline.stdout)["tests"]["k8s_conformance"] == data["tests"]["k8s_conformance"]
    down = ra2docs(
        "results",
        "--testapi",
        "http://127.0.0.1:9/x",
        "--retries",
        "0",
        "--catalogue",
        str(folder),
        cwd=tmp_path,
    )
    assert down.returncode == 2 and "cannot reach the test database" in down.stderr and "Traceback" not in down.stderr
