"""Make text from the list or the user safe to put on a terminal.

Titles, notes, passages and URLs are shown literally (``rich.text.Text``, never markup),
and control characters are removed first: an ESC byte in a title must not reach the
terminal as the start of an escape sequence.
"""

from __future__ import annotations

import re

# C0 except tab and newline, DEL, and C1 (which includes the 8-bit CSI).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_WHITESPACE = re.compile(r"\s+")


def strip_control(text: str) -> str:
    """The text without control characters; newlines and tabs are kept."""
    return _CONTROL.sub("", text)


def one_line(text: str) -> str:
    """The text without control characters, its whitespace runs folded to one space."""
    return _WHITESPACE.sub(" ", strip_control(text)).strip()
