"""URLs as item identities: normalization, stable ids and readable titles.

One normalized URL is one item, so normalization is deliberately small: lowercase the
scheme and host, drop the default port, give an empty path "/". Nothing else changes —
two URLs that differ in path case, query or fragment are different pages.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


# Most links of a list are already canonical: a lowercase http(s) scheme and host, no
# port, userinfo, query or fragment, and nothing urlsplit would strip or split on.
_CANONICAL = re.compile(r"https?://[a-z0-9.\-]+(/[^\s?#\\\[\]@]*)?")


def normalize_url(url: str) -> str | None:
    """The canonical form of an http(s) URL, or None for any other scheme or no URL."""
    url = url.strip()
    if _CANONICAL.fullmatch(url):  # (a fifth of the walker's time went to urlsplit)
        return url if url.find("/", url.index("//") + 2) != -1 else url + "/"
    return _normalize_parsed(url)


def _normalize_parsed(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a malformed port or IPv6 literal: not a URL we can open
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    # Rebuild the authority by hand: userinfo keeps its case, the host does not.
    netloc = parts.netloc
    userinfo, _, hostport = netloc.rpartition("@")
    host = hostport
    if port is not None or hostport.endswith(":"):
        host = hostport[: hostport.rfind(":")]
    host = host.lower()
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    authority = f"{userinfo}@{host}" if userinfo else host
    path = parts.path or "/"
    result = f"{scheme}://{authority}{path}"
    if parts.query or url.split("#", 1)[0].endswith("?"):
        result += f"?{parts.query}"
    if parts.fragment or url.endswith("#"):
        result += f"#{parts.fragment}"
    return result


# An arXiv paper's pages: abs/ID, pdf/ID(.pdf), any version vN, export.arxiv.org.
# New ids (1905.13405) and old ones (math.GT/0309136, hep-th/9901001).
_ARXIV = re.compile(
    r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/"
    r"((?:\d{4}\.\d{4,5})|(?:[a-z\-]+(?:\.[A-Z]{2})?/\d{7}))(?:v\d+)?(?:\.pdf)?/?(?:[?#].*)?$",
    re.IGNORECASE,
)


def arxiv_id(url: str) -> str | None:
    """The paper id of an arXiv abstract or PDF URL (without its version), else None."""
    match = _ARXIV.match(url)
    return match.group(1) if match else None


def identity_url(normalized_url: str) -> str:
    """The URL that stands for the item: one arXiv paper is its abstract page."""
    paper = arxiv_id(normalized_url)
    return f"https://arxiv.org/abs/{paper}" if paper else normalized_url


def resolve_link(href: str, base_url: str | None = None) -> str | None:
    """The normalized http(s) URL a link goes to, or None: a same-document anchor, another
    scheme, or a relative link with no base URL to resolve it against."""
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    lowered = href[:8].lower()
    if lowered.startswith(("http://", "https://")):
        return normalize_url(href)
    if lowered.startswith("www."):
        return normalize_url("http://" + href)
    if base_url is None or re.match(r"[a-zA-Z][a-zA-Z0-9+.\-]*:", href) or href.startswith("//"):
        return None  # mailto:, javascript:, a protocol-relative host: not ours to guess
    return normalize_url(urljoin(base_url, href))


def _digest(text: str, length: int) -> str:
    import hashlib  # here: it loads OpenSSL, and a warm start makes no ids

    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def item_id_for_url(normalized_url: str) -> str:
    """A short id that stays the same as long as the URL does (pass a normalized URL)."""
    return "i-" + _digest(normalized_url, 12)


def normalize_text(text: str) -> str:
    """Case- and whitespace-insensitive form of an item's text, for URL-less identity."""
    return " ".join(text.split()).casefold()


def item_id_for_text(text: str) -> str:
    """A short id for an item without a URL (a citation), from its normalized text."""
    return "c-" + _digest(normalize_text(text), 12)


def title_from_url(url: str) -> str:
    """A readable title for a bare URL: host and path, without scheme, ``www.`` or final /;
    ``arXiv:ID`` for an arXiv paper."""
    paper = arxiv_id(url.strip())
    if paper:
        return f"arXiv:{paper}"
    text = url.strip()
    scheme_end = text.find("://")
    if scheme_end != -1:
        text = text[scheme_end + 3 :]
    if text[:4].lower() == "www.":
        text = text[4:]
    text = text.rstrip("/")
    return text or url.strip()
