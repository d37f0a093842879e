"""Downloading a remote list with httpx: conditional, bounded in size and time.

Every problem becomes a ``DownloadError`` with one line for the user; ``Unreachable``
(no connection, no answer in time) is the case where a kept copy may be used instead.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from msgspec import Struct

from dlreader import __version__
from dlreader.errors import UsageError

if TYPE_CHECKING:
    import httpx

MAX_BYTES = 20 * 1024 * 1024
DEFAULT_TIMEOUT = 15.0
MAX_REDIRECTS = 10
USER_AGENT = f"dlreader/{__version__} (+https://github.com/dlreader/dlreader)"

# What a markdown file is served as; HTML, JSON, images and the like are refused.
_TEXT_TYPES = ("text/markdown", "text/x-markdown", "text/plain", "application/octet-stream")


class DownloadError(UsageError):
    """The list could not be downloaded or is not a markdown list (exit 2)."""


class Unreachable(DownloadError):
    """No connection or no answer in time: offline, as far as the user is concerned."""


class NotFound(DownloadError):
    """The server answered 404."""


class Downloaded(Struct, frozen=True):
    """A server's answer: ``body`` is None when it said 304 Not Modified."""

    url: str  # the URL asked for (not the redirect target: that is the server's business)
    body: bytes | None
    etag: str | None
    last_modified: str | None


def timeout_seconds() -> float:
    """``$DLREADER_HTTP_TIMEOUT`` seconds, else the default (a bad value is the default)."""
    try:
        value = float(os.environ.get("DLREADER_HTTP_TIMEOUT", ""))
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


def download_first(
    urls: Sequence[str],
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float | None = None,
    max_bytes: int = MAX_BYTES,
) -> Downloaded:
    """The first of ``urls`` that is not a 404 (GitHub READMEs have several names)."""
    missing: NotFound | None = None
    for url in urls:
        try:
            return download(url, etag=etag, last_modified=last_modified, timeout=timeout,
                            max_bytes=max_bytes)
        except NotFound as error:
            missing = error
    assert missing is not None, "no URL to try"
    if len(urls) > 1:
        raise NotFound(f"none of {', '.join(urls)} exists (404)")
    raise missing


def download(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float | None = None,
    max_bytes: int = MAX_BYTES,
) -> Downloaded:
    """GET ``url`` (conditionally when ``etag``/``last_modified`` are given)."""
    # Imported here: opening a remote list from its kept copy needs no network, and httpx
    # (with http, email, idna) was ~20 ms before the tree of every such start.
    import httpx

    seconds = timeout_seconds() if timeout is None else timeout
    headers = {"User-Agent": USER_AGENT, "Accept": "text/markdown, text/plain;q=0.9, */*;q=0.1"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    host = urlsplit(url).hostname or url
    try:
        with httpx.Client(
            follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=seconds,
            # trust_env: HTTPS_PROXY / NO_PROXY are honoured, as users behind a proxy expect.
            headers=headers, trust_env=True,
        ) as client, client.stream("GET", url) as response:
            if response.status_code == 304:
                return Downloaded(url, None, etag, last_modified)
            if response.status_code == 404:
                raise NotFound(f"{url}: not found (404)")
            if response.status_code >= 400:
                raise DownloadError(
                    f"{url}: the server answered {response.status_code} "
                    f"{response.reason_phrase}".rstrip()
                )
            _check_type(url, response.headers.get("content-type", ""))
            body = _read_bounded(url, response, max_bytes)
            return Downloaded(
                url, body, response.headers.get("etag"), response.headers.get("last-modified")
            )
    except httpx.TimeoutException:
        raise Unreachable(
            f"{host} did not answer within {seconds:g} s (offline, or the server is down)"
        ) from None
    except httpx.TooManyRedirects:
        raise DownloadError(f"{url}: more than {MAX_REDIRECTS} redirects") from None
    except (httpx.ConnectError, httpx.NetworkError, httpx.ProxyError) as error:
        raise Unreachable(f"cannot reach {host}: offline ({_reason(error)})") from None
    except httpx.HTTPError as error:
        raise DownloadError(f"{url}: download failed ({_reason(error)})") from None


def _reason(error: Exception) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _check_type(url: str, content_type: str) -> None:
    media = content_type.split(";", 1)[0].strip().lower()
    if media and media not in _TEXT_TYPES:
        raise DownloadError(f"{url}: is {media}, not a markdown list")


def _read_bounded(url: str, response: httpx.Response, max_bytes: int) -> bytes:
    limit = f"{max_bytes // (1024 * 1024)} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes} B"
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise DownloadError(f"{url}: is larger than the {limit} a list may have")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise DownloadError(f"{url}: is larger than the {limit} a list may have")
        chunks.append(chunk)
    return b"".join(chunks)
