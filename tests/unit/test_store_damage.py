"""Damaged, newer and older store files; backups and restore."""

from __future__ import annotations

import json
import os
import shlex
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from store_support import mark, store_with_two_records

from dlreader.errors import EXIT_DAMAGED, StoreDamaged, StoreTooNew, UsageError
from dlreader.store import Store, restore_store
from dlreader.store import backups as backup_files
from dlreader.store.schema import SCHEMA_VERSION


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return store_with_two_records(tmp_path)


def _nul_block(good: bytes) -> bytes:
    middle = len(good) // 2
    return good[:middle] + b"\x00" * 64 + good[middle + 64 :]


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "zero bytes": lambda good: b"",
    "truncated": lambda good: good[: len(good) // 2],
    "truncated by one byte": lambda good: good[:-1],
    "not JSON": lambda good: b"this is not a store\n",
    "extra data": lambda good: good + b'{"items": {}}',
    "NUL bytes": _nul_block,
    "all NULs": lambda good: b"\x00" * len(good),
    "not UTF-8": lambda good: good.replace(b"Title", b"T\xffle", 1),
    "a JSON list": lambda good: b"[1, 2, 3]",
    "a record without item_id": lambda good: b'{"items": {"1": {"status": "read"}}}',
    "another app": lambda good: b'{"meta": {"1": {"app": "other", "schema": 1}}}',
    "a bad status": lambda good: good.replace(b'"status":"read"', b'"status":"done"', 1),
}


@pytest.mark.parametrize("variant", DAMAGE)
def test_damage_is_reported_kept_and_restorable(store: Store, variant: str) -> None:
    good_states = store.states()
    backup = store.backup()
    backup_count = len(store.backups())
    damaged = DAMAGE[variant](store.path.read_bytes())
    store.path.write_bytes(damaged)

    with pytest.raises(StoreDamaged) as caught:
        Store.open(store.path)
    message = caught.value.message
    assert caught.value.exit_code == EXIT_DAMAGED
    assert str(store.path) in message and str(backup) in message
    assert "state restore" in message
    # The command in the message is one the user can paste.
    command = shlex.split(message.splitlines()[-1])
    assert command[0] == "dlreader" and command[-3:] == ["state", "restore", str(backup)]

    # An already open store does not write over it either, and keeps showing what it had.
    with pytest.raises(StoreDamaged):
        store.apply([mark("c", status="read")])
    with pytest.raises(StoreDamaged):
        store.reload_if_changed()
    assert store.states() == good_states and store.get("a") == good_states["a"]
    with pytest.raises(StoreDamaged):
        store.backup()
    assert store.path.read_bytes() == damaged
    assert len(store.backups()) == backup_count  # a damaged file is never a backup

    outcome = restore_store(store.path)
    assert outcome.backup == backup
    assert outcome.kept_damaged is not None
    assert outcome.kept_damaged.name.startswith("alice.json.corrupt-")
    assert outcome.kept_damaged.read_bytes() == damaged
    assert Store.open(store.path).states() == good_states
    store.apply([mark("c", status="read")])  # the open store carries on from the restored file
    assert set(Store.open(store.path).states()) == {"a", "b", "c"}


def test_damage_without_backup_says_so(store: Store) -> None:
    store.path.write_bytes(b"")
    for old in store.backups():
        old.unlink()
    with pytest.raises(StoreDamaged) as caught:
        Store.open(store.path)
    assert "no good backup" in caught.value.message
    with pytest.raises(UsageError):
        restore_store(store.path)
    assert store.path.read_bytes() == b""


def test_damage_message_skips_bad_backups(store: Store) -> None:
    good = store.backup()
    newest = good.with_name("alice-29991231T000000.000000Z.json")
    newest.write_bytes(b"{broken")
    store.path.write_bytes(b"{")
    with pytest.raises(StoreDamaged) as caught:
        Store.open(store.path)
    assert str(good) in caught.value.message and str(newest) not in caught.value.message


def test_restore_command_names_user_and_data_dir(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "elsewhere" / "zoe.json")
    store.apply([mark("a", status="read")])
    backup = store.backup()
    store.path.write_bytes(b"")
    with pytest.raises(StoreDamaged) as caught:
        Store.open(store.path)
    command = shlex.split(caught.value.message.splitlines()[-1])
    assert command == [
        "dlreader", "--data-dir", str(store.path.parent), "--user", "zoe",
        "state", "restore", str(backup),
    ]


