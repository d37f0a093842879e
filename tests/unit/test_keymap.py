"""The key table, config.toml's [keys], theme and default_list, and `dlreader keys`."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from cli_support import run_cli

from dlreader import locations
from dlreader.app.keys import KEYS, KEYS_BY_ID, display_key, help_rows, resolve_keymap
from dlreader.config import load_config


def write_config(text: str) -> Path:
    path = locations.config_dir() / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_each_action_is_in_the_table_once_with_keys_that_do_not_clash() -> None:
    assert len(KEYS_BY_ID) == len(KEYS)
    owners: dict[str, str] = {}
    for entry in KEYS:
        for key in entry.default_keys:
            assert key not in owners, (key, owners.get(key), entry.id)
            owners[key] = entry.id
    assert resolve_keymap(load_config()) == ({}, None)  # no file: the defaults


def test_a_keymap_rebinds_and_the_help_shows_the_users_key() -> None:
    write_config('theme = "nord"\ndefault_list = "awesome"\n[keys]\ntoggle_read = "m"\n'
                 'undo = ["u", "ctrl+z", "f5"]\n')
    config = load_config()
    assert (config.theme, config.default_list, config.problem) == ("nord", "awesome", None)
    keymap, problem = resolve_keymap(config)
    assert problem is None
    assert keymap == {"toggle_read": "m", "undo": "u,ctrl+z,f5"}
    rows = dict(row for _group, group_rows in help_rows(keymap) for row in group_rows)
    assert rows["m"] == KEYS_BY_ID["toggle_read"].description
    assert rows["u  Ctrl+Z  F5"] == KEYS_BY_ID["undo"].description


@pytest.mark.parametrize(("text", "line", "words"), [
    ("[keys]\ntoggle_read = \n", 2, "not valid TOML"),
    ("[keys]\n\ntoggel_read = 'm'\n", 3, "no action 'toggel_read'"),
    ("[keys]\ntoggle_read = 'n'\n", 2, "n would be both toggle_read and edit_note"),
    ("[keys]\ncopy_url = 'm'\n\nopen_url = 'm'\n", 4, "m would be both open_url and copy_url"),
    ("[keys]\nundo = 'ctlr+z'\n", 2, "'ctlr' is not a modifier"),
    ("[keys]\nundo = 3\n", 2, "must be a text"),
    ("colour = 'red'\n", 1, "unknown setting 'colour'"),
    ("[keys]\nsearch = 'j'\n", 2, "j moves in the panes"),
])
def test_a_bad_file_is_one_message_naming_the_line_and_the_defaults(
    text: str, line: int, words: str
) -> None:
    path = write_config(text)
    config = load_config()
    keymap, problem = resolve_keymap(config)
    message = config.problem or problem
    assert keymap == {}
    assert message is not None and "\n" not in message
    assert message.startswith(f"{path}, line {line}: ") and words in message, message
    assert message.endswith("the defaults are used")


def test_not_utf8_is_a_message_too() -> None:
    path = locations.config_dir() / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"[keys]\nundo = '\xff'\n")
    assert load_config().problem == f"{path}: not UTF-8 text (byte 15); the defaults are used"


def test_dlreader_keys_prints_the_table_in_force(capsys: pytest.CaptureFixture[str]) -> None:
    write_config("[keys]\ntoggle_read = 'm'\n")
    code, out, err = run_cli(capsys, "keys", "--format", "json")
    assert code == 0 and err == ""
    rows = json.loads(out)
    assert [row["id"] for row in rows] == [entry.id for entry in KEYS]
    by_id = {row["id"]: row for row in rows}
    assert by_id["toggle_read"] == {"id": "toggle_read", "keys": ["m"], "group": "Marking",
                                    "description": KEYS_BY_ID["toggle_read"].description}
    assert by_id["undo"]["keys"] == ["u", "ctrl+z"]
    code, out, err = run_cli(capsys, "keys")
    assert code == 0
    assert any(line.split()[:2] == ["toggle_read", "m"] for line in out.splitlines()), out
    assert any(line.split()[:3] == ["undo", "u", "Ctrl+Z"] for line in out.splitlines()), out


def test_dlreader_keys_with_a_bad_file_says_so_and_prints_the_defaults(
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_config("[keys]\nnope = 'm'\n")
    code, out, err = run_cli(capsys, "keys", "--format", "json")
    assert code == 0
    assert err.startswith("dlreader: ") and "line 2" in err and len(err.splitlines()) == 1
    assert {row["id"]: row["keys"] for row in json.loads(out)}["toggle_read"] == ["space"]


def test_display_names() -> None:
    assert [display_key(k) for k in ("ctrl+z", "question_mark", "slash", "space", "E", "f5")] \
        == ["Ctrl+Z", "?", "/", "space", "E", "F5"]


def test_default_list_opens_when_no_source_is_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.md"
    other.write_text("# Other\n\n## Only\n\n- [One](https://example.org/one)\n", "utf-8")
    write_config(f"default_list = {json.dumps(str(other))}\n")
    code, out, err = run_cli(capsys, "dump", "--format", "json")
    assert code == 0, err
    assert [item["url"] for item in json.loads(out)["items"]] == ["https://example.org/one"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(shell: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "completion", shell)
    assert code == 0 and err == ""
    for command in ("mark", "list", "state", "keys", "completion"):
        assert command in out
    assert "--status" in out


def test_the_bash_completion_completes_commands(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    bash = "/bin/bash"
    if not os.path.exists(bash):
        pytest.skip("bash is not installed")
    run_cli(capsys, "completion", "bash")
    script = tmp_path / "dlreader.bash"
    code, out, _ = run_cli(capsys, "completion", "bash")
    script.write_text(out, encoding="utf-8")
    probe = (f"source {script}; COMP_WORDS=(dlreader sta); COMP_CWORD=1; "
             "_shtab_dlreader; printf '%s\\n' \"${COMPREPLY[@]}\"")
    done = subprocess.run([bash, "-c", probe], capture_output=True, text=True, timeout=20)
    assert "state" in done.stdout.split(), (done.stdout, done.stderr)
