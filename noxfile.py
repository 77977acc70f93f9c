"""Strata's test matrix.

`uv run nox` runs the template's own tests and renders every answer combination,
then runs each generated project's checks and test suite against real services.
`nox -s "generated(postgresql-jwt-background_tasks-v1)"` or
`nox -s "generated(postgresql-jwt-celery_rabbitmq-v1)"` runs one combination;
`nox -t mysql` every combination with that answer, `nox -t celery` both Celery
brokers, `nox -t rabbitmq` the Celery/RabbitMQ ones, `nox -t arq` every ARQ one.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path

import nox
import yaml

ROOT = Path(__file__).parent
WORK = ROOT / ".nox" / "rendered"

# nox logs at debug level; Copier's git calls (through plumbum) would fill the CI log.
logging.getLogger("plumbum").setLevel(logging.WARNING)

nox.options.default_venv_backend = "none"
nox.options.error_on_missing_interpreters = True


def default_parallel(argv: list[str], environ: dict[str, str]) -> int:
    """Sessions at once: two (one suite per core keeps the whole matrix well under budget),
    but one when the command line names a single session. nox runs parallel sessions in
    child processes and prints each one's output only when it ends, so a lone
    `nox -s "generated(...)"` would say nothing for minutes; run alone it shows each step."""
    if "NOX_PARALLEL" in environ:
        return int(environ["NOX_PARALLEL"])
    named: list[str] = []
    taking = False
    for arg in argv[: argv.index("--")] if "--" in argv else argv:
        if arg.startswith(("-t", "--tags", "-k", "--keywords")):
            return 2  # a selection by tag or keyword: usually many sessions
        if arg.startswith(("--session=", "--sessions=")):
            named.append(arg.partition("=")[2])
        taking = arg in ("-s", "-e", "--session", "--sessions") or (
            taking and not arg.startswith("-")
        )
        if taking and not arg.startswith("-"):
            named.append(arg)
    # `-s generated` names every combination's session at once.
    return 1 if len(named) == 1 and named[0] != "generated" else 2


nox.options.parallel = default_parallel(sys.argv[1:], dict(os.environ))

# The values of every question the matrix renders; a new choice in copier.yml
# must be added here (or to TASK_VARIANTS), or the assertion below refuses to run.
MATRIX = {
    "database": ["postgresql", "mysql", "sqlite"],
    "auth": ["jwt", "api_key"],
    "task_variant": ["background_tasks", "celery_redis", "celery_rabbitmq", "arq"],
    "api_versioning": [True, False],
}

# A task variant is the task_backend answer plus, for Celery, the broker answer.
# celery_broker is only asked (and recorded) when task_backend is celery.
TASK_VARIANTS: dict[str, dict[str, str]] = {
    "background_tasks": {"task_backend": "background_tasks"},
    "celery_redis": {"task_backend": "celery", "celery_broker": "redis"},
    "celery_rabbitmq": {"task_backend": "celery", "celery_broker": "rabbitmq"},
    "arq": {"task_backend": "arq"},
}

# Names at the limits a user can reach: letters outside ASCII, quotes and apostrophes, a
# slug cut at 60 characters and a package name of 47, the most whose test databases fit
# PostgreSQL's and MySQL's identifier limits. A quarter of the matrix runs its whole
# suite under them (Combination.names); tests/test_names.py tries many more, rendered.
EXTREME_NAMES = {
    "project_name": "Þórsmörk Ærø Straße Inventory & Fulfilment Hub Service",
    "description": "O'Brien's stock: 'quoted' & more, for Zoë",
    "author_name": "Zoë O'Connor-Łukasiewicz",
    "author_email": "very.long.local-part+inventory@subdomain.example-company.co.uk",
}

# The interpreter uv finds on these machines; other versions come from find_python().
DEFAULT_PYTHON = "3.11"

# Local services of these machines; any of them can be overridden from the environment.
DATABASE_URLS = {
    "postgresql": "postgresql://postgres@127.0.0.1:5432/postgres",
    "mysql": "mysql://root@127.0.0.1:3306",
}
REDIS_URL = "redis://127.0.0.1:6379/0"
BROKER_URLS = {
    "redis": REDIS_URL,
    "rabbitmq": "amqp://guest:guest@127.0.0.1:5672//",
}


# nox's uv backend and `uv run nox` export these; inside a generated project they
# would make uv sync into the wrong environment.
FOREIGN_ENV = ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "UV_PYTHON", "UV_RUN_RECURSION_DEPTH")


@dataclass(frozen=True)
class Combination:
    database: str
    auth: str
    task_variant: str
    api_versioning: bool
    python_version: str = DEFAULT_PYTHON

    @property
    def id(self) -> str:
        values = [self.database, self.auth, self.task_variant, self.version_tag]
        if self.python_version != DEFAULT_PYTHON:
            values.append(f"py{self.python_version}")
        return "-".join(values)

    @property
    def task_backend(self) -> str:
        return TASK_VARIANTS[self.task_variant]["task_backend"]

    @property
    def celery_broker(self) -> str | None:
        return TASK_VARIANTS[self.task_variant].get("celery_broker")

    @property
    def has_worker(self) -> bool:
        return self.task_backend in ("celery", "arq")

    @property
    def version_tag(self) -> str:
        return "v1" if self.api_versioning else "unversioned"

    @property
    def example_domain(self) -> bool:
        """With the example inventory in every v1 session, without it in every unversioned
        one: each database x auth x task backend is proven both ways, at no extra session.
        The example's files are its own; the files it shares with versioning (api/router.py,
        the README) list the example's routes in a loop both router variants share."""
        return self.api_versioning

    @property
    def tags(self) -> list[str]:
        tags = [self.database, self.auth, self.task_variant]
        if self.task_backend != self.task_variant:
            tags.append(self.task_backend)  # `nox -t celery`: both brokers
        if self.celery_broker is not None:
            tags.append(self.celery_broker)
        return [*tags, self.version_tag, f"py{self.python_version}"]

    def data(self) -> dict[str, object]:
        """The Copier answers of this combination."""
        return {
            "database": self.database,
            "auth": self.auth,
            **TASK_VARIANTS[self.task_variant],
            "api_versioning": self.api_versioning,
            "example_domain": self.example_domain,
            "python_version": self.python_version,
        }

    def names(self) -> dict[str, str]:
        """The names this combination's session renders with: the extreme ones for every
        api_key, unversioned session (every database and task backend), the defaults else."""
        return EXTREME_NAMES if self.auth == "api_key" and not self.api_versioning else {}

    def service_env(self) -> dict[str, str]:
        """Default TEST_* URLs of the local services this combination's suite needs."""
        env: dict[str, str] = {}
        if self.database in DATABASE_URLS:
            env["TEST_DATABASE_URL"] = DATABASE_URLS[self.database]
        if self.has_worker:
            env["TEST_REDIS_URL"] = REDIS_URL
        if self.celery_broker is not None:
            env["TEST_BROKER_URL"] = BROKER_URLS[self.celery_broker]
        return env


