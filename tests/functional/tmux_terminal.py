"""The installed ``dlreader`` in a real terminal (tmux), for the end-to-end tests.

Each ``TmuxTerminal`` starts its own tmux server (a private socket), sends real keys with
``send-keys`` and reads the screen with ``capture-pane``; what was done is then checked in
the store file with a fresh ``Store`` (``stored_states``), the way the next ``dlreader``
would see it.
"""

from __future__ import annotations

import functools
import os
import re
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_support import DLREADER, USER, dlreader_dirs, run_dlreader
from store_support import user_store

from dlreader.store.records import ItemState


@functools.cache
def seed_totals() -> dict[str, int]:
    """Items per topic title (whole subtree, each item once) and under "" the whole list,
    from the parsed seed list: what the app's counts must say."""
    from dlreader.catalog.loader import load_catalog
    from dlreader.locations import default_list_path

    catalog = load_catalog(default_list_path(), use_cache=False)
    totals = {topic.title: len(set(catalog.item_ids_under(topic.id, recursive=True)))
              for topic in catalog.topics}
    totals[""] = len(catalog.items)
    return totals


def read_count(read: int) -> str:
    """The title bar's count, e.g. ``1/587 done``."""
    return f"{read}/{seed_totals()['']} done"


FIRST_TOPIC = "Deep Learning Reading Group"


def loaded_marker() -> str:
    """Text on screen once the full catalog is loaded: the tree shows read/total counts
    only then (from then on every key acts on real items; before it, space would say
    "still loading")."""
    return f"{FIRST_TOPIC}  0/{seed_totals()[FIRST_TOPIC]}"


TIMEOUT = 20.0


def needs_tmux() -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux not installed: apt-get install tmux")
    if not DLREADER.is_file():
        pytest.skip(f"the dlreader console script is not installed at {DLREADER}")


def dlreader_env(home: Path, extra: dict[str, str] | None = None) -> list[str]:
    """``NAME=value`` words: dlreader's directories inside ``home``, plus ``extra``."""
    values = {**dlreader_dirs(home), **(extra or {})}
    return [f"{name}={value}" for name, value in values.items()]


class TmuxTerminal:
    """``dlreader`` in a detached tmux session of ``width`` x ``height`` on its own server."""

    def __init__(self, home: Path, width: int, height: int, *args: str,
                 env: dict[str, str] | None = None) -> None:
        self.socket = f"dlreader-e2e-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.exit_file = home / f"exit-code-{self.socket}"
        self.data_dir = home / "data"
        command = [
            # Importing readline (pytest does) puts COLUMNS/LINES (80x24) into the C
            # environment that children inherit; they would override the pane's real size.
            "env", "-u", "COLUMNS", "-u", "LINES",
            *dlreader_env(home, env),
            str(DLREADER), "--user", USER, *args,
        ]
        # The shell records the exit code; remain-on-exit keeps the last screen to read.
        script = f"{shlex.join(command)}; echo $? > {shlex.quote(str(self.exit_file))}"
        started = self._tmux(
            "start-server", ";", "set-option", "-g", "remain-on-exit", "on", ";",
            "new-session", "-d", "-s", "app", "-x", str(width), "-y", str(height),
            "sh", "-c", script,
        )
        assert started.returncode == 0, f"tmux did not start: {started.stderr}"

    def _tmux(self, *args: str) -> subprocess.CompletedProcess[str]:
        # -f /dev/null: no user tmux.conf can change keys or the terminal.
        return subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args],
                              capture_output=True, text=True, timeout=10)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "app").stdout

    def size(self) -> str:
        return self._tmux("display-message", "-p", "-t", "app",
                          "#{window_width}x#{window_height}").stdout.strip()

    def send(self, *keys: str, literal: bool = False) -> None:
        flags = ["-l"] if literal else []
        result = self._tmux("send-keys", "-t", "app", *flags, *keys)
        assert result.returncode == 0, f"send-keys failed: {result.stderr}\n{self.screen()}"

    def resize(self, width: int, height: int) -> None:
        result = self._tmux("resize-window", "-t", "app", "-x", str(width), "-y", str(height))
        assert result.returncode == 0, result.stderr

    def click(self, column: int, row: int) -> None:
        """A left click at 0-based (column, row): SGR mouse press and release, as xterm sends."""
        for final in ("M", "m"):
            self.send(f"\x1b[<0;{column + 1};{row + 1}{final}", literal=True)

    def wait_for(self, condition: Callable[[str], bool], what: str,
                 timeout: float = TIMEOUT) -> str:
        """Poll the screen until ``condition(screen)``; fail showing the last screen."""
        deadline = time.monotonic() + timeout
        screen = self.screen()
        while not condition(screen):
            if self.exit_file.exists():
                raise AssertionError(f"dlreader exited ({self.exit_file.read_text().strip()}) "
                                     f"before {what}; the screen:\n{screen}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout:g} s waiting for {what}; "
                                     f"the screen ({self.size()}):\n{screen}")
            time.sleep(0.05)
            screen = self.screen()
        return screen

    def wait_for_text(self, text: str, timeout: float = TIMEOUT) -> str:
        return self.wait_for(lambda screen: text in screen, repr(text), timeout)

    def wait_for_exit(self, timeout: float = TIMEOUT) -> int:
        deadline = time.monotonic() + timeout
        last_screen = self.screen()
        while not self.exit_file.exists() or not self.exit_file.read_text().strip():
            if time.monotonic() > deadline:
                raise AssertionError(f"dlreader did not exit within {timeout:g} s; "
                                     f"the screen:\n{last_screen}")
            time.sleep(0.05)
            last_screen = self.screen() or last_screen
        return int(self.exit_file.read_text())

    def close(self) -> None:
        self._tmux("kill-session", "-t", "app")
        self._tmux("kill-server")


def details_url(screen: str) -> str | None:
    """The URL in the Details pane (the highlighted item's link), if it is drawn yet."""
    _, found, details = screen.partition("Details")
    match = re.search(r"https?://\S+", details) if found else None
    return match.group(0) if match else None


def wait_for_details_url(terminal: TmuxTerminal) -> str:
    screen = terminal.wait_for(lambda s: details_url(s) is not None,
                               "a URL in the Details pane")
    url = details_url(screen)
    assert url is not None
    return url


def stored_states(terminal: TmuxTerminal) -> dict[str, ItemState]:
    return user_store(terminal.data_dir, USER).states()


def find_on_screen(screen: str, text: str) -> tuple[int, int]:
    """0-based (column, row) of the first ``text`` on the screen (lines before it in the
    row must be single-width characters: box drawing and ASCII are)."""
    for row, line in enumerate(screen.splitlines()):
        column = line.find(text)
        if column >= 0:
            return column, row
    raise AssertionError(f"{text!r} is not on the screen:\n{screen}")


def run_installed(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A command of the installed script, as USER, with its directories in ``home``."""
    return run_dlreader(["--user", USER, *args], home=home, capture_output=True)
