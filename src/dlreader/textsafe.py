"""Make text from the list or the user safe to put on a terminal, and fit for the store.

Titles, notes, passages and URLs are shown literally (``rich.text.Text``, never markup),
and control characters are removed first: an ESC byte in a title must not reach the
terminal as the start of an escape sequence. The CLI writes through ``TerminalWriter``
and ``json_text``; what enters the store passes ``store_text_problem`` (refused with a
message) or ``clean_store_text`` (editors). See docs/CONTRACTS.md, "Text safety".
"""

from __future__ import annotations

import os
import re
from typing import TextIO

# C0 except tab and newline, DEL, and C1 (which includes the 8-bit CSI).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_WHITESPACE = re.compile(r"\s+")


def wants_plain(stream: TextIO) -> bool:
    """Plain text only (no colour, no cursor movement): the stream is not a terminal,
    ``NO_COLOR`` is set (no-color.org) or ``TERM=dumb``. Textual and Rich honour NO_COLOR
    for colours themselves; this decides whether to draw at all."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return True
    try:
        return not stream.isatty()
    except (AttributeError, ValueError):
        return True


def plural(count: int, noun: str) -> str:
    """``1 item``, ``2 items``: the one pluralising helper of messages."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def strip_control(text: str) -> str:
    """The text without control characters; newlines and tabs are kept."""
    return _CONTROL.sub("", text)


def one_line(text: str) -> str:
    """The text without control characters, its whitespace runs folded to one space."""
    return _WHITESPACE.sub(" ", strip_control(text)).strip()


# -- output: the one sanitiser for text that reaches a terminal -----------------------------

# What json.dumps(ensure_ascii=False) leaves raw: DEL and C1 (8-bit CSI is U+009B). They can
# only stand inside JSON strings, where their \u escape means the same text.
_JSON_RAW_CONTROL = re.compile("[\x7f-\x9f]")


def terminal_text(text: str) -> str:
    """What may be written to a terminal: ``strip_control``. Every CLI output uses it."""
    return strip_control(text)


def json_text(value: object, *, indent: int | None = 2) -> str:
    """``json.dumps(ensure_ascii=False)``'s text, with every control escaped.

    Made by msgspec (C, already a dependency): the standard library's encoder is pure
    Python as soon as it indents, a sixth of ``dlreader dump`` on a big list. The text is
    json.dumps's for strings, numbers, lists and dicts but for a float's exponent
    (``1e-7``, not ``1e-07``); what msgspec cannot encode goes through json.dumps.
    """
    return json_bytes(value, indent=indent).decode("utf-8", "surrogatepass")


def json_bytes(value: object, *, indent: int | None = 2) -> bytes:
    """``json_text`` in UTF-8, made without a copy as ``str`` (dump: 8 MB of it)."""
    import msgspec

    try:
        # (indent 0: one line with json.dumps's ", " and ": ")
        encoded = msgspec.json.format(msgspec.json.encode(value), indent=indent or 0)
    except (TypeError, ValueError, UnicodeError, OverflowError):
        import json

        encoded = json.dumps(value, ensure_ascii=False, indent=indent).encode(
            "utf-8", "surrogatepass")
    # DEL is b"\x7f" in UTF-8 and every C1 control starts with b"\xc2": most JSON has
    # neither byte, and the search for one is a fraction of a regex pass over the text.
    if b"\x7f" not in encoded and b"\xc2" not in encoded:
        return encoded
    text = encoded.decode("utf-8", "surrogatepass")
    text = _JSON_RAW_CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
    return text.encode("utf-8", "surrogatepass")


def print_json(value: object, stream: TextIO) -> None:
    """``print(json_text(value), file=stream)``; to a ``TerminalWriter``, by its
    ``write_json``."""
    if isinstance(stream, TerminalWriter):
        stream.write_json(value)
    else:
        print(json_text(value), file=stream)


class TerminalWriter:
    """A text stream that passes everything written through ``terminal_text``.

    The CLI's stdout and stderr are wrapped in it, so no command can print an escape
    sequence from a list, a note or someone else's file, whatever it forgets.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(terminal_text(text))

    def write_json(self, value: object) -> None:
        """``value``'s ``json_text`` and a newline. To a UTF-8 stream as bytes, straight
        to its buffer: json_bytes escapes every control, so there is nothing to strip
        (and the 8 MB of a big dump are neither decoded, scanned nor encoded again)."""
        buffer = getattr(self.stream, "buffer", None)
        encoding = str(getattr(self.stream, "encoding", "")).lower().replace("-", "")
        if buffer is None or encoding != "utf8":
            print(json_text(value), file=self)
            return
        self.stream.flush()
        buffer.write(json_bytes(value) + b"\n")

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()


# -- input: what enters the store -----------------------------------------------------------


def control_characters(text: str) -> list[str]:
    """The control characters (newline and tab allowed) in ``text``, as ``U+001B`` ..."""
    return sorted({f"U+{ord(char):04X}" for char in _CONTROL.findall(text)})


def is_encodable(text: str) -> bool:
    """False for text holding lone surrogates (from a ``\\ud800`` escape or a non-UTF-8
    argument), which no file can hold as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def store_text_problem(text: str) -> str | None:
    """Why ``text`` may not enter the store (a note, title, id), or None if it may.

    The rule: UTF-8 text without control characters, except newline and tab.
    """
    if not is_encodable(text):
        return "is not valid UTF-8 text"
    found = control_characters(text)
    if found:
        return (f"holds control characters ({', '.join(found[:5])}); only newline and tab "
                "are allowed")
    return None


def unix_newlines(text: str) -> str:
    """CR LF and lone CR become LF: the line endings of the store and the parser."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def markdown_source(text: str) -> str:
    """A list's text as the parsers read it: LF line endings, NUL as U+FFFD (CommonMark)."""
    return unix_newlines(text).replace("\x00", "\ufffd")


def clean_store_text(text: str) -> str:
    """``text`` made fit for the store: CR LF and CR become newlines, other control
    characters and invalid UTF-8 are dropped (for editors, where refusing would lose work)."""
    text = unix_newlines(text)
    if not is_encodable(text):
        text = text.encode("utf-8", "ignore").decode("utf-8")
    return strip_control(text)
# Emoji parts whose width Rich and terminals disagree on: VS16 (Rich counts "❤️" as one
# cell, terminals draw two), the zero-width joiner of emoji sequences (one glyph in some
# terminals, several in others) and skin-tone modifiers. Without them every terminal
# draws what Rich measured, so no border moves.
_WIDTH_AMBIGUOUS = re.compile("[\ufe0f\u200d\U0001f3fb-\U0001f3ff]")


def fit_cells(text: str) -> str:
    """The text without the emoji parts whose cell width is ambiguous."""
    return text if text.isascii() else _WIDTH_AMBIGUOUS.sub("", text)


def display_line(text: str) -> str:
    """``one_line`` for the screen: also drawn in exactly the cells Rich measures."""
    return fit_cells(one_line(text))


def display_text(text: str) -> str:
    """``strip_control`` for the screen: also drawn in exactly the cells Rich measures."""
    return fit_cells(strip_control(text))
