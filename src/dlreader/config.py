"""The user's own configuration: ``config.toml`` in the config dir (read, never written).

    theme = "nord"                    # the app's theme (else the one last chosen)
    default_list = "awesome-python"   # what --source is when it is not given
    [keys]
    toggle_read = "m"                 # an action id (``dlreader keys``) = its keys
    undo = "u,ctrl+z"

A file that cannot be used is one problem message naming the line, and the defaults: a
typo in a keymap must never keep the app from starting.
"""

from __future__ import annotations

import re
from pathlib import Path

from msgspec import Struct, field

from dlreader import locations
from dlreader.errors import describe
from dlreader.fsutil import read_regular_bytes

CONFIG_NAME = "config.toml"
CONFIG_LIMIT = 1 << 20  # a configuration file is a few lines
_LINE_OF_TOML_ERROR = re.compile(r"\(at line (\d+), column \d+\)")


def config_path() -> Path:
    return locations.config_dir() / CONFIG_NAME


class UserConfig(Struct, frozen=True):
    keys: dict[str, str] = field(default_factory=dict)  # action id -> keys, as written
    key_lines: dict[str, int] = field(default_factory=dict)  # action id -> its line
    theme: str | None = None
    default_list: str | None = None
    path: Path | None = None
    problem: str | None = None  # why the file (or part of it) is not used, naming the line

    def with_problem(self, line: int | None, what: str) -> UserConfig:
        """The defaults, and one message about the file."""
        where = f"{self.path}, line {line}" if line else str(self.path)
        return UserConfig(path=self.path, problem=f"{where}: {what}; the defaults are used")


def _line_of(text: str, name: str, section: str | None) -> int | None:
    """The line where ``name = ...`` is set (inside ``[section]`` when given)."""
    current: str | None = None
    pattern = re.compile(rf"""^\s*["']?{re.escape(name)}["']?\s*=""")
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"^\s*\[\s*([^\]]+?)\s*\]", line)
        if header:
            current = header.group(1).strip("\"'")
            continue
        if current == section and pattern.match(line):
            return number
    return None


def load_config(path: Path | None = None) -> UserConfig:
    """The user's configuration; a missing file is the defaults."""
    path = path or config_path()
    empty = UserConfig(path=path)
    try:
        text = read_regular_bytes(path, limit=CONFIG_LIMIT).decode("utf-8")
    except FileNotFoundError:
        return empty
    except UnicodeDecodeError as error:
        return empty.with_problem(None, f"not UTF-8 text (byte {error.start})")
    except OSError as error:
        return empty.with_problem(None, f"cannot be read ({describe(error)})")
    import tomllib  # only when there is a file: most users have none

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _LINE_OF_TOML_ERROR.search(str(error))
        reason = _LINE_OF_TOML_ERROR.sub("", str(error)).strip()
        return empty.with_problem(int(found.group(1)) if found else None,
                                  f"not valid TOML ({reason})")
    except RecursionError:
        return empty.with_problem(None, "not valid TOML (nested too deeply)")
    for name in ("theme", "default_list"):
        value = data.get(name)
        if value is not None and not (isinstance(value, str) and value.strip()):
            return empty.with_problem(_line_of(text, name, None), f"{name} must be a text")
    unknown = sorted(set(data) - {"theme", "default_list", "keys"})
    if unknown:
        return empty.with_problem(_line_of(text, unknown[0], None),
                                  f"unknown setting {unknown[0]!r} (theme, default_list, [keys])")
    table = data.get("keys", {})
    if not isinstance(table, dict):
        return empty.with_problem(_line_of(text, "keys", None), "keys must be a [keys] table")
    keys: dict[str, str] = {}
    lines: dict[str, int] = {}
    for action_id, value in table.items():
        line = _line_of(text, action_id, "keys") or 0
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            value = ",".join(value)
        if not isinstance(value, str) or not value.strip():
            return empty.with_problem(line or None, f"the keys of {action_id!r} must be a text "
                                      'such as "m" or "ctrl+k,f5"')
        keys[action_id] = value
        lines[action_id] = line
    return UserConfig(keys=keys, key_lines=lines, theme=data.get("theme"),
                      default_list=data.get("default_list"), path=path)
