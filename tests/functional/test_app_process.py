"""The real ``dlreader`` process in a pseudo-terminal: signals end it cleanly, nothing lost."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from dlreader.store.store import Store

ROOT = Path(__file__).resolve().parents[2]


class Terminal:
    """``dlreader`` on a pty of 160x50, its output drained so it never blocks."""

    def __init__(self, tmp_path: Path, *args: str) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
        env = dict(os.environ, TERM="xterm-256color")
        env.pop("BROWSER", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dlreader", "--user", "tester", *args],
            stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT,
            start_new_session=True,
        )
        os.close(slave)
        self.output = b""

    def drain(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([self.master], [], [], 0.02)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:
                    return

    def wait_for(self, marker: bytes, timeout: float = 20.0) -> None:
        end = time.monotonic() + timeout
        while marker not in self.output:
            if time.monotonic() > end or self.process.poll() is not None:
                raise AssertionError(f"{marker!r} never appeared")
            self.drain(0.05)

    def send(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)
        os.close(self.master)


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGHUP])
def test_signal_right_after_a_key_exits_cleanly_with_the_change_written(
    tmp_path: Path, signal_number: int, isolated_dirs: Path
) -> None:
    terminal = Terminal(tmp_path)
    try:
        terminal.wait_for(b"done \xc2\xb7 0%")  # the catalog is loaded: "0/587 done · 0%"
        found = re.search(rb"0/(\d+) done", terminal.output)
        assert found, terminal.output[-2000:]
        terminal.send(b"\t")
        terminal.drain(0.3)
        terminal.send(b" ")
        # Signal once the mark is on screen (the app has acknowledged it), however busy
        # the machine: the change must then be on disk when the process has ended.
        terminal.wait_for(b"1/" + found.group(1) + b" done")
        terminal.process.send_signal(signal_number)
        started = time.monotonic()
        while terminal.process.poll() is None and time.monotonic() - started < 10:
            terminal.drain(0.05)  # keep reading: a full pty would block its exit
        code = terminal.process.poll()
        assert time.monotonic() - started < 5
        assert code == 0
    finally:
        terminal.close()
    states = Store.open(isolated_dirs / "data" / "tester.json").states()
    assert [state.status for state in states.values()] == ["read"]


@pytest.mark.parametrize("follow", [b"n", b"/", b"E", b"?"])
def test_keys_typed_right_after_q_start_nothing_and_the_app_ends_cleanly(
    tmp_path: Path, follow: bytes, isolated_dirs: Path
) -> None:
    # `q` then `n` (or `/`) in one burst raised NoMatches while the app was closing.
    terminal = Terminal(tmp_path)
    try:
        terminal.wait_for(b"done \xc2\xb7 0%")
        terminal.send(b"q" + follow * 3)
        started = time.monotonic()
        while terminal.process.poll() is None and time.monotonic() - started < 20:
            terminal.drain(0.05)
        terminal.drain(0.2)
        assert terminal.process.poll() == 0, terminal.output[-3000:]
        assert b"NoMatches" not in terminal.output and b"Traceback" not in terminal.output
    finally:
        terminal.close()