COMBINATIONS = [Combination(*values) for values in itertools.product(*MATRIX.values())]
# The newer Pythons are proven on one combination each: what differs between them is
# the interpreter and the lint targets, not the database, auth or queue code.
COMBINATIONS += [
    Combination("sqlite", "jwt", "background_tasks", True, v) for v in ("3.12", "3.13")
]

# The coverage gate (`pytest --cov` against fail_under in the generated pyproject.toml)
# traces every line and follows SQLAlchemy's greenlet switches: 60-80 % more CPU a suite
# on Python 3.11 (sqlite-jwt-background_tasks-v1: 35 s -> 64 s), 20 minutes on the whole
# matrix. A generated project's CI always runs it; the matrix runs it on these sessions,
# which between them render every value of every dimension (tests/test_repo_ci.py checks
# that), and on every session with STRATA_COVERAGE=all, which is how fail_under was set.
COVERAGE_SESSIONS = frozenset(
    {
        "sqlite-jwt-background_tasks-v1",
        "sqlite-api_key-arq-unversioned",
        "postgresql-api_key-celery_redis-v1",
        "postgresql-jwt-arq-unversioned",
        "mysql-jwt-celery_rabbitmq-v1",
        "mysql-api_key-background_tasks-unversioned",
    }
)


def runs_coverage(combination: Combination) -> bool:
    return combination.id in COVERAGE_SESSIONS or os.environ.get("STRATA_COVERAGE") == "all"


