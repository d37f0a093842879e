"""Check http(s) links concurrently: one streaming GET per hop, closed early.

Limits: at most ``per_host`` requests at once per origin (scheme, host, port) and
``concurrency`` in all. Redirects are followed by hand (at most 10, loops caught) so the
chain is known: a permanent one (301, 308) to another URL makes the link ``moved``.
``Retry-After`` is honoured up to 30 s; 5xx, 429 and timeouts get one retry. Only the
headers are needed, plus the first 64 KB of an HTML page for its title, so the body is
not read further (a 50 MB file costs what its first chunk costs).
"""

from __future__ import annotations

import asyncio
import email.utils
import socket
import time
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

import httpx
from msgspec import Struct

from dlreader.catalog.urls import normalize_url
from dlreader.linkhealth.client import Clients, origin
from dlreader.linkhealth.records import LinkRecord, utc_now
from dlreader.linkhealth.titles import title_from_html

PERMANENT = frozenset({301, 308})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
DEAD_CODES = frozenset({404, 410})
BLOCKED_CODES = frozenset({401, 403, 429})
# getaddrinfo's "this name does not exist" (not "try again later", which offline gives).
_NO_SUCH_NAME = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}


class CheckOptions(Struct, frozen=True):
    concurrency: int = 32
    per_host: int = 2
    timeout: float = 10.0
    max_redirects: int = 10
    retry_after_cap: float = 30.0
    backoff: float = 1.0
    title_bytes: int = 64 * 1024


class Probe(Struct):
    """What one attempt at a URL found, before it becomes a status."""

    code: int | None = None
    final_url: str = ""
    permanent: bool = False
    title: str | None = None
    # "timeout" (connected, no answer), "connect-timeout", "no-such-host", "connect",
    # "tls", "protocol", "loop"
    failure: str = ""
    detail: str = ""
    retry_after: float | None = None


class Outcome(Struct):
    record: LinkRecord
    reached: bool  # some server answered (a status code came back)


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds from now: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - (now if now is not None else time.time()))


def _connect_failure(error: BaseException) -> tuple[str, str]:
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            if cause.errno in _NO_SUCH_NAME:
                return "no-such-host", "the host name does not exist"
            return "connect", f"name lookup failed ({cause.strerror})"
        if cause.__class__.__name__.startswith("SSL") or "CERTIFICATE" in str(cause):
            return "tls", f"TLS: {cause}"
        cause = cause.__cause__ or cause.__context__
    return "connect", str(error) or "cannot connect"


class Limiter:
    """The total and per-origin limits, taken for the length of one request."""

    def __init__(self, concurrency: int, per_host: int) -> None:
        self._total = asyncio.Semaphore(concurrency)
        self._per_host = per_host
        self._origins: dict[tuple[str, str, int | None], asyncio.Semaphore] = {}

    def origin_slot(self, url: str) -> asyncio.Semaphore:
        key = origin(url)
        if key not in self._origins:
            self._origins[key] = asyncio.Semaphore(self._per_host)
        return self._origins[key]

    @property
    def total(self) -> asyncio.Semaphore:
        return self._total


class _Hop(Struct):
    code: int
    location: str | None
    title: str | None = None
    retry_after: float | None = None


# Files that are never a page with a title: a HEAD answers all a check needs about them.
HEAD_SUFFIXES = (
    ".pdf", ".ps", ".djvu", ".epub", ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".tar",
    ".whl", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".mp3", ".mp4", ".webm", ".iso",
)


