"""Running the real ``dlreader`` console script in tests: bounded in time and memory."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# The console script of the Python running the tests (.venv here, .ci-venv in CI).
DLREADER = Path(sys.executable).parent / "dlreader"
URL_A = "https://example.org/a"
URL_B = "https://example.org/b"
# A command that hangs or reads forever is killed after this long: the test then fails.
HANG_SECONDS = 20
# A regression that reads /dev/zero into memory dies of MemoryError at this size instead
# of taking the shared machine's memory.
MEMORY_CAP = 2 << 30


def run_cli(capsys: Any, *argv: str) -> tuple[int, str, str]:
    """``dlreader ARGV`` in this process (``cli.main``): exit code, stdout, stderr."""
    from dlreader.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line(err: str) -> str:
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("dlreader: "), err
    return lines[0]


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_dlreader(argv: Sequence[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """The installed ``dlreader`` in a subprocess, killed (and the test failed) if it hangs."""
    return subprocess.run(
        [str(DLREADER), *argv],
        text=True,
        timeout=HANG_SECONDS,
        preexec_fn=_cap_memory,
        env={**os.environ, "COLUMNS": "100", "LINES": "30"},
        **kwargs,
    )


