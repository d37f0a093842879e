"""Store files an attacker (or a bad editor) wrote: exit 3 and the file byte for byte as it
was, never a traceback or a silently dropped record (issue #9, items 5 and 9)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cli_support import URL_A, assert_one_line, run_dlreader
from store_support import mark

from dlreader.store.store import Store


def good_store(path: Path) -> dict[str, Any]:
    store = Store.open(path)
    store.apply([mark("i-1", status="read")], label="read one")
    store.close()
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def with_item_key(doc: dict[str, Any], key: str) -> dict[str, Any]:
    (record,) = doc["items"].values()
    doc["items"] = {"1": record, key: {**record, "item_id": "i-2"}}
    return doc


def with_label(doc: dict[str, Any], label: Any) -> dict[str, Any]:
    for step in doc["journal"].values():
        step["label"] = label
    return doc


CASES = {
    "keys 1 and 01": lambda doc: json.dumps(with_item_key(doc, "01")),
    "key ²": lambda doc: json.dumps(with_item_key(doc, "²")),
    "key of 30 digits": lambda doc: json.dumps(with_item_key(doc, "9" * 30)),
    "label not text": lambda doc: json.dumps(with_label(doc, {"not": "text"})),
    "5,000-digit number": lambda doc: json.dumps(doc).replace('"next_seq": 2',
                                                              '"next_seq": ' + "9" * 5000),
    "lone surrogate": lambda doc: json.dumps(doc).replace('"read one"', '"\\ud800"'),
    "100k deep": lambda doc: "[" * 100_000 + "]" * 100_000,
    "deep inside": lambda doc: json.dumps(doc).replace('"read one"',
                                                       "[" * 100_000 + "]" * 100_000),
}


@pytest.mark.parametrize("damage", list(CASES))
def test_a_hostile_store_is_exit_3_and_left_as_it_is(
    tmp_path: Path, isolated_dirs: Path, damage: str
) -> None:
    source = tmp_path / "list.md"
    source.write_text(f"# T\n\n- [A]({URL_A})\n", encoding="utf-8")
    path = isolated_dirs / "data" / "alice.json"
    doc = good_store(path)
    plain = json.dumps(doc)
    raw = CASES[damage](doc).encode("utf-8")
    assert raw != plain.encode("utf-8")  # the damage was made
    path.write_bytes(raw)
    for argv in (["list"], ["undo"], ["mark", URL_A, "--status", "skipped"], ["export"]):
        result = run_dlreader(["--source", str(source), "--user", "alice", *argv],
                              capture_output=True)
        assert result.returncode == 3, (argv, result.stderr)
        assert "is damaged" in assert_one_line(result.stderr.split("\n  dlreader state")[0])
        assert path.read_bytes() == raw
