"""The link checker against a real local server: every answer a link can get."""

from __future__ import annotations

import time

import pytest
from link_server import BIG, atom_entry, link_server

from dlreader.linkhealth.checker import CheckOptions, retry_after_seconds
from dlreader.linkhealth.client import USER_AGENT
from dlreader.linkhealth.records import LinkRecord
from dlreader.linkhealth.run import CheckRun, run_check

FAST = CheckOptions(timeout=1.0, backoff=0.05)


def check(urls: list[str], options: CheckOptions = FAST) -> dict[str, LinkRecord]:
    run = run_check(urls, options)
    assert not run.interrupted
    assert len(run.records) == len(urls)
    return {record.url: record for record in run.records}


@pytest.fixture
def server():
    with link_server() as running:
        yield running


def test_each_answer_gets_its_status(server) -> None:
    base, served = server
    paths = ["/ok", "/moved", "/temporary", "/moved308", "/chain", "/missing", "/gone",
             "/forbidden", "/limited", "/broken", "/loop", "/paper.pdf"]
    found = check([base + p for p in paths])
    got = {p: (found[base + p].status, found[base + p].code) for p in paths}
    assert got == {
        "/ok": ("ok", 200),
        "/moved": ("moved", 200),
        "/temporary": ("ok", 200),  # a temporary redirect is not a move
        "/moved308": ("moved", 200),
        "/chain": ("moved", 200),  # 301 -> 302 -> 308 -> 200
        "/missing": ("dead", 404),
        "/gone": ("dead", 410),
        "/forbidden": ("blocked", 403),
        "/limited": ("blocked", 429),  # after the one retry
        "/broken": ("error", 500),
        "/loop": ("error", 302),  # the hop that closed the loop
        "/paper.pdf": ("ok", 200),
    }
    assert found[base + "/moved"].moved_to == base + "/ok-new"
    assert found[base + "/chain"].moved_to == base + "/ok-end"
    assert found[base + "/moved308"].moved_to == base + "/ok-308"
    assert found[base + "/temporary"].moved_to is None
    assert "loop" in found[base + "/loop"].reason
    assert found[base + "/ok"].title == "Page /ok"
    assert found[base + "/paper.pdf"].title is None
    # One retry for 5xx and 429, none for 404; the loop is seen on its second lap.
    assert served.hits["/broken"] == 2
    assert served.hits["/limited"] == 2
    assert served.hits["/missing"] == 1
    assert served.hits["/loop"] == 1 and served.hits["/loop2"] == 1


def test_retry_after_is_waited_for_and_the_retry_succeeds(server) -> None:
    base, served = server
    started = time.monotonic()
    found = check([base + "/limited-once", base + "/unavailable-once"])
    assert found[base + "/limited-once"].status == "ok"
    assert found[base + "/limited-once"].title == "After the wait"
    assert found[base + "/unavailable-once"].status == "ok"
    assert time.monotonic() - started >= 1.0  # Retry-After: 1 was honoured
    assert served.hits["/limited-once"] == 2


def test_a_retry_after_beyond_30_seconds_is_not_waited_for(server) -> None:
    base, served = server
    started = time.monotonic()
    found = check([base + "/limited-long"])
    assert found[base + "/limited-long"].status == "blocked"
    assert served.hits["/limited-long"] == 1
    assert time.monotonic() - started < 10


def test_a_server_that_never_answers_times_out_after_one_retry(server) -> None:
    base, served = server
    found = check([base + "/hang"], CheckOptions(timeout=0.3, backoff=0.05))
    record = found[base + "/hang"]
    assert (record.status, record.code) == ("error", None)
    assert "no answer" in record.reason
    assert served.hits["/hang"] == 2


def test_a_body_cut_short_keeps_the_status_and_the_title_read_so_far(server) -> None:
    base, _ = server
    record = check([base + "/midbody"])[base + "/midbody"]
    assert (record.status, record.title) == ("ok", "Half a page")


def test_a_50_mb_body_is_not_downloaded(server) -> None:
    base, served = server
    started = time.monotonic()
    record = check([base + "/big"])[base + "/big"]
    assert record.status == "ok"
    assert time.monotonic() - started < 5
    assert served.big_sent < BIG // 4


def test_titles_charset_entities_markup_and_escape_bytes(server) -> None:
    base, _ = server
    found = check([base + p for p in ("/wrong-charset", "/latin1-meta", "/hostile", "/og")])
    assert found[base + "/wrong-charset"].title == "Café & crème"
    assert found[base + "/latin1-meta"].title == "Naïve"
    hostile = found[base + "/hostile"].title
    assert hostile is not None
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in hostile)
    assert "\x1b" not in hostile and "\x07" not in hostile
    assert hostile.startswith("[bold red]Boom[/]")  # kept literally, shown literally
    assert hostile.endswith("& <b>2J")
    assert found[base + "/og"].title == "From OG"


