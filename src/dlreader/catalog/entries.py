"""One entry of a list (a list item, a table row, an HTML entry) -> one item.

The rules, the same for every kind of entry: the primary link is the first http(s) link
that is not a badge; the title is its text; the description the rest of the entry's text;
the entry's other links are the item's links. Anchors (``#x``), relative links with no
base URL and other schemes are not links to an item. An entry whose links are only
anchors (a table of contents, "back to top") is no item; an entry with no link at all,
or only links that are not the web's (relative with no base URL, ftp:, mailto:), is a
citation: its text is kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from msgspec import Struct

from dlreader.catalog.model import Link
from dlreader.catalog.titles import (
    TITLE_MAX_CHARS,
    cut,
    is_navigation,
    label_kind,
    strip_navigation,
    strip_task_box,
)
from dlreader.catalog.urls import resolve_link, title_from_url

_SEPARATOR = re.compile(r"^[\s\-–—:|,·•：]+")  # "：" is the CJK lists' colon
_EMPTY_BRACKETS = re.compile(r"\(\s*[,;/|]?\s*\)|\[\s*\]")
# Words before a link that say something of it rather than name it ("by [Jane](…)").
_NOT_NAME_WORDS = frozenset({
    "a", "an", "the", "by", "see", "also", "and", "or", "via", "from", "with", "on", "in",
    "at", "for", "of", "to", "read", "watch", "try", "use", "new", "old", "free", "paid",
    "deprecated", "archived", "unmaintained", "official", "unofficial", "more",
})
_BRACKETED = re.compile(r"[(\[][^()\[\]]*[)\]]")
# "[270⭐] - Maps": a leading tag (stars, a crate) before the separator keeps the tag.
_TAG_SEPARATOR = re.compile(r"^(\[[^\[\]]{1,24}\])\s*[-–—:|：]\s*")


class AnyLink(Protocol):
    """A link as markdown or HTML gave it (inline.RawLink, html.HtmlLink)."""

    href: str
    text: str
    image_alt: str | None

    @property
    def badge(self) -> bool: ...


class EntryItem(Struct):
    url: str | None
    title: str
    description: str
    links: tuple[Link, ...]
    id_text: str  # what a citation's id comes from: its whole text, as before titles


def link_title(link: AnyLink, url: str) -> str:
    """A link's title: its text, else its image's alt text, else the URL made readable."""
    text = link.text.strip()
    if text and text != link.href.strip() and not text.lower().startswith(("http://", "https://")):
        return text
    return (link.image_alt or "").strip() or title_from_url(url)


def web_links(links: Sequence[AnyLink], base_url: str | None) -> list[tuple[AnyLink, str]]:
    """The links that go to an http(s) page, each with its normalized URL."""
    found = []
    for link in links:
        url = resolve_link(link.href, base_url)
        if url is not None:
            found.append((link, url))
    return found


def secondary_links(pairs: Sequence[tuple[AnyLink, str]], primary: str | None) -> tuple[Link, ...]:
    seen = {primary}
    links = []
    for link, url in pairs:
        if url not in seen:
            seen.add(url)
            links.append(Link(link_title(link, url), url))
    return tuple(links)


def split_title(title: str, description: str) -> tuple[str, str]:
    """A title of at most TITLE_MAX_CHARS; what is cut off starts the description."""
    title, rest = cut(title, TITLE_MAX_CHARS)
    if rest:
        description = f"{rest} {description}".strip()
    return title, description


def clean_description(text: str) -> str:
    text = _EMPTY_BRACKETS.sub("", text)
    text = _SEPARATOR.sub("", " ".join(text.split())).strip()
    return _TAG_SEPARATOR.sub(r"\1 ", text)


def _named_title(text: str, link: AnyLink, url: str, *, only_link: bool = False
                 ) -> tuple[str, str]:
    """(title, the rest of the entry's text) for an entry whose primary link is ``link``.

    The link's text names the entry, unless it only says what kind of page it is ("[pdf]",
    "Code") after the entry's own name, or is a word of a sentence ("go [here](…)")."""
    title = link_title(link, url)
    name = link.text.strip()
    at = text.find(name) if name else -1
    kind = label_kind(name) if at > 0 else None
    if kind == "kind":
        before = text[:at].rstrip(" [(,;:–—-")
        if any(c.isalnum() for c in before):
            return before, text[at + len(name):].lstrip(" ])")
    elif kind == "deictic":
        return text, ""
    elif at > 0 and only_link and _is_short_name(text, at, len(name)):
        return " ".join(text.split()), ""  # "Facebook [Group](…)", "Slack [GDG Sydney](…)"
    # After the name: the description. A name inside a sentence: the whole sentence.
    rest = text[len(name):] if name and text.startswith(name) else text
    if rest.strip() == title:
        rest = ""
    return title, rest


