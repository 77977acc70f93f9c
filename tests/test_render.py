"""Every combination renders clean: no leftover Jinja, formatted, lint-free, right files."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import yaml

from noxfile import Combination
from tests.conftest import ENV_VARIABLE

LEFTOVER_JINJA = re.compile(r"\{\{|\{%|%\}|\{#")
TESTCONTAINERS = re.compile(r"testcontainers\[([^\]]*)\]")
REQUIREMENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


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
    # No cache: the rendered projects are shared, read-only (tests/conftest.py).
    checks = (
        ["ruff", "format", "--no-cache", "--check", "--diff", "."],
        ["ruff", "check", "--no-cache", "."],
    )
    for command in checks:
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
    # Only a queue backend has a worker process, and jobs whose state can be asked for.
    for worker_file in ("cli/worker.py", "api/routes/job.py", "schemas/job.py"):
        assert (package / worker_file).exists() is combination.has_worker, worker_file
    assert (package / "tasks" / "backend.py").is_file()
    assert (package / "tasks" / "queue.py").is_file()
    assert (package / "tasks" / "runner.py").is_file()


def test_test_services_match_the_answers(project: tuple[Combination, Path]) -> None:
    combination, root = project
    dev = " ".join(_pyproject(root)["dependency-groups"]["dev"])
    extras = set(match.group(1).split(",")) if (match := TESTCONTAINERS.search(dev)) else set()
    expected = {"postgresql": {"postgres"}, "mysql": {"mysql"}}.get(combination.database, set())
    if combination.has_worker:
        expected.add("redis")
    if combination.celery_broker == "rabbitmq":
        expected.add("rabbitmq")
    assert extras == expected
    # SQLite with BackgroundTasks needs no service at all, so no testcontainers either.
    assert ("testcontainers" in dev) is bool(expected)


def test_settings_examples_match_the_answers(project: tuple[Combination, Path]) -> None:
    combination, root = project
    # Set or commented out (`# PROJECT_NAME=`), each documented variable is a line of its own.
    names = set(ENV_VARIABLE.findall((root / ".env.example").read_text(encoding="utf-8")))
    celery = combination.task_backend == "celery"
    assert ("BROKER_URL" in names) is celery
    for name in ("REDIS_URL", "TASK_QUEUE", "JOB_TIMEOUT_SECONDS"):
        assert (name in names) is combination.has_worker, name
    assert {"DATABASE_URL", "JOB_MAX_ATTEMPTS", "JOB_RETRY_BACKOFF_SECONDS"} <= names


def test_dependencies_match_the_answers(project: tuple[Combination, Path]) -> None:
    combination, root = project
    runtime = _requirement_names(_pyproject(root)["project"]["dependencies"])
    driver = {"postgresql": "asyncpg", "mysql": "asyncmy", "sqlite": "aiosqlite"}
    for database, package in driver.items():
        assert (package in runtime) is (database == combination.database)
    assert ("pyjwt" in runtime) is (combination.auth == "jwt")
    assert ("celery" in runtime) is (combination.task_backend == "celery")
    assert ("arq" in runtime) is (combination.task_backend == "arq")
    if combination.task_backend == "celery":
        # Job states live in Redis whatever the broker: the redis extra is always needed.
        assert "celery[redis]" in " ".join(_pyproject(root)["project"]["dependencies"])
    if combination.task_backend == "background_tasks":
        # BackgroundTasks runs in process: no broker client may sneak in.
        assert not runtime & {"celery", "arq", "redis", "kombu"}


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
    # A question skipped by its `when` is not recorded: the broker only for Celery.
    assert ("celery_broker" in answers) is (combination.task_backend == "celery")
    assert answers["_src_path"]


def test_api_prefix_follows_versioning(project: tuple[Combination, Path]) -> None:
    combination, root = project
    api = root / "src" / "my_service" / "api"
    paths = (api / "paths.py").read_text(encoding="utf-8")
    if combination.api_versioning:
        # The prefix follows the version the user's api/versions.py names as current.
        assert 'API_PREFIX = f"/api/{CURRENT}"' in paths
        assert 'CURRENT = "v1"\n' in (api / "versions.py").read_text(encoding="utf-8")
    else:
        assert 'API_PREFIX = "/api"' in paths
        assert not (api / "versions.py").exists()


def _requirement_names(requirements: list[str]) -> set[str]:
    """`celery[redis]>=5.5` -> `celery`: whole names, so `arq` never matches inside another."""
    names = set()
    for requirement in requirements:
        match = REQUIREMENT_NAME.match(requirement)
        assert match, requirement
        names.add(match.group(0).lower())
    return names


def _pyproject(root: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
