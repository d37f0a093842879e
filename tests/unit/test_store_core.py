"""Store behaviour on real files: changes, timestamps, undo/redo, imports, users, modes."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest
from store_support import mark, user_store

from dlreader import locations
from dlreader.errors import UsageError
from dlreader.store import ItemState, ItemUpdate, Store
from dlreader.store.journal import JOURNAL_LIMIT
from dlreader.store.schema import SCHEMA_VERSION


def on_disk(store: Store) -> dict:
    return json.loads(store.path.read_text(encoding="utf-8"))


def test_missing_file_is_an_empty_store_created_on_first_write(tmp_path: Path) -> None:
    store = user_store(tmp_path / "data")
    assert store.states() == {}
    assert not store.path.exists()
    step = store.apply([mark("a", status="reading")], "mark a")
    assert step is not None and step.label == "mark a"
    assert step.before == {"a": None}
    assert on_disk(store)["meta"]["1"]["schema"] == SCHEMA_VERSION
    assert Store.open(store.path).get("a").status == "reading"  # type: ignore[union-attr]


def test_apply_sets_fields_and_timestamps(tmp_path: Path) -> None:
    store = user_store(tmp_path / "data")
    store.apply([mark("a", priority="high", note="**why** it matters ✓")])
    state = store.get("a")
    assert state is not None
    assert (state.status, state.priority, state.note) == ("unread", "high", "**why** it matters ✓")
    assert state.url == "https://example.org/a" and state.title == "Title a"
    assert state.created and state.updated and state.read_at is None
    store.apply([mark("a", status="read")])
    read = store.get("a")
    assert read is not None and read.read_at and read.created == state.created
    store.apply([mark("a", status="reading")])
    assert store.get("a").read_at is None  # type: ignore[union-attr]
    # Non-ASCII is written as UTF-8, not as \u escapes.
    assert "✓" in store.path.read_text(encoding="utf-8")


def test_note_empty_string_clears_and_none_keeps(tmp_path: Path) -> None:
    store = user_store(tmp_path / "data")
    store.apply([mark("a", note="keep me")])
    store.apply([mark("a", status="read")])
    assert store.get("a").note == "keep me"  # type: ignore[union-attr]
    store.apply([mark("a", note="")])
    assert store.get("a").note == ""  # type: ignore[union-attr]


def test_no_change_returns_none_and_does_not_write(tmp_path: Path) -> None:
    store = user_store(tmp_path / "data")
    store.apply([mark("a", status="read")])
    before = os.stat(store.path)
    assert store.apply([mark("a", status="read")]) is None
    assert store.apply([ItemUpdate("b", None, "B")]) is None  # sets nothing
    after = os.stat(store.path)
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)
    assert len(store.history()) == 1


def test_bad_values_are_usage_errors_and_change_nothing(tmp_path: Path) -> None:
    store = user_store(tmp_path / "data")
    with pytest.raises(UsageError):
        store.apply([mark("a", status="read"), mark("b", status="finished")])
    with pytest.raises(UsageError):
        store.apply([mark("a", priority="urgent")])
    assert store.states() == {} and not store.path.exists()


def test_returned_states_are_copies(tmp_path: Path) -> None:
    store = user_store(tmp_path / "data")
    store.apply([mark("a", status="read")])
    store.states()["a"].status = "skipped"
    store.get("a").status = "skipped"  # type: ignore[union-attr]
    assert store.get("a").status == "read"  # type: ignore[union-attr]


def test_undo_and_redo_restore_exact_records(tmp_path: Path) -> None:
    store = user_store(tmp_path / "data")
    store.apply([mark("a", status="reading", note="n1")])
    original = store.get("a")
    store.apply([mark("a", status="read"), mark("b", priority="low")], "two")
    changed = store.states()

    undone = store.undo()
    assert undone is not None and undone.label == "two"
    assert store.states() == {"a": original}
    # The journal lives in the file: another process (the CLI) sees the undo.
    assert Store.open(store.path).states() == {"a": original}

    redone = Store.open(store.path).redo()
    assert redone is not None and redone.label == "two"
    store.reload_if_changed()
    assert store.states() == changed

    assert store.undo() is not None and store.undo() is not None
    assert store.states() == {}
    assert store.undo() is None
    assert store.redo() is not None
    assert store.states() == {"a": original}


def test_a_new_change_drops_the_undone_steps(tmp_path: Path) -> None:
    store = user_store(tmp_path / "data")
    store.apply([mark("a", status="read")])
    store.apply([mark("b", status="read")])
    store.undo()
    assert store.can_redo()
    store.apply([mark("c", status="read")])
    assert not store.can_redo()
    assert store.redo() is None
    assert [step.after.keys() for step in store.history()] == [{"a"}, {"c"}]


def test_journal_keeps_the_last_steps_and_at_least_100(tmp_path: Path) -> None:
    store = user_store(tmp_path / "data")
    total = JOURNAL_LIMIT + 15
    store.apply_batch([([mark(f"i{n}", status="read")], f"step {n}") for n in range(total)])
    history = store.history()
    assert len(history) == JOURNAL_LIMIT >= 100
    assert history[-1].label == f"step {total - 1}"
    assert [step.seq for step in history] == list(range(16, total + 1))
    for _ in range(100):
        assert store.undo() is not None
    assert len(store.states()) == total - 100


def test_apply_batch_is_several_steps_and_one_write(tmp_path: Path) -> None:
    store = user_store(tmp_path / "data")
    store.apply([mark("x", status="read")])
    inode = os.stat(store.path).st_ino
    steps = store.apply_batch(
        [([mark("a", status="read")], "1"), ([mark("a", status="read")], "no-op"),
         ([mark("a", priority="high")], "2")]
    )
    assert [step.label for step in steps] == ["1", "2"]
    assert os.stat(store.path).st_ino != inode
    assert store.undo().label == "2"  # type: ignore[union-attr]
    assert store.get("a").priority == "none"  # type: ignore[union-attr]


def test_two_store_objects_see_each_others_changes(tmp_path: Path) -> None:
    app = user_store(tmp_path / "data")
    cli = user_store(tmp_path / "data")
    app.apply([mark("a", status="read")])
    cli.apply([mark("b", status="read")])  # reloads first: keeps a
    app.apply([mark("c", status="read")])  # reloads first: keeps b
    assert set(Store.open(app.path).states()) == {"a", "b", "c"}
    assert cli.reload_if_changed() is True
    assert cli.reload_if_changed() is False
    assert set(cli.states()) == {"a", "b", "c"}


def test_threads_marking_at_once_lose_nothing(tmp_path: Path) -> None:
    store = user_store(tmp_path / "data")
    errors: list[BaseException] = []

    def worker(prefix: str) -> None:
        try:
            for n in range(25):
                store.apply([mark(f"{prefix}{n}", status="read")])
                store.states()
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(p,)) for p in "abcd"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(Store.open(store.path).states()) == 100


def test_import_merge_newer_wins_and_replace_backs_up_first(tmp_path: Path) -> None:
    store = user_store(tmp_path / "data")
    store.apply([mark("a", status="read"), mark("b", status="reading")])
    current_b = store.get("b")
    assert current_b is not None
    older_b = ItemState("b", None, "B", status="skipped", updated="2000-01-01T00:00:00Z")
    newer_c = ItemState("c", None, "C", status="read", updated="2999-01-01T00:00:00Z")
    assert store.import_states([older_b, newer_c], "merge").total == 1
    assert store.get("b") == current_b and store.get("c") == newer_c
    assert store.backups()  # always backed up before an import

    backups_before = len(store.backups())
    assert store.import_states([newer_c], "replace").total == 2  # a and b removed
    assert set(store.states()) == {"c"}
    assert len(store.backups()) == backups_before + 1
    assert store.undo() is not None
    assert set(store.states()) == {"a", "b", "c"}


def test_users_are_separate_files(tmp_path: Path) -> None:
    alice = user_store(tmp_path / "data", "alice")
    bob = user_store(tmp_path / "data", "bob")
    alice.apply([mark("a", status="read")])
    bob.apply([mark("b", status="skipped")])
    assert set(Store.open(alice.path).states()) == {"a"}
    assert set(Store.open(bob.path).states()) == {"b"}
    with pytest.raises(UsageError):
        locations.store_path("../alice")


def test_files_are_private(tmp_path: Path) -> None:
    store = user_store(tmp_path / "data")
    store.apply([mark("a", status="read")])
    store.backup()
    mode = lambda path: stat.S_IMODE(os.stat(path).st_mode)  # noqa: E731
    assert mode(store.path) == 0o600
    assert mode(store.path.parent) == 0o700
    assert mode(store.path.parent / "backups") == 0o700
    for backup in store.backups():
        assert mode(backup) == 0o600
    assert mode(store.path.with_name("alice.json.lock")) == 0o600


def test_no_temp_files_left_behind(tmp_path: Path) -> None:
    store = user_store(tmp_path / "data")
    for n in range(5):
        store.apply([mark(f"a{n}", status="read")])
    leftovers = [p.name for p in store.path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_temp_files_of_killed_writers_are_removed_but_not_other_users(tmp_path: Path) -> None:
    store = user_store(tmp_path / "data")
    store.apply([mark("a", status="read")])
    stale = store.path.with_name(".alice.json.4242.0123abcd.tmp")
    other = store.path.with_name(".alice.json.5.json.4242.0123abcd.tmp")  # user alice.json.5
    stale.write_bytes(b"half a store")
    other.write_bytes(b"someone else's write in progress")
    store.apply([mark("b", status="read")])
    assert not stale.exists() and other.exists()


def test_item_fields_match_item_state() -> None:
    from dlreader.store.schema import ITEM_FIELDS

    assert set(ItemState.__struct_fields__) == ITEM_FIELDS


def test_reads_stay_consistent_until_the_store_reloads(tmp_path: Path) -> None:
    app = user_store(tmp_path / "data")
    app.apply([mark("a", status="read"), mark("b", status="read")])
    cli = user_store(tmp_path / "data")
    cli.undo()  # removes a and b from the file
    cli.apply([mark("c", status="skipped")])
    # The app still answers from what it loaded (no KeyError on a vanished document) ...
    assert app.get("a") is not None and set(app.states()) == {"a", "b"}
    # ... until it reloads, or writes (which reloads first).
    assert app.reload_if_changed()
    assert app.get("a") is None and set(app.states()) == {"c"}
