"""Rendering helpers shared by the template's own tests."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from noxfile import render  # noqa: E402 - importable once the root is on sys.path

Render = Callable[..., Path]


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Render:
    """Render each answer set once per test session and reuse it."""
    cache: dict[tuple[tuple[str, Any], ...], Path] = {}

    def get(**data: Any) -> Path:
        key = tuple(sorted(data.items()))
        if key not in cache:
            cache[key] = render(tmp_path_factory.mktemp("project"), **data)
        return cache[key]

    return get
