"""A command that meets a failed OS call or a bad option ends as one line and an exit
code, never a traceback, and leaves the store as it was."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cli_support import DLREADER, URL_A, URL_B, assert_one_line, run_cli, run_dlreader

from dlreader.store.backups import list_backups


def test_a_data_dir_that_cannot_be_created_is_one_line(
    capsys: pytest.CaptureFixture[str], ab_list: Path
) -> None:
    code, _, err = run_cli(
        capsys, "--source", str(ab_list), "--data-dir", "/proc/nonexist",
        "mark", URL_A, "--status", "read",
    )
    line = assert_one_line(err)
    assert code == 1
    assert "/proc/nonexist" in line and "No such file or directory" in line


def test_a_lock_file_that_cannot_be_opened_is_one_line_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], ab_list: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    # Root ignores chmod, so the open is made to fail for real: the lock path is a directory.
    lock = data_dir / "alice.json.lock"
    lock.mkdir(parents=True)
    code, _, err = run_cli(
        capsys, "--source", str(ab_list), "--data-dir", str(data_dir), "--user", "alice",
        "mark", URL_A, "--status", "read",
    )
    line = assert_one_line(err)
    assert code == 1
    assert str(lock) in line and "Is a directory" in line
    assert not (data_dir / "alice.json").exists()


def test_a_lock_failure_leaves_an_existing_store_as_it_was(
    capsys: pytest.CaptureFixture[str], ab_list: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    common = ("--source", str(ab_list), "--data-dir", str(data_dir), "--user", "alice")
    assert run_cli(capsys, *common, "mark", URL_A, "--status", "read")[0] == 0
    store = data_dir / "alice.json"
    before = store.read_bytes()
    lock = data_dir / "alice.json.lock"
    lock.unlink()
    lock.mkdir()
    code, _, err = run_cli(capsys, *common, "mark", URL_B, "--status", "skipped")
    assert_one_line(err)
    assert code == 1
    assert store.read_bytes() == before


@pytest.mark.parametrize(
    ("action", "expected_code", "expected"),
    [(["backups"], 0, "no backups of"), (["restore"], 2, "no good backup of")],
)
def test_a_data_dir_below_a_regular_file_lists_no_backups(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    action: list[str],
    expected_code: int,
    expected: str,
) -> None:
    regular = tmp_path / "a-file"
    regular.write_text("not a directory\n")
    code, _, err = run_cli(capsys, "--data-dir", str(regular / "sub"), "state", *action)
    line = assert_one_line(err)
    assert code == expected_code
    assert expected in line
    assert regular.read_text() == "not a directory\n"


def test_list_backups_is_empty_when_the_backups_dir_is_not_a_directory(tmp_path: Path) -> None:
    (tmp_path / "backups").write_text("a file where the directory should be\n")
    assert list_backups(tmp_path / "alice.json") == []
    assert list_backups(tmp_path / "a-file" / "alice.json") == []


def test_an_os_error_no_command_handled_is_one_line_with_exit_1(ab_list: Path) -> None:
    # /dev/full refuses every write with ENOSPC: a real OS error inside the command.
    with open("/dev/full", "w") as full:
        result = run_dlreader(
            ["--source", str(ab_list), "dump"], stdout=full, stderr=subprocess.PIPE
        )
    line = assert_one_line(result.stderr)
    assert result.returncode == 1
    assert line == "dlreader: No space left on device"


def test_the_last_line_of_defence_names_the_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Injected: every real OS error with a file name is now turned into its own message
    # before it gets here, so this checks only the format of the last resort.
    import dlreader.commands.stats as stats_command

    def failing(*_args: object) -> int:
        raise PermissionError(13, "Permission denied", "/some/where.json")

    monkeypatch.setattr(stats_command, "stats", failing)
    code, _, err = run_cli(capsys, "stats")
    assert assert_one_line(err) == "dlreader: /some/where.json: Permission denied"
    assert code == 1


@pytest.mark.parametrize(
    "argv", [["--user", "", "stats"], ["stats", "--user", ""], ["--user="]]
)
def test_an_empty_user_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], ab_list: Path, argv: list[str]
) -> None:
    code, out, err = run_cli(capsys, "--source", str(ab_list), *argv)
    assert "invalid user name ''" in assert_one_line(err)
    assert code == 2
    assert out == ""


def test_a_closed_stdout_is_one_line_and_exit_2_not_a_traceback() -> None:
    result = subprocess.run(f"{DLREADER} dump >&-", shell=True, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == "dlreader: standard output is closed; nothing to write to\n"
