"""A page's title from the first bytes of its HTML: ``<title>``, else ``og:title``.

Charset-aware (the Content-Type header, then ``<meta charset>``, then UTF-8, then
Windows-1252 for pages that lie about being UTF-8), entities decoded, whitespace folded,
control and escape bytes removed. The result is still text from a stranger: it is shown
literally (never as markup) wherever it is displayed.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from html.parser import HTMLParser

from dlreader.textsafe import one_line

MAX_TITLE = 300
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", content_type, re.I)
    return match.group(1) if match else None


def _known_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(body: bytes, content_type: str | None) -> str:
    """The page's text: the declared charset when it decodes cleanly, else a fallback."""
    meta = _META_CHARSET.search(body[:4096])
    candidates = [
        _known_codec(charset_from_content_type(content_type)),
        _known_codec(meta.group(1).decode("ascii", "ignore") if meta else None),
        "utf-8",
    ]
    # A cut-off multi-byte character at the end of what was read is not a wrong charset.
    for codec in dict.fromkeys(c for c in candidates if c):
        try:
            return codecs.getincrementaldecoder(codec)(errors="strict").decode(body)
        except UnicodeDecodeError:
            continue
    return body.decode("cp1252", errors="replace")


class _TitleParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.og_title: str | None = None
        self._in_title = False
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and not self.title:
            self._in_title = True
        elif tag == "meta":
            values = dict(attrs)
            if (values.get("property") or values.get("name") or "").lower() == "og:title":
                self.og_title = values.get("content") or self.og_title
        elif tag == "body":
            self.done = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)


def title_from_html(body: bytes, content_type: str | None = None) -> str | None:
    """The title, one line and terminal-safe, or None when the page names none."""
    parser = _TitleParser()
    # html.parser gives up on some broken markup; what it read by then still counts.
    with contextlib.suppress(AssertionError, ValueError):
        parser.feed(decode_html(body, content_type))
    for candidate in ("".join(parser.title), parser.og_title or ""):
        title = one_line(candidate)
        if title:
            return title[:MAX_TITLE]
    return None
