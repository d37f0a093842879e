"""A --source that is not a regular file (/dev/zero, a FIFO, a directory) is refused at
once, by the commands and by the app, without blocking or reading without end."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from cli_support import assert_one_line, run_dlreader

from dlreader.catalog.loader import read_list_bytes
from dlreader.errors import CatalogError


def test_dev_zero_as_the_list_is_refused_at_once() -> None:
    result = run_dlreader(
        ["--source", "/dev/zero", "dump"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert assert_one_line(result.stderr) == "dlreader: /dev/zero: is not a regular file"
    assert result.returncode == 2
    assert result.stdout == ""


def test_a_fifo_as_the_list_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "list.fifo"
    os.mkfifo(fifo)
    result = run_dlreader(
        ["--source", str(fifo), "dump"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert assert_one_line(result.stderr) == f"dlreader: {fifo}: is not a regular file"
    assert result.returncode == 2


def test_read_list_bytes_keeps_the_directory_message(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="is a directory, not a markdown file"):
        read_list_bytes(tmp_path)


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_the_app_does_not_start_on_a_list_that_is_not_a_regular_file(
    tmp_path: Path, special: str
) -> None:
    if special == "fifo":
        source = tmp_path / "list.fifo"
        os.mkfifo(source)
    else:
        source = Path(special)
    # The app needs a terminal: stdin and stdout are a pty, stderr is captured.
    controller, terminal = os.openpty()
    try:
        result = run_dlreader(
            ["--source", str(source), "--data-dir", str(tmp_path / "data")],
            stdin=terminal, stdout=terminal, stderr=subprocess.PIPE,
        )
    finally:
        os.close(terminal)
        os.close(controller)
    assert assert_one_line(result.stderr) == f"dlreader: {source}: is not a regular file"
    assert result.returncode == 2
