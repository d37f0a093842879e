"""Hostile files on real paths: FIFOs, device nodes, symlinks, /dev/zero, leftovers.

Nothing hangs, nothing reads without end, no node or link is replaced by a file, and
what dlreader writes that holds notes is 0600 (issue #9, items 3, 4, 6 and 10).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import threading
from pathlib import Path

import pytest
from cli_support import URL_A, assert_one_line, run_dlreader
from store_support import mark, user_store

from dlreader import fsutil
from dlreader.store.backups import backups_dir, make_backup
from dlreader.store.lock import holder_path


@pytest.fixture
def list_path(tmp_path: Path) -> Path:
    path = tmp_path / "list.md"
    path.write_text(f"# Topic\n\n- [A]({URL_A})\n", encoding="utf-8")
    return path


@pytest.fixture
def noted_store(isolated_dirs: Path, list_path: Path) -> Path:
    """alice's store with a note on A, made through the CLI."""
    result = run_dlreader(["--source", str(list_path), "--user", "alice", "mark", URL_A,
                           "--note", "a private note"], capture_output=True)
    assert result.returncode == 0, result.stderr
    return isolated_dirs / "data" / "alice.json"


def cli(list_path: Path, *argv: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return run_dlreader(["--source", str(list_path), "--user", "alice", *argv],
                        capture_output=True, **kwargs)  # type: ignore[arg-type]


def make_null_device(path: Path) -> None:
    """A character device like /dev/null (1, 3) at ``path``; skip where mknod is refused."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("mknod of a character device needs CAP_MKNOD (root) here")


# -- item 3: export -o and state export over a device node or a symlink -------------------


@pytest.mark.parametrize("command", [["export", "-o"], ["state", "export"]])
def test_writing_to_a_device_node_writes_into_it_and_keeps_the_node(
    tmp_path: Path, list_path: Path, noted_store: Path, command: list[str]
) -> None:
    device = tmp_path / "null-device"
    make_null_device(device)
    result = cli(list_path, *command, str(device))
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("command", [["export", "-o"], ["state", "export"]])
def test_writing_through_a_symlink_to_stdout_keeps_the_link_and_reaches_stdout(
    tmp_path: Path, list_path: Path, noted_store: Path, command: list[str]
) -> None:
    link = tmp_path / "out"
    link.symlink_to("/proc/self/fd/1")
    result = cli(list_path, *command, str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"
    assert "a private note" in result.stdout


def test_writing_through_a_symlink_to_a_file_updates_the_target_and_keeps_the_link(
    tmp_path: Path, list_path: Path, noted_store: Path
) -> None:
    target = tmp_path / "real-notes.md"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "notes.md"
    link.symlink_to(target)
    result = cli(list_path, "export", "-o", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert "a private note" in target.read_text(encoding="utf-8")


def test_a_fifo_nobody_reads_is_refused_at_once(
    tmp_path: Path, list_path: Path, noted_store: Path
) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    result = cli(list_path, "export", "-o", str(fifo))
    assert result.returncode == 1
    assert "nobody is reading" in assert_one_line(result.stderr)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_fifo_with_a_reader_gets_the_export(
    tmp_path: Path, list_path: Path, noted_store: Path
) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as handle:
            received.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    # The writer may open before the reader: then it is refused, and the reader is let go.
    result = cli(list_path, "export", "-o", str(fifo))
    if result.returncode != 0:
        with open(fifo, "wb"):
            pass
    reader.join(10)
    if result.returncode == 0:
        assert b"a private note" in received[0]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize("command", [["export", "-o"], ["state", "export"]])
def test_exported_files_holding_notes_are_0600(
    tmp_path: Path, list_path: Path, noted_store: Path, command: list[str]
) -> None:
    target = tmp_path / "out.txt"
    result = cli(list_path, *command, str(target))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


# -- item 4: the lock's holder file, a symlinked store -------------------------------------


def test_a_symlink_planted_as_the_lock_holder_file_is_not_followed(
    tmp_path: Path, list_path: Path, isolated_dirs: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    store_path = isolated_dirs / "data" / "alice.json"
    store_path.parent.mkdir(parents=True)
    holder_path(store_path).symlink_to(victim)
    result = cli(list_path, "mark", URL_A, "--status", "read")
    assert result.returncode == 0, result.stderr
    assert victim.read_text(encoding="utf-8") == "precious\n"


def test_a_symlinked_store_is_refused_with_a_message_and_left_as_it_is(
    tmp_path: Path, list_path: Path, noted_store: Path
) -> None:
    real = tmp_path / "real-store.json"
    noted_store.rename(real)
    noted_store.symlink_to(real)
    before = real.read_bytes()
    for argv in (["list"], ["mark", URL_A, "--status", "read"]):
        result = cli(list_path, *argv)
        assert result.returncode == 2
        line = assert_one_line(result.stderr)
        assert "is a symbolic link" in line and "--data-dir" in line
    assert noted_store.is_symlink()
    assert real.read_bytes() == before


# -- item 6: a FIFO store, /dev/zero and FIFOs as note or import files ---------------------


def test_a_store_that_is_a_fifo_is_refused_at_once(
    list_path: Path, isolated_dirs: Path
) -> None:
    store_path = isolated_dirs / "data" / "alice.json"
    store_path.parent.mkdir(parents=True)
    os.mkfifo(store_path)
    for argv in (["list"], ["mark", URL_A, "--status", "read"]):
        result = cli(list_path, *argv)
        assert result.returncode == 2, result.stderr
        assert "FIFO" in assert_one_line(result.stderr)
    assert stat.S_ISFIFO(os.lstat(store_path).st_mode)


def test_note_file_dev_zero_is_refused_within_a_bounded_memory(list_path: Path) -> None:
    # run_dlreader caps the address space: reading /dev/zero into memory would die of it.
    result = cli(list_path, "mark", URL_A, "--note-file", "/dev/zero")
    assert result.returncode == 2
    assert "not a regular file" in assert_one_line(result.stderr)


def test_a_note_from_stdin_past_the_limit_is_refused(list_path: Path) -> None:
    with open("/dev/zero", "rb") as zero:
        result = cli(list_path, "mark", URL_A, "--note-file", "-", stdin=zero)
    assert result.returncode == 2
    assert "at most 1 MB" in assert_one_line(result.stderr)


def test_a_note_file_past_the_limit_is_refused(tmp_path: Path, list_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_bytes(b"x" * ((1 << 20) + 1))
    result = cli(list_path, "mark", URL_A, "--note-file", str(big))
    assert result.returncode == 2
    assert "at most 1 MB" in assert_one_line(result.stderr)


@pytest.mark.parametrize("command", [["mark", URL_A, "--note-file"], ["state", "import"]])
def test_a_fifo_as_the_note_or_import_file_is_refused_not_waited_on(
    tmp_path: Path, list_path: Path, command: list[str]
) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    result = cli(list_path, *command, str(fifo))
    assert result.returncode == 2
    assert "FIFO" in assert_one_line(result.stderr)


# -- item 10: leftovers and modes -----------------------------------------------------------


def test_a_temp_file_left_by_a_killed_backup_is_removed_by_the_next(
    isolated_dirs: Path,
) -> None:
    store = user_store(isolated_dirs / "data")
    store.apply([mark("i-1", status="read")])
    directory = backups_dir(store.path)
    directory.mkdir(exist_ok=True)
    left = directory / ".alice-20260101T000000.000000Z.json.4242.0123abcd.tmp"
    left.write_bytes(b"half a backup")
    other_user = directory / ".bob-20260101T000000.000000Z.json.4242.0123abcd.tmp"
    other_user.write_bytes(b"bob's, mid-write")
    with store._lock.held():
        make_backup(store.path)
    assert not left.exists()
    assert other_user.exists()  # bob's own writer holds bob's lock, not ours
    store.close()


def test_store_backups_settings_and_their_dirs_are_private(isolated_dirs: Path) -> None:
    from dlreader.settings import save_settings, settings_path

    store = user_store(isolated_dirs / "data")
    store.apply([mark("i-1", note="private")])
    backup = store.backup()
    save_settings({"theme": "x"})
    for path in (store.path, backup, settings_path()):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
    for directory in (store.path.parent, backup.parent, settings_path().parent):
        assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700, directory
    store.close()


# -- the helpers themselves ----------------------------------------------------------------


def test_atomic_write_refuses_to_replace_a_symlink_or_a_fifo(tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.write_text("kept", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(target)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in (link, fifo):
        with pytest.raises(fsutil.NotRegularFile):
            fsutil.atomic_write(path, b"new")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "kept"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo", "link", "target"]


def test_read_regular_bytes_refuses_devices_fifos_links_and_big_files(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "missing")
    big = tmp_path / "big"
    big.write_bytes(b"x" * 11)
    with pytest.raises(fsutil.NotRegularFile, match="character device"):
        fsutil.read_regular_bytes("/dev/zero")
    with pytest.raises(fsutil.NotRegularFile, match="FIFO"):
        fsutil.read_regular_bytes(fifo)
    with pytest.raises(fsutil.NotRegularFile, match="symbolic link"):
        fsutil.read_regular_bytes(link, follow_links=False)
    with pytest.raises(fsutil.TooBig):
        fsutil.read_regular_bytes(big, limit=10)
    assert fsutil.read_regular_bytes(big, limit=11) == b"x" * 11


def test_state_export_to_stdout_is_json_with_c1_controls_escaped(
    list_path: Path, isolated_dirs: Path
) -> None:
    # An old store (dlreader 1 let anything in) holding an 8-bit CSI in a note.
    store = user_store(isolated_dirs / "data")
    store.apply([mark("i-1", note="fine")])
    store.close()
    raw = json.loads((isolated_dirs / "data" / "alice.json").read_text(encoding="utf-8"))
    (record,) = raw["items"].values()
    record["note"] = "csi \u009b2J here"
    (isolated_dirs / "data" / "alice.json").write_text(json.dumps(raw, ensure_ascii=False),
                                                       encoding="utf-8")
    result = cli(list_path, "state", "export", "-")
    assert result.returncode == 0, result.stderr
    assert "\u009b" not in result.stdout and "\\u009b" in result.stdout
    assert json.loads(result.stdout)["records"][0]["note"] == "csi \u009b2J here"
