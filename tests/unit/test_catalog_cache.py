"""The parse cache is data, never code: a planted file cannot run anything, a bad one is a
miss, and the cache holds exactly what the parser made, whatever fields the catalog has."""

from __future__ import annotations

import os
import pickle
import stat
import subprocess
import sys
from pathlib import Path
from typing import Literal

import pytest
from cli_support import run_fresh
from msgspec import Struct

from dlreader import locations
from dlreader.catalog import cache
from dlreader.catalog.loader import cached_catalog, load_catalog
from dlreader.catalog.model import Catalog, Item, Link, Passage, Topic

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "science-of-deep-learning.md"
SHARED_LISTS = ROOT.parent / "shared" / "lists"
LIST = "# Title\n\n- [A](https://example.org/a)\n\n## Sub\n\n- [B](https://example.org/b)\n"


def real_lists() -> list[Path]:
    found = sorted(p for p in SHARED_LISTS.glob("*.md") if p.name != "README.md")
    return [SEED, *found]


def write_list(tmp_path: Path, text: str = LIST) -> Path:
    path = tmp_path / "list.md"
    path.write_text(text, encoding="utf-8")
    return path


def the_cache_file() -> Path:
    (only,) = (locations.cache_dir() / "catalogs").iterdir()
    return only


@pytest.mark.parametrize("path", real_lists(), ids=lambda p: p.name)
def test_cache_round_trip_equals_the_parse(path: Path, tmp_path: Path) -> None:
    # Holds for whatever fields the catalog's records gain: the codec reads them.
    parsed = load_catalog(path, use_cache=False)
    assert cache.decode(cache.encode(parsed)) == parsed
    copy = tmp_path / path.name
    copy.write_bytes(path.read_bytes())
    first = load_catalog(copy)  # parses and writes the cache
    loaded = cached_catalog(copy)
    assert loaded is not None
    assert loaded == first
    assert loaded.to_dict() == first.to_dict()
    assert [t.id for t in loaded.roots()] == [t.id for t in first.roots()]
    some_item = next(iter(first.items.values()), None)
    if some_item is not None and some_item.url:
        assert loaded.find_item(some_item.url) == some_item  # the lookups were rebuilt


def test_every_field_of_every_catalog_record_survives_the_cache() -> None:
    catalog = Catalog(
        "src", "Name ✓",
        [Topic("t1", "T \u2028", 1, None, 3, ["i1"], [Passage("math", "∑", None, 4),
                                                      Passage("quote", "q", "https://q", 5)],
               ["t2"]),
         Topic("t2", "Child", 2, "t1", 7)],
        {"i1": Item("i1", None, "Cite", ["Cite", "Other"], ["t1"], 9),
         "i2": Item("i2", "https://a.org/", "A", ["A"], ["t1"], 10, "what A is",
                    (Link("Demo", "https://a.org/demo"), Link("PDF", "https://a.org/a.pdf")))},
        ["a warning"],
    )
    assert cache.decode(cache.encode(catalog)) == catalog
    assert cache.decode(cache.encode(catalog)).find_item("https://a.org/demo").id == "i2"


def test_the_cache_name_changes_when_a_record_changes_shape() -> None:
    shapes = cache._record_shapes(Catalog)
    assert any(shape.startswith("Item(") for shape in shapes)
    assert any(shape.startswith("Passage(") for shape in shapes)  # reached through Topic
    assert cache.shape_fingerprint() in cache.cache_path("0" * 64).name


ShapeKind = Literal["a", "b"]


class ShapeLeaf(Struct):
    kind: ShapeKind


class ShapeRoot(Struct):
    leaves: list[ShapeLeaf]
    count: int


def test_a_shape_holds_each_field_type_and_the_meaning_of_the_aliases_it_uses() -> None:
    shapes = cache._record_shapes(ShapeRoot)
    assert shapes == [
        "ShapeLeaf(kind: ShapeKind ShapeKind=typing.Literal['a', 'b'])",
        "ShapeRoot(leaves: list[ShapeLeaf], count: int)",
    ]


