"""Every real list in ../shared/lists/ against an independent parse by another markdown
parser (mistune, plus ``href=`` in HTML): what the list links to is reachable, and what
is an item is an entry (no ToC anchors, no relative links, no badges, no "Demo" items)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dlreader.catalog.model import Catalog
from dlreader.catalog.parser import parse_catalog
from dlreader.catalog.urls import normalize_url

mistune = pytest.importorskip("mistune", reason="the test extra installs mistune")

LISTS = Path(__file__).resolve().parents[3] / "shared" / "lists"
LIST_FILES = sorted(LISTS.glob("*.md")) if LISTS.is_dir() else []
LIST_FILES = [path for path in LIST_FILES if path.name != "README.md"]
SEED = Path(__file__).resolve().parents[2] / "data" / "science-of-deep-learning.md"
HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
JUNK_TITLES = {"demo", "source code", "paper", "tweet", "github", "pypi", "website", "docs"}


def _walk(tokens: list[dict[str, Any]], in_link: bool = False) -> Iterator[tuple[str, str]]:
    """(kind, href) of every link: "link", "badge" (only an image inside) or "html"."""
    for token in tokens:
        kind = token["type"]
        if kind in ("block_code", "codespan"):
            continue
        if kind in ("block_html", "inline_html"):
            for match in HREF.finditer(token.get("raw", "")):
                yield "html", match.group(1) or match.group(2) or ""
            continue
        children = token.get("children") or []
        if kind == "link":
            visible = [c for c in children if c["type"] not in ("image", "inline_html")
                       and (c["type"] != "text" or c.get("raw", "").strip())]
            images = [c for c in children if c["type"] == "image" or (
                c["type"] == "inline_html" and "<img" in c.get("raw", "").lower())]
            yield ("badge" if images and not visible else "link"), token["attrs"]["url"]
        yield from _walk(children, in_link or kind == "link")


def independent_urls(text: str) -> tuple[set[str], set[str]]:
    """(every http(s) URL linked outside code, the URLs linked only by badges)."""
    markdown = mistune.create_markdown(renderer="ast", plugins=["table", "url", "strikethrough"])
    kinds: dict[str, set[str]] = {}
    for kind, href in _walk(markdown(text)):
        url = normalize_url(href)
        if url is not None:
            kinds.setdefault(url, set()).add(kind)
    return set(kinds), {url for url, found in kinds.items() if found == {"badge"}}


def reachable(catalog: Catalog) -> set[str]:
    urls = {item.url for item in catalog.items.values() if item.url}
    urls |= {link.url for item in catalog.items.values() for link in item.links}
    urls |= {p.url for t in catalog.topics for p in t.passages if p.url}
    return urls


@pytest.fixture(scope="module", params=[SEED, *LIST_FILES], ids=lambda path: path.stem)
def parsed(request: pytest.FixtureRequest) -> tuple[str, Catalog]:
    text = request.param.read_text(encoding="utf-8")
    return text, parse_catalog(text, str(request.param))


def test_at_least_995_per_mille_of_the_urls_are_reachable(parsed: tuple[str, Catalog]) -> None:
    text, catalog = parsed
    urls, _ = independent_urls(text)
    found = reachable(catalog)
    missing = urls - found
    assert len(urls) > 50
    assert len(urls & found) >= 0.995 * len(urls), sorted(missing)[:20]


def test_no_junk_item(parsed: tuple[str, Catalog]) -> None:
    text, catalog = parsed
    _, badge_only = independent_urls(text)
    for item in catalog.items.values():
        # A secondary link on its own ("Demo" with nothing else): an entry named GitHub
        # with a description of its own is an entry.
        assert item.title.strip().casefold() not in JUNK_TITLES or item.description, item
        assert item.title.strip(), item
        assert len(item.title) <= 160, item.title
        assert item.url is None or item.url.startswith(("http://", "https://")), item
        assert item.url not in badge_only, item
        assert not re.match(r"^\[[ xX]\]", item.title), item.title
    citations = [item for item in catalog.items.values() if item.url is None]
    assert all(len(item.topics) == 1 for item in citations), [
        item.title for item in citations if len(item.topics) > 1]


def test_the_real_lists_are_there() -> None:
    if not LIST_FILES:
        pytest.skip(f"no real lists at {LISTS} (shared/ must sit beside the repo)")
    assert len(LIST_FILES) >= 6
