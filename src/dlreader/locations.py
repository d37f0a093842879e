"""Where dlreader keeps things: the bundled list, per-user state, the parse cache.

Every location can be overridden from the environment so tests (and careful users) can
point dlreader at a temporary directory:

- ``DLREADER_DATA_DIR``: the directory holding ``<user>.json`` stores and ``backups/``.
- ``DLREADER_CACHE_DIR``: the directory holding the parsed-catalog cache.
- ``DLREADER_CONFIG_DIR``: the directory holding ``settings.json`` (theme and the like).
"""

from __future__ import annotations

import getpass
import os
import re
from pathlib import Path

from dlreader.errors import UsageError

APP_NAME = "dlreader"
DEFAULT_LIST_NAME = "science-of-deep-learning.md"

# A user name names a file inside the data dir; it is never a path.
_USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def _env_dir(variable: str) -> Path | None:
    value = os.environ.get(variable)
    return Path(value).expanduser() if value else None


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return _env_dir("DLREADER_DATA_DIR") or Path(user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return _env_dir("DLREADER_CACHE_DIR") or Path(user_cache_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    from platformdirs import user_config_dir

    return _env_dir("DLREADER_CONFIG_DIR") or Path(user_config_dir(APP_NAME, appauthor=False))


def default_user() -> str:
    try:
        name = getpass.getuser()
    except Exception:  # no login name (containers without a passwd entry)
        name = "default"
    return name if _USER_NAME.match(name) else "default"


def check_user_name(name: str) -> str:
    if not _USER_NAME.match(name) or name in {".", ".."}:
        raise UsageError(
            f"invalid user name {name!r}: use letters, digits, '.', '_' or '-' "
            "(at most 64, not starting with '.'); a user name is never a path"
        )
    return name


def store_path(user: str, data_dir_override: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(data_dir_override) / f"{check_user_name(user)}.json"


def default_list_path() -> Path:
    """The bundled seed list: inside the wheel, or ``data/`` in a source checkout."""
    # The wheel installs data/ inside the package directory (a plain path, so no need for
    # importlib.resources, which costs start-up time).
    package_dir = Path(__file__).resolve().parent
    packaged = package_dir / "data" / DEFAULT_LIST_NAME
    if packaged.is_file():
        return packaged
    return package_dir.parents[1] / "data" / DEFAULT_LIST_NAME