def test_user_agent_names_dlreader_and_no_cookie_is_sent_back(server) -> None:
    base, served = server
    run_check([base + "/cookie"], FAST)
    run = run_check([base + "/cookie", base + "/ok-after"], CheckOptions(per_host=1))
    assert len(run.records) == 2
    assert served.headers["/ok-after"]["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("dlreader/")
    assert "Cookie" not in served.headers["/ok-after"]
    assert "Cookie" not in served.headers["/cookie"]


def test_per_host_limit_is_kept(server) -> None:
    base, served = server
    # Two at a time to one origin, four hanging links: the second pair starts only when the
    # first pair has timed out, so the run takes at least two timeouts (plus retries).
    options = CheckOptions(timeout=0.3, backoff=0.01, per_host=2, concurrency=32)
    started = time.monotonic()
    run = run_check([f"{base}/hang?{n}" for n in range(4)], options)
    elapsed = time.monotonic() - started
    assert [r.status for r in run.records] == ["error"] * 4
    assert elapsed >= 4 * 0.3 * 2 / 2 - 0.05  # 8 timed-out requests, 2 at a time


def test_offline_when_nothing_can_be_reached() -> None:
    # A port nothing listens on and a name that never resolves (.invalid, RFC 2606).
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    run = run_check([f"http://127.0.0.1:{closed_port}/x", "http://no-such-host.invalid/"], FAST)
    assert run.offline
    statuses = {r.url: r.status for r in run.records}
    assert statuses["http://no-such-host.invalid/"] == "dead"


def test_an_unknown_host_is_dead_when_other_hosts_answer(server) -> None:
    base, _ = server
    run = run_check([base + "/ok", "http://no-such-host.invalid/"], FAST)
    assert not run.offline
    assert {r.url: r.status for r in run.records}["http://no-such-host.invalid/"] == "dead"


def test_arxiv_links_go_to_the_api_in_batches_of_50_three_seconds_apart(
    server, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, served = server
    monkeypatch.setenv("DLREADER_ARXIV_API", base + "/api/query")
    served.papers["1905.13405"] = atom_entry(
        "1905.13405", "Deep  learning &amp;\n physics", ["Ada Lovelace", "Alan Turing"], 2019
    )
    ids = [f"2101.{n:05d}" for n in range(55)]
    for paper in ids[:54]:
        served.papers[paper] = atom_entry(paper, f"Paper {paper}", ["Someone Else"], 2021)
    urls = ["https://arxiv.org/abs/1905.13405", "http://arxiv.org/pdf/1905.13405v2.pdf"]
    urls += [f"https://arxiv.org/abs/{paper}" for paper in ids]
    run = run_check(urls, FAST, arxiv_interval=0.5)
    found = {r.url: r for r in run.records}
    paper = found["https://arxiv.org/abs/1905.13405"]
    assert (paper.status, paper.title, paper.year) == ("ok", "Deep learning & physics", 2019)
    assert paper.authors == ("Ada Lovelace", "Alan Turing")
    assert paper.abstract == "The abstract of 1905.13405."
    assert paper.primary_class == "cs.LG"
    assert found["http://arxiv.org/pdf/1905.13405v2.pdf"].status == "ok"
    assert found[f"https://arxiv.org/abs/{ids[54]}"].status == "dead"  # the API does not know it
    assert not any(path.startswith("/abs") for path in served.hits)  # no page was fetched
    sizes = [len(batch) for _, batch in served.api_queries]
    assert sizes == [50, 6]
    assert served.api_queries[1][0] - served.api_queries[0][0] >= 0.5


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_a_run_with_no_links_is_not_offline() -> None:
    assert not CheckRun(total=0).offline


def test_a_run_gives_up_as_offline_once_enough_hosts_failed_and_none_answered() -> None:
    from dlreader.linkhealth.checker import Outcome
    from dlreader.linkhealth.run import OFFLINE_AFTER_HOSTS, OFFLINE_AFTER_LINKS

    def failed(n: int) -> Outcome:
        url = f"http://host{n % OFFLINE_AFTER_HOSTS}.invalid/{n}"
        return Outcome(LinkRecord(url, "error", "2026-12-01T00:00:00Z"), reached=False)

    run = CheckRun(total=500)
    for n in range(OFFLINE_AFTER_LINKS - 1):
        run.add(failed(n))
    assert not run.looks_offline  # not enough links yet
    run.add(failed(OFFLINE_AFTER_LINKS))
    assert run.looks_offline and run.offline
    answered = CheckRun(total=500)
    answered.add(Outcome(LinkRecord("http://a.example/", "ok", "2026-12-01T00:00:00Z"), True))
    for n in range(OFFLINE_AFTER_LINKS * 2):
        answered.add(failed(n))
    assert not answered.looks_offline and not answered.offline
    one_host = CheckRun(total=500)
    for n in range(OFFLINE_AFTER_LINKS * 2):
        one_host.add(Outcome(LinkRecord(f"http://one.invalid/{n}", "error", "x"), False))
    assert not one_host.looks_offline  # one dead host is not the network


def test_catalog_urls_are_each_link_once_secondary_links_included() -> None:
    from dlreader.catalog.parser import parse_catalog
    from dlreader.linkhealth.run import catalog_urls

    catalog = parse_catalog(
        "# L\n\n## A\n\n"
        "- [Paper](https://a.example/p) - a paper. [Code](https://CODE.example/x), "
        "[Files](ftp://files.example/)\n"
        "- [Again](https://code.example/x)\n",
        "l.md",
    )
    first = next(iter(catalog.items.values()))
    assert [link.url for link in first.links] == ["https://code.example/x"]  # the parser's
    assert catalog_urls(catalog) == ["https://a.example/p", "https://code.example/x"]



def test_a_file_link_is_asked_with_head_and_with_get_when_head_is_refused(server) -> None:
    base, served = server
    found = check([base + "/files/paper.pdf", base + "/paper.pdf", base + "/files/missing.pdf"])
    assert found[base + "/files/paper.pdf"].status == "ok"
    assert served.hits["HEAD /files/paper.pdf"] == 1 and served.hits["/files/paper.pdf"] == 0
    # 501 to HEAD: asked again with GET.
    assert found[base + "/paper.pdf"].status == "ok"
    assert served.hits["HEAD /paper.pdf"] == 1 and served.hits["/paper.pdf"] == 1
    # A HEAD's no is confirmed with GET (which here says 200).
    assert found[base + "/files/missing.pdf"].status == "ok"
    assert served.hits["/files/missing.pdf"] == 1
