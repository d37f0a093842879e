"""The app's remembered preferences (the theme), in ``config_dir()/settings.json``.

Settings are a convenience: a missing or unreadable file means defaults, and a failed
write is reported to the caller, never fatal.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from dlreader import locations

SETTINGS_NAME = "settings.json"


def settings_path() -> Path:
    return locations.config_dir() / SETTINGS_NAME


def load_settings() -> dict[str, Any]:
    """The saved settings, or ``{}`` when there are none or they cannot be read."""
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_settings(settings: dict[str, Any]) -> Path:
    """Write the settings atomically (a temporary file renamed over the old one)."""
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(settings, stream, indent=2, sort_keys=True)
            stream.write("\n")
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def load_theme() -> str | None:
    theme = load_settings().get("theme")
    return theme if isinstance(theme, str) and theme else None


def save_theme(theme: str) -> Path:
    settings = load_settings()
    settings["theme"] = theme
    return save_settings(settings)
