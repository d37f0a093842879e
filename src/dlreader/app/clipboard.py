"""Copying text: the system clipboard through pyperclip, within a time limit.

pyperclip runs in a short-lived child process, not in the app's own process, because
its tools (xclip, xsel, wl-copy) inherit stderr — which is the app's terminal — and print
errors such as "Can't open display" straight over the screen; a child sends them to a
file instead, and one that hangs can be killed outright. The copy counts only when the
text can be read back: pyperclip's xclip backend ignores xclip's exit status.

The read-back is retried for up to ``READ_BACK_SECONDS``: xclip sets the selection owner
and exits before the X server has seen the request (the background copy of xclip sends
it a moment later), so a paste straight after the copy can still get the old contents or
nothing. Measured: wrong for about 20 ms in a few percent of copies, right on the next try.
A copy tool that complained on stderr has failed outright: no retries, its complaint is
the reason.

The app falls back to the terminal's OSC 52 (``App.copy_to_clipboard``) when this
returns a reason instead of None; this module never touches Textual.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

# The copy runs in a worker thread, so the limit costs the UI nothing: it only decides
# when a hung tool gives way to OSC 52. A copy takes about 0.12 s here (0.2 s at worst
# with both cores busy); a CI machine once took over 2 s, so 2 s was too tight.
PYPERCLIP_TIMEOUT = 5.0
READ_BACK_SECONDS = 1.0
REASON_WIDTH = 80

_COPY_AND_CHECK = """\
import os, sys, time
from pathlib import Path
report, tool_errors = Path(sys.argv[1]), Path(sys.argv[2])
read_back_seconds = float(sys.argv[3])
# The tools pyperclip starts inherit fd 2: what they complain about lands in this file.
os.dup2(os.open(tool_errors, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
try:
    import pyperclip
    text = sys.stdin.read()
    pyperclip.copy(text)
    # Read once, now: a failed copy tool (xclip without a display) complains before it
    # exits; the clipboard will not catch up, so there is nothing to wait for.
    complaint = tool_errors.read_text(encoding="utf-8", errors="replace").strip()
    deadline = time.monotonic() + read_back_seconds
    pause = 0.01
    while pyperclip.paste() != text:
        if complaint or time.monotonic() >= deadline:
            report.write_text(complaint or "the clipboard did not keep the text")
            sys.exit(1)
        time.sleep(pause)
        pause = min(pause * 2, 0.1)
except Exception as error:
    report.write_text(f"{type(error).__name__}: {error}".strip(": ") or "failed")
    sys.exit(1)
"""


def short_reason(reason: str, width: int = REASON_WIDTH) -> str:
    """One line of at most ``width`` cells: the first sentence of the first line.

    pyperclip's errors run to several lines of install advice; a notice needs the gist.
    """
    line = next((part.strip() for part in reason.splitlines() if part.strip()), "")
    # "PyperclipException: Pyperclip could not ..." says "Pyperclip" twice.
    line = line.removeprefix("PyperclipException: ")
    sentence_end = line.find(". ")
    if sentence_end != -1:
        line = line[:sentence_end]
    line = line.rstrip(".") or "failed"
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


def copy_with_pyperclip(text: str, *, timeout: float = PYPERCLIP_TIMEOUT,
                        read_back_seconds: float = READ_BACK_SECONDS) -> str | None:
    """Copy ``text`` with pyperclip and read it back. None on success, else why not (one
    short line)."""
    with tempfile.TemporaryDirectory(prefix="dlreader-copy-") as directory:
        report = Path(directory) / "report.txt"
        tool_errors = Path(directory) / "tool-errors.txt"
        try:
            # stdout/stderr to /dev/null, not pipes: xclip stays running to serve the
            # selection and would hold a pipe open until it exits.
            child = subprocess.Popen(
                [sys.executable, "-c", _COPY_AND_CHECK, str(report), str(tool_errors),
                 str(read_back_seconds)],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True, text=True, encoding="utf-8",
            )
        except OSError as error:
            return f"could not run pyperclip: {error}"
        try:
            child.communicate(text, timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):
                os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            return f"the clipboard tool did not answer within {timeout:g} s"
        if child.returncode == 0:
            return None
        try:
            reason = report.read_text(encoding="utf-8").strip()
        except OSError:
            reason = ""
        return short_reason(reason) if reason else f"pyperclip failed (exit {child.returncode})"

