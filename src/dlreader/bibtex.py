"""BibTeX for what you read: an ``@misc`` entry for every exported arXiv paper.

Only items whose metadata came from the arXiv API (``dlreader check``) get an entry:
``eprint``, ``archivePrefix = {arXiv}``, ``primaryClass`` when known, the arXiv DOI
(``10.48550/arXiv.ID``), and the user's note as ``note``. Keys are stable,
``lastnameYEARword`` (first author, year, first significant title word), with ``a``,
``b``... only when two papers would share one. A dozen lines of escaping are simpler
than a BibTeX library, so none is used.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

from msgspec import Struct

from dlreader.catalog.model import Catalog, Item
from dlreader.export import choose_states, topic_scope
from dlreader.linkhealth.arxiv import arxiv_id
from dlreader.linkhealth.records import LinkRecord
from dlreader.store.records import ItemState
from dlreader.textsafe import one_line, strip_control, unix_newlines

# Words a key skips to reach the title's first real one.
_SMALL_WORDS = frozenset({
    "a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "from", "by", "at", "as",
    "is", "are", "do", "does", "via", "towards", "toward",
})
# LaTeX's special characters, written so BibTeX and LaTeX print them as themselves.
_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "^": r"\^{}", "~": r"\~{}",
}


class BibExport(Struct, frozen=True):
    text: str
    entries: int
    skipped: int  # arXiv items without metadata yet (`dlreader check` fetches it)


def _escape(text: str) -> str:
    return "".join(_ESCAPES.get(char, char) for char in text)


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(char for char in folded.lower() if char.isalnum())


def _key_base(record: LinkRecord, paper: str) -> str:
    last = record.authors[0].split()[-1] if record.authors and record.authors[0].split() else ""
    words = [_ascii_word(word) for word in (record.title or "").split()]
    word = next((w for w in words if w and w not in _SMALL_WORDS), "")
    base = f"{_ascii_word(last)}{record.year or ''}{word}"
    return base or "arxiv" + _ascii_word(paper)


def _entry(key: str, paper: str, record: LinkRecord, note: str) -> str:
    fields = [
        ("title", one_line(record.title or "")),
        ("author", " and ".join(one_line(name) for name in record.authors)),
        ("year", str(record.year) if record.year else ""),
        ("eprint", paper),
        ("archivePrefix", "arXiv"),
        ("primaryClass", one_line(record.primary_class or "")),
        ("doi", f"10.48550/arXiv.{paper}"),
        ("url", f"https://arxiv.org/abs/{paper}"),
        ("note", strip_control(unix_newlines(note)).strip()),
    ]
    body = ",\n".join(f"  {name} = {{{_escape(value)}}}" for name, value in fields if value)
    return f"@misc{{{key},\n{body}\n}}\n"


def build_bibtex(
    catalog: Catalog,
    states: Mapping[str, ItemState],
    links: Mapping[str, LinkRecord],
    *,
    statuses: Iterable[str] | None = None,
    priorities: Iterable[str] | None = None,
    topic: str | None = None,
) -> BibExport:
    """Entries for the chosen items (every touched one: a citation needs no note)."""
    chosen, _ = choose_states(
        catalog, states, statuses=statuses, priorities=priorities, include_all=True,
        scope=topic_scope(catalog, topic),
    )
    entries: list[str] = []
    used: set[str] = set()
    skipped = 0
    items: list[Item] = [catalog.items[i] for i in catalog.items if i in chosen]
    for item in items:
        paper = arxiv_id(item.url) if item.url else None
        if paper is None:
            continue
        record = links.get(item.url or "")
        if record is None or record.status != "ok" or not record.title:
            skipped += 1
            continue
        base = key = _key_base(record, paper)
        suffix = 0
        while key in used:
            key = base + chr(ord("a") + suffix) if suffix < 26 else f"{base}{suffix}"
            suffix += 1
        used.add(key)
        entries.append(_entry(key, paper, record, chosen[item.id].note))
    return BibExport("\n".join(entries), len(entries), skipped)
