"""Remote lists against a real HTTP server on 127.0.0.1 that each test starts.

Never another address: the GitHub raw base is pointed at the local server.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from cli_support import run_cli, run_fresh

from dlreader.errors import EXIT_USAGE
from dlreader.sources import remote
from dlreader.sources.download import DownloadError, NotFound, Unreachable, download
from dlreader.sources.kept import copy_path, facts_path, read_facts
from dlreader.sources.spec import page_base, remote_spec

LIST_V1 = "# Tools\n\n## Editors\n- [Vim](https://www.vim.org/)\n- [Emacs](https://www.gnu.org/software/emacs/)\n"
LIST_V2 = LIST_V1 + "- [Helix](https://helix-editor.com/)\n"


def data_dir() -> Path:
    return Path(os.environ["DLREADER_DATA_DIR"])


def test_a_url_is_downloaded_once_kept_with_its_etag_and_listed(list_server, capsys) -> None:
    list_server.serve_list("/tools.md", LIST_V1, etag='"v1"')
    url = list_server.url("/tools.md")
    code, out, err = run_cli(capsys, "--source", url, "list", "--format", "json")
    assert code == 0, err
    assert [row["title"] for row in json.loads(out)] == ["Vim", "Emacs"]
    copy = copy_path(data_dir(), url)
    assert copy.read_text(encoding="utf-8") == LIST_V1
    facts = read_facts(copy)
    assert facts is not None and facts.etag == '"v1"'
    assert facts.last_modified == "Tue, 01 Dec 2026 10:00:00 GMT"
    # A fresh copy is not asked for again.
    code, out, _ = run_cli(capsys, "--source", url, "list", "--format", "json")
    assert code == 0 and len(json.loads(out)) == 2
    assert len(list_server.requests) == 1


def test_update_sends_the_etag_handles_304_and_takes_a_changed_list(list_server, capsys) -> None:
    list_server.serve_list("/tools.md", LIST_V1, etag='"v1"')
    url = list_server.url("/tools.md")
    assert run_cli(capsys, "--source", url, "list")[0] == 0
    code, _, err = run_cli(capsys, "--source", url, "update")
    assert code == 0 and "already up to date" in err
    assert list_server.requests[-1][1]["if-none-match"] == '"v1"'
    list_server.serve_list("/tools.md", LIST_V2, etag='"v2"')  # the list changed
    code, _, err = run_cli(capsys, "--source", url, "update")
    assert code == 0 and "newer version" in err
    assert copy_path(data_dir(), url).read_text(encoding="utf-8") == LIST_V2
    code, out, _ = run_cli(capsys, "--source", url, "list", "--format", "json")
    assert [row["title"] for row in json.loads(out)] == ["Vim", "Emacs", "Helix"]


def test_github_repo_tries_readme_names_after_a_404(list_server, capsys, monkeypatch) -> None:
    monkeypatch.setenv("DLREADER_GITHUB_RAW", list_server.base)
    list_server.serve_list("/owner/awesome-x/HEAD/readme.md", LIST_V1)
    code, out, err = run_cli(capsys, "--source", "github:owner/awesome-x", "list", "--format",
                             "json")
    assert code == 0, err
    assert len(json.loads(out)) == 2
    asked = [path for path, _ in list_server.requests]
    assert asked == ["/owner/awesome-x/HEAD/README.md", "/owner/awesome-x/HEAD/readme.md"]
    # The next update asks for the name that exists first.
    run_cli(capsys, "--source", "github:owner/awesome-x", "update")
    assert list_server.requests[-1][0] == "/owner/awesome-x/HEAD/readme.md"


def test_a_repo_without_any_readme_is_a_clear_error(list_server, capsys, monkeypatch) -> None:
    monkeypatch.setenv("DLREADER_GITHUB_RAW", list_server.base)
    code, _, err = run_cli(capsys, "--source", "github:owner/none", "list")
    assert code == EXIT_USAGE
    assert "404" in err and "README" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_redirect_is_followed(list_server, capsys) -> None:
    from conftest import Reply

    list_server.serve_list("/new.md", LIST_V1)
    list_server.routes["/old.md"] = Reply(301, b"", {"Location": list_server.url("/new.md")})
    code, out, err = run_cli(capsys, "--source", list_server.url("/old.md"), "list",
                             "--format", "json")
    assert code == 0, err
    assert len(json.loads(out)) == 2


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        ("caf\xe9".encode("latin-1") + b"\n# T\n", "text/plain", "not UTF-8"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "text/plain", "HTML page"),
        (b"<html>x</html>", "text/html; charset=utf-8", "text/html, not a markdown list"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "text/plain", "binary"),
    ],
)
def test_a_body_that_is_not_a_markdown_list_is_refused(
    list_server, capsys, body: bytes, content_type: str, expected: str
) -> None:
    from conftest import Reply

    list_server.routes["/bad"] = Reply(200, body, {"Content-Type": content_type})
    code, _, err = run_cli(capsys, "--source", list_server.url("/bad"), "list")
    assert code == EXIT_USAGE
    assert expected in err and "Traceback" not in err
    assert not copy_path(data_dir(), list_server.url("/bad")).exists()


def test_a_body_over_the_size_limit_is_refused(list_server) -> None:
    from conftest import Reply

    body = b"# T\n" + b"x" * 5000
    list_server.routes["/big.md"] = Reply(200, body, {"Content-Type": "text/plain"})
    with pytest.raises(DownloadError, match="larger than the 4096 B"):
        download(list_server.url("/big.md"), max_bytes=4096)
    assert download(list_server.url("/big.md"), max_bytes=10_000).body is not None


def test_a_server_that_never_answers_times_out_as_offline(
    silent_server, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("DLREADER_HTTP_TIMEOUT", "0.5")
    started = time.monotonic()
    code, _, err = run_cli(capsys, "--source", silent_server + "/list.md", "list")
    assert time.monotonic() - started < 10
    assert code == EXIT_USAGE
    assert "did not answer within 0.5 s" in err and "offline" in err
    assert "no copy of it is kept yet" in err


def test_offline_with_no_kept_copy_says_offline(closed_port_url, capsys) -> None:
    code, _, err = run_cli(capsys, "--source", closed_port_url + "/list.md", "topics")
    assert code == EXIT_USAGE
    assert "offline" in err and "no copy of it is kept yet" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_offline_a_stale_kept_copy_opens_with_a_notice(list_server, capsys, monkeypatch) -> None:
    list_server.serve_list("/tools.md", LIST_V1)
    url = list_server.url("/tools.md")
    assert run_cli(capsys, "--source", url, "list")[0] == 0
    copy = copy_path(data_dir(), url)
    facts = json.loads(facts_path(copy).read_text())
    facts["checked"] = time.time() - 2 * remote.STALE_SECONDS
    facts_path(copy).write_text(json.dumps(facts))
    list_server.stop()  # nothing listens any more: offline
    code, out, err = run_cli(capsys, "--source", url, "list", "--format", "json")
    assert code == 0, err
    assert "offline: using the copy" in err
    assert len(json.loads(out)) == 2


def test_a_stale_copy_is_refreshed_by_a_command(list_server, capsys) -> None:
    list_server.serve_list("/tools.md", LIST_V1, etag='"v1"')
    url = list_server.url("/tools.md")
    run_cli(capsys, "--source", url, "list")
    copy = copy_path(data_dir(), url)
    facts = json.loads(facts_path(copy).read_text())
    facts["checked"] -= 2 * remote.STALE_SECONDS
    facts_path(copy).write_text(json.dumps(facts))
    list_server.serve_list("/tools.md", LIST_V2, etag='"v2"')
    code, out, err = run_cli(capsys, "--source", url, "list", "--format", "json")
    assert code == 0 and "newer version" in err
    assert len(json.loads(out)) == 3


def test_update_of_a_local_list_is_a_usage_error(capsys, seed_path) -> None:
    code, _, err = run_cli(capsys, "--source", str(seed_path), "update")
    assert code == EXIT_USAGE and "remote list" in err


def test_not_found_is_its_own_error(list_server) -> None:
    with pytest.raises(NotFound):
        download(list_server.url("/missing.md"))


def test_unreachable_is_offline(closed_port_url) -> None:
    with pytest.raises(Unreachable, match="offline"):
        download(closed_port_url + "/x.md", timeout=2)


def test_github_specs_and_page_bases(monkeypatch) -> None:
    monkeypatch.delenv("DLREADER_GITHUB_RAW", raising=False)
    spec = remote_spec("github:vinta/awesome-python")
    assert spec.urls[0] == "https://raw.githubusercontent.com/vinta/awesome-python/HEAD/README.md"
    assert spec.base_url == "https://github.com/vinta/awesome-python/blob/HEAD/"
    assert spec.name == "awesome-python"
    assert page_base("https://raw.githubusercontent.com/o/r/main/docs/README.md") == (
        "https://github.com/o/r/blob/main/docs/")
    assert page_base("https://example.org/lists/x.md") == "https://example.org/lists/x.md"
    with pytest.raises(DownloadError.__mro__[1], match="github:owner/repo"):
        remote_spec("github:no-slash")


def test_a_copy_with_damaged_facts_is_still_used_offline(list_server, capsys) -> None:
    list_server.serve_list("/tools.md", LIST_V1)
    url = list_server.url("/tools.md")
    assert run_cli(capsys, "--source", url, "list")[0] == 0
    facts_path(copy_path(data_dir(), url)).write_text("{not json")
    list_server.stop()
    code, out, err = run_cli(capsys, "--source", url, "list", "--format", "json")
    assert code == 0, err
    assert "offline: using the copy" in err and len(json.loads(out)) == 2


def test_relative_links_of_a_github_readme_become_its_pages(
    list_server, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("DLREADER_GITHUB_RAW", list_server.base)
    readme = ("# Awesome X\n\n## Guides\n- [Guide](./docs/guide.md) - how to start.\n"
              "- [Tool](https://tool.example/)\n")
    list_server.serve_list("/owner/awesome-x/HEAD/README.md", readme)
    code, out, err = run_cli(capsys, "--source", "github:owner/awesome-x", "list", "--format",
                             "json")
    assert code == 0, err
    assert [row["url"] for row in json.loads(out)] == [
        "https://github.com/owner/awesome-x/blob/HEAD/docs/guide.md", "https://tool.example/"]


def test_relative_links_of_a_plain_url_resolve_against_it(list_server, capsys) -> None:
    list_server.serve_list("/lists/tools.md", "# T\n\n## A\n- [Next](../more/next.md)\n")
    code, out, err = run_cli(capsys, "--source", list_server.url("/lists/tools.md"), "list",
                             "--format", "json")
    assert code == 0, err
    assert [row["url"] for row in json.loads(out)] == [list_server.url("/more/next.md")]


def test_opening_a_kept_copy_imports_no_httpx(list_server, capsys) -> None:
    """A remote list opened from its fresh kept copy needs no network, so the launch does
    not pay for importing httpx before the tree (a stale copy's refresh imports it later,
    in the background)."""
    list_server.serve_list("/tools.md", LIST_V1)
    url = list_server.url("/tools.md")
    assert run_cli(capsys, "--source", url, "list")[0] == 0  # downloaded and kept
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from dlreader.sources.opening import open_source\n"
        "import dlreader.commands.launch, dlreader.app.app\n"
        f"opened = open_source({url!r}, Path({str(data_dir())!r}), refresh_stale=True)\n"
        "assert opened.path.read_text(encoding='utf-8').startswith('# Tools')\n"
        "print('httpx' in sys.modules)\n"
    )
    assert run_fresh(code) == "False"
    assert len(list_server.requests) == 1  # the copy was used, not downloaded again
