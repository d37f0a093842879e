"""HTML in a list: tags read with the standard library's parser, never with regexes.

``html_tag`` reads one inline tag (``<a href>``, ``</a>``, ``<img>``, ``<br>``);
``HtmlReader`` reads HTML blocks into entries, headings and ``<details>`` boundaries,
keeping its state across blocks (a ``<details>`` opened in one block is closed in a later
one, with markdown between). Entities are decoded; comments, scripts and styles ignored.
"""

from __future__ import annotations

from html.parser import HTMLParser

from msgspec import Struct, field

from dlreader.catalog.titles import emojize, image_title


class HtmlTag(Struct):
    name: str
    closing: bool
    attrs: dict[str, str]


class _TagReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[HtmlTag] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(HtmlTag(tag, False, {k: v or "" for k, v in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.tags.append(HtmlTag(tag, True, {}))


def html_tag(content: str) -> HtmlTag | None:
    """The one tag an inline-HTML token holds (a comment or junk: None)."""
    if not content.startswith("<") or content.startswith("<!"):
        return None
    reader = _TagReader()
    reader.feed(content)
    reader.close()
    return reader.tags[0] if reader.tags else None


def html_images(content: str) -> list[tuple[str, str]]:
    """(src, alt) of every ``<img>`` in the HTML."""
    reader = _TagReader()
    reader.feed(content)
    reader.close()
    return [(tag.attrs["src"], tag.attrs.get("alt", "")) for tag in reader.tags
            if tag.name == "img" and not tag.closing and tag.attrs.get("src")]


class HtmlLink(Struct):
    href: str
    text: str
    image_alt: str | None

    @property
    def badge(self) -> bool:
        return self.image_alt is not None and not self.text


class HtmlEntry(Struct):
    """One entry of an HTML block: its text (links' text included) and links, in order."""

    text: str
    links: list[HtmlLink] = field(default_factory=list)
    images: list[tuple[str, str]] = field(default_factory=list)  # not inside a link
    summary: bool = False  # the <summary> of a <details>
    strong: bool = False  # all its text is bold


# Tags that end one entry and start the next.
_ENTRY_BREAKS = frozenset({
    "p", "li", "br", "div", "tr", "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody",
    "hr", "blockquote", "section", "article", "header", "footer", "center", "pre",
})
# What a link may wrap whole, as sponsors' cards do (<a><div><img></div><b>Name</b></a>):
# inside an open link these do not end the entry.
_CARD_BLOCKS = frozenset({"div", "p", "picture"})
_CARD_TEXT_CHARS = 200  # more text than a card's name: an <a> left unclosed
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_IGNORED = frozenset({"script", "style", "template"})


class HtmlSink:
    """What an HtmlReader reports to (the walker implements it)."""

    def html_entry(self, entry: HtmlEntry) -> None: ...
    def html_heading(self, level: int, title: str) -> None: ...
    def details_open(self) -> None: ...
    def details_close(self) -> None: ...


class HtmlReader(HTMLParser):
    """Reads a list's HTML blocks, one ``feed`` per block, reporting to a sink."""

    def __init__(self, sink: HtmlSink) -> None:
        super().__init__(convert_charrefs=True)
        self.sink = sink
        self._parts: list[str] = []
        self._links: list[HtmlLink] = []
        self._images: list[tuple[str, str]] = []
        self._open_link: tuple[str, int] | None = None  # href, parts index
        self._link_alt: str | None = None
        self._link_title: str | None = None  # the <a title="...">, for a badge's name
        self._heading: int | None = None
        self._card_depth = 0  # blocks open inside the open link (a sponsor's card)
        self._ignored = 0
        self._summary = False
        self._bold = 0
        self._plain = False

    def read(self, content: str) -> None:
        """One HTML block. What it leaves open (an unclosed comment or tag) ends with it;
        only ``<details>`` (the sink's) carries on to the next block."""
        self.feed(content)
        self.close()
        self._flush()  # a block's text never runs into the markdown after it
        self.reset()
        self._ignored = self._bold = 0

    def parse_html_declaration(self, i: int) -> int:
        # Python's parser raises AssertionError on a malformed "<![" (it expects a name):
        # -1 ("incomplete") makes it read the rest of the block as text at close().
        try:
            return super().parse_html_declaration(i)
        except AssertionError:
            return -1

    # -- the parser's callbacks ---------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag in _IGNORED:
            self._ignored += 1
        elif tag == "a":
            self._close_link()
            if values.get("href"):
                self._open_link = (values["href"], len(self._parts))
                self._link_alt = None
                self._link_title = values.get("title") or None
        elif tag == "img":
            self._image(values.get("src", ""), values.get("alt", ""))
        elif tag in ("b", "strong"):
            self._bold += 1
        elif tag in _HEADINGS:
            self._flush()
            self._heading = _HEADINGS[tag]
        elif tag == "details":
            self._flush()
            self.sink.details_open()
        elif tag == "summary":
            self._flush()
            self._summary = True
        elif tag in _ENTRY_BREAKS:
            if self._opens_card(tag):
                self._card_depth += 1
            elif not (tag == "br" and self._heading is not None and not self._links
                      and not "".join(self._parts).strip()):  # <h1><br><img alt=…></h1>
                self._flush()
        elif tag in ("td", "th"):
            self._parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "a":
            self._close_link()

    def handle_endtag(self, tag: str) -> None:
        if tag in _IGNORED:
            self._ignored = max(0, self._ignored - 1)
        elif tag == "a":
            self._close_link()
        elif tag in ("b", "strong"):
            self._bold = max(0, self._bold - 1)
        elif tag in _HEADINGS:
            self._flush()
        elif tag == "summary":
            self._flush()
            self._summary = False
        elif tag == "details":
            self._flush()
            self.sink.details_close()
        elif tag in _ENTRY_BREAKS:
            if self._card_depth and tag in _CARD_BLOCKS:
                self._card_depth -= 1
            else:  # the block the link is in ends: so does the link (one left unclosed)
                self._flush()

    def handle_data(self, data: str) -> None:
        if self._ignored:
            return
        if data.strip() and not self._bold:
            self._plain = True
        self._parts.append(data)

    # -- entries ------------------------------------------------------------------------

    def _opens_card(self, tag: str) -> bool:
        """A block opened inside an open link, before the link holds much text: a card."""
        if self._open_link is None or tag not in _CARD_BLOCKS:
            return False
        start = self._open_link[1]
        return sum(len(part) for part in self._parts[start:]) < _CARD_TEXT_CHARS

    def _image(self, src: str, alt: str) -> None:
        if self._open_link is not None:
            if self._link_alt is None:
                self._link_alt = " ".join((alt or self._link_title or "").split())
        elif src:
            self._images.append((src, alt))

    def _close_link(self) -> None:
        self._card_depth = 0
        if self._open_link is None:
            return
        href, start = self._open_link
        text = emojize(" ".join("".join(self._parts[start:]).split()))
        self._links.append(HtmlLink(href, text, self._link_alt))
        self._open_link = None
        self._link_alt = None

    def _flush(self) -> None:
        self._close_link()
        text = emojize(" ".join("".join(self._parts).split()))
        heading, self._heading = self._heading, None
        logo = heading is not None and not text  # <h1><img alt="Awesome"></h1>
        if logo:
            text = emojize(image_title([*(link.image_alt for link in self._links),
                                        *(alt for _, alt in self._images)]))
        if heading is not None and text:
            self.sink.html_heading(heading, text)
            for link in self._links:  # a heading's links are entries of its topic
                self.sink.html_entry(HtmlEntry(link.text, [link]))
            if logo and self._images:  # shown in the topic it names
                self.sink.html_entry(HtmlEntry("", [], self._images))
        elif text or self._links or self._images:
            self.sink.html_entry(HtmlEntry(text, self._links, self._images, self._summary,
                                           bool(text) and not self._plain))
        self._parts, self._links, self._images = [], [], []
        self._plain = False

