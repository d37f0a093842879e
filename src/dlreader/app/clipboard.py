"""Copying text: the system clipboard through pyperclip, within a time limit.

pyperclip runs in a short-lived child process, not in the app's own process, because
its tools (xclip, xsel, wl-copy) inherit stderr — which is the app's terminal — and print
errors such as "Can't open display" straight over the screen; a child gets /dev/null
instead, and one that hangs can be killed outright. The copy counts only when the text
can be read back: pyperclip's xclip backend ignores xclip's exit status.

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

PYPERCLIP_TIMEOUT = 2.0

_COPY_AND_CHECK = """\
import sys
from pathlib import Path
report = Path(sys.argv[1])
try:
    import pyperclip
    text = sys.stdin.read()
    pyperclip.copy(text)
    if pyperclip.paste() != text:
        report.write_text("the clipboard did not keep the text")
        sys.exit(1)
except Exception as error:
    report.write_text(f"{type(error).__name__}: {error}".strip(": ") or "failed")
    sys.exit(1)
"""


def copy_with_pyperclip(text: str, *, timeout: float = PYPERCLIP_TIMEOUT) -> str | None:
    """Copy ``text`` with pyperclip and read it back. None on success, else why not."""
    with tempfile.TemporaryDirectory(prefix="dlreader-copy-") as directory:
        report = Path(directory) / "report.txt"
        try:
            # stdout/stderr to /dev/null, not pipes: xclip stays running to serve the
            # selection and would hold a pipe open until it exits.
            child = subprocess.Popen(
                [sys.executable, "-c", _COPY_AND_CHECK, str(report)],
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
        return reason or f"pyperclip failed (exit {child.returncode})"


def paste_with_pyperclip(*, timeout: float = PYPERCLIP_TIMEOUT) -> str | None:
    """What the system clipboard holds, or None (for tests and diagnostics)."""
    code = "import pyperclip, sys; sys.stdout.write(pyperclip.paste())"
    try:
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                timeout=timeout, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None
