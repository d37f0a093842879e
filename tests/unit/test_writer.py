"""The app's store writer: bursts of changes become one write, flushes are not delayed."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from dlreader.app import writer as writer_module
from dlreader.app.writer import StoreWriter, Written
from dlreader.store.records import ItemUpdate
from dlreader.store.store import Store


def start(store: Store) -> tuple[StoreWriter, list[object]]:
    reports: list[object] = []
    writer = StoreWriter(store, reports.append)
    threading.Thread(target=writer.run, daemon=True).start()
    return writer, reports


def update(item_id: str) -> list[ItemUpdate]:
    return [ItemUpdate(item_id, f"https://example.org/{item_id}", item_id, status="read")]


def test_a_burst_of_changes_is_one_write_with_one_undo_step_each(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "me.json")
    writer, reports = start(store)
    for item_id in ("a", "b", "c"):
        writer.submit(update(item_id), f"read {item_id}")
    assert writer.flush(timeout=5)
    written = [report for report in reports if isinstance(report, Written)]
    assert len(written) == 1
    assert set(written[0].states) == {"a", "b", "c"}
    reopened = Store.open(tmp_path / "me.json")
    assert {item_id: state.status for item_id, state in reopened.states().items()} == {
        "a": "read", "b": "read", "c": "read"
    }
    assert [step.label for step in reopened.history()] == ["read a", "read b", "read c"]
    writer.stop()
    assert writer.wait_stopped(5)


def test_a_flush_ends_the_wait_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer_module, "COALESCE_SECONDS", 3.0)
    store = Store.open(tmp_path / "me.json")
    writer, _ = start(store)
    writer.submit(update("a"), "read a")
    started = time.monotonic()
    assert writer.flush(timeout=5)
    # Far inside the (stretched) coalescing window: the flush did not sit it out.
    assert time.monotonic() - started < 1.5
    assert Store.open(tmp_path / "me.json").get("a") is not None
    writer.stop()