def question_values() -> dict[str, list[object]]:
    """Every value a user can give to each choice or boolean question of copier.yml."""
    config = yaml.safe_load((ROOT / "copier.yml").read_text(encoding="utf-8"))
    values: dict[str, list[object]] = {}
    for name, spec in config.items():
        if name.startswith("_") or not isinstance(spec, dict):
            continue
        choices = spec.get("choices")
        if isinstance(choices, dict):
            values[name] = list(choices.values())
        elif isinstance(choices, list):
            values[name] = list(choices)
        elif spec.get("type") == "bool":
            values[name] = [True, False]
    return values


def untested_values() -> dict[str, list[object]]:
    """The answers that no generated(...) session renders and tests."""
    tested: dict[str, set[object]] = {}
    for combination in COMBINATIONS:
        for name, value in combination.data().items():
            tested.setdefault(name, set()).add(value)
    return {
        name: missing
        for name, values in question_values().items()
        if (missing := [value for value in values if value not in tested.get(name, set())])
    }


# A choice added to copier.yml but not to the matrix would ship untested: refuse to run.
_untested = untested_values()
assert not _untested, f"answers no session tests: {_untested}"


def render(
    destination: Path,
    *,
    template: Path = ROOT,
    vcs_ref: str | None = "HEAD",
    tasks: bool = False,
    env: dict[str, str | None] | None = None,
    **data: object,
) -> Path:
    """Render a template (this checkout, uncommitted changes included) at `vcs_ref` with
    these answers; None renders a template directory that is no git repository as it is.
    `tasks=True` runs the copy's tasks too, as `copier copy` does (`uv lock` writes
    uv.lock), with `env`'s changes (None unsets); tests of the rendered files alone leave
    them out."""
    from copier import run_copy
    from copier.errors import DirtyLocalWarning
    from plumbum import local

    # Copier runs tasks in plumbum's copy of the environment, taken when it was imported.
    with local.env(), warnings.catch_warnings():
        # Rendering uncommitted changes is the point here, not a mistake to warn about.
        warnings.simplefilter("ignore", DirtyLocalWarning)
        for name, value in (env or {}).items():
            if value is None:
                local.env.pop(name, None)
            else:
                local.env[name] = value
        run_copy(
            str(template),
            str(destination),
            data=data,
            defaults=True,
            unsafe=True,
            vcs_ref=vcs_ref,
            quiet=True,
            skip_tasks=not tasks,
        )
    return destination


def find_python(version: str) -> str | None:
    """An interpreter for `version`: on PATH, or one pyenv installed (uv cannot download here)."""
    candidates = [shutil.which(f"python{version}")]
    candidates += sorted(
        str(p) for p in Path.home().glob(f".pyenv/versions/{version}*/bin/python{version}")
    )
    for candidate in filter(None, candidates):
        probe = subprocess.run(
            [candidate, "--version"], capture_output=True, text=True, check=False
        )
        if probe.returncode == 0 and probe.stdout.split()[-1].startswith(version):
            return candidate
    return None


def checks_env(combination: Combination) -> dict[str, str | None]:
    """What a rendered project's checks run with; None unsets a variable."""
    env: dict[str, str | None] = dict.fromkeys(FOREIGN_ENV)
    # Suites start the service's own processes (serve, worker, the CLI); without bytecode
    # each of them compiles every imported module again (3-4 s instead of under 1 s).
    env["PYTHONDONTWRITEBYTECODE"] = None
    for name, default in combination.service_env().items():
        env[name] = os.environ.get(name, default)
    return env


MYPY_SEED = WORK / ".mypy_cache_seed"


def render_seconds(project: Path) -> tuple[int, int]:
    """The first and last whole second in which the project's sources were written."""
    seconds = [
        int(path.stat().st_mtime)
        for folder in ("src", "tests", "migrations")
        for path in (project / folder).rglob("*.py")
    ]
    return min(seconds), max(seconds)


def seed_mypy_cache(project: Path) -> None:
    """Start a project's mypy cache from one a finished check left: the libraries every
    render shares (FastAPI, SQLAlchemy, pydantic) are analysed once per matrix instead of
    once per session (23 s -> 3 s).

    Each project checks its own copy: parallel runs writing one cache mixed projects (a v1
    project was checked against an unversioned one's module). And mypy trusts a cached
    module whose file has the same path, size and whole-second mtime without hashing it,
    so a seed from a project written in the same seconds as this one is not used.
    """
    stamp = MYPY_SEED / "rendered-seconds"
    if not stamp.is_file():
        return
    first, last = map(int, stamp.read_text(encoding="utf-8").split())
    ours = render_seconds(project)
    if ours[1] < first or ours[0] > last:
        shutil.copytree(MYPY_SEED, project / ".mypy_cache", dirs_exist_ok=True)


