"""Every combination renders clean: no leftover Jinja, formatted, lint-free, right files."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from noxfile import COMBINATIONS, Combination
from tests.conftest import Render

LEFTOVER_JINJA = re.compile(r"\{\{|\{%|%\}|\{#")


def _ids(combination: Combination) -> str:
    return combination.id


@pytest.fixture(params=COMBINATIONS, ids=_ids)
def project(request: pytest.FixtureRequest, rendered: Render) -> tuple[Combination, Path]:
    combination: Combination = request.param
    return combination, rendered(**combination.data())


def _text_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file() and ".git" not in path.parts]


def test_no_leftover_jinja(project: tuple[Combination, Path]) -> None:
    _, root = project
    leftovers = [
        str(path.relative_to(root))
        for path in _text_files(root)
        if LEFTOVER_JINJA.search(path.read_text(encoding="utf-8"))
    ]
    assert leftovers == []
    assert not [path for path in _text_files(root) if path.suffix == ".jinja"]


def test_rendered_code_needs_no_reformatting_and_passes_ruff(
    project: tuple[Combination, Path],
) -> None:
    _, root = project
    for command in (["ruff", "format", "--check", "--diff", "."], ["ruff", "check", "."]):
        result = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr


def test_files_match_the_answers(project: tuple[Combination, Path]) -> None:
    combination, root = project
    package = root / "src" / "my_service"
    jwt = combination.auth == "jwt"
    assert (package / "models" / "user.py").exists() is jwt
    assert (package / "api" / "routes" / "auth.py").exists() is jwt
    assert (package / "models" / "api_key.py").exists() is not jwt
    assert (package / "api" / "versioning.py").exists() is combination.api_versioning
    server = combination.database != "sqlite"
    dependencies = " ".join(_pyproject(root)["dependency-groups"]["dev"])
    assert ("testcontainers" in dependencies) is server


def test_dependencies_match_the_answers(project: tuple[Combination, Path]) -> None:
    combination, root = project
    runtime = " ".join(_pyproject(root)["project"]["dependencies"])
    driver = {"postgresql": "asyncpg", "mysql": "asyncmy", "sqlite": "aiosqlite"}
    for database, package in driver.items():
        assert (package in runtime) is (database == combination.database)
    assert ("pyjwt" in runtime) is (combination.auth == "jwt")
    # BackgroundTasks runs in process: no broker client may sneak in.
    for queue in ("celery", "arq", "redis"):
        assert queue not in runtime


def test_python_version_drives_the_targets(project: tuple[Combination, Path]) -> None:
    combination, root = project
    config = _pyproject(root)
    version = combination.python_version
    assert config["project"]["requires-python"] == f">={version}"
    assert config["tool"]["ruff"]["target-version"] == "py" + version.replace(".", "")
    assert config["tool"]["mypy"]["python_version"] == version


def test_answers_file_records_the_answers(project: tuple[Combination, Path]) -> None:
    combination, root = project
    answers = yaml.safe_load((root / ".copier-answers.yml").read_text(encoding="utf-8"))
    for question, value in combination.data().items():
        assert answers[question] == value
    assert answers["_src_path"]


def test_api_prefix_follows_versioning(project: tuple[Combination, Path]) -> None:
    combination, root = project
    paths = (root / "src" / "my_service" / "api" / "paths.py").read_text(encoding="utf-8")
    expected = '"/api/v1"' if combination.api_versioning else '"/api"'
    assert f"API_PREFIX = {expected}" in paths


def _pyproject(root: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
