"""Rendering helpers shared by the template's own tests."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from noxfile import COMBINATIONS, Combination, render  # noqa: E402 - importable once the root is on sys.path

Render = Callable[..., Path]

# A variable set or documented (commented out) in a .env file.
ENV_VARIABLE = re.compile(r"^#? ?([A-Z][A-Z0-9_]*)=", re.MULTILINE)


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


def _ids(combination: Combination) -> str:
    return combination.id


@pytest.fixture(params=COMBINATIONS, ids=_ids)
def project(request: pytest.FixtureRequest, rendered: Render) -> tuple[Combination, Path]:
    """Every combination of the matrix, rendered (once per session)."""
    combination: Combination = request.param
    return combination, rendered(**combination.data())
