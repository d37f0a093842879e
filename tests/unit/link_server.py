"""A real HTTP server on 127.0.0.1 for link-check tests: every case a link can meet.

Started by the test (stdlib ``http.server`` in a thread); nothing else is ever contacted.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HTML = "text/html; charset=utf-8"
BIG = 50 * 1024 * 1024


def page(title: str) -> bytes:
    return f"<!doctype html><html><head><title>{title}</title></head><body>x</body></html>".encode()


def atom_entry(paper_id: str, title: str, authors: list[str], year: int) -> str:
    names = "".join(f"<author><name>{name}</name></author>" for name in authors)
    return (
        f"<entry><id>http://arxiv.org/abs/{paper_id}v2</id>"
        f"<published>{year}-05-30T12:00:00Z</published><title>{title}</title>"
        f"<summary>  The abstract of {paper_id}.\n </summary>{names}"
        f'<arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.LG"/>'
        "</entry>"
    )


@dataclass
class Served:
    """What the server saw: hits per path, the request headers, bytes sent of the big body."""

    hits: Counter[str] = field(default_factory=Counter)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    big_sent: int = 0
    api_queries: list[tuple[float, list[str]]] = field(default_factory=list)
    papers: dict[str, str] = field(default_factory=dict)  # id -> Atom entry
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(served: Served) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # quiet
            pass

        def answer(self, code: int, body: bytes = b"", kind: str = HTML,
                   headers: dict[str, str] | None = None) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def go(self, code: int, where: str) -> None:
            self.answer(code, b"", headers={"Location": where})

        def do_GET(self) -> None:  # one route table, read top to bottom
            path = urlsplit(self.path).path
            with served.lock:
                served.hits[path] += 1
                count = served.hits[path]
                served.headers[path] = dict(self.headers.items())
            if path.startswith("/ok"):
                self.answer(200, page(f"Page {path}"))
            elif path == "/moved":
                self.go(301, "/ok-new")
            elif path == "/temporary":
                self.go(302, "/ok-elsewhere")
            elif path == "/moved308":
                self.go(308, "/ok-308")
            elif path == "/chain":
                self.go(301, "/chain2")
            elif path == "/chain2":
                self.go(302, "/chain3")
            elif path == "/chain3":
                self.go(308, "/ok-end")
            elif path == "/missing":
                self.answer(404, page("Not Found"))
            elif path == "/gone":
                self.answer(410, b"")
            elif path == "/forbidden":
                self.answer(403, b"")
            elif path == "/limited":
                self.answer(429, b"", headers={"Retry-After": "1"})
            elif path == "/limited-once":
                if count == 1:
                    self.answer(429, b"", headers={"Retry-After": "1"})
                else:
                    self.answer(200, page("After the wait"))
            elif path == "/limited-long":
                self.answer(429, b"", headers={"Retry-After": "3600"})
            elif path == "/broken":
                self.answer(500, b"")
            elif path == "/unavailable-once":
                if count == 1:
                    self.answer(503, b"")
                else:
                    self.answer(200, page("Back"))
            elif path == "/loop":
                self.go(301, "/loop2")
            elif path == "/loop2":
                self.go(302, "/loop")
            elif path == "/hang":
                served.release.wait(30)
            elif path == "/midbody":
                self.send_response(200)
                self.send_header("Content-Type", HTML)
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(b"<html><head><title>Half a page</title></head><body>")
                self.wfile.flush()
                self.close_connection = True
            elif path == "/big":
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(BIG))
                self.end_headers()
                chunk = b"\0" * 65536
                try:
                    for _ in range(BIG // len(chunk)):
                        self.wfile.write(chunk)
                        with served.lock:
                            served.big_sent += len(chunk)
                except OSError:
                    self.close_connection = True
            elif path == "/paper.pdf" or path.startswith("/files/"):
                self.answer(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"0" * 4096, "application/pdf")
            elif path == "/wrong-charset":
                # Declared UTF-8, written in Windows-1252: the title must still read "Café".
                body = "<html><head><title>Caf\xe9 &amp; cr\xe8me</title></head>".encode("cp1252")
                self.answer(200, body)
            elif path == "/latin1-meta":
                body = '<html><head><meta charset="iso-8859-1"><title>Na\xefve</title>'.encode(
                    "latin-1")
                self.answer(200, body, "text/html")
            elif path == "/hostile":
                body = (b"<html><head><title>  [bold red]Boom[/]\x1b[31m red\x1b]0;pwned\x07"
                        b"\n &amp; &lt;b&gt;\xc2\x9b2J </title></head></html>")  # U+009B: 8-bit CSI
                self.answer(200, body)
            elif path == "/og":
                self.answer(200, b'<html><head><meta property="og:title" content="From OG">')
            elif path == "/cookie":
                self.answer(200, page("Cookie"), headers={"Set-Cookie": "session=abc; Path=/"})
            elif path == "/api/query":
                self.arxiv(parse_qs(urlsplit(self.path).query))
            else:
                self.answer(404, b"")

        def do_HEAD(self) -> None:
            # Only /files/ answer HEAD; every other path gets http.server's 501, as from
            # a server that does not do HEAD.
            path = urlsplit(self.path).path
            with served.lock:
                served.hits[f"HEAD {path}"] += 1
            if not path.startswith("/files/"):
                self.send_error(501)
                return
            self.send_response(404 if "missing" in path else 200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", "1000000")
            self.end_headers()

        def arxiv(self, query: dict[str, list[str]]) -> None:
            import time

            ids = query.get("id_list", [""])[0].split(",")
            with served.lock:
                served.api_queries.append((time.monotonic(), ids))
            entries = "".join(served.papers[i] for i in ids if i in served.papers)
            feed = ('<?xml version="1.0" encoding="UTF-8"?>'
                    f'<feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>')
            self.answer(200, feed.encode(), "application/atom+xml; charset=UTF-8")

    return Handler


@contextmanager
def link_server() -> Iterator[tuple[str, Served]]:
    """(base URL, what it saw) of a server running until the block ends."""
    served = Served()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(served))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", served
    finally:
        served.release.set()
        server.shutdown()
        server.server_close()
