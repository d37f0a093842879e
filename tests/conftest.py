"""Shared fixtures. Every test runs with dlreader's directories inside tmp_path."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The support modules (cli_support, store_support, link_server in unit/; app_harness,
# tmux_terminal in functional/) are importable from every test, whichever its folder.
for _folder in ("unit", "functional"):
    if str(ROOT / "tests" / _folder) not in sys.path:
        sys.path.insert(0, str(ROOT / "tests" / _folder))
SEED = ROOT / "data" / "science-of-deep-learning.md"
SHARED_LISTS = ROOT.parent / "shared" / "lists"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point data, cache and config dirs at tmp_path so no test touches the real ones."""
    home = tmp_path / "dlreader-home"
    for variable, name in (
        ("DLREADER_DATA_DIR", "data"),
        ("DLREADER_CACHE_DIR", "cache"),
        ("DLREADER_CONFIG_DIR", "config"),
    ):
        monkeypatch.setenv(variable, str(home / name))
    return home


@pytest.fixture
def ab_list(tmp_path: Path) -> Path:
    """A list of one topic with two links, A and B (cli_support.URL_A, URL_B)."""
    from cli_support import URL_A, URL_B

    path = tmp_path / "list.md"
    path.write_text(f"# Topic\n\n- [A]({URL_A})\n- [B]({URL_B})\n", encoding="utf-8")
    return path


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture
def awesome_path() -> Path:
    path = SHARED_LISTS / "awesome-python.md"
    if not path.is_file():
        pytest.skip(f"second real list not found at {path} (shared/ must sit beside the repo)")
    return path


# -- a real HTTP server on 127.0.0.1 for the remote-list tests -----------------------------

import socket  # noqa: E402
import threading  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402


@dataclass
class Reply:
    """One canned answer: status, headers, body."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/plain"})


@dataclass
class ListServer:
    """Routes map a path to a Reply, or to a function of the request headers giving one."""

    base: str
    routes: dict[str, Reply | Callable[[dict[str, str]], Reply]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    stop: Callable[[], None] = lambda: None  # shut the server down (then: offline)

    def url(self, path: str) -> str:
        return self.base + path

    def serve_list(self, path: str, text: str, *, etag: str | None = None) -> None:
        """Serve ``text`` at ``path`` with an ETag; a matching If-None-Match gets 304."""
        tag = etag or f'"{abs(hash(text))}"'

        def answer(headers: dict[str, str]) -> Reply:
            if headers.get("if-none-match") == tag:
                return Reply(304, b"", {"ETag": tag})
            return Reply(200, text.encode("utf-8"),
                         {"Content-Type": "text/plain; charset=utf-8", "ETag": tag,
                          "Last-Modified": "Tue, 01 Dec 2026 10:00:00 GMT"})

        self.routes[path] = answer


@pytest.fixture
def list_server() -> Iterator[ListServer]:
    server_state = ListServer(base="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            headers = {k.lower(): v for k, v in self.headers.items()}
            server_state.requests.append((self.path, headers))
            route = server_state.routes.get(self.path)
            reply = Reply(404, b"not found") if route is None else (
                route(headers) if callable(route) else route)
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if reply.body:
                self.wfile.write(reply.body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    server_state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    stopped = False

    def stop() -> None:
        nonlocal stopped
        if not stopped:
            stopped = True
            httpd.shutdown()
            httpd.server_close()

    server_state.stop = stop
    try:
        yield server_state
    finally:
        stop()


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A server on 127.0.0.1 that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)  # the kernel completes the handshake; nobody ever reads or writes
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        sock.close()


@pytest.fixture
def closed_port_url() -> str:
    """A 127.0.0.1 URL where nothing listens (connection refused: offline)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


# -- the app's pilot tests: ``async with running_app(...) as (app, pilot):`` ---------------


@pytest.fixture
def running_app(tmp_path: Path):  # type: ignore[no-untyped-def]
    """``running_app(list_path=None, *, size=BIG, **make_app options)``: an async context
    manager giving the app over a real store in tmp_path, its catalog loaded, and its pilot
    (tests/functional/app_harness.py; imported here lazily: only pilot tests use it)."""
    from functools import partial

    from app_harness import run_app

    return partial(run_app, tmp_path)
