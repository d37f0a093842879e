"""Editing a note in the user's ``$VISUAL`` / ``$EDITOR`` (the app suspends around it)."""

from __future__ import annotations

import shlex
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from dlreader.textsafe import clean_store_text, unix_newlines


class EditorError(Exception):
    """The editor could not be started or failed; the note is unchanged."""


def editor_command(env: Mapping[str, str]) -> list[str]:
    for variable in ("VISUAL", "EDITOR"):
        value = env.get(variable, "").strip()
        if value:
            try:
                words = shlex.split(value)
            except ValueError as error:
                raise EditorError(f"${variable} is not a valid command: {error}") from None
            if words:
                return words
    return ["vi"]


def edit_in_editor(text: str, env: Mapping[str, str]) -> str:
    """Run the editor on a temporary markdown file holding ``text``; return what it saved.

    A non-zero exit keeps the old note (raises ``EditorError``). One trailing newline,
    which editors add, is removed when the original had none.
    """
    command = editor_command(env)
    with tempfile.TemporaryDirectory(prefix="dlreader-note-") as directory:
        path = Path(directory) / "note.md"
        path.write_text(text, encoding="utf-8")
        try:
            result = subprocess.run([*command, str(path)], env=dict(env), check=False)
        except OSError as error:
            raise EditorError(f"could not start the editor {command[0]!r}: {error}") from None
        if result.returncode != 0:
            raise EditorError(f"the editor {command[0]!r} exited with {result.returncode}; "
                              "the note is unchanged")
        edited = path.read_text(encoding="utf-8", errors="replace")
    if edited.endswith("\n") and not text.endswith("\n"):
        edited = edited[:-1]
    return edited


def fit_for_store(edited: str) -> tuple[str, bool]:
    """The edited note under the store's text rule, and whether control characters (or
    invalid UTF-8) had to be removed; CR LF and CR silently become LF."""
    lines = unix_newlines(edited)
    cleaned = clean_store_text(lines)
    return cleaned, cleaned != lines
