from hypothesis import given, settings
from hypothesis import strategies as st

from dlreader.catalog.urls import (
    item_id_for_text,
    item_id_for_url,
    normalize_url,
    title_from_url,
)


def test_normalize_lowercases_scheme_and_host_only() -> None:
    assert normalize_url("HTTPS://Example.COM/Path?Q=A#Frag") == "https://example.com/Path?Q=A#Frag"


def test_normalize_drops_default_port_and_gives_empty_path_a_slash() -> None:
    assert normalize_url("http://example.com:80") == "http://example.com/"
    assert normalize_url("https://example.com:443/x") == "https://example.com/x"
    assert normalize_url("https://example.com:8443/x") == "https://example.com:8443/x"
    assert normalize_url("http://example.com") == normalize_url("http://example.com/")


def test_normalize_changes_nothing_else() -> None:
    url = "https://example.com/a/../B/?x=1&y=%2F"
    assert normalize_url(url) == url
    assert normalize_url("https://example.com/x/") != normalize_url("https://example.com/x")


def test_non_http_schemes_are_not_urls() -> None:
    for url in ("javascript:alert(1)", "file:///etc/passwd", "mailto:a@b.c", "ftp://x.org/",
                "#anchor", "relative/path.md", "http://", "http://[::1"):
        assert normalize_url(url) is None, url


def test_item_ids_are_short_stable_and_distinct() -> None:
    a = item_id_for_url("https://example.com/")
    assert a == item_id_for_url("https://example.com/")
    assert a.startswith("i-") and len(a) == 14 and a.isascii()
    assert a != item_id_for_url("https://example.com/x")
    same = item_id_for_text("kingma, dp and welling")
    assert item_id_for_text("Kingma,  DP\nand Welling") == same
    assert item_id_for_text("x").startswith("c-")


def test_title_from_url_is_host_and_path() -> None:
    assert title_from_url("https://nthu-datalab.github.io/ml/index.html") == (
        "nthu-datalab.github.io/ml/index.html"
    )
    assert title_from_url("http://www.mit.edu/~k2smith/") == "mit.edu/~k2smith"
    assert title_from_url("https://example.com/") == "example.com"


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"\Ahttps?://[a-zA-Z0-9.\-]{0,12}(:[0-9]{0,4})?(/[^\n]{0,20})?\Z"))
def test_the_canonical_fast_path_agrees_with_urlsplit(url: str) -> None:
    from dlreader.catalog.urls import _normalize_parsed

    assert normalize_url(url) == _normalize_parsed(url.strip())
