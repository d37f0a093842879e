"""Inline markdown: the one markdown-it configuration, links, runs of prose, math swapped out.

LaTeX is taken out of each paragraph before markdown-it sees it (markdown would eat its
backslashes and underscores) and put back as Unicode.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from dlreader.catalog.mathtext import DISPLAY_MATH, INLINE_MATH, latex_to_unicode

# Math placeholders: private-use characters markdown-it treats as plain text.
_INLINE_MARK = "\ue000"
_DISPLAY_MARK = "\ue001"
_END_MARK = "\ue002"
_PLACEHOLDER = re.compile("([\ue000\ue001])(\\d+)\ue002")
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_IMG_ATTR = re.compile(r"""\b(src|alt)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)


def _keep_link(url: str) -> str:
    # markdown-it percent-encodes and punycodes hrefs; we keep the URL as written and
    # normalize it ourselves (urls.normalize_url), so ids match what the user sees.
    return url


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    """The one markdown configuration used by the parser and the outline scanner."""
    md = MarkdownIt("commonmark", {"linkify": True}).enable(["linkify", "table"])
    md.normalizeLink = _keep_link  # type: ignore[method-assign]
    return md


# -- inline content ---------------------------------------------------------------------


@dataclass(slots=True)
class Link:
    href: str
    text: str
    bare: bool  # an autolink or linkified URL: its text is the URL itself


@dataclass(slots=True)
class Run:
    """A stretch of one paragraph: prose (math inline converted) or one display formula."""

    kind: str  # "text" or "math"
    text: str
    line_offset: int
    links: list[Link] = field(default_factory=list)
    images: list[tuple[str, str]] = field(default_factory=list)  # (src, alt)
    only_link: bool = False  # the run is exactly one link, give or take whitespace


def protect_math(content: str) -> tuple[str, list[str]]:
    """Swap ``$$..$$`` and ``$..$`` for placeholders; return the text and the formulas."""
    formulas: list[str] = []
    if "$" not in content:
        return content, formulas

    def swap(mark: str) -> Callable[[re.Match[str]], str]:
        def replace(match: re.Match[str]) -> str:
            formulas.append(match.group(1))
            return f"{mark}{len(formulas) - 1}{_END_MARK}"

        return replace

    content = DISPLAY_MATH.sub(swap(_DISPLAY_MARK), content)
    content = INLINE_MATH.sub(swap(_INLINE_MARK), content)
    return content, formulas


def _squash(text: str) -> str:
    return " ".join(text.split())


class _RunBuilder:
    """Collects inline tokens into runs, splitting at display formulas."""

    def __init__(self, formulas: list[str]) -> None:
        self.formulas = formulas
        self.runs: list[Run] = []
        self.parts: list[str] = []
        self.links: list[Link] = []
        self.images: list[tuple[str, str]] = []
        self.line_offset = 0
        self.run_start = 0
        self.open_links: list[tuple[str, int, bool]] = []  # href, parts index, bare
        self.link_count = 0
        self.other_content = False  # text outside the one link

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
        if not self.open_links and text.strip():
            self.other_content = True
        self.parts.append(text)

    def newline(self) -> None:
        self.parts.append(" ")
        self.line_offset += 1
        if not self.parts or all(not part.strip() for part in self.parts):
            self.run_start = self.line_offset

    def open_link(self, href: str, bare: bool) -> None:
        self.link_count += 1
        self.open_links.append((href, len(self.parts), bare))

    def close_link(self) -> None:
        if not self.open_links:
            return
        href, start, bare = self.open_links.pop()
        self.links.append(Link(href, _squash("".join(self.parts[start:])), bare))

    def image(self, src: str, alt: str) -> None:
        self.images.append((src, alt))
        self.other_content = True

    def flush(self) -> None:
        text = _squash("".join(self.parts))
        if text or self.links or self.images:
            only_link = self.link_count == 1 and len(self.links) == 1 and not self.other_content
            self.runs.append(
                Run("text", text, self.run_start, self.links, self.images, only_link)
            )
        self.parts = []
        self.links = []
        self.images = []
        self.link_count = 0
        self.other_content = False
        self.run_start = self.line_offset


def html_images(html: str) -> Iterator[tuple[str, str]]:
    for tag in _IMG_TAG.finditer(html):
        attrs = {}
        for match in _IMG_ATTR.finditer(tag.group(0)):
            attrs[match.group(1).lower()] = next(g for g in match.groups()[1:] if g is not None)
        if attrs.get("src"):
            yield attrs["src"], attrs.get("alt", "")


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
        elif kind == "html_inline":
            for src, alt in html_images(child.content):
                builder.image(src, alt)
    builder.flush()
    return builder.runs


# Characters that may make inline markdown differ from its plain text.
_INLINE_SYNTAX = re.compile(r"[\\`*_\[\]<>!&$~]")


def flatten_inline(content: str, env: dict[str, Any] | None = None) -> str:
    """Plain text of inline markdown (a heading): code and links flattened, math in Unicode."""
    if _INLINE_SYNTAX.search(content) is None:
        return _squash(content)  # plain text (linkified URLs keep their text as written)
    return flatten_inline_markdown(content, env)


def flatten_inline_markdown(content: str, env: dict[str, Any] | None = None) -> str:
    """``flatten_inline`` always through markdown-it (the reference for its fast path)."""
    env = {} if env is None else env
    protected, _ = protect_math(content)
    children = markdown().parseInline(protected, env)[0].children
    runs = inline_runs(content, children, env)
    return " ".join(run.text for run in runs if run.text)

