"""The OPNFV/Anuket test database (TestAPI) over HTTP: results fetched once, kept in a cache file.

``GET {url}?project=..&case=..&page=N`` answers ``{"results": [...], "pagination":
{"current_page": N, "total_pages": M}}`` (releng-testresults, ``base_handlers._list``).
Every page is fetched, within a timeout per request, a few retries on network errors and
5xx answers, and limits on the bytes of one answer, of all of them, and on the number of
pages. The records are written to a cache file of the same shape, which the readers (and
so every build) read offline like any result file.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ra2docs.outputs import write_file_no_follow
from ra2docs.results.result import MAX_DOCUMENT_BYTES, MAX_RESULTS, TESTAPI_FILTERS, ResultsError

# The TestAPI's filters of GET /results, as its query names them.
FILTERS = TESTAPI_FILTERS
MAX_PAGES = 1000
MAX_TOTAL_BYTES = 256 * 1024 * 1024


@dataclass
class Fetch:
    url: str
    filters: dict[str, str] = field(default_factory=dict)
    timeout: float = 30.0  # seconds, per request
    retries: int = 3  # further tries of a request after a network error or a 5xx answer
    backoff: float = 1.0  # seconds before the first retry, doubled for each next one
    max_bytes: int = MAX_DOCUMENT_BYTES  # of one answer
    max_total_bytes: int = MAX_TOTAL_BYTES
    max_pages: int = MAX_PAGES


def _page_url(fetch: Fetch, page: int) -> str:
    parts = urllib.parse.urlsplit(fetch.url)
    query = urllib.parse.parse_qsl(parts.query) + [(k, v) for k, v in fetch.filters.items() if v]
    query.append(("page", str(page)))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _get(fetch: Fetch, url: str) -> bytes:
    opener = urllib.request.build_opener(_NoRedirectOutOfScheme())
    attempt = 0
    while True:
        try:
            request = urllib.request.Request(url, headers={"Accept": "application/json"})
            with opener.open(request, timeout=fetch.timeout) as answer:
                data = answer.read(fetch.max_bytes + 1)
            if len(data) > fetch.max_bytes:
                raise ResultsError(url, f"the answer holds more than {fetch.max_bytes} bytes; not read")
            return data
        except urllib.error.HTTPError as exc:
            if exc.code < 500 or attempt >= fetch.retries:  # a 4xx answer will not change on a retry
                raise ResultsError(url, f"the test database answered HTTP {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            if attempt >= fetch.retries:
                tries = f"{attempt + 1} tries" if attempt else "one try"
                reason = getattr(exc, "reason", exc)
                raise ResultsError(url, f"cannot reach the test database ({reason}) after {tries}") from None
        time.sleep(fetch.backoff * 2**attempt)
        attempt += 1


class _NoRedirectOutOfScheme(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to http(s): never to file:// or anything else."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, 400, "redirect to a non-HTTP address refused", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_all(fetch: Fetch) -> list[dict[str, Any]]:
    """Every record the filters select, page after page."""
    if urllib.parse.urlsplit(fetch.url).scheme not in ("http", "https"):
        raise ResultsError(fetch.url, "the test database is an http:// or https:// address")
    unknown = set(fetch.filters) - set(FILTERS)
    if unknown:
        raise ResultsError(fetch.url, f"unknown TestAPI filter(s): {', '.join(sorted(unknown))}")
    records: list[dict[str, Any]] = []
    total = 0
    page, pages = 1, 1
    while page <= pages:
        url = _page_url(fetch, page)
        data = _get(fetch, url)
        total += len(data)
        if total > fetch.max_total_bytes:
            raise ResultsError(url, f"the answers hold more than {fetch.max_total_bytes} bytes together")
        try:
            answer = json.loads(data)
        except ValueError as exc:
            raise ResultsError(url, f"the answer is not JSON: {exc}") from None
        if not isinstance(answer, dict) or not isinstance(answer.get("results"), list):
            raise ResultsError(url, "the answer is not a TestAPI results page (no 'results' list)")
        records.extend(r for r in answer["results"] if isinstance(r, dict))
        if len(records) > MAX_RESULTS:
            raise ResultsError(url, f"more than {MAX_RESULTS} records")
        pagination = answer.get("pagination")
        if isinstance(pagination, dict) and isinstance(pagination.get("total_pages"), int):
            pages = pagination["total_pages"]
            if pages > fetch.max_pages:
                raise ResultsError(url, f"{pages} pages, more than the {fetch.max_pages} fetched at most")
        page += 1
    return records


def write_cache(path: Path, fetch: Fetch, records: list[dict[str, Any]]) -> None:
    """The records as one TestAPI answer (what the readers read), written whole or not at all."""
    payload = {
        "results": records,
        "pagination": {"current_page": 1, "total_pages": 1},
        "query": {"url": fetch.url, "filters": fetch.filters},
        "fetched": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    # never through a link, whole or not at all; a failure is a Ra2docsError (exit 2), not a traceback
    write_file_no_follow(path, json.dumps(payload, indent=1, sort_keys=True).encode("utf-8"))
