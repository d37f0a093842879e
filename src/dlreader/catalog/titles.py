"""What a list's text looks like as a title: emoji shortcodes, task boxes, length limits."""

from __future__ import annotations

import re
from functools import lru_cache

# No title is longer than this; the rest of it goes to the description.
TITLE_MAX_CHARS = 160
# A quoted passage's item is titled by its first sentence, at most this long.
QUOTE_TITLE_CHARS = 120

_SHORTCODE = re.compile(r":[a-zA-Z0-9_+\-]+:")
_TASK_BOX = re.compile(r"^\[[ xX]\]\s+")
# Navigation text an author leaves at an entry's end: "[TOC]", "⬆ back to top".
_TRAILING_NAVIGATION = re.compile(
    r"\s*(?:\[TOC\]|[⬆↑^]?\s*(?:back to (?:top|contents)|返回顶部|top)\s*[⬆↑^]?)\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+(?=\S)")


@lru_cache(maxsize=1)
def _emoji_module():  # type: ignore[no-untyped-def]
    import emoji

    return emoji


def emojize(text: str) -> str:
    """``:black_small_square:`` and the other GitHub shortcodes as the emoji they name."""
    if ":" not in text or _SHORTCODE.search(text) is None:
        return text
    return str(_emoji_module().emojize(text, language="alias"))


def strip_task_box(text: str) -> str:
    """Without a leading ``[ ]`` / ``[x]`` task box."""
    return _TASK_BOX.sub("", text) if text.startswith("[") else text


# What navigation text ends with (the regex only runs on text ending so).
_NAVIGATION_ENDS = ("top", "contents", "[toc]", "顶部", "⬆", "↑", "^")


def strip_navigation(text: str) -> str:
    """Without a trailing ``[TOC]`` or back-to-top text."""
    if not text or not text.rstrip().lower().endswith(_NAVIGATION_ENDS):
        return text
    return _TRAILING_NAVIGATION.sub("", text)


def is_navigation(text: str) -> bool:
    """Is the text only navigation ("back to top", "[TOC]")?"""
    return bool(text.strip()) and not strip_navigation(text).strip(" ⬆↑^*_")


def cut(text: str, limit: int) -> tuple[str, str]:
    """(head, rest): ``head`` at most ``limit`` characters, cut at a word, "…" if cut."""
    if len(text) <= limit:
        return text, ""
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return head.rstrip() + "…", text[len(head):].strip()


def first_sentence(text: str, limit: int = QUOTE_TITLE_CHARS) -> str:
    """The text's first sentence, cut to ``limit`` characters."""
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0]
    return cut(sentence, limit)[0]
