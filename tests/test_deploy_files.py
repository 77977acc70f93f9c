"""What a generated project ships besides code: Dockerfile, compose.yaml, CI, docs.

Every combination is parsed, not run (there is no Docker here): the services follow the
answers, startup is health-gated, migrations stay out of the image's start-up, and the
project's own CI runs exactly what the generated(...) sessions run.
"""

from __future__ import annotations

import fnmatch
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from noxfile import PROJECT_CHECKS, Combination
from tests.conftest import ENV_VARIABLE

SLUG = "my-service"  # of the default project name
PACKAGE = "my_service"
APP_SERVICES = {"api", "migrate", "worker"}  # built from the Dockerfile; the rest are servers
# The files this test covers; the generated project's pre-commit hooks would rewrite any
# with trailing whitespace or a missing final newline, and every later update would conflict.
DEPLOY_FILES = (
    "Dockerfile",
    ".dockerignore",
    "compose.yaml",
    ".github/workflows/ci.yml",
    ".github/dependabot.yml",
    "docs/deployment.md",
    "docs/updating.md",
)
CONFLICT_MARKERS = ("<<<<<<< ", "=======", ">>>>>>> ")
# `uses: owner/action@<commit> # vX.Y.Z`: a tag can be moved to other code, a commit cannot.
PINNED_ACTION = re.compile(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
UV_IMAGE = re.compile(r"^--from=ghcr\.io/astral-sh/uv:(\d+\.\d+\.\d+) /uv ")


# --- what each answer needs ---------------------------------------------------------


def expected_servers(combination: Combination) -> set[str]:
    """The compose services besides the app's own, named as compose.yaml names them."""
    servers = {"db"} if combination.database != "sqlite" else set()
    if combination.has_worker:
        servers.add("redis")  # ARQ's queue, Celery's job states (and its broker on Redis)
    if combination.celery_broker == "rabbitmq":
        servers.add("rabbitmq")
    return servers


def expected_app_environment(combination: Combination) -> set[str]:
    names = {"ENVIRONMENT", "DATABASE_URL"}
    if combination.auth == "jwt":
        names.add("SECRET_KEY")
    if combination.has_worker:
        names |= {"REDIS_URL", "TASK_QUEUE"}
    if combination.task_backend == "celery":
        names.add("BROKER_URL")
    return names


# --- compose.yaml -----------------------------------------------------------------------


def _compose(root: Path) -> dict[str, Any]:
    compose = yaml.safe_load((root / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(compose, dict)
    return compose


def test_compose_has_exactly_the_services_the_answers_need(
    project: tuple[Combination, Path],
) -> None:
    combination, root = project
    services = set(_compose(root)["services"])
    app = {"api", "migrate"} | ({"worker"} if combination.has_worker else set())
    assert services == app | expected_servers(combination)


def test_compose_commands_serve_migrate_and_work(project: tuple[Combination, Path]) -> None:
    combination, root = project
    services = _compose(root)["services"]
    assert services["api"]["command"] == [SLUG, "serve", "--host", "0.0.0.0", "--port", "8000"]
    assert services["migrate"]["command"] == [SLUG, "db", "upgrade"]
    if combination.has_worker:
        assert services["worker"]["command"] == [SLUG, "worker"]
    # Only the one-shot service migrates; the app services share the image built here.
    for name in APP_SERVICES & set(services):
        service = services[name]
        assert service["build"] == ".", name
        assert service["image"] == services["api"]["image"], name
        assert ("upgrade" in service["command"]) is (name == "migrate"), name
    assert services["migrate"]["restart"] == "no"
    # A published port the server does not listen on would be a dead end.
    assert services["api"]["ports"] == ["8000:8000"]


def test_compose_startup_is_health_gated(project: tuple[Combination, Path]) -> None:
    combination, root = project
    services = _compose(root)["services"]
    servers = expected_servers(combination)
    for name in servers:
        check = services[name]["healthcheck"]
        assert check["test"][0] in ("CMD", "CMD-SHELL"), name
        assert not check.get("disable"), name
    healthy = {name: {"condition": "service_healthy"} for name in servers}
    migrated = {"migrate": {"condition": "service_completed_successfully"}}
    # The database must be up before migrating; nothing else is needed for it.
    database = {"db": healthy["db"]} if "db" in servers else {}
    assert services["migrate"].get("depends_on", {}) == database
    for name in {"api", "worker"} & set(services):
        assert services[name]["depends_on"] == migrated | healthy, name
    # The api keeps the image's HEALTHCHECK (/health/live); the others open no HTTP port,
    # so the inherited check would mark them unhealthy forever.
    assert "healthcheck" not in services["api"]
    for name in {"migrate", "worker"} & set(services):
        assert services[name]["healthcheck"] == {"disable": True}, name


def test_compose_environment_is_what_the_service_reads(
    project: tuple[Combination, Path],
) -> None:
    combination, root = project
    compose = _compose(root)
    services = compose["services"]
    documented = set(ENV_VARIABLE.findall((root / ".env.example").read_text(encoding="utf-8")))
    for name in APP_SERVICES & set(services):
        environment = services[name]["environment"]
        assert set(environment) == expected_app_environment(combination), name
        # A name Settings does not read would be silently ignored.
        assert set(environment) <= documented, name
    environment = services["api"]["environment"]
    assert environment["ENVIRONMENT"] == "production"
    driver = {"postgresql": "postgresql+asyncpg", "mysql": "mysql+asyncmy"}
    database = urlsplit(environment["DATABASE_URL"])
    if combination.database == "sqlite":
        assert database.scheme == "sqlite+aiosqlite"
        # An absolute path (four slashes) inside the volume every app service mounts.
        path = environment["DATABASE_URL"].removeprefix("sqlite+aiosqlite:///")
        assert path.startswith("/"), path
        directory = str(Path(path).parent)
        for name in APP_SERVICES & set(services):
            assert f"data:{directory}" in services[name]["volumes"], name
        assert "data" in compose["volumes"]
    else:
        assert database.scheme == driver[combination.database]
        assert (database.hostname, database.path) == ("db", f"/{PACKAGE}")
    if combination.database == "mysql":
        # The charset the suite creates its databases with, so compose tests what CI tested.
        assert services["db"]["command"] == ["--character-set-server=utf8mb4"]
    if combination.has_worker:
        assert urlsplit(environment["REDIS_URL"]).hostname == "redis"
        assert environment["TASK_QUEUE"] == SLUG
    if combination.task_backend == "celery":
        broker = urlsplit(environment["BROKER_URL"])
        scheme = {"redis": "redis", "rabbitmq": "amqp"}[str(combination.celery_broker)]
        assert (broker.scheme, broker.hostname) == (scheme, combination.celery_broker)
    if combination.auth == "jwt":
        # No default: compose must stop with a message rather than start without a key.
        assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]+\}", environment["SECRET_KEY"])


# --- compose.dev.yaml: the servers of a developer's machine ---------------------------


def _env_example_urls(root: Path) -> dict[str, str]:
    text = (root / ".env.example").read_text(encoding="utf-8")
    return dict(re.findall(r"^(DATABASE_URL|REDIS_URL|BROKER_URL)=(.*)$", text, re.MULTILINE))


def test_dev_compose_serves_env_example_on_loopback(project: tuple[Combination, Path]) -> None:
    """`docker compose -f compose.dev.yaml up` gives .env.example's URLs a server to reach:
    the same port, user, password and database, published on 127.0.0.1 only."""
    combination, root = project
    path = root / "compose.dev.yaml"
    servers = expected_servers(combination)
    assert path.is_file() is bool(servers)
    if not servers:
        return
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    assert not text.endswith("\n\n")
    dev = yaml.safe_load(text)
    services = dev["services"]
    assert set(services) == servers
    # Its own project: `docker compose up` of compose.yaml must not adopt these containers.
    assert dev["name"] == f"{SLUG}-dev"
    urls = _env_example_urls(root)
    by_service = {"redis": urls.get("REDIS_URL"), "rabbitmq": urls.get("BROKER_URL")}
    if "db" in servers:
        by_service["db"] = urls["DATABASE_URL"]
    for name in servers:
        url = urlsplit(str(by_service[name]))
        assert services[name]["ports"] == [f"127.0.0.1:{url.port}:{url.port}"], name
        assert services[name]["healthcheck"]["test"][0] == "CMD", name
    if "db" in servers:
        url = urlsplit(urls["DATABASE_URL"])
        environment = services["db"]["environment"]
        assert url.password is None  # so the server must let the user in without one
        if combination.database == "postgresql":
            assert url.username == "postgres"  # the image's superuser
            assert environment == {
                "POSTGRES_HOST_AUTH_METHOD": "trust",
                "POSTGRES_DB": url.path.lstrip("/"),
            }
        else:
            assert url.username == "root"
            assert environment == {
                "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD": "1",
                "MARIADB_DATABASE": url.path.lstrip("/"),
            }
    if "rabbitmq" in servers:
        # The image's default login when no RABBITMQ_DEFAULT_USER/PASS is set.
        broker = urlsplit(urls["BROKER_URL"])
        assert (broker.username, broker.password) == ("guest", "guest")
        assert "environment" not in services["rabbitmq"]


# --- Dockerfile -------------------------------------------------------------------------


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str


def dockerfile_stages(root: Path) -> list[list[Instruction]]:
    """The instructions of each stage, continuation lines joined, comments dropped."""
    lines: list[str] = []
    pending = ""
    for raw in (root / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1].strip() + " "
            continue
        lines.append(pending + line)
        pending = ""
    assert not pending, "a continuation line ends the Dockerfile"
    stages: list[list[Instruction]] = []
    for line in lines:
        keyword, _, arguments = line.partition(" ")
        instruction = Instruction(keyword.upper(), arguments.strip())
        if instruction.keyword == "FROM":
            stages.append([])
        assert stages, f"{line!r} comes before the first FROM"
        stages[-1].append(instruction)
    return stages


def _all(stage: list[Instruction], keyword: str) -> list[str]:
    return [i.arguments for i in stage if i.keyword == keyword]


def _one(stage: list[Instruction], keyword: str) -> str:
    found = _all(stage, keyword)
    assert len(found) == 1, f"{keyword}: {found}"
    return found[0]


def test_dockerfile_builds_in_two_python_stages(project: tuple[Combination, Path]) -> None:
    combination, root = project
    stages = dockerfile_stages(root)
    assert len(stages) == 2
    image = f"python:{combination.python_version}-slim"
    assert _one(stages[0], "FROM") == f"{image} AS builder"
    assert _one(stages[1], "FROM") == image
    builder = stages[0]
    # uv comes from its official image, at a pinned version.
    assert any(UV_IMAGE.match(copy) for copy in _all(builder, "COPY"))
    syncs = [run for run in _all(builder, "RUN") if "uv sync" in run]
    assert len(syncs) == 2
    # Dependencies before the code (a cached layer), then the code, never editable.
    assert "--no-install-project" in syncs[0]
    assert "--no-install-project" not in syncs[1]
    for sync in syncs:
        assert {"--locked", "--no-dev", "--no-editable"} <= set(sync.split()), sync
    order = [i.arguments for i in builder if i.keyword in ("RUN", "COPY")]
    assert order.index(syncs[0]) < order.index("src ./src") < order.index(syncs[1])


def test_dockerfile_runtime_stage_runs_the_service_unprivileged(
    project: tuple[Combination, Path],
) -> None:
    _, root = project
    runtime = dockerfile_stages(root)[-1]
    user = _one(runtime, "USER").split(":")[0]
    assert user not in ("root", "0", "")
    # Only the environment comes from the builder: no sources, no uv.
    assert [c for c in _all(runtime, "COPY") if c.startswith("--from")] == [
        "--from=builder /app/.venv /app/.venv"
    ]
    # Everything `db upgrade` needs, where db/migrations.py looks for it: the working directory.
    assert _one(runtime, "WORKDIR") == "/app"
    assert {"alembic.ini ./", "migrations ./migrations"} <= set(_all(runtime, "COPY"))
    healthcheck = _one(runtime, "HEALTHCHECK")
    assert "/health/live" in healthcheck
    assert "urllib.request" in healthcheck  # slim images have no curl
    assert "curl" not in healthcheck


def test_dockerfile_serves_and_leaves_migrations_to_their_own_step(
    project: tuple[Combination, Path],
) -> None:
    _, root = project
    runtime = dockerfile_stages(root)[-1]
    command = json.loads(_one(runtime, "CMD"))  # exec form: signals reach the server
    assert command == [SLUG, "serve", "--host", "0.0.0.0", "--port", "8000"]
    assert not _all(runtime, "ENTRYPOINT")
    # Nothing at build or start migrates: a replica must never race another on the schema.
    for instruction in runtime:
        assert "upgrade" not in instruction.arguments, instruction
        assert "alembic " not in instruction.arguments, instruction


def test_dockerignore_keeps_secrets_out_and_what_the_image_needs_in(
    project: tuple[Combination, Path],
) -> None:
    _, root = project
    patterns = [
        line.strip().rstrip("/")
        for line in (root / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert not [p for p in patterns if p.startswith("!")]  # the check below has no negation

    def ignored(path: str) -> bool:
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        return any(
            fnmatch.fnmatchcase(prefix, pattern.removeprefix("**/"))
            or fnmatch.fnmatchcase(prefix, pattern)
            for pattern in patterns
            for prefix in prefixes
        )

    for secret in (".env", ".env.production", ".venv", ".git", "tests", f"{SLUG}.db"):
        assert ignored(secret), secret
    copied = [
        source
        for stage in dockerfile_stages(root)
        for copy in _all(stage, "COPY")
        if not copy.startswith("--from")
        for source in copy.split()[:-1]
    ]
    # Bind-mounted sources are read from the context as well.
    dockerfile = (root / "Dockerfile").read_text(encoding="utf-8")
    mounted = re.findall(r"--mount=type=bind,source=([^,\s]+)", dockerfile)
    assert {"src", "migrations", "alembic.ini", "uv.lock"} <= set(copied)
    for source in copied + mounted:
        assert (root / source).exists() or source == "uv.lock", source  # uv.lock: `uv lock`
        assert not ignored(source), source


# --- .github/workflows/ci.yml ---------------------------------------------------------


def _ci_job(root: Path) -> dict[str, Any]:
    workflow = yaml.safe_load((root / ".github/workflows/ci.yml").read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True; GitHub reads it as the trigger.
    assert workflow.get("on", workflow.get(True))
    (job,) = workflow["jobs"].values()
    assert isinstance(job, dict)
    return job


def _setup_uv(job: dict[str, Any]) -> dict[str, str]:
    (step,) = [s for s in job["steps"] if s.get("uses", "").startswith("astral-sh/setup-uv@")]
    return step["with"]


def test_ci_runs_exactly_the_matrix_checks(project: tuple[Combination, Path]) -> None:
    _, root = project
    job = _ci_job(root)
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert runs == [" ".join(command) for command in PROJECT_CHECKS]
    assert job["steps"][0]["uses"].startswith("actions/checkout@")


def test_ci_pins_its_actions_and_keeps_no_credentials(project: tuple[Combination, Path]) -> None:
    _, root = project
    job = _ci_job(root)
    text = (root / ".github/workflows/ci.yml").read_text(encoding="utf-8")
    uses = [line for line in text.splitlines() if "uses:" in line]
    assert len(uses) == len([step for step in job["steps"] if "uses" in step])
    assert [line for line in uses if not PINNED_ACTION.search(line)] == []
    (checkout,) = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"]["persist-credentials"] is False
    assert isinstance(job["timeout-minutes"], int)


def test_dependabot_updates_every_pinned_kind(project: tuple[Combination, Path]) -> None:
    _, root = project
    config = yaml.safe_load((root / ".github/dependabot.yml").read_text(encoding="utf-8"))
    updates = {update["package-ecosystem"]: update for update in config["updates"]}
    # uv.lock, the workflow's actions, the Dockerfile's images.
    assert set(updates) == {"uv", "github-actions", "docker"}
    for name, update in updates.items():
        assert update["cooldown"]["default-days"] >= 7, name


def test_ci_services_and_urls_match_the_answers(project: tuple[Combination, Path]) -> None:
    combination, root = project
    job = _ci_job(root)
    services = job.get("services", {})
    expected = {"postgresql": {"postgres"}, "mysql": {"mariadb"}}.get(combination.database, set())
    if combination.has_worker:
        expected.add("redis")
    if combination.celery_broker == "rabbitmq":
        expected.add("rabbitmq")
    assert set(services) == expected
    # The same URLs as the local services of the matrix, so a suite that passes under
    # nox passes in CI; each pointing at a port a service container publishes.
    assert job.get("env", {}) == combination.service_env()
    published = {
        int(mapping.split(":")[0]) for service in services.values() for mapping in service["ports"]
    }
    for url in combination.service_env().values():
        assert urlsplit(url).port in published, url
    for name, service in services.items():
        # The runner waits for a healthy container only when it has a health command.
        assert "--health-cmd" in service["options"], name


def test_ci_uses_the_dockerfiles_uv(project: tuple[Combination, Path]) -> None:
    _, root = project
    (pin,) = [
        match.group(1)
        for copy in _all(dockerfile_stages(root)[0], "COPY")
        if (match := UV_IMAGE.match(copy))
    ]
    assert _setup_uv(_ci_job(root))["version"] == pin


def test_python_version_drives_image_ci_and_tools_together(
    project: tuple[Combination, Path],
) -> None:
    """requires-python, ruff and mypy are checked in test_render.py; the image and CI must
    follow the same answer, or the service would be tested on one Python and run on another."""
    combination, root = project
    version = combination.python_version
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["requires-python"] == f">={version}"
    images = {_one(stage, "FROM").split()[0] for stage in dockerfile_stages(root)}
    assert images == {f"python:{version}-slim"}
    assert _setup_uv(_ci_job(root))["python-version"] == version


# --- the files themselves -------------------------------------------------------------


def test_deploy_files_survive_the_projects_pre_commit_hooks(
    project: tuple[Combination, Path],
) -> None:
    _, root = project
    for name in DEPLOY_FILES:
        text = (root / name).read_text(encoding="utf-8")
        # end-of-file-fixer: exactly one newline at the end.
        assert text.endswith("\n"), name
        assert not text.endswith("\n\n"), name
        trailing = [n for n, line in enumerate(text.splitlines(), 1) if line != line.rstrip()]
        assert trailing == [], name  # trailing-whitespace
        # check-merge-conflict runs with --assume-in-merge: a page that shows Copier's
        # markers at the start of a line would be refused at every commit that touches it.
        markers = [line for line in text.splitlines() if line.startswith(CONFLICT_MARKERS)]
        assert markers == [], name


def test_readme_links_the_deployment_and_update_docs(project: tuple[Combination, Path]) -> None:
    _, root = project
    readme = (root / "README.md").read_text(encoding="utf-8")
    for page in ("docs/deployment.md", "docs/updating.md"):
        assert f"]({page})" in readme, page
        assert (root / page).is_file(), page
