"""Tags and own titles as the user types them, made fit for the store.

Both are one line of text: the store's text rule (dlreader.textsafe) plus no newlines
or runs of blanks, so a tag reads the same in a row, a filter and an export.
"""

from __future__ import annotations

from dlreader.errors import UsageError
from dlreader.textsafe import store_text_problem

TAG_LIMIT = 40
TITLE_LIMIT = 300


def _one_line(text: str, what: str, limit: int) -> str:
    problem = store_text_problem(text)
    if problem is not None:
        raise UsageError(f"the {what} {problem}")
    cleaned = " ".join(text.split())
    if len(cleaned) > limit:
        raise UsageError(f"a {what} is at most {limit} characters")
    return cleaned


def clean_tag(text: str) -> str:
    """One tag, trimmed and with its blanks collapsed; ``UsageError`` if it cannot be one."""
    tag = _one_line(text, "tag", TAG_LIMIT)
    if not tag:
        raise UsageError("a tag cannot be empty")
    return tag


def clean_title(text: str) -> str:
    """The user's own title for an item ("" gives the list's title back)."""
    return _one_line(text, "title", TITLE_LIMIT)


def parse_tags(text: str) -> list[str]:
    """Tags typed in one field, separated by commas or blanks: ``"ml, to-read"``."""
    return list(dict.fromkeys(clean_tag(part) for part in text.replace(",", " ").split()))

