"""The bundled list, counted independently of the parser (regexes on the raw text)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from dlreader.catalog.model import Catalog
from dlreader.catalog.parser import parse_catalog
from dlreader.catalog.urls import normalize_url

HTML_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
# A markdown link target may hold one level of balanced parentheses: tr1513(1).pdf
LINK = re.compile(r"\[((?:[^\[\]]|\n)*?)\]\(\s*(https?://(?:[^\s()]|\([^\s()]*\))+)\s*\)")
BARE = re.compile(r"https?://[^\s<>\"'\]\[)]+")
HEADING = re.compile(r"^(#{1,6})[ \t]+\S", re.MULTILINE)
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def census(text: str, *, normalize: bool = True) -> list[str]:
    """Every http(s) link target and bare URL, in order (not image sources)."""
    text = HTML_TAG.sub(" ", text)
    urls: list[tuple[int, str]] = []
    for match in LINK.finditer(text):
        urls.append((match.start(2), match.group(2)))
    without_links = LINK.sub(lambda m: " " * len(m.group(0)), text)
    for match in BARE.finditer(without_links):
        urls.append((match.start(), match.group(0).rstrip(".,;:")))
    if not normalize:
        return [url for _, url in sorted(urls)]
    normalized = (normalize_url(url) for _, url in sorted(urls))
    return [url for url in normalized if url is not None]


def reachable(catalog: Catalog) -> set[str]:
    urls = {item.url for item in catalog.items.values() if item.url}
    urls |= {link.url for item in catalog.items.values() for link in item.links}
    urls |= {p.url for t in catalog.topics for p in t.passages if p.url}
    return urls


@pytest.fixture(scope="module")
def seed_text() -> str:
    return (Path(__file__).resolve().parents[2] / "data" / "science-of-deep-learning.md").read_text(
        encoding="utf-8"
    )


@pytest.fixture(scope="module")
def seed(seed_text: str) -> Catalog:
    return parse_catalog(seed_text, "data/science-of-deep-learning.md")


def test_census_itself_finds_the_documented_numbers(seed_text: str) -> None:
    urls = census(seed_text)
    assert len(set(urls)) == 570
    # The "45 URLs listed more than once" counts URLs as written; normalization
    # adds one: https://tacocohen.wordpress.com is listed with and without its final "/".
    raw = census(seed_text, normalize=False)
    assert sum(1 for n in Counter(raw).values() if n > 1) == 45
    assert sum(1 for n in Counter(urls).values() if n > 1) == 46


def test_topics_and_levels(seed_text: str, seed: Catalog) -> None:
    levels = Counter(len(m.group(1)) for m in HEADING.finditer(FENCE.sub("", seed_text)))
    assert levels == {1: 1, 2: 19, 3: 15, 4: 2}
    assert len(seed.topics) == 37
    assert Counter(t.level for t in seed.topics) == levels
    assert seed.name == "Science of Deep Learning"
    assert [t.title for t in seed.roots()] == ["Science of Deep Learning"]


def test_every_url_is_reachable(seed_text: str, seed: Catalog) -> None:
    missing = set(census(seed_text)) - reachable(seed)
    assert not missing


def test_urls_listed_more_than_once_are_one_item_with_all_their_topics(
    seed_text: str, seed: Catalog
) -> None:
    # Which topic each occurrence sits under, found from the raw lines.
    heading_lines = [seed_text.count("\n", 0, m.start()) + 1 for m in HEADING.finditer(seed_text)]
    by_line = {t.line: t.id for t in seed.topics}
    topics_of: dict[str, set[str]] = {}
    lines = seed_text.split("\n")
    current = None
    for number, line in enumerate(lines, start=1):
        if number in heading_lines:
            current = by_line[number]
        for url in census(line):
            topics_of.setdefault(url, set()).add(current)  # type: ignore[arg-type]
    repeated = [u for u, n in Counter(census(seed_text)).items() if n > 1]
    assert len(repeated) == 46
    for url in repeated:
        item = seed.find_item(url)
        assert item is not None, url
        assert [i for i in seed.items.values() if i.url == item.url] == [item]
        assert set(item.topics) >= topics_of[url]


def test_quotes_include_every_long_single_link_paragraph(seed_text: str, seed: Catalog) -> None:
    paragraphs = re.split(r"\n[ \t]*\n", seed_text)
    long_quotes = []
    for paragraph in paragraphs:
        # A list may follow a paragraph without a blank line: the paragraph ends there.
        paragraph = re.split(r"\n(?=[ \t]*[-*+][ \t])", paragraph)[0]
        match = LINK.fullmatch(paragraph.strip())
        if match and len(" ".join(match.group(1).split())) > 120:
            long_quotes.append(normalize_url(match.group(2)))
    assert len(long_quotes) == 31
    quotes = [p for t in seed.topics for p in t.passages if p.kind == "quote"]
    assert len(quotes) >= 31
    quote_urls = Counter(p.url for p in quotes)
    for url in long_quotes:
        assert quote_urls[url] >= 1, url
        assert seed.find_item(url) is not None  # the source is an item too


def test_block_quotes_math_and_images(seed_text: str, seed: Catalog) -> None:
    passages = [p for t in seed.topics for p in t.passages]
    kinds = Counter(p.kind for p in passages)
    assert kinds["blockquote"] == 3
    assert kinds["math"] == len(re.findall(r"\$\$.+?\$\$", seed_text, re.DOTALL)) == 11
    assert kinds["image"] == len(HTML_TAG.findall(seed_text)) == 7
    for passage in passages:
        assert "\\sigma" not in passage.text and "\\partial" not in passage.text
    math = [p.text for p in passages if p.kind == "math"]
    assert any("σ" in m for m in math) and any("∂" in m for m in math)
    assert any("x^(t+1)" in m for m in math)


def test_bayesian_references_are_url_less_items(seed: Catalog) -> None:
    (topic,) = seed.find_topics("Bayesian Deep Learning")
    citations = [seed.item(i) for i in topic.items if seed.item(i).url is None]
    assert len(citations) == 17
    assert citations[0].title.startswith("Kingma, DP and Welling, M")
    assert all(item.id.startswith("c-") for item in citations)


def test_bare_url_items_have_readable_titles(seed: Catalog) -> None:
    item = seed.find_item("https://nthu-datalab.github.io/ml/index.html")
    assert item is not None and item.title == "nthu-datalab.github.io/ml/index.html"


def test_parse_is_deterministic(seed_text: str, seed: Catalog) -> None:
    assert parse_catalog(seed_text, "data/science-of-deep-learning.md").to_dict() == seed.to_dict()


def test_one_item_per_arxiv_paper(seed_text: str, seed: Catalog) -> None:
    from dlreader.catalog.urls import arxiv_id

    papers = {arxiv_id(url) for url in census(seed_text) if arxiv_id(url)}
    items = [item for item in seed.items.values() if item.url and arxiv_id(item.url)]
    assert {arxiv_id(item.url) for item in items if item.url} == papers
    assert len(items) == len(papers)  # 1905.13405, 1906.02768, 1804.04272: one item each
    for paper in ("1905.13405", "1906.02768", "1804.04272"):
        item = seed.find_item(f"https://arxiv.org/abs/{paper}")
        assert item is not None and seed.find_item(f"https://arxiv.org/pdf/{paper}.pdf") is item
