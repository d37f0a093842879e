"""Faults injected into the real write path: the old file stays whole, the error is clear."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from pytest import MonkeyPatch
from store_support import mark, store_with_two_records

from dlreader.errors import EXIT_FAILURE, StoreWriteError
from dlreader.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return store_with_two_records(tmp_path)


def temp_files(store: Store) -> list[str]:
    return [p.name for p in store.path.parent.iterdir() if p.name.endswith(".tmp")]


def assert_failed_cleanly(store: Store, old_bytes: bytes, old_states: dict) -> None:
    assert store.path.read_bytes() == old_bytes
    assert store.states() == old_states  # memory does not claim what the disk lacks
    assert Store.open(store.path).states() == old_states
    assert temp_files(store) == []


def _raiser(code: int) -> Callable[..., None]:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    return fail


def test_failure_before_replace_leaves_old_file(store: Store, monkeypatch: MonkeyPatch) -> None:
    old_bytes, old_states = store.path.read_bytes(), store.states()
    monkeypatch.setattr(os, "replace", _raiser(errno.EIO))
    with pytest.raises(StoreWriteError) as caught:
        store.apply([mark("c", status="read")])
    assert str(store.path) in caught.value.message
    assert caught.value.exit_code == EXIT_FAILURE
    monkeypatch.undo()
    assert_failed_cleanly(store, old_bytes, old_states)
    assert store.undo() is not None  # the journal did not gain the failed step
    assert set(store.states()) == {"a"}


def test_failing_fsync_of_the_data_leaves_old_file(store: Store, monkeypatch: MonkeyPatch) -> None:
    old_bytes, old_states = store.path.read_bytes(), store.states()
    monkeypatch.setattr(os, "fsync", _raiser(errno.EIO))
    with pytest.raises(StoreWriteError):
        store.apply([mark("c", status="read")])
    monkeypatch.undo()
    assert_failed_cleanly(store, old_bytes, old_states)


def test_failure_just_after_replace_leaves_the_new_file_whole(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def replace_then_fail(source: str, target: str) -> None:
        real_replace(source, target)
        raise OSError(errno.EIO, "injected after the rename")

    monkeypatch.setattr(os, "replace", replace_then_fail)
    with pytest.raises(StoreWriteError):
        store.apply([mark("c", status="skipped")])
    monkeypatch.undo()
    # The rename happened, so the change is wholly there, and memory agrees with the disk.
    reopened = Store.open(store.path)
    assert reopened.get("c").status == "skipped"  # type: ignore[union-attr]
    assert store.states() == reopened.states()
    assert set(reopened.states()) == {"a", "b", "c"}


def test_disk_full_mid_write_leaves_old_file(store: Store, monkeypatch: MonkeyPatch) -> None:
    old_bytes, old_states = store.path.read_bytes(), store.states()
    real_write = os.write

    def write_some_then_enospc(fd: int, data: bytes) -> int:
        if len(data) > 64:
            return real_write(fd, bytes(data[:64]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", write_some_then_enospc)
    with pytest.raises(StoreWriteError) as caught:
        store.apply([mark("c", status="read", note="x" * 1000)])
    monkeypatch.undo()
    assert "No space left on device" in caught.value.message
    assert_failed_cleanly(store, old_bytes, old_states)


def test_permission_denied_leaves_old_file(store: Store, monkeypatch: MonkeyPatch) -> None:
    old_bytes, old_states = store.path.read_bytes(), store.states()
    real_open = os.open

    def deny_temp_files(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        if os.fspath(path).endswith(".tmp"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", deny_temp_files)
    with pytest.raises(StoreWriteError) as caught:
        store.apply([mark("c", status="read")])
    monkeypatch.undo()
    assert "Permission denied" in caught.value.message
    assert_failed_cleanly(store, old_bytes, old_states)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_directory_leaves_old_file(store: Store) -> None:
    old_bytes, old_states = store.path.read_bytes(), store.states()
    store.path.parent.chmod(0o500)
    try:
        with pytest.raises(StoreWriteError):
            store.apply([mark("c", status="read")])
    finally:
        store.path.parent.chmod(0o700)
    assert_failed_cleanly(store, old_bytes, old_states)


def test_undo_failing_to_write_keeps_the_step(store: Store, monkeypatch: MonkeyPatch) -> None:
    old_states = store.states()
    monkeypatch.setattr(os, "replace", _raiser(errno.EROFS))
    with pytest.raises(StoreWriteError):
        store.undo()
    monkeypatch.undo()
    assert store.states() == old_states
    assert store.can_undo() and not store.can_redo()
    assert store.undo() is not None
    assert set(store.states()) == {"a"}


def test_every_write_before_a_failure_survives(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    """Fail each of 20 writes in turn at a different step; all the others are kept."""
    store = Store.open(tmp_path / "data" / "alice.json")
    real_replace, real_fsync = os.replace, os.fsync
    kept: set[str] = set()
    for n in range(20):
        item = f"item{n}"
        fault = n % 3
        if fault == 1:
            monkeypatch.setattr(os, "replace", _raiser(errno.EIO))
        elif fault == 2:
            monkeypatch.setattr(os, "fsync", _raiser(errno.EIO))
        try:
            store.apply([mark(item, status="read")])
            kept.add(item)
        except StoreWriteError:
            pass
        monkeypatch.setattr(os, "replace", real_replace)
        monkeypatch.setattr(os, "fsync", real_fsync)
        assert set(Store.open(store.path).states()) == kept
    assert len(kept) == 7


def test_temp_file_is_private_before_any_byte_is_written(
    store: Store, monkeypatch: MonkeyPatch
) -> None:
    real_write = os.write
    modes: list[int] = []

    def spy(fd: int, data: bytes) -> int:
        modes.append(os.fstat(fd).st_mode & 0o777)
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", spy)
    store.apply([mark("c", status="read")])
    monkeypatch.undo()
    assert modes and set(modes) == {0o600}


def test_a_directory_fsync_refused_after_the_rename_is_not_a_failure(
    store: Store, monkeypatch: MonkeyPatch
) -> None:
    """Some filesystems refuse fsync on a directory; the rename has already happened."""
    import stat

    real_fsync = os.fsync

    def refuse_directories(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, os.strerror(errno.EINVAL))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", refuse_directories)
    assert store.apply([mark("c", status="read")]) is not None
    monkeypatch.undo()
    assert set(Store.open(store.path).states()) == {"a", "b", "c"}
    assert store.states() == Store.open(store.path).states()
