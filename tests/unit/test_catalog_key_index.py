"""A warm start finds a list's cache key by the file's stat; any edit is still a miss."""

from __future__ import annotations

import os
import time
from pathlib import Path

from cli_support import run_fresh

from dlreader.catalog import cache, key_index
from dlreader.catalog.loader import cached_catalog, load_catalog, prefetch

LIST = "# Title\n\n- [A](https://example.org/a)\n"
SAME_SIZE = "# Other\n\n- [A](https://example.org/a)\n"


def settled_list(tmp_path: Path, text: str = LIST) -> Path:
    """A list last written a minute ago, as a list being read usually is."""
    path = tmp_path / "list.md"
    path.write_text(text, encoding="utf-8")
    past = time.time() - 60
    os.utime(path, (past, past))
    return path


def test_a_settled_lists_key_is_found_by_its_stat(tmp_path: Path) -> None:
    path = settled_list(tmp_path)
    load_catalog(path)
    assert key_index.known_key(path, None) == cache.content_key(path.read_bytes())
    assert key_index.known_key(path, "https://example.org/") is None  # another base URL


def test_a_warm_start_neither_hashes_nor_loads_openssl(tmp_path: Path) -> None:
    path = settled_list(tmp_path)
    load_catalog(path)
    code = (
        "import sys\n"
        "from dlreader.catalog.loader import cached_catalog, prefetch\n"
        f"assert prefetch({str(path)!r}) is None\n"
        f"print(cached_catalog({str(path)!r}).name, sorted(m for m in sys.modules"
        " if m in ('hashlib', '_hashlib', 'secrets')))\n"
    )
    assert run_fresh(code) == "Title []"


def test_an_edit_that_keeps_size_and_mtime_is_still_a_new_list(tmp_path: Path) -> None:
    path = settled_list(tmp_path)
    load_catalog(path)
    old = os.stat(path)
    path.write_text(SAME_SIZE, encoding="utf-8")
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))  # as `cp -p` or rsync -t would
    assert os.stat(path).st_size == old.st_size
    assert key_index.known_key(path, None) is None  # the ctime moved
    assert cached_catalog(path) is None
    assert load_catalog(path).name == "Other"


def test_a_list_written_just_now_is_not_remembered(tmp_path: Path) -> None:
    # Written twice within the clock's tick, its stat could stay the same: it is hashed
    # at every start until it has settled.
    path = tmp_path / "list.md"
    path.write_text(LIST, encoding="utf-8")
    load_catalog(path)
    assert key_index.known_key(path, None) is None
    assert not key_index.index_path().exists()
    assert cached_catalog(path) is not None  # the cache itself still serves it


def test_a_damaged_or_planted_index_is_ignored_then_replaced(tmp_path: Path) -> None:
    path = settled_list(tmp_path)
    load_catalog(path)
    for bad in (b"{not json", b'{"x": [[1, 2, 3, 4, 5], 7]}', b"\xff" * 10):
        key_index.index_path().write_bytes(bad)
        assert cached_catalog(path).name == "Title"  # hashed, and remembered again
        assert key_index.known_key(path, None) == cache.content_key(path.read_bytes())


def test_the_index_keeps_the_newest_entries(tmp_path: Path) -> None:
    before = os.stat(settled_list(tmp_path))
    for n in range(key_index.MAX_ENTRIES + 5):
        key_index.remember(tmp_path / f"{n}.md", None, f"key{n}", before)
    index = key_index._read()
    assert len(index) == key_index.MAX_ENTRIES
    assert key_index._name(tmp_path / "0.md", None) not in index
    assert key_index._name(tmp_path / f"{key_index.MAX_ENTRIES + 4}.md", None) in index


def test_a_prefetch_of_a_cached_settled_list_starts_nothing(tmp_path: Path) -> None:
    path = settled_list(tmp_path, LIST * 2000)  # big enough to be worth a background load
    load_catalog(path)
    assert key_index.known_key(path, None) is not None
    assert prefetch(path) is None
