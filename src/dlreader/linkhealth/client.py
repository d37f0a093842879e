"""The HTTP clients a check uses: a real User-Agent, no cookies, one pool per origin.

One ``httpx.AsyncClient`` per origin (scheme, host, port), each with as many connections
as the per-host limit, all sharing one TLS context: httpcore's pool does work for every
connection it holds on each request, so one big shared pool cost twice the CPU per link
(measured on 1,000 links over 50 origins: 2.6 s vs 1.4 s of CPU). The checker keeps the
total limit itself.
"""

from __future__ import annotations

import functools
import ssl
from http.cookiejar import CookieJar, DefaultCookiePolicy
from types import TracebackType
from urllib.parse import urlsplit

import httpx

# One User-Agent for everything dlreader fetches (the list downloader defined it first).
from dlreader.sources.download import USER_AGENT

__all__ = ["USER_AGENT", "Clients", "no_cookies", "origin"]
ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"


def no_cookies() -> CookieJar:
    """A jar that refuses every cookie: a check must not carry state from one page on."""
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


@functools.lru_cache(maxsize=4096)  # asked several times per link (limits, pool, hops)
def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port): what the per-host limit and the connection pools go by."""
    parts = urlsplit(url)
    return (parts.scheme, parts.hostname or "", parts.port)


class Clients:
    """A client per origin, made on first use; an async context manager closing them all."""

    def __init__(self, *, timeout: float, per_host: int) -> None:
        self._timeout = timeout
        self._per_host = per_host
        self._tls: ssl.SSLContext | None = None
        self._clients: dict[tuple[str, str, int | None], httpx.AsyncClient] = {}

    def for_url(self, url: str) -> httpx.AsyncClient:
        key = origin(url)
        client = self._clients.get(key)
        if client is None:
            if self._tls is None:  # loading the CA bundle once, not once per origin
                self._tls = httpx.create_ssl_context()
            client = self._clients[key] = httpx.AsyncClient(
                headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
                cookies=no_cookies(),
                timeout=httpx.Timeout(self._timeout),
                limits=httpx.Limits(
                    max_connections=self._per_host, max_keepalive_connections=self._per_host
                ),
                verify=self._tls,
                follow_redirects=False,  # followed by hand: each hop recorded and limited
                trust_env=False,  # no proxy from the environment: go where the link says
            )
        return client

    async def __aenter__(self) -> Clients:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()
