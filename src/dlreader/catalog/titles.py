"""What a list's text looks like as a title: emoji shortcodes, task boxes, length limits."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

# No title is longer than this; the rest of it goes to the description.
TITLE_MAX_CHARS = 160
# A quoted passage's item is titled by its first sentence, at most this long.
QUOTE_TITLE_CHARS = 120

_SHORTCODE = re.compile(r":[a-zA-Z0-9_+\-]+:")
_TASK_BOX = re.compile(r"^\[[ xX]\]\s+")
# Navigation text an author leaves at an entry's end: "[TOC]", "⬆ back to top".
# "top" only as navigation: after "back to"/"go to", an arrow, or alone ("Desktop", "Stop"
# and "a spinning top" keep theirs).
_TRAILING_NAVIGATION = re.compile(
    r"\s*(?:\[TOC\]|(?:[⬆↑^]\ufe0f?)?\s*(?:\b(?:back|go) to (?:the )?(?:top|contents)|返回顶部)"
    r"\s*(?:[⬆↑^]\ufe0f?)?|[⬆↑^]\ufe0f?\s*top\s*(?:[⬆↑^]\ufe0f?)?|^\s*top\s*(?:[⬆↑^]\ufe0f?)?)"
    r"\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+(?=\S)")

# Link texts that say what kind of page a link is, not what it is about: after a paper's
# name ("**Dropout** (2014) [[pdf]](…)") the name is the entry's title.
_KIND_LABELS = frozenset({
    "pdf", "paper", "arxiv", "abs", "abstract", "html", "web", "website", "site", "page",
    "homepage", "project", "link", "url", "code", "source", "github", "gitlab", "repo",
    "repository", "demo", "video", "slides", "talk", "blog", "post", "article", "doc",
    "docs", "documentation", "download", "preprint", "pub", "publication", "notes", "bib",
    "bibtex", "chat", "discussion", "forum", "discord", "slack", "wiki", "mirror",
    "source code", "project page", "web page", "blog post", "official",
})
# Link texts that are a word of the sentence around them ("… go [here](…).").
# ("link" alone is a kind of page, above: "Dropout [link]" is titled Dropout.)
_DEICTIC_LABELS = frozenset({"here", "this", "this link", "click here", "this one"})
# Headings that head a table of contents, never a list's name.
_CONTENTS_HEADINGS = frozenset({
    "contents", "content", "table of contents", "table of content", "toc", "index",
    "目录", "目錄", "索引",
})
_EDGE_SYMBOLS = re.compile(r"^[\W_]+|[\W_]+$")
# A table's first cell that is a date or a number ("2023-05", "12", "2021/3"), not a name.
_DATA_CELL = re.compile(r"^[\d\s./:\-–—]+$")


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
_NAVIGATION_ENDS = ("top", "contents", "[toc]", "顶部", "⬆", "↑", "^", "\ufe0f")


def strip_navigation(text: str) -> str:
    """Without a trailing ``[TOC]`` or back-to-top text."""
    if not text or not text.rstrip().lower().endswith(_NAVIGATION_ENDS):
        return text
    return _TRAILING_NAVIGATION.sub("", text)


def is_navigation(text: str) -> bool:
    """Is the text only navigation ("back to top", "[TOC]")?"""
    return bool(text.strip()) and not strip_navigation(text).strip(" ⬆↑^*_\ufe0f")


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


def label_kind(text: str) -> str | None:
    """"kind" for a link text naming the kind of page ("[pdf]", "Code"), "deictic" for
    one that is a word of its sentence ("here"), else None (a name)."""
    label = " ".join(text.strip(" []()").casefold().split())
    if label in _KIND_LABELS:
        return "kind"
    if label in _DEICTIC_LABELS:
        return "deictic"
    return None


def is_data_cell(text: str) -> bool:
    """Is a table cell a date or a number rather than a name?"""
    return _DATA_CELL.match(text) is not None


def sentence_with(text: str, words: str) -> str:
    """The first sentence of ``text`` that holds ``words`` (else the whole text)."""
    for sentence in _SENTENCE_END.split(text):
        if words in sentence:
            return sentence
    return text


def image_title(alts: Iterable[str | None]) -> str:
    """The title of a heading that is only images (a logo, "# ![Awesome](logo.svg)"): the
    first image's alt text, as a screen reader reads it ("" if none has one)."""
    return next((" ".join(alt.split()) for alt in alts if alt and alt.strip()), "")


def is_contents_heading(title: str) -> bool:
    """Does the heading head a table of contents ("## 💢 Table of Contents", "Index")?"""
    return _EDGE_SYMBOLS.sub("", " ".join(title.casefold().split())) in _CONTENTS_HEADINGS


def list_name(headings: list[tuple[str, int]], file_name: str, logo: str = "") -> str:
    """A list's name from its headings ((title, level), in order), as a reader names it:
    its one H1; with several H1s (sections), a heading above them all, else the first H1;
    with none, the first heading unless a later one outranks it (a tagline in an ``<h4>``
    over ``##`` sections is no name) or is its peer (it is the first section), where the
    ``logo`` the list opens with names it (sindresorhus' lists put their name in its alt
    text); else the file's name. "Contents" is never a name."""
    named = [(title, level) for title, level in headings if not is_contents_heading(title)]
    h1s = [title for title, level in named if level == 1]
    if len(h1s) > 1 and named[0][1] > 1:
        return named[0][0]
    if h1s:
        return h1s[0]
    levels = [level for _, level in named]
    titled = bool(named) and levels[0] <= min(levels)
    if logo and (not titled or levels.count(levels[0]) > 1):
        return logo
    return named[0][0] if titled else file_name
