"""What ``--source`` names when it is not a local file: a URL or ``github:owner/repo``."""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from msgspec import Struct

from dlreader.errors import UsageError

GITHUB_RAW_DEFAULT = "https://raw.githubusercontent.com"
GITHUB_PAGES = "https://github.com"
# Tried in this order: the first that is not a 404 is the list.
README_NAMES = ("README.md", "readme.md", "README")

_GITHUB = re.compile(r"^github:([A-Za-z0-9][A-Za-z0-9-]{0,38})/([A-Za-z0-9._-]{1,100})$")


class RemoteSpec(Struct, frozen=True):
    """A list on the web: the URLs to try, in order, and how to name and resolve it."""

    key: str  # how the library knows it: "github:owner/repo" or the URL
    urls: tuple[str, ...]
    base_url: str  # relative links in the list resolve against this
    name: str  # the short name it is offered under


def is_remote(value: str) -> bool:
    return value.startswith(("http://", "https://", "github:"))


def github_raw_base() -> str:
    return (os.environ.get("DLREADER_GITHUB_RAW") or GITHUB_RAW_DEFAULT).rstrip("/")


def remote_spec(value: str) -> RemoteSpec:
    """The spec for a URL or ``github:owner/repo``; UsageError for a malformed one."""
    if value.startswith("github:"):
        match = _GITHUB.match(value)
        if not match:
            raise UsageError(f"{value!r}: write a GitHub repository as github:owner/repo")
        owner, repo = match.groups()
        raw = f"{github_raw_base()}/{owner}/{repo}/HEAD"
        return RemoteSpec(
            key=f"github:{owner}/{repo}",
            urls=tuple(f"{raw}/{name}" for name in README_NAMES),
            # The README's own page: ./docs/x.md becomes the file's page on GitHub.
            base_url=f"{GITHUB_PAGES}/{owner}/{repo}/blob/HEAD/",
            name=repo,
        )
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{value!r}: not an http(s) URL")
    return RemoteSpec(key=value, urls=(value,), base_url=page_base(value),
                      name=_name_from_url(value))


def page_base(url: str) -> str:
    """What relative links of the list at ``url`` resolve against.

    A file on GitHub's raw host resolves to the GitHub page of its folder (so a link to
    ``./docs/x.md`` opens as a page, not as raw text); any other URL resolves against itself.
    """
    parts = urlsplit(url)
    if parts.hostname == urlsplit(GITHUB_RAW_DEFAULT).hostname:
        segments = parts.path.strip("/").split("/")
        if len(segments) >= 3:
            owner, repo, ref, *rest = segments
            folder = "/".join(rest[:-1])
            return f"{GITHUB_PAGES}/{owner}/{repo}/blob/{ref}/" + (f"{folder}/" if folder else "")
    return url


def _name_from_url(url: str) -> str:
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if parts.hostname == urlsplit(GITHUB_RAW_DEFAULT).hostname and len(segments) >= 2:
        return segments[1]
    stem = segments[-1].rsplit(".", 1)[0] if segments else ""
    if stem.lower() in ("readme", "index", "") and len(segments) >= 2:
        stem = segments[-2]
    return stem or (parts.hostname or "list")
