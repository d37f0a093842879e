"""Inline markdown: the one markdown-it configuration, links, runs of prose, math swapped out.

LaTeX is taken out of each paragraph before markdown-it sees it (markdown would eat its
backslashes and underscores) and put back as Unicode.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, Literal

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLinkText
from markdown_it.token import Token
from msgspec import Struct, field

from dlreader.catalog import fast_markdown
from dlreader.catalog.html import html_tag
from dlreader.catalog.mathtext import DISPLAY_MATH, INLINE_MATH, latex_to_unicode
from dlreader.catalog.titles import emojize, image_title

# Math placeholders: private-use characters markdown-it treats as plain text.
_INLINE_MARK = "\ue000"
_DISPLAY_MARK = "\ue001"
_END_MARK = "\ue002"
_PLACEHOLDER = re.compile("([\ue000\ue001])(\\d+)\ue002")
_URL_MARK = "\ue003"
_URL_PLACEHOLDER = re.compile("\ue003(\\d+)\ue002")
# Where a "$" is part of a URL, never maths: a link destination "](...)", an autolink
# "<scheme:...>", or a bare URL (linkified text).
_URL_SPAN = re.compile(r"\]\([^)\s]*(?:\([^)\s]*\)[^)\s]*)*|<[a-zA-Z][\w+.-]*:[^<>\s]*>"
                       r"|(?:https?://|www\.)[^\s<>]+", re.IGNORECASE)
# GitHub linkifies only text starting with one of these (not "setup.py" or "ML.NET").
_LINKIFY_STARTS = ("http://", "https://", "www.")
_LINKIFY_CANDIDATE = re.compile(r"https?://|www\.", re.IGNORECASE)
# A scheme, a host of plain labels, a port, then printable ASCII.
_PLAIN_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*"
                        r"(?::[0-9]{1,5})?(?:[/?#][!-~]*)?")


def _keep_link(url: str) -> str:
    # markdown-it percent-encodes and punycodes hrefs; we keep the URL as written and
    # normalize it ourselves (urls.normalize_url), so ids match what the user sees.
    return url


def _link_text(link: str) -> str:
    """markdown-it's text of a linkified URL, which only changes percent escapes, punycode
    and odd hosts: a plain URL without them is its own text (its parse and re-format
    was 7% of the seed's parse)."""
    if _PLAIN_URL.fullmatch(link) and "%" not in link and "xn--" not in link.lower():
        return link
    return normalizeLinkText(link)


def _github_linkify(md: MarkdownIt) -> None:
    """Make the linkify rule find only what GitHub does: text that starts http(s):// or www."""
    linkify = md.linkify
    if linkify is None:
        return
    match, test = linkify.match, linkify.test

    def github_match(text: str) -> Any:
        found = match(text) or []
        return [m for m in found if m.raw.lower().startswith(_LINKIFY_STARTS)] or None

    def github_test(text: str) -> bool:
        return _LINKIFY_CANDIDATE.search(text) is not None and bool(test(text))

    linkify.match = github_match
    # Its own pretest looks for any domain-like text (a third of the parse time);
    # only text with "://" or "www." can hold a link GitHub would make.
    linkify.pretest = lambda text: _LINKIFY_CANDIDATE.search(text) is not None
    linkify.test = github_test


def markdown(references: bool = True, underlines: bool = True, *,
             fast: bool = True) -> MarkdownIt:
    """The one markdown configuration used by the parser and the outline scanner.

    For text that cannot use them, the same without two block rules that are tried at
    every paragraph (a tenth of the block parse): ``references=False`` drops the
    reference definitions (none without a ``]:``), ``underlines=False`` the setext
    headings (none without a line of only ``=`` or ``-``). ``fast=False``: without
    ``fast_markdown``'s shortcuts (the reference its tests compare with).
    """
    return _configured(references, underlines, fast)


@lru_cache(maxsize=8)
def _configured(references: bool, underlines: bool, fast: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"linkify": True}).enable(["linkify", "table"])
    if not references:
        md.disable("reference")
    if not underlines:
        md.disable("lheading")
    md.normalizeLink = _keep_link  # type: ignore[method-assign]
    md.normalizeLinkText = _link_text  # type: ignore[method-assign]
    _github_linkify(md)
    if fast:
        fast_markdown.install(md)
    return md


