"""A program in a real terminal (tmux), read the way a person sees it: the screen."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path


def _tmux(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", *args], capture_output=True, text=True)


class TerminalSession:
    """One detached tmux session running ``command`` at a fixed size."""

    def __init__(
        self,
        command: list[str],
        *,
        size: tuple[int, int] = (160, 50),
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.name = "bench" + uuid.uuid4().hex[:8]
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in (env or {}).items())
        shell_command = shlex.join(command)
        # COLUMNS/LINES inherited from a parent (pytest's readline sets them) would make
        # Textual ignore the pane's real size.
        shell_command = f"exec env -u COLUMNS -u LINES {exports} {shell_command}"
        self.started = time.perf_counter()
        for _ in range(3):  # a tmux server that is just starting can refuse once
            result = _tmux(
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                str(size[0]),
                "-y",
                str(size[1]),
                shell_command,
            )
            if result.returncode == 0:
                break
            time.sleep(0.2)
        else:
            raise RuntimeError(f"tmux could not start a session: {result.stderr.strip()}")

    def screen(self, *, styled: bool = False) -> str:
        """The pane's text; ``styled`` keeps colours and attributes (a moved highlight)."""
        flags = ["-p", "-e"] if styled else ["-p"]
        return _tmux("capture-pane", *flags, "-t", self.name).stdout

    def wait_for(self, predicate: Callable[[str], bool], timeout: float = 60.0) -> float:
        """Seconds from now until the screen satisfies ``predicate``."""
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if predicate(self.screen()):
                return time.perf_counter() - start
            time.sleep(0.003)
        raise TimeoutError(f"screen never matched within {timeout}s:\n{self.screen()}")

    def wait_for_text(self, text: str, timeout: float = 60.0) -> float:
        return self.wait_for(lambda screen: text in screen, timeout)

    def since_start_until_text(self, text: str, timeout: float = 60.0) -> float:
        self.wait_for_text(text, timeout)
        return time.perf_counter() - self.started

    def press(self, key: str) -> None:
        _tmux("send-keys", "-t", self.name, key)

    def key_to_change(self, key: str, timeout: float = 10.0) -> tuple[float, float]:
        """Seconds from sending ``key`` until the screen first differs (a moved highlight
        counts), and until its text differs (the content that follows the key)."""
        before_styled, before_text = self.screen(styled=True), self.screen()
        start = time.perf_counter()
        self.press(key)
        first: float | None = None
        while time.perf_counter() - start < timeout:
            if first is None and self.screen(styled=True) != before_styled:
                first = time.perf_counter() - start
            if first is not None and self.screen() != before_text:
                return first, time.perf_counter() - start
            time.sleep(0.001)
        raise TimeoutError(f"key {key!r} did not change the screen's text within {timeout}s")

    def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Wait until the screen has not changed for ``quiet`` seconds."""
        last, last_change = self.screen(), time.perf_counter()
        deadline = last_change + timeout
        while time.perf_counter() < deadline:
            time.sleep(0.02)
            now = self.screen()
            if now != last:
                last, last_change = now, time.perf_counter()
            elif time.perf_counter() - last_change >= quiet:
                return

    def pid(self) -> int:
        """The pid of the program (the pane's process, which exec'd the command)."""
        return int(_tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").stdout.strip())

    def close(self) -> None:
        """End the session and wait until its program has exited: a program still saving
        as it quits would slow whatever is measured next (the bare app of S1A, in turn)."""
        try:
            pid = self.pid()
        except ValueError:  # the program has exited already
            pid = None
        _tmux("kill-session", "-t", self.name)
        deadline = time.perf_counter() + 30
        while pid is not None and time.perf_counter() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.01)

    def __enter__(self) -> TerminalSession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def peak_rss_mb(pid: int) -> float:
    """Peak resident set size (VmHWM) of a live process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for pid {pid}")


def have_tmux() -> bool:
    return shutil.which("tmux") is not None
