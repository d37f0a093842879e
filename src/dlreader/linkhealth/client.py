"""The HTTP client every check uses: a real User-Agent, no cookies, pooled per host."""

from __future__ import annotations

from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx

from dlreader import __version__

USER_AGENT = f"dlreader/{__version__} (reading-list link checker; python-httpx/{httpx.__version__})"
ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"


def no_cookies() -> CookieJar:
    """A jar that refuses every cookie: a check must not carry state from one page on."""
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


def make_client(*, concurrency: int, timeout: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
        cookies=no_cookies(),
        timeout=httpx.Timeout(timeout),
        limits=httpx.Limits(
            max_connections=concurrency, max_keepalive_connections=concurrency
        ),
        follow_redirects=False,  # followed by hand, so each hop is recorded and limited
        trust_env=False,  # no proxy from the environment: a check goes where the link says
    )
