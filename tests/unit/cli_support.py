"""Running the real ``dlreader`` console script in tests: bounded in time and memory."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# The console script of the Python running the tests (.venv here, .ci-venv in CI).
DLREADER = Path(sys.executable).parent / "dlreader"
# The user of the functional tests' apps and terminals.
USER = "tester"
URL_A = "https://example.org/a"
URL_B = "https://example.org/b"
# A command that hangs or reads forever is killed after this long: the test then fails.
HANG_SECONDS = 20
# A regression that reads /dev/zero into memory dies of MemoryError at this size instead
# of taking the shared machine's memory.
MEMORY_CAP = 2 << 30


def run_cli(capsys: Any, *argv: str) -> tuple[int, str, str]:
    """``dlreader ARGV`` in this process (``cli.main``): exit code, stdout, stderr.

    The one in-process runner (``run_dlreader`` is the one subprocess runner); argparse's
    own usage errors come back as their exit code, like the real script's.
    """
    from dlreader.cli import main

    capsys.readouterr()  # only this command's output
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


# A list with a repeated title (Alpha), a subtopic and an item in two topics.
STATE_LIST = """\
# Reading

## Alpha
- [Paper A](https://example.org/a)
- [Paper B](https://example.org/b)

### Alpha Deep
- [Paper C](https://example.org/c)

## Beta
- [Paper D](https://example.org/d)
- [Paper A, again](https://example.org/a)

## Alpha
- [Paper E](https://example.org/e)
"""


class Run:
    """``run_cli`` with ``--source`` and ``--user`` given (alice unless told)."""

    def __init__(self, source: Path, capsys: Any) -> None:
        self.source = source
        self.capsys = capsys

    def __call__(self, *argv: str, user: str = "alice") -> tuple[int, str, str]:
        return run_cli(self.capsys, "--source", str(self.source), "--user", user, *argv)

    def json(self, *argv: str, user: str = "alice") -> object:
        code, out, err = self(*argv, "--format", "json", user=user)
        assert code == 0, err
        return json.loads(out)


def ids_by_title(run: Run) -> dict[str, str]:
    return {row["title"]: row["id"] for row in run.json("list")}  # type: ignore[attr-defined]


def assert_one_line(err: str) -> str:
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("dlreader: "), err
    return lines[0]


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def dlreader_dirs(home: Path) -> dict[str, str]:
    """The environment that puts dlreader's data, cache and config inside ``home``."""
    return {"DLREADER_DATA_DIR": str(home / "data"), "DLREADER_CACHE_DIR": str(home / "cache"),
            "DLREADER_CONFIG_DIR": str(home / "config")}


def run_dlreader(argv: Sequence[str], *, home: Path | None = None,
                 **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """The installed ``dlreader`` in a subprocess, killed (and the test failed) if it hangs;
    with ``home``, its directories are there (else the test's own, from conftest)."""
    return subprocess.run(
        [str(DLREADER), *argv],
        text=True,
        timeout=HANG_SECONDS,
        preexec_fn=_cap_memory,
        env={**os.environ, "COLUMNS": "100", "LINES": "30",
             **(dlreader_dirs(home) if home is not None else {})},
        **kwargs,
    )




def run_fresh(code: str) -> str:
    """Python ``code``'s output, stripped, from a new interpreter: what a start imports,
    or the only thread of its process. A failure fails the test with its stderr."""
    result = subprocess.run([sys.executable, "-c", code], stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()