def _is_short_name(text: str, at: int, length: int) -> bool:
    """Is an entry's whole text a name of a few words ending in its link (at ``at``), so
    the plain words before the link are part of the name ("Slack [GDG Sydney](…)"), not a
    mark, a label or a sentence ("🔥", "`v2`", "by", "Also see")?"""
    before = text[:at].split()
    return len(text) <= 48 and len(text.split()) <= 4 and not text[at + length:].strip() \
        and all(word.isalpha() and word.casefold() not in _NOT_NAME_WORDS for word in before)


def _is_anchor(link: AnyLink) -> bool:
    return link.href.strip().startswith("#") or not link.href.strip()


def entry_item(
    text: str, links: Sequence[AnyLink], base_url: str | None = None
) -> EntryItem | None:
    """The item an entry makes, or None (no item: navigation, anchors only, nothing)."""
    id_text = text
    text = strip_navigation(strip_task_box(text.strip()))
    if is_navigation(id_text):
        return None
    pairs = web_links(links, base_url)
    primary = next(((link, url) for link, url in pairs if not link.badge), None)
    if primary is None and pairs and text:
        primary = pairs[0]  # only badges, but text of its own: the text is the title
    if primary is None:
        if not text or (links and all(_is_anchor(link) or link.badge for link in links)):
            return None  # a table of contents, a badge, or nothing at all
        title, description = split_title(text, "")
        return EntryItem(None, title, description, (), id_text)
    link, url = primary
    if link.badge:
        title, rest = text, ""
    else:
        title, rest = _named_title(text, link, url, only_link=len(pairs) == 1)
    link_texts = [link.text.strip() for link, _ in pairs if link.text.strip()]
    title, description = split_title(title, clean_description(
        _without_link_groups(rest, link_texts)))
    others = secondary_links(pairs, url)
    if description and _only_link_texts(description, [link.title for link in others]):
        description = ""  # "[[code](…)]" after a paper: its link, listed in Details
    return EntryItem(url, title, description, others, id_text)


def _without_link_groups(text: str, link_texts: Sequence[str]) -> str:
    """Without the brackets that hold only links that say what kind of page they are
    ("([Source Code](…), [Demo](…))"), or only links before the description ("[[woxi](…)]
    - A crate"): they are listed in Details, and were noise in the row. A link in prose
    ("(RFC 8628)", "(CNTK)") stays, as it is part of the sentence."""
    text = text.lstrip()
    # (Past a few dozen links an entry is no entry but a page of them: links x groups.)
    if not link_texts or len(link_texts) > 32 or ("(" not in text and "[" not in text):
        return text

    def without(group: re.Match[str]) -> str:
        inside = group[0][1:-1]
        present = [link_text for link_text in link_texts if link_text in inside]
        if present and _only_link_texts(inside, present) and (group.start() == 0 or all(
                label_kind(link_text) == "kind" for link_text in present)):
            return " "
        return group[0]

    return _BRACKETED.sub(without, text)


def _only_link_texts(text: str, link_texts: Sequence[str]) -> bool:
    """Is ``text`` nothing but ``link_texts`` and punctuation?"""
    for link_text in link_texts:
        text = text.replace(link_text, " ")
    return not any(ch.isalnum() for ch in text)