# A line that could underline a setext heading, in any container (markdown-it's lheading
# skips only spaces and tabs around the run of "=" or "-").
_UNDERLINE = re.compile(r"^[ \t>]*(?:=+|-+)[ \t]*$", re.MULTILINE)


def block_parser(text: str) -> MarkdownIt:
    """The configuration that parses ``text`` fastest to the same tokens: a reference
    definition needs a ``]`` right before its ``:``, a setext heading an underline."""
    return markdown(references="]:" in text, underlines=_UNDERLINE.search(text) is not None)


# -- inline content ---------------------------------------------------------------------


class RawLink(Struct):
    """A link as written: ``href`` not yet resolved or normalized."""

    href: str
    text: str
    bare: bool  # an autolink or linkified URL: its text is the URL itself
    image_alt: str | None = None  # the alt text of an image inside the link
    badge: bool = False  # the link's only content is an image


class Run(Struct):
    """A stretch of one paragraph: prose (math inline converted) or one display formula."""

    kind: Literal["text", "math"]
    text: str
    line_offset: int
    links: list[RawLink] = field(default_factory=list)
    images: list[tuple[str, str]] = field(default_factory=list)  # (src, alt), not in links
    only_link: bool = False  # the run is exactly one link, give or take whitespace
    only_strong: bool = False  # all its text is bold (a label: "**Tools**")


def protect_math(content: str) -> tuple[str, list[str]]:
    """Swap ``$$..$$`` and ``$..$`` for placeholders; return the text and the formulas.

    A ``$`` inside a link destination, an autolink or a bare URL is part of the URL
    (``People?$filter=a&$top=2``): those spans are set aside first and put back as written.
    """
    formulas: list[str] = []
    if "$" not in content:
        return content, formulas
    urls: list[str] = []

    def keep_url(match: re.Match[str]) -> str:
        urls.append(match.group(0))
        return f"{_URL_MARK}{len(urls) - 1}{_END_MARK}"

    def swap(mark: str) -> Callable[[re.Match[str]], str]:
        def replace(match: re.Match[str]) -> str:
            formulas.append(match.group(1))
            return f"{mark}{len(formulas) - 1}{_END_MARK}"

        return replace

    content = _URL_SPAN.sub(keep_url, content)
    content = DISPLAY_MATH.sub(swap(_DISPLAY_MARK), content)
    content = INLINE_MATH.sub(swap(_INLINE_MARK), content)
    if urls:
        content = _URL_PLACEHOLDER.sub(lambda m: urls[int(m.group(1))], content)
    return content, formulas


def squash(text: str) -> str:
    return " ".join(text.split())


class _OpenLink(Struct):
    href: str
    start: int  # index in parts where its text starts
    bare: bool
    image_alt: str | None = None


