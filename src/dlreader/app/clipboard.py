"""Copying text: the system clipboard through pyperclip, within a time limit.

The app falls back to the terminal's OSC 52 (``App.copy_to_clipboard``) when this
returns a reason instead of None; this module itself never touches Textual.
"""

from __future__ import annotations

import threading

PYPERCLIP_TIMEOUT = 2.0


def copy_with_pyperclip(text: str, *, timeout: float = PYPERCLIP_TIMEOUT) -> str | None:
    """Copy ``text`` with pyperclip. None on success, else why it did not work.

    pyperclip runs in a daemon thread: a clipboard tool that hangs (an X server that
    never answers) costs at most ``timeout`` seconds and is then abandoned.
    """
    outcome: list[str | None] = []

    def copy() -> None:
        try:
            import pyperclip

            pyperclip.copy(text)
        except Exception as error:  # pyperclip raises its own and OS errors alike
            outcome.append(f"{type(error).__name__}: {error}".strip(": ") or "failed")
        else:
            outcome.append(None)

    worker = threading.Thread(target=copy, name="dlreader-clipboard", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        return f"the clipboard tool did not answer within {timeout:g} s"
    return outcome[0] if outcome else "failed"


def paste_with_pyperclip(*, timeout: float = PYPERCLIP_TIMEOUT) -> str | None:
    """What the system clipboard holds, or None (for tests and diagnostics)."""
    result: list[str] = []

    def paste() -> None:
        try:
            import pyperclip

            result.append(pyperclip.paste())
        except Exception:
            pass

    worker = threading.Thread(target=paste, name="dlreader-paste", daemon=True)
    worker.start()
    worker.join(timeout)
    return result[0] if result else None
