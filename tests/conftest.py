"""Rendering helpers shared by the template's own tests."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from noxfile import COMBINATIONS, Combination, checks_env, render  # noqa: E402 - importable once the root is on sys.path

Render = Callable[..., Path]

# A variable set or documented (commented out) in a .env file.
ENV_VARIABLE = re.compile(r"^#? ?([A-Z][A-Z0-9_]*)=", re.MULTILINE)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Render:
    """Render each answer set once per run and reuse it (read-only: copy it to change it).

    Shared by the xdist workers: each had rendered all 50 combinations for itself. The
    cache lives in the run's own base temp dir, which pytest empties at the next run, so
    the template as this run renders it is the only content it can hold; a lock per answer
    set makes the first worker to ask render it while another waits.
    """
    base = tmp_path_factory.getbasetemp()
    # A worker's base temp dir is <the run's>/popen-gwN.
    cache = (base.parent if "PYTEST_XDIST_WORKER" in os.environ else base) / "rendered"
    cache.mkdir(exist_ok=True)

    def get(**data: Any) -> Path:
        key = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]
        project, done = cache / key, cache / f"{key}.done"
        with FileLock(cache / f"{key}.lock"):
            if not done.exists():
                shutil.rmtree(project, ignore_errors=True)  # what a failed render left
                render(project, **data)
                done.touch()
        return project

    return get


def _ids(combination: Combination) -> str:
    return combination.id


@pytest.fixture(params=COMBINATIONS, ids=_ids)
def project(request: pytest.FixtureRequest, rendered: Render) -> tuple[Combination, Path]:
    """Every combination of the matrix, rendered (once per session)."""
    combination: Combination = request.param
    return combination, rendered(**combination.data())


def project_checks_environment(combination: Combination) -> dict[str, str]:
    """This process's environment as a rendered project's checks see it in the matrix:
    the same local services, none of the variables that would aim uv elsewhere."""
    merged = {**os.environ, **checks_env(combination)}
    return {name: value for name, value in merged.items() if value is not None}


def check(command: list[str], project: Path, env: dict[str, str]) -> None:
    """Run a command in a rendered project; its output is the failure message."""
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}"