def test_a_planted_pickle_cannot_run_code(tmp_path: Path) -> None:
    marker = tmp_path / "marker"

    class Exploit:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    planted = pickle.dumps(Exploit())
    path = write_list(tmp_path)
    key = cache.content_key(path.read_bytes())
    # Under the cache's own name and under the name v1's pickle cache used.
    target = cache.cache_path(key)
    target.parent.mkdir(parents=True)
    target.write_bytes(planted)
    target.with_name(f"{key[:32]}-v{cache.PARSER_VERSION}.pickle").write_bytes(planted)
    result = subprocess.run(
        [sys.executable, "-m", "dlreader", "--source", str(path), "dump"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert not marker.exists()
    assert '"title": "Title"' in result.stdout
    assert cached_catalog(path) is not None  # the planted file was replaced by a real cache


@pytest.mark.parametrize(
    "planted",
    [
        b'{"source": "s", "name": "n", "topics": [], "items": {}, "warnings": [1]}',
        b'{"source": "s", "name": "n", "topics": [{"id": 1}], "items": {}}',
        b'{"source": "s"}',
        b"[" * 200_000,
        b'{"source": "s", "name": "\\ud800", "topics": [], "items": {}, "warnings": []}',
        b'{"source": "s", "name": "n", "topics": [{"id": "t", "title": "t", "level": '
        + b"9" * 5000 + b', "parent": null, "line": 1}], "items": {}, "warnings": []}',
        b"\xff\xfe not UTF-8",
    ],
    ids=["wrong-type", "bad-topic", "missing-fields", "deep", "surrogate", "huge-int", "bytes"],
)
def test_a_bad_cache_file_is_a_miss(tmp_path: Path, planted: bytes) -> None:
    path = write_list(tmp_path)
    good = load_catalog(path)
    the_cache_file().write_bytes(planted)
    reloaded = load_catalog(path)
    assert reloaded == good


def test_a_fifo_or_symlink_planted_as_the_cache_is_a_miss_not_a_hang(tmp_path: Path) -> None:
    path = write_list(tmp_path)
    good = load_catalog(path)
    cache_file = the_cache_file()
    cache_file.unlink()
    os.mkfifo(cache_file)
    assert cached_catalog(path) is None  # returns at once: a FIFO is never opened blocking
    assert stat.S_ISFIFO(os.lstat(cache_file).st_mode)
    os.unlink(cache_file)
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(cache.encode(good))
    cache_file.symlink_to(elsewhere)
    assert cached_catalog(path) is None


def test_cache_dir_is_private_and_files_are_0600(tmp_path: Path) -> None:
    catalogs = locations.cache_dir() / "catalogs"
    catalogs.mkdir(parents=True, mode=0o755)
    os.chmod(catalogs, 0o755)  # as v1 left it
    load_catalog(write_list(tmp_path))
    assert stat.S_IMODE(os.stat(catalogs).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(the_cache_file()).st_mode) == 0o600


def test_a_new_cache_dir_is_private_down_from_the_first_missing_parent(tmp_path: Path) -> None:
    load_catalog(write_list(tmp_path))
    for directory in (locations.cache_dir(), locations.cache_dir() / "catalogs"):
        assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700, directory


def test_a_start_from_the_cache_imports_no_markdown_parser(tmp_path: Path) -> None:
    """The app's warm start (prefetch, then the cache) never pays for markdown-it."""
    path = write_list(tmp_path)
    load_catalog(path)  # fills the cache
    code = (
        "import sys\n"
        "from dlreader.catalog.loader import cached_catalog, prefetch\n"
        f"assert prefetch({str(path)!r}) is None\n"
        f"catalog = cached_catalog({str(path)!r})\n"
        "print(catalog.name, sorted(m for m in sys.modules if m.startswith("
        "('markdown_it', 'dlreader.catalog.parser', 'dlreader.catalog.outline'))))\n"
    )
    assert run_fresh(code) == "Title []"


def test_the_same_text_in_another_file_is_named_after_that_file(tmp_path: Path) -> None:
    """The cache keys by content: a list named after its file (no heading names it) opened
    under another name is named after the new file, from the cache as from a parse."""
    text = "Some notes.\n\n- [A](https://example.org/a)\n\n### first-name\n"
    first, second = tmp_path / "first-name.md", tmp_path / "second-name.md"
    for path in (first, second):
        path.write_text(text, encoding="utf-8")
    parsed = load_catalog(first)
    assert (parsed.name, parsed.topics[0].title) == ("first-name", "first-name")
    for catalog in (load_catalog(second), cached_catalog(second)):
        assert catalog is not None and catalog.source == str(second)
        # The name comes from the heading, which stays; the preamble's title is the file's.
        assert (catalog.name, [t.title for t in catalog.topics]) == (
            "first-name", ["second-name", "first-name"])
    (tmp_path / "third.md").write_text("Only text.\n", encoding="utf-8")
    load_catalog(tmp_path / "third.md")
    (tmp_path / "fourth.md").write_text("Only text.\n", encoding="utf-8")
    fourth = load_catalog(tmp_path / "fourth.md")
    assert (fourth.name, fourth.topics[0].title) == ("fourth", "fourth")
    assert len(list((locations.cache_dir() / "catalogs").glob("*.json"))) == 2  # one each
    # Where the name came from is known, not guessed from its spelling.
    for text, first_name, second_name in (
            ("#### tagline\n\n## foo\n- [a](https://a.org/)\n\n## bar\n", "foo", "baz"),
            ('<img src="l.svg" alt="foo">\n\n## A\n- [a](https://a.org/)\n\n## B\n', "foo", "foo")):
        (tmp_path / "foo.md").write_text(text, encoding="utf-8")
        (tmp_path / "baz.md").write_text(text, encoding="utf-8")
        assert load_catalog(tmp_path / "foo.md").name == first_name
        assert load_catalog(tmp_path / "baz.md").name == second_name
        assert load_catalog(tmp_path / "baz.md", use_cache=False).name == second_name
