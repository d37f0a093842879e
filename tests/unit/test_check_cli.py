"""``dlreader check`` end to end: links.json, offline, a damaged file, Ctrl+C, --older-than."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_support import run_cli
from link_server import link_server

from dlreader.cli import main
from dlreader.errors import EXIT_INTERRUPTED, EXIT_OFFLINE


def write_list(path: Path, urls: list[str]) -> Path:
    lines = ["# Links", ""] + [f"- [{url}]({url})" for url in urls]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def links_file(data: Path) -> dict:
    return json.loads((data / "links.json").read_text(encoding="utf-8"))["links"]


@pytest.fixture
def server():
    with link_server() as running:
        yield running


def test_check_records_results_in_links_json_and_reports_trouble(
    tmp_path: Path, server, capsys: pytest.CaptureFixture[str]
) -> None:
    base, served = server
    source = write_list(tmp_path / "list.md", [base + "/ok", base + "/missing", base + "/moved"])
    data = tmp_path / "data"
    code, out, err = run_cli(capsys, "--source", str(source), "--data-dir", str(data), "check")
    assert code == 0, err
    links = links_file(data)
    assert links[base + "/ok"]["status"] == "ok"
    assert links[base + "/ok"]["title"] == "Page /ok"
    assert links[base + "/missing"] == {
        "status": "dead", "code": 404, "checked": links[base + "/missing"]["checked"],
        "reason": "HTTP 404", "first_seen": links[base + "/missing"]["first_seen"],
    }
    assert links[base + "/moved"]["moved_to"] == base + "/ok-new"
    assert f"dead     404  {base}/missing (HTTP 404)" in out
    assert f"moved    200  {base}/moved -> {base}/ok-new" in out
    assert "checked 3 links: 1 ok, 1 moved, 1 dead" in err
    assert "(100%)" in err  # a progress line per 10% without a terminal
    # Checked again at once: nothing is due; --older-than 0 checks everything again.
    code, _, err = run_cli(capsys, "--source", str(source), "--data-dir", str(data), "check")
    assert code == 0 and "nothing to check" in err
    assert served.hits["/ok"] == 1
    code, out, _ = run_cli(capsys, "--source", str(source), "--data-dir", str(data), "check",
                           "--older-than", "0", "--format", "json")
    assert code == 0 and served.hits["/ok"] == 2
    assert {row["url"]: row["status"] for row in json.loads(out)}[base + "/missing"] == "dead"


def test_offline_marks_nothing_and_exits_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    source = write_list(tmp_path / "list.md", [
        f"http://127.0.0.1:{closed}/a", f"http://127.0.0.1:{closed}/b", "http://nowhere.invalid/",
    ])
    data = tmp_path / "data"
    code, _, err = run_cli(capsys, "--source", str(source), "--data-dir", str(data), "check")
    assert code == EXIT_OFFLINE
    assert "you appear to be offline" in err
    assert "Traceback" not in err
    assert not (data / "links.json").exists()


def test_a_damaged_links_json_is_set_aside_and_rebuilt(
    tmp_path: Path, server, capsys: pytest.CaptureFixture[str]
) -> None:
    base, _ = server
    source = write_list(tmp_path / "list.md", [base + "/ok"])
    data = tmp_path / "data"
    data.mkdir()
    (data / "links.json").write_text('{"format": "dlreader-links", "links": {', encoding="utf-8")
    code, _, err = run_cli(capsys, "--source", str(source), "--data-dir", str(data), "check")
    assert code == 0, err
    assert "was damaged: kept as links.json.damaged-" in err
    kept = list(data.glob("links.json.damaged-*"))
    assert len(kept) == 1
    assert kept[0].read_text(encoding="utf-8") == '{"format": "dlreader-links", "links": {'
    assert links_file(data)[base + "/ok"]["status"] == "ok"


def test_bad_options_are_one_line_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for option in (["--per-host", "0"], ["--timeout", "-1"], ["--older-than", "soon"]):
        with pytest.raises(SystemExit) as exit_info:
            main(["check", *option])
        assert exit_info.value.code == 2
        assert "error:" in capsys.readouterr().err


def test_ctrl_c_mid_check_keeps_what_was_checked(tmp_path: Path, server) -> None:
    base, _ = server
    # With one request at a time, the 10% line comes when the three quick links are done.
    urls = [f"{base}/ok-{n}" for n in range(3)] + [f"{base}/hang?{n}" for n in range(27)]
    source = write_list(tmp_path / "list.md", urls)
    data = tmp_path / "data"
    process = subprocess.Popen(
        [sys.executable, "-m", "dlreader", "--source", str(source), "--data-dir", str(data),
         "check", "--per-host", "1", "--concurrency", "1", "--timeout", "20"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        # Ctrl+C reaches a command run in a terminal. A test run started in the background
        # (`pytest &`) inherits SIGINT ignored, as a shell gives its background jobs, and
        # the command then rightly ignores it too: give it the terminal's default.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stderr is not None
    seen = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        seen.append(line)
        if "(10%)" in line or not line:
            break
    assert any("(10%)" in line for line in seen), seen
    process.send_signal(signal.SIGINT)
    _, rest = process.communicate(timeout=30)
    assert process.returncode == EXIT_INTERRUPTED, rest
    assert "interrupted: 3 of 30 checked and kept" in rest
    assert "Traceback" not in rest
    links = links_file(data)
    assert sorted(links) == sorted(urls[:3])


def test_list_and_dump_show_link_fields_and_fetched_titles(
    tmp_path: Path, server, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from link_server import atom_entry

    base, served = server
    monkeypatch.setenv("DLREADER_ARXIV_API", base + "/api/query")
    served.papers["1905.13405"] = atom_entry("1905.13405", "A paper", ["Ada Lovelace"], 2019)
    source = tmp_path / "list.md"
    source.write_text(
        "# Links\n\n"
        f"- {base}/ok-bare\n"
        f"- [The list's own title]({base}/ok-titled)\n"
        f"- [{base}/missing]({base}/missing)\n"
        "- https://arxiv.org/abs/1905.13405\n"
        f"- [Never checked]({base}/ok-later)\n",
        encoding="utf-8",
    )
    common = ("--source", str(source), "--data-dir", str(tmp_path / "data"))
    code, _, err = run_cli(capsys, *common, "check", "--topic", "Links")
    assert code == 0, err
    (tmp_path / "data" / "links.json").write_text(
        (tmp_path / "data" / "links.json").read_text().replace(f'"{base}/ok-later"', '"x"'))
    code, out, _ = run_cli(capsys, *common, "list", "--format", "json")
    rows = {row["url"]: row for row in json.loads(out)}
    bare = rows[base + "/ok-bare"]
    assert bare["title"] == f"{base[7:]}/ok-bare"  # the list's title stays what it is
    assert bare["page_title"] == "Page /ok-bare"
    assert bare["link"] == {"status": "ok", "code": 200, "moved_to": None,
                            "checked": bare["link"]["checked"]}
    assert rows[base + "/missing"]["link"]["status"] == "dead"
    paper = rows["https://arxiv.org/abs/1905.13405"]
    assert (paper["page_title"], paper["authors"], paper["year"]) == (
        "A paper", ["Ada Lovelace"], 2019)
    assert rows[base + "/ok-later"]["link"]["status"] == "unchecked"
    code, out, _ = run_cli(capsys, *common, "list")
    assert "~Page /ok-bare" in out  # fetched, and marked as such
    assert "~A paper" in out
    assert "The list's own title" in out and "~Page /ok-titled" not in out
    code, out, _ = run_cli(capsys, *common, "dump")
    items = {item["url"]: item for item in json.loads(out)["items"]}
    assert items[base + "/ok-titled"]["page_title"] == "Page /ok-titled"
    assert items[base + "/ok-titled"]["link"]["status"] == "ok"


def _check_on_a_terminal(tmp_path: Path, base: str, env: dict[str, str]) -> str:
    """``dlreader check`` with its stderr on a pty: everything the terminal got."""
    import pty
    import select

    source = write_list(tmp_path / "list.md", [f"{base}/ok-{n}" for n in range(20)])
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "dlreader", "--source", str(source), "--data-dir",
         str(tmp_path / "data"), "check"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=follower,
        env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", **env},
    )
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process is gone
                break
            if not chunk:
                break
            seen += chunk
        elif process.poll() is not None:
            break
    os.close(leader)
    assert process.wait(timeout=30) == 0
    return seen.decode("utf-8", "replace")


def test_on_a_terminal_the_progress_is_a_rich_bar(tmp_path: Path, server) -> None:
    text = _check_on_a_terminal(tmp_path, server[0], {})
    assert "checking links" in text  # Rich's bar, drawn and then cleared
    assert "\x1b[" in text and "[2K" not in text.replace("\x1b[2K", "")  # its controls intact
    assert "(10%)" not in text  # the line-per-10% form is for logs only
    assert "checked 20 links: 20 ok" in text


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_no_color_or_a_dumb_terminal_get_plain_lines(tmp_path: Path, server,
                                                     env: dict[str, str]) -> None:
    text = _check_on_a_terminal(tmp_path, server[0], env)
    assert "\x1b" not in text  # no colour, no cursor movement
    assert "(10%)" in text and "checked 20 links: 20 ok" in text


def test_a_list_without_web_links_has_nothing_to_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "list.md"
    source.write_text("# L\n\n- [Files](ftp://files.example/x)\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "--source", str(source), "--data-dir", str(tmp_path / "d"),
                           "check")
    assert code == 0 and "no http(s) links here" in err