def publish_mypy_cache(project: Path) -> None:
    """Offer this project's mypy cache as the seed if there is none yet, atomically: a
    rename onto an existing seed fails, and the copy is thrown away."""
    cache = project / ".mypy_cache"
    if MYPY_SEED.exists() or not cache.is_dir():
        return
    staging = WORK / f".mypy_cache_seed.{uuid.uuid4().hex}"
    shutil.copytree(cache, staging)
    first, last = render_seconds(project)
    (staging / "rendered-seconds").write_text(f"{first} {last}", encoding="utf-8")
    try:
        staging.rename(MYPY_SEED)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)


def project_env(session: nox.Session, combination: Combination) -> dict[str, str | None]:
    env = checks_env(combination)
    if combination.python_version != DEFAULT_PYTHON:
        python = find_python(combination.python_version)
        if python is None:
            session.error(f"no Python {combination.python_version} interpreter on this machine")
        env["UV_PYTHON"] = python
    return env


def basetemp(name: str) -> str:
    """A pytest --basetemp of the session's own. Suites running side by side in the shared
    /tmp/pytest-of-<user> each clean up old numbered directories when they finish, and
    two at once raced on one of them ("Directory not empty"), which failed a suite."""
    checkout = hashlib.sha1(str(ROOT).encode()).hexdigest()[:8]
    parent = Path(tempfile.gettempdir()) / f"strata-{checkout}"
    parent.mkdir(exist_ok=True)  # pytest makes the basetemp itself, not its parents
    return f"--basetemp={parent / name}"


@nox.session(tags=["template"], allow_parallel=True)
def tests(session: nox.Session) -> None:
    """The template's own tests: extensions, answer validation, every combination renders clean."""
    session.run("pytest", "-n", "2", "-q", "-m", "not update", basetemp("tests"), *session.posargs)


@nox.session(tags=["template"], allow_parallel=True)
def lint(session: nox.Session) -> None:
    """ruff on the template repo's own code (the rendered code is checked per combination)."""
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(tags=["template"], allow_parallel=True)
def update(session: nox.Session) -> None:
    """The update tier: real `copier update` from every release in releases.toml to this
    checkout, user edits kept; answer changes end in a project whose suite passes."""
    session.run(
        "pytest",
        "-n",
        "2",
        "-q",
        "-m",
        "update",
        "--durations=5",
        basetemp("update"),
        *session.posargs,
    )


# What `nox -s bench` runs, each in a render of its own: R5's export memory (peak RSS of a
# real `serve` exporting 10^4..10^6 items as CSV; fails if it grows by 50 MB or more), and
# issue 13's HTTP load (req/s, p50, p99 of GET by id and of a page, against a bare
# Starlette + asyncpg floor, at 32 and 64 connections). `nox -s bench -- http` runs one.
BENCHMARKS = {
    "export": ("export_memory.py", Combination("postgresql", "api_key", "background_tasks", True)),
    "http": ("http_load.py", Combination("postgresql", "jwt", "background_tasks", True)),
}


# default=False: `uv run nox` (every session) leaves it out; run it with `nox -s bench`.
@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """The benchmarks (benchmarks/), each against a PostgreSQL render; not in the default run."""
    names = session.posargs or list(BENCHMARKS)
    if unknown := set(names) - set(BENCHMARKS):
        session.error(f"no benchmark {' '.join(sorted(unknown))}; there are {' '.join(BENCHMARKS)}")
    for name in names:
        script, combination = BENCHMARKS[name]
        destination = WORK / f"bench-{name}"
        shutil.rmtree(destination, ignore_errors=True)
        env = project_env(session, combination)
        render(destination, tasks=True, env=env, **combination.data())
        session.chdir(destination)
        session.run("uv", "--quiet", "sync", "--locked", env=env, external=True)
        server = env["TEST_DATABASE_URL"] or DATABASE_URLS["postgresql"]
        prefix = "/api/v1" if combination.api_versioning else "/api"
        path = str(ROOT / "benchmarks" / script)
        session.run("uv", "run", "--locked", "python", path, server, prefix, env=env, external=True)


