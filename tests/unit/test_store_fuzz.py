"""Hostile store files and state exports, generated: 0 tracebacks, a bad file is exit 2 or 3
and is left byte for byte as it was (issue #9; joins the hostile-list fuzz).

Each example runs the real CLI entry point in-process on a real file in a fresh directory:
``list``, ``mark`` (a write) and ``undo`` (applies the journal) on a store, ``state
import`` of an export into a store that has a record.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dlreader.cli import main

URL = "https://example.org/a"
FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

# -- generated JSON ---------------------------------------------------------------------------

scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=8) | st.sampled_from(["", "read", "high", "2026-01-01T00:00:00Z"])
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                 max_size=3),
    max_leaves=8,
)
doc_ids = st.sampled_from(["1", "2", "01", "²", "0", "-1", "1" * 30, "x", ""]) | st.integers(
    1, 5).map(str)


def maybe(valid: Any) -> st.SearchStrategy[Any]:
    """Mostly the valid value, sometimes anything."""
    return st.just(valid) | st.just(valid) | values


ITEM = {"item_id": "i-1", "url": URL, "title": "A", "status": "read", "priority": "none",
        "note": "n", "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z",
        "read_at": "2026-01-01T00:00:00Z"}

item_records = st.fixed_dictionaries({name: maybe(value) for name, value in ITEM.items()}) | values
steps = st.fixed_dictionaries({
    "seq": maybe(1), "time": maybe("2026-01-01T00:00:00Z"), "label": maybe("status read"),
    "undone": maybe(False),
    "before": st.dictionaries(st.just("i-1") | st.text(max_size=3), st.none() | item_records,
                              max_size=2) | values,
    "after": st.dictionaries(st.just("i-1") | st.text(max_size=3), item_records, max_size=2)
    | values,
}) | values
stores = st.fixed_dictionaries(
    {"meta": st.dictionaries(doc_ids, st.fixed_dictionaries(
        {"schema": maybe(1), "app": maybe("dlreader"), "next_seq": maybe(2)}) | values,
        max_size=2)},
    optional={
        "items": st.dictionaries(doc_ids, item_records, max_size=3) | values,
        "journal": st.dictionaries(doc_ids, steps, max_size=2) | values,
        "other": values,
    },
) | values

exports = st.fixed_dictionaries(
    {"format": maybe("dlreader-state"), "schema": maybe(1), "user": maybe("bob"),
     "records": st.lists(item_records, max_size=3) | values},
) | values


def _hostile_text(document: Any, how: str, where: int) -> tuple[bytes, bool]:
    """The document as JSON made hostile in one of the ways attackers use, and whether
    that makes it certainly bad (so it must be refused)."""
    text = json.dumps(document, ensure_ascii=False)
    certainly_bad = how in ("deep", "bad utf-8") or (how == "surrogate" and '"' in text)
    cut = where % (len(text) + 1)
    if how == "truncated":
        text = text[:cut]
    elif how == "surrogate":
        text = text.replace('"', '"\\ud800', 1)
    elif how == "huge number":
        text = text[:cut] + "9" * 5000 + text[cut:] if cut else "9" * 5000
        text = text.replace(": 1", ": " + "9" * 5000, 1)
    elif how == "deep":
        text = "[" * 100_000 + text + "]" * 100_000
    elif how == "deep inside":
        text = text.replace("{", '{"deep": ' + "[" * 50_000 + "]" * 50_000 + ", ", 1)
    raw = text.encode("utf-8")
    if how == "bad utf-8":
        raw = raw[:cut] + b"\xff\xc0" + raw[cut:]
    return raw, certainly_bad


HOW = ["as is", "as is", "truncated", "surrogate", "huge number", "deep", "deep inside",
       "bad utf-8"]


def run(directory: Path, *argv: str) -> tuple[int, str]:
    """``dlreader`` on alice's store in ``directory``/data, in-process: (code, stderr)."""
    common = ["--source", str(directory / "list.md"), "--data-dir", str(directory / "data"),
              "--user", "alice"]
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main([*common, *argv])
    return code, err.getvalue()


@contextlib.contextmanager
def fresh_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="dlreader-fuzz-") as name:
        directory = Path(name)
        (directory / "list.md").write_text(f"# T\n\n- [A]({URL})\n", encoding="utf-8")
        yield directory


def assert_handled(code: int, err: str, allowed: tuple[int, ...]) -> None:
    event(f"exit {code}")
    assert "Traceback" not in err, err
    assert code in allowed, (code, err)
    if code:
        assert err.startswith("dlreader: "), err


def hostile(documents: st.SearchStrategy[Any]) -> Callable[[Callable[..., None]], Any]:
    """The fuzz: ``documents`` made hostile ``how``, cut or changed at ``where``."""
    return lambda test: FUZZ(given(document=documents, how=st.sampled_from(HOW),
                                   where=st.integers(0, 10_000))(test))


@hostile(stores)
def test_a_hostile_store_is_a_message_and_is_left_as_it_is(
    document: Any, how: str, where: int
) -> None:
    with fresh_dir() as directory:
        store = directory / "data" / "alice.json"
        store.parent.mkdir()
        raw, bad = _hostile_text(document, how, where)
        store.write_bytes(raw)
        for argv in (["list"], ["undo"], ["mark", URL, "--status", "skipped"]):
            code, err = run(directory, *argv)
            assert_handled(code, err, (2, 3) if bad else (0, 2, 3))
            if code:
                assert store.read_bytes() == raw, argv
            if store.read_bytes() != raw:  # a good store was changed: it was not hostile
                break


@hostile(exports)
def test_a_hostile_state_import_is_a_message_and_changes_nothing(
    document: Any, how: str, where: int
) -> None:
    with fresh_dir() as directory:
        data = directory / "data"
        assert run(directory, "mark", URL, "--note", "mine")[0] == 0
        store_before = (data / "alice.json").read_bytes()
        export = directory / "export.json"
        raw, bad = _hostile_text(document, how, where)
        export.write_bytes(raw)
        code, err = run(directory, "state", "import", str(export), "--merge")
        assert_handled(code, err, (2, 3) if bad else (0, 2, 3))
        assert export.read_bytes() == raw
        if code:
            assert (data / "alice.json").read_bytes() == store_before
