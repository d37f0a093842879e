"""``dlreader dump --format json`` in a real subprocess, and its errors."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from cli_support import run_dlreader


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run_dlreader(args, capture_output=True, cwd=cwd)


def test_dump_default_list_as_json(tmp_path: Path) -> None:
    result = run("dump", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["name"] == "Science of Deep Learning"
    assert data["source"].endswith("science-of-deep-learning.md")
    assert len(data["topics"]) == 37
    topic = data["topics"][0]
    assert set(topic) >= {"id", "title", "level", "parent", "line", "items", "passages"}
    item = data["items"][0]
    assert set(item) >= {"id", "url", "title", "description", "links", "titles", "topics",
                         "line"}
    kinds = {p["kind"] for t in data["topics"] for p in t["passages"]}
    assert kinds == {"quote", "blockquote", "math", "image", "text"}
    assert "σ" in result.stdout  # not escaped: ensure_ascii=False
    assert "Textual" not in result.stderr


def test_dump_source_option(tmp_path: Path) -> None:
    path = tmp_path / "mine.md"
    path.write_text("# Mine\n- https://mine.org/\n", encoding="utf-8")
    result = run("--source", str(path), "dump")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [t["title"] for t in data["topics"]] == ["Mine"]
    assert data["items"][0]["url"] == "https://mine.org/"


def test_dump_json_gives_each_items_description_and_links(tmp_path: Path) -> None:
    path = tmp_path / "tools.md"
    path.write_text("# Tools\n\n- [Ant](https://ant.org/) - Builds. "
                    "([Source Code](https://github.com/a/ant))\n", encoding="utf-8")
    result = run("--source", str(path), "dump", "--format", "json")
    assert result.returncode == 0, result.stderr
    (item,) = json.loads(result.stdout)["items"]
    assert item["title"] == "Ant" and item["url"] == "https://ant.org/"
    assert item["description"] == "Builds."  # the link's name is in its links
    assert item["links"] == [{"title": "Source Code", "url": "https://github.com/a/ant"}]
    assert item["topics"] == [json.loads(result.stdout)["topics"][0]["id"]]


def test_bad_source_is_one_line_exit_2_no_traceback(tmp_path: Path) -> None:
    binary = tmp_path / "bin.md"
    binary.write_bytes(b"\x00\x01")
    latin = tmp_path / "latin.md"
    latin.write_bytes("caf\u00e9".encode("latin-1"))
    for path in (tmp_path / "missing.md", tmp_path, binary, latin):
        result = run("--source", str(path), "dump")
        assert result.returncode == 2
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and str(path) in lines[0], result.stderr
        assert "Traceback" not in result.stderr


def test_empty_source_warns_on_stderr(tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    result = run("--source", str(empty), "dump")
    assert result.returncode == 0
    assert json.loads(result.stdout)["topics"] == []
    assert "warning" in result.stderr and "empty" in result.stderr