# What a generated project must pass once locked, as argv lists. The generated sessions
# run them, and the project's own CI (template/.github/workflows/ci.yml.jinja) runs the
# same steps; tests/test_deploy_files.py keeps the two equal.
PROJECT_CHECKS: list[list[str]] = [
    ["uv", "sync", "--locked"],
    ["uv", "run", "--locked", "ruff", "format", "--check", "."],
    ["uv", "run", "--locked", "ruff", "check", "."],
    ["uv", "run", "--locked", "mypy"],
    ["uv", "run", "--locked", "pytest", "--cov"],
]


@nox.session(allow_parallel=True)
@nox.parametrize(
    "combination_id",
    # Plain strings: parallel sessions receive their arguments as JSON.
    [nox.param(c.id, id=c.id, tags=c.tags) for c in COMBINATIONS],
)
def generated(session: nox.Session, combination_id: str) -> None:
    """Render one combination, then lock, lint, type-check and test it like a user would."""
    combination = next(c for c in COMBINATIONS if c.id == combination_id)
    destination = WORK / combination.id
    shutil.rmtree(destination, ignore_errors=True)
    env = project_env(session, combination)
    # One line per step: the render here, then nox's line for each command below. The
    # copy's task writes uv.lock: `uv sync --locked` below fails without it.
    started = time.monotonic()
    render(destination, tasks=True, env=env, **combination.data(), **combination.names())
    session.log(f"rendered and locked {combination.id} in {time.monotonic() - started:.0f} s")
    session.chdir(destination)
    seed_mypy_cache(destination)
    for uv, *arguments in PROJECT_CHECKS:
        # Only output, caching and temp dirs differ from CI: 50 sessions' logs need uv and
        # pytest terse, a render thrown away needs no pytest cache, and suites side by
        # side need temp dirs of their own. posargs go to the suite.
        if "pytest" in arguments:
            if not runs_coverage(combination):
                arguments = [argument for argument in arguments if argument != "--cov"]
            arguments = [
                *arguments,
                "-q",
                "-p",
                "no:cacheprovider",
                basetemp(combination.id),
                *session.posargs,
            ]
        session.run(uv, "--quiet", *arguments, env=env, external=True)
        if arguments[-1] == "mypy":
            publish_mypy_cache(destination)
        if arguments[0] == "sync":  # what does the environment install?
            check_shadowed_modules(session, env)


# Lists the top-level modules the project's environment installs (packages_distributions
# maps every importable top-level name to the distributions that provide it).
LIST_MODULES = "import importlib.metadata as m; print(*m.packages_distributions(), sep='\\n')"


def check_shadowed_modules(session: nox.Session, env: dict[str, str | None]) -> None:
    """package_name refuses the modules a project installs: the list it uses must hold all
    of them, so a dependency added to the template cannot be shadowed by an answer."""
    # `nox` (a console script) does not put the checkout on sys.path; `python -m nox` does.
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from extensions.names import DEPENDENCY_MODULES, IDENTIFIER_PATTERN

    output = session.run(
        "uv",
        "run",
        "--locked",
        "python",
        "-c",
        LIST_MODULES,
        env=env,
        external=True,
        silent=True,
    )
    installed = {name for name in str(output).split() if IDENTIFIER_PATTERN.fullmatch(name)}
    if missing := sorted(installed - DEPENDENCY_MODULES):
        session.error(
            "extensions/names.py DEPENDENCY_MODULES lacks modules this project installs "
            f"(a package_name could shadow them): {' '.join(missing)}"
        )


@nox.session(tags=["template"], allow_parallel=True)
def docs(session: nox.Session) -> None:
    """Build the documentation site strictly: a broken link or an undescribed question fails."""
    site = Path(session.create_tmp()) / "site"
    shutil.rmtree(site, ignore_errors=True)
    session.run(
        "mkdocs",
        "build",
        "--strict",
        "--config-file",
        str(ROOT / "mkdocs.yml"),
        "--site-dir",
        str(site),
        # Material prints a notice about MkDocs 2.0 on every build; the site pins mkdocs<2.
        env={"NO_MKDOCS_2_WARNING": "1"},
    )