def head_is_enough(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(HEAD_SUFFIXES)


async def _one_request(
    clients: Clients, url: str, options: CheckOptions, limiter: Limiter
) -> _Hop:
    if head_is_enough(url):
        hop = await _request(clients, "HEAD", url, options, limiter)
        # Some servers refuse or botch HEAD (405, 501, even 404 or 403): only a yes counts.
        if hop.code < 400:
            return hop
    return await _request(clients, "GET", url, options, limiter)


async def _request(
    clients: Clients, method: str, url: str, options: CheckOptions, limiter: Limiter
) -> _Hop:
    # Origin first, then a total slot: a task waiting for a busy host holds no total slot.
    async with limiter.origin_slot(url), limiter.total, clients.for_url(url).stream(
        method, url
    ) as response:
        hop = _Hop(
            code=response.status_code,
            location=response.headers.get("location"),
            retry_after=retry_after_seconds(response.headers.get("retry-after")),
        )
        content_type = response.headers.get("content-type", "")
        small = _declared_size(response) <= options.title_bytes
        if 200 <= hop.code < 300 and "html" in content_type.lower():
            hop.title = await _read_title(response, options.title_bytes, content_type, small)
        elif small:
            await _drain(response)
        # Leaving the block closes the response: a big body is never read further (its
        # connection is dropped); a small one was read whole, so its connection is reused.
        return hop


def _declared_size(response: httpx.Response) -> float:
    try:
        return int(response.headers.get("content-length", ""))
    except ValueError:
        return float("inf")


async def _drain(response: httpx.Response) -> None:
    try:
        async for _ in response.aiter_raw():
            pass
    except httpx.HTTPError:
        pass  # the status stands; only the connection is not reused


async def _read_title(
    response: httpx.Response, limit: int, content_type: str, whole: bool
) -> str | None:
    """The title from the first ``limit`` bytes; ``whole``: read a small body to its end
    even once the title is found, so the connection goes back to the pool."""
    head = bytearray()
    try:
        async for chunk in response.aiter_bytes():  # decoded (gzip, deflate) as it comes
            head += chunk
            if len(head) >= limit or (not whole and b"</title>" in head.lower()):
                break
    except httpx.HTTPError:
        pass  # the server stopped mid-body: the status stands, the title is what came
    return title_from_html(bytes(head[:limit]), content_type)


async def probe(
    clients: Clients, url: str, options: CheckOptions, limiter: Limiter
) -> Probe:
    """Follow the URL's redirects (recording them) to a final answer or a failure."""
    result = Probe(final_url=url)
    seen = {url}
    current = url
    for _ in range(options.max_redirects + 1):
        try:
            hop = await _one_request(clients, current, options, limiter)
        except httpx.ConnectTimeout:
            result.failure = "connect-timeout"
            result.detail = f"could not connect within {options.timeout:g} s"
            return result
        except httpx.TimeoutException:
            result.failure, result.detail = "timeout", f"no answer within {options.timeout:g} s"
            return result
        except httpx.ConnectError as error:
            result.failure, result.detail = _connect_failure(error)
            return result
        except httpx.HTTPError as error:
            result.failure, result.detail = "protocol", str(error) or error.__class__.__name__
            return result
        result.code, result.final_url = hop.code, current
        result.retry_after, result.title = hop.retry_after, hop.title
        if hop.code not in REDIRECTS or not hop.location:
            return result
        target = urljoin(current, hop.location)
        if urlsplit(target).scheme not in ("http", "https"):
            result.failure, result.detail = "protocol", f"redirect to {target[:100]}"
            return result
        if target in seen:
            result.failure, result.detail = "loop", "redirect loop"
            return result
        result.permanent = result.permanent or hop.code in PERMANENT
        seen.add(target)
        current = target
    result.failure, result.detail = "loop", f"more than {options.max_redirects} redirects"
    return result


def _retry_delay(result: Probe, options: CheckOptions) -> float | None:
    """How long to wait before the one retry, or None for no retry."""
    retryable = result.failure in ("timeout", "connect-timeout") or (
        not result.failure and result.code is not None
        and (result.code >= 500 or result.code == 429)
    )
    if not retryable:
        return None
    if result.retry_after is not None:
        return result.retry_after if result.retry_after <= options.retry_after_cap else None
    return options.backoff


def classify(url: str, result: Probe) -> LinkRecord:
    checked = utc_now()
    if result.failure:
        status = "dead" if result.failure == "no-such-host" else "error"
        code = result.code if result.failure == "loop" else None
        return LinkRecord(url, status, checked, code=code, reason=result.detail)
    code = result.code
    assert code is not None
    if 200 <= code < 300:
        moved = result.permanent and normalize_url(result.final_url) != normalize_url(url)
        return LinkRecord(
            url, "moved" if moved else "ok", checked, code=code,
            moved_to=result.final_url if moved else None, title=result.title,
        )
    if code in DEAD_CODES:
        return LinkRecord(url, "dead", checked, code=code, reason=f"HTTP {code}")
    if code in BLOCKED_CODES:
        return LinkRecord(url, "blocked", checked, code=code, reason=f"HTTP {code}")
    return LinkRecord(url, "error", checked, code=code, reason=f"HTTP {code}")


async def check_url(
    clients: Clients, url: str, options: CheckOptions, limiter: Limiter
) -> Outcome:
    result = await probe(clients, url, options, limiter)
    delay = _retry_delay(result, options)
    if delay is not None:
        await asyncio.sleep(delay)
        result = await probe(clients, url, options, limiter)
    # Offline detection: did any server answer? A read timeout or a TLS handshake means
    # a connection was made; a failed name lookup or connect means nothing was reached.
    reached = result.code is not None or result.failure in ("timeout", "tls", "protocol")
    return Outcome(classify(url, result), reached)


async def check_urls(
    clients: Clients,
    urls: list[str],
    options: CheckOptions,
    on_outcome: Callable[[Outcome], None],
) -> None:
    """Check every URL; each outcome is handed over as soon as it is known."""
    limiter = Limiter(options.concurrency, options.per_host)

    async def one(url: str) -> None:
        on_outcome(await check_url(clients, url, options, limiter))

    async with asyncio.TaskGroup() as group:
        for url in urls:
            group.create_task(one(url))
