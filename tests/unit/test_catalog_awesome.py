"""A second real list (vinta/awesome-python): the reader is not tuned to one file."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from test_catalog_seed import census, reachable

from dlreader.catalog.outline import scan_outline
from dlreader.catalog.parser import parse_catalog

HEADING = re.compile(r"^(#{1,6})[ \t]+\S", re.MULTILINE)


def test_awesome_python_opens_with_every_topic_and_url(awesome_path: Path) -> None:
    text = awesome_path.read_text(encoding="utf-8")
    catalog = parse_catalog(text, str(awesome_path))
    outline = scan_outline(text, str(awesome_path))
    assert len(outline) == len(HEADING.findall(text)) == 83
    assert {t.id for t in outline} <= {t.id for t in catalog.topics}
    assert catalog.name == "Awesome Python"
    assert Counter(t.level for t in catalog.topics)[1] == 1
    urls = set(census(text))
    assert len(urls) == 534
    # Every URL, and nothing more: "Socket.IO" in a description is no link (as on GitHub).
    assert reachable(catalog) == urls


def test_awesome_python_items_keep_name_and_description(awesome_path: Path) -> None:
    catalog = parse_catalog(awesome_path.read_text(encoding="utf-8"), str(awesome_path))
    item = catalog.find_item("https://github.com/miguelgrinberg/Flask-SocketIO")
    assert item is not None
    assert item.title == "flask-socketio"
    assert item.description.startswith("Socket.IO integration")
    (topic,) = [catalog.topic(t) for t in item.topics]
    assert topic.level == 3


def test_awesome_python_outline_is_fast_path_equal(awesome_path: Path) -> None:
    text = awesome_path.read_text(encoding="utf-8")
    outline = scan_outline(text, str(awesome_path))
    headings = {t.id for t in outline}
    parsed = [t.id for t in parse_catalog(text, "x").topics if t.id in headings]
    assert [t.id for t in outline] == parsed
