"""Fixtures of the app's pilot tests: ``async with running_app(...) as (app, pilot):``."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from app_harness import RunningApp, run_app


@pytest.fixture
def running_app(tmp_path: Path) -> RunningApp:
    """``running_app(list_path=None, *, size=BIG, **make_app options)``: an async context
    manager giving the app over a real store in tmp_path, its catalog loaded, and its pilot."""
    return partial(run_app, tmp_path)