def test_restore_of_a_good_store_backs_it_up_first(store: Store) -> None:
    first = store.backup()
    store.apply([mark("c", status="read")])
    outcome = restore_store(store.path, first.name)  # a bare name is looked up in backups/
    assert outcome.kept_damaged is None and outcome.saved_current is not None
    assert "c" in Store.open(outcome.saved_current).states()
    assert set(Store.open(store.path).states()) == {"a", "b"}
    assert restore_store(store.path, outcome.saved_current).backup == outcome.saved_current
    assert "c" in Store.open(store.path).states()


def test_restore_refuses_a_bad_backup(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"{}}")
    before = store.path.read_bytes()
    with pytest.raises(UsageError):
        restore_store(store.path, bad)
    with pytest.raises(UsageError):
        restore_store(store.path, tmp_path / "missing.json")
    assert store.path.read_bytes() == before


def test_newer_schema_is_refused_and_left_alone(store: Store) -> None:
    data = json.loads(store.path.read_text())
    data["meta"]["1"]["schema"] = SCHEMA_VERSION + 1
    data["items"]["1"]["shiny_new_field"] = [1, 2]
    newer = json.dumps(data).encode()
    store.path.write_bytes(newer)
    with pytest.raises(StoreTooNew) as caught:
        Store.open(store.path)
    assert caught.value.exit_code == EXIT_DAMAGED
    assert "newer dlreader" in caught.value.message and str(store.path) in caught.value.message
    with pytest.raises(StoreTooNew):
        store.apply([mark("c", status="read")])
    assert store.path.read_bytes() == newer


def test_schema_0_is_backed_up_then_migrated(tmp_path: Path) -> None:
    path = tmp_path / "data" / "alice.json"
    path.parent.mkdir(parents=True)
    # A plain TinyDB file from before the meta record: records lack the newer fields.
    old = {
        "_default": {},
        "items": {
            "1": {"item_id": "a", "status": "read", "url": "https://example.org/a"},
            "2": {"id": "b", "note": "from long ago", "title": "B"},
            "7": {"item_id": "c", "priority": "high", "read_at": "2020-01-01T00:00:00Z"},
        },
    }
    raw = json.dumps(old).encode()
    path.write_bytes(raw)

    store = Store.open(path)
    backups = store.backups()
    assert len(backups) == 1 and backups[0].read_bytes() == raw
    data = json.loads(path.read_text())
    assert data["meta"]["1"]["schema"] == SCHEMA_VERSION
    states = store.states()
    assert states["a"].status == "read" and states["a"].priority == "none"
    assert states["b"].note == "from long ago" and states["b"].url is None
    assert states["c"].read_at is None  # not read, so no read time
    store.apply([mark("d", status="read")])
    assert set(Store.open(path).states()) == {"a", "b", "c", "d"}
    assert len(store.backups()) == 1  # the migration backup counts for the hour


def test_backups_are_rotated_to_the_last_ten(store: Store) -> None:
    made = [store.backup() for _ in range(12)]
    kept = store.backups()
    assert len(kept) == backup_files.KEEP_BACKUPS
    assert kept == sorted(made, reverse=True)[:10]
    for backup in kept:
        assert backup_files.is_good_backup(backup)


def test_backups_of_other_users_are_not_mixed_up(tmp_path: Path) -> None:
    a = Store.open(tmp_path / "data" / "a.json")
    ab = Store.open(tmp_path / "data" / "a-b.json")
    a.apply([mark("x", status="read")])
    ab.apply([mark("y", status="read")])
    a.backup()
    ab.backup()
    ab.backup()
    assert len(a.backups()) == 1 and len(ab.backups()) == 2


def test_ordinary_writes_back_up_at_most_hourly(store: Store) -> None:
    # The fixture's second write made the first backup (a store file existed, no backup).
    assert len(store.backups()) == 1
    for n in range(5):
        store.apply([mark(f"x{n}", status="read")])
    assert len(store.backups()) == 1
    old = store.backups()[0]
    two_hours_ago = datetime.now(UTC) - timedelta(hours=2)
    aged = old.with_name(f"alice-{two_hours_ago.strftime('%Y%m%dT%H%M%S.%fZ')}.json")
    os.rename(old, aged)
    store.apply([mark("y", status="read")])
    backups = store.backups()
    assert len(backups) == 2 and backups[1] == aged
    assert "x4" in Store.open(backups[0]).states() and "y" not in Store.open(backups[0]).states()


def test_two_restores_keep_both_damaged_files(store: Store) -> None:
    store.backup()
    kept = []
    for damage in (b"first", b"second"):
        store.path.write_bytes(damage)
        outcome = restore_store(store.path)
        assert outcome.kept_damaged is not None
        kept.append(outcome.kept_damaged)
    assert [path.read_bytes() for path in kept] == [b"first", b"second"]
