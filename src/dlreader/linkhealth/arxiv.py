"""arXiv links are checked through the arXiv API, not by fetching arxiv.org pages.

The API asks for at most one request every 3 seconds; ids go in batches of up to 50.
It also gives what a page fetch would not: authors, year, abstract, primary class.
An id the API does not return is ``dead``. ``$DLREADER_ARXIV_API`` points it elsewhere
(the tests run a fake Atom API on 127.0.0.1).
"""

from __future__ import annotations

import asyncio
import os
import re
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

import httpx

from dlreader.linkhealth.checker import Outcome
from dlreader.linkhealth.client import Clients
from dlreader.linkhealth.records import LinkRecord, utc_now
from dlreader.textsafe import one_line

DEFAULT_API = "https://export.arxiv.org/api/query"
BATCH = 50
INTERVAL = 3.0
_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_HOSTS = {"arxiv.org", "www.arxiv.org", "export.arxiv.org"}
_NEW_ID = r"\d{4}\.\d{4,5}"
_OLD_ID = r"[a-z][a-z.\-]*/\d{7}"
_PATH = re.compile(rf"^/(?:abs|pdf|html)/({_NEW_ID}|{_OLD_ID})(v\d+)?(?:\.pdf)?/?$", re.I)
_ENTRY_ID = re.compile(rf"/abs/({_NEW_ID}|{_OLD_ID})(?:v\d+)?$", re.I)


def api_url() -> str:
    return os.environ.get("DLREADER_ARXIV_API") or DEFAULT_API


def arxiv_id(url: str) -> str | None:
    """The paper's id (without version) when the URL is an arXiv abstract or PDF."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in _HOSTS:
        return None
    match = _PATH.match(parts.path)
    return match.group(1) if match else None


def parse_feed(xml: bytes) -> dict[str, dict[str, object]] | None:
    """Entries by id; None when the feed is not an Atom feed or is an API error."""
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        return None
    if root.tag != f"{_ATOM}feed":
        return None
    papers: dict[str, dict[str, object]] = {}
    for entry in root.iter(f"{_ATOM}entry"):
        entry_id = entry.findtext(f"{_ATOM}id") or ""
        if "/api/errors" in entry_id:
            return None
        match = _ENTRY_ID.search(entry_id.strip())
        if not match:
            continue
        published = entry.findtext(f"{_ATOM}published") or ""
        category = entry.find(f"{_ARXIV}primary_category")
        papers[match.group(1)] = {
            "title": one_line(entry.findtext(f"{_ATOM}title") or "")[:500] or None,
            "authors": tuple(
                one_line(author.findtext(f"{_ATOM}name") or "")
                for author in entry.iter(f"{_ATOM}author")
            ),
            "year": int(published[:4]) if published[:4].isdigit() else None,
            "abstract": one_line(entry.findtext(f"{_ATOM}summary") or "")[:5000] or None,
            "primary_class": category.get("term") if category is not None else None,
        }
    return papers


async def _ask(
    clients: Clients, api: str, ids: Sequence[str]
) -> tuple[int | None, bytes | str]:
    """(status code, body) or (None, reason)."""
    try:
        response = await clients.for_url(api).get(
            api, params={"id_list": ",".join(ids), "max_results": str(len(ids))}
        )
    except httpx.ConnectError:
        return None, "cannot reach the arXiv API"
    except httpx.HTTPError as error:
        return 0, f"arXiv API: {error.__class__.__name__}"
    return response.status_code, response.content


async def check_arxiv(
    clients: Clients,
    urls_by_id: dict[str, list[str]],
    on_outcome: Callable[[Outcome], None],
    *,
    api: str | None = None,
    interval: float = INTERVAL,
) -> None:
    """Check every id through the API, in batches, spacing requests ``interval`` apart."""
    api = api or api_url()
    ids = list(urls_by_id)
    last_request = float("-inf")
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        # Counted from the previous answer, so the API never sees two requests closer
        # than ``interval``, however long the first one took to arrive.
        await asyncio.sleep(max(0.0, last_request + interval - time.monotonic()))
        code, body = await _ask(clients, api, batch)
        last_request = time.monotonic()
        papers = parse_feed(body) if code == 200 and isinstance(body, bytes) else None
        checked = utc_now()
        for paper_id in batch:
            for url in urls_by_id[paper_id]:
                on_outcome(_outcome(url, paper_id, code, body, papers, checked))


def _outcome(
    url: str,
    paper_id: str,
    code: int | None,
    body: bytes | str,
    papers: dict[str, dict[str, object]] | None,
    checked: str,
) -> Outcome:
    if papers is None:
        reason = body if isinstance(body, str) else f"arXiv API answered HTTP {code}"
        if code == 200:
            reason = "the arXiv API's answer was not a feed"
        return Outcome(LinkRecord(url, "error", checked, reason=reason), reached=code is not None)
    paper = papers.get(paper_id)
    if paper is None:
        record = LinkRecord(url, "dead", checked, reason="arXiv does not know this id")
    else:
        record = LinkRecord(url, "ok", checked, code=200, **paper)  # type: ignore[arg-type]
    return Outcome(record, reached=True)
