"""Reading lists from disk: bad files, encodings, and the parse cache."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from dlreader import locations
from dlreader.catalog import cache
from dlreader.catalog.loader import cached_catalog, load_catalog, read_list_text
from dlreader.errors import CatalogError

LIST = "# Title\n\n- [a](https://a.org/)\n- https://b.org/x\n\n## Sub\n\n> quoted\n"


def write(tmp_path: Path, data: bytes, name: str = "list.md") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda tmp: tmp / "missing.md", "no such file"),
        (lambda tmp: tmp, "is a directory"),
        (lambda tmp: write(tmp, b"# x\n\x00\x01\x02binary"), "binary"),
        (lambda tmp: write(tmp, "# caf\u00e9\n".encode("latin-1")), "not UTF-8"),
    ],
)
def test_bad_files_raise_one_line_naming_file_and_problem(tmp_path: Path, make, problem) -> None:
    path = make(tmp_path)
    with pytest.raises(CatalogError) as caught:
        read_list_text(path)
    message = caught.value.message
    assert str(path) in message and problem in message and "\n" not in message
    assert caught.value.exit_code == 2
    with pytest.raises(CatalogError):
        load_catalog(path)


def test_bom_and_crlf_just_work(tmp_path: Path) -> None:
    plain = load_catalog(write(tmp_path, LIST.encode(), "plain.md"), use_cache=False)
    crlf = write(tmp_path, b"\xef\xbb\xbf" + LIST.replace("\n", "\r\n").encode(), "crlf.md")
    assert read_list_text(crlf) == LIST
    odd = load_catalog(crlf, use_cache=False)
    assert [t.title for t in odd.topics] == ["Title", "Sub"]
    assert odd.to_dict() | {"source": ""} == plain.to_dict() | {"source": ""}


def test_empty_file_is_an_empty_catalog_with_a_warning(tmp_path: Path) -> None:
    catalog = load_catalog(write(tmp_path, b""))
    assert catalog.topics == [] and catalog.items == {}
    assert len(catalog.warnings) == 1 and "empty" in catalog.warnings[0]


def test_cache_is_written_and_used(tmp_path: Path) -> None:
    path = write(tmp_path, LIST.encode())
    assert cached_catalog(path) is None
    first = load_catalog(path)
    files = list((locations.cache_dir() / "catalogs").iterdir())
    assert len(files) == 1 and files[0].name.endswith(".json")
    assert f"-v{cache.PARSER_VERSION}-" in files[0].name
    again = cached_catalog(path)
    assert again is not None and again.to_dict() == first.to_dict()
    assert again.topic(first.topics[0].id).title == "Title"  # lookups rebuilt
    assert load_catalog(path).to_dict() == first.to_dict()


def test_cache_follows_content_not_name(tmp_path: Path) -> None:
    path = write(tmp_path, LIST.encode())
    load_catalog(path)
    path.write_bytes(LIST.replace("Title", "Changed").encode())
    assert cached_catalog(path) is None
    assert load_catalog(path).topics[0].title == "Changed"


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not JSON at all",
        pickle.dumps(("dlreader-catalog", -1, "s", "n", [], [], [])),
        b'{"some": "other object"}',
        b'{"source": "s", "name": "n", "topics": [], "items": {}, "warnings": [1]}',
        b"[" * 100_000,
    ],
)
def test_damaged_or_old_cache_means_reparse(tmp_path: Path, damage: bytes) -> None:
    path = write(tmp_path, LIST.encode())
    good = load_catalog(path)
    (cache_file,) = (locations.cache_dir() / "catalogs").iterdir()
    cache_file.write_bytes(damage)
    assert cached_catalog(path) is None
    assert load_catalog(path).to_dict() == good.to_dict()
    assert cached_catalog(path) is not None  # rewritten by the re-parse


def test_unwritable_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = write(tmp_path, b"a file where the cache dir should be", "blocker")
    monkeypatch.setenv("DLREADER_CACHE_DIR", str(blocker))
    path = write(tmp_path, LIST.encode())
    assert [t.title for t in load_catalog(path).topics] == ["Title", "Sub"]
    assert cached_catalog(path) is None
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]


def test_cache_write_is_atomic_no_temp_files_left(tmp_path: Path) -> None:
    load_catalog(write(tmp_path, LIST.encode()))
    names = os.listdir(locations.cache_dir() / "catalogs")
    assert not [n for n in names if n.startswith(".tmp-")]


def test_cached_source_is_the_path_asked_for(tmp_path: Path) -> None:
    first = write(tmp_path, LIST.encode(), "one.md")
    second = write(tmp_path, LIST.encode(), "two.md")
    load_catalog(first)
    catalog = cached_catalog(second)
    assert catalog is not None and catalog.source == str(second)


def test_progress_reaches_one(tmp_path: Path) -> None:
    seen: list[float] = []
    load_catalog(write(tmp_path, LIST.encode()), progress=seen.append)
    assert seen and seen[-1] == 1.0
    seen.clear()
    load_catalog(write(tmp_path, LIST.encode()), progress=seen.append)  # from cache
    assert seen == [1.0]


def test_a_previewed_list_is_parsed_only_when_the_screen_asks(tmp_path: Path) -> None:
    # The screen previews the first topic; parsing the rest before it asks would take
    # the cores from the app's own start.
    from dlreader.catalog.loader import BackgroundLoad

    path = write(tmp_path, LIST.encode())
    load = BackgroundLoad(path)
    assert load.waiting.wait(30)
    assert cached_catalog(path) is None  # nothing parsed yet
    assert [t.title for t in load.result().topics] == ["Title", "Sub"]
    assert cached_catalog(path) is not None


def test_a_list_with_no_preview_is_parsed_at_once(tmp_path: Path) -> None:
    # A reference definition could change the first topic's links: no preview, so the
    # early parse is what brings the first links.
    from dlreader.catalog.loader import BackgroundLoad

    path = write(tmp_path, b"# A\n\n- [a][r]\n\n## B\n\n[r]: https://r.org/\n")
    load = BackgroundLoad(path)
    assert load._done.wait(30) and not load.waiting.is_set()
    assert [item.url for item in load.result().items.values()] == ["https://r.org/"]


def test_an_abandoned_load_stops_its_waiter_at_once(tmp_path: Path) -> None:
    # The app's thread waiting for the catalog is joined when the app exits: a quit in
    # the middle of a big list's parse waited for all of it.
    from dlreader.catalog.loader import BackgroundLoad, LoadAbandoned

    path = write(tmp_path, LIST.encode())
    load = BackgroundLoad(path)
    assert load.waiting.wait(30)
    load.abandon()
    with pytest.raises(LoadAbandoned):
        load.result()