class _RunBuilder:
    """Collects inline tokens into runs, splitting at display formulas."""

    def __init__(self, formulas: list[str]) -> None:
        self.formulas = formulas
        self.runs: list[Run] = []
        self.parts: list[str] = []
        self.links: list[RawLink] = []
        self.images: list[tuple[str, str]] = []
        self.line_offset = 0
        self.run_start = 0
        self.open_links: list[_OpenLink] = []
        self.link_count = 0
        self.other_content = False  # text outside the one link
        self.strong_depth = 0
        self.plain_text = False  # text outside bold

    def add_text(self, text: str) -> None:
        if _PLACEHOLDER.search(text) is None:
            self._append(text)
            return
        position = 0
        for match in _PLACEHOLDER.finditer(text):
            self._append(text[position : match.start()])
            formula = self.formulas[int(match.group(2))]
            if match.group(1) == _INLINE_MARK:
                self._append(latex_to_unicode(formula))
            else:
                self.flush()
                self.runs.append(Run("math", latex_to_unicode(formula), self.line_offset))
                self.line_offset += formula.count("\n")
                self.run_start = self.line_offset
            position = match.end()
        self._append(text[position:])

    def _append(self, text: str) -> None:
        if not text:
            return
        if text.strip():
            if not self.open_links:
                self.other_content = True
            if not self.strong_depth:
                self.plain_text = True
        self.parts.append(text)

    def newline(self) -> None:
        self.parts.append(" ")
        self.line_offset += 1
        if not self.parts or all(not part.strip() for part in self.parts):
            self.run_start = self.line_offset

    def strong(self, opening: bool) -> None:
        self.strong_depth = max(0, self.strong_depth + (1 if opening else -1))

    def open_link(self, href: str, bare: bool) -> None:
        self.link_count += 1
        self.open_links.append(_OpenLink(href, len(self.parts), bare))

    def close_link(self) -> None:
        if not self.open_links:
            return
        link = self.open_links.pop()
        text = emojize(squash("".join(self.parts[link.start:])))
        badge = link.image_alt is not None and not text
        self.links.append(RawLink(link.href, text, link.bare, link.image_alt, badge))

    def image(self, src: str, alt: str) -> None:
        if self.open_links:  # a badge or a logo: the link's picture, not the prose's
            if self.open_links[-1].image_alt is None:
                self.open_links[-1].image_alt = squash(alt)
            return
        self.images.append((src, alt))
        self.other_content = True

    def html(self, content: str) -> None:
        tag = html_tag(content)
        if tag is None:
            return
        if tag.name == "a" and not tag.closing and tag.attrs.get("href"):
            self.open_link(tag.attrs["href"], False)
        elif tag.name == "a" and tag.closing:
            self.close_link()
        elif tag.name == "img" and tag.attrs.get("src"):
            self.image(tag.attrs["src"], tag.attrs.get("alt", ""))
        elif tag.name == "br":
            self.newline()
        elif tag.name in ("b", "strong"):
            self.strong(not tag.closing)

    def flush(self) -> None:
        while self.open_links:  # an <a> never closed: it ends with the run
            self.close_link()
        text = emojize(squash("".join(self.parts)))
        if text or self.links or self.images:
            only_link = self.link_count == 1 and len(self.links) == 1 and not self.other_content
            only_strong = bool(text) and not self.plain_text and not self.links
            self.runs.append(Run("text", text, self.run_start, self.links, self.images,
                                 only_link, only_strong))
        self.parts = []
        self.links = []
        self.images = []
        self.link_count = 0
        self.other_content = False
        self.plain_text = False
        self.run_start = self.line_offset


def inline_runs(content: str, children: Sequence[Token] | None, env: dict[str, Any]) -> list[Run]:
    """The runs of one inline token, given its raw ``content`` and parsed ``children``.

    When the content holds math, it is re-parsed with the formulas swapped out.
    """
    protected, formulas = protect_math(content)
    if formulas:
        children = markdown().parseInline(protected, env)[0].children
    builder = _RunBuilder(formulas)
    for child in children or ():
        kind = child.type
        if kind == "text" or kind == "code_inline":
            builder.add_text(child.content)
        elif kind == "softbreak" or kind == "hardbreak":
            builder.newline()
        elif kind == "link_open":
            builder.open_link(str(child.attrs.get("href", "")), child.info == "auto" or
                              child.markup in ("autolink", "linkify"))
        elif kind == "link_close":
            builder.close_link()
        elif kind == "image":
            builder.image(str(child.attrs.get("src", "")), child.content)
        elif kind == "strong_open" or kind == "strong_close":
            builder.strong(kind == "strong_open")
        elif kind == "html_inline":
            builder.html(child.content)
    builder.flush()
    return builder.runs


# Characters that may make inline markdown differ from its plain text.
_INLINE_SYNTAX = re.compile(r"[\\`*_\[\]<>!&$~:]")


def flatten_inline(content: str, env: dict[str, Any] | None = None) -> str:
    """Plain text of inline markdown (a heading): code and links flattened, math in Unicode."""
    if _INLINE_SYNTAX.search(content) is None:
        return squash(content)  # plain text (linkified URLs keep their text as written)
    return flatten_inline_markdown(content, env)


def flatten_inline_markdown(content: str, env: dict[str, Any] | None = None) -> str:
    """``flatten_inline`` always through markdown-it (the reference for its fast path)."""
    env = {} if env is None else env
    protected, _ = protect_math(content)
    children = markdown().parseInline(protected, env)[0].children
    runs = inline_runs(content, children, env)
    text = " ".join(run.text for run in runs if run.text)
    return text or image_title(
        alt for run in runs for alt in [*(link.image_alt for link in run.links),
                                        *(alt for _, alt in run.images)])
