"""The update tier: real git, real `copier update`, from every release to this checkout.

A project is rendered at a release, committed, edited as users edit, committed, and
updated. It must come out with no conflicts, every edit kept, and equal to a fresh
render plus the same edits, so an update is as good as starting again.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from copier.errors import TaskError, UserMessageError

from noxfile import FOREIGN_ENV, MATRIX, PROJECT_CHECKS, Combination, seed_mypy_cache
from tests.conftest import Render, check, project_checks_environment
from tests.template_repo import (
    ROOT,
    Release,
    TemplateRepo,
    commit_all,
    git,
    make_template_repo,
    releases,
    update,
)

pytestmark = pytest.mark.update

PACKAGE = "my_service"  # the package of the default project name
PING_ROUTE = f'''"""A route module of the user's own."""

from fastapi import APIRouter

from {PACKAGE}.api.deps import CurrentPrincipal

router = APIRouter(tags=["ping"])


@router.get("/ping")
async def ping(principal: CurrentPrincipal) -> dict[str, str]:
    return {{"ping": "pong", "caller": principal.name}}
'''
SUPPLIER_MODEL = f'''"""A model of the user's own."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from {PACKAGE}.db.base import Base


class Supplier(Base):
    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
'''
# As `db revision --autogenerate` writes it for SUPPLIER_MODEL, formatted by ruff.
SUPPLIER_REVISION = '''"""add suppliers

Revision ID: 5a1e7c3d9b20
Revises: {down}
Create Date: 2026-12-07 10:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5a1e7c3d9b20"
down_revision: str | Sequence[str] | None = "{down}"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "suppliers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suppliers")),
        sa.UniqueConstraint("name", name=op.f("uq_suppliers_name")),
    )


def downgrade() -> None:
    op.drop_table("suppliers")
'''
SUPPLIER_SETTING = (
    "    # Where our supplier catalogue lives (a user's setting).\n"
    '    supplier_api_url: str = "https://suppliers.example.com"\n'
)
SUPPLIER_ENV = (
    "\n# Where our supplier catalogue lives.\nSUPPLIER_API_URL=https://suppliers.example.com\n"
)
PING_TEST = """

async def test_ping_route_of_our_own(
    client: httpx.AsyncClient, reader_headers: dict[str, str]
) -> None:
    response = await client.get(f"{API_PREFIX}/ping", headers=reader_headers)

    assert response.status_code == 200
    assert response.json()["ping"] == "pong"
"""
FIXTURE_HELPER = '''

def docker_socket() -> str:
    """Where our CI machines keep Docker (a user's addition)."""
    return "unix:///var/run/docker.sock"
'''
README_LINE = "Run by the platform team; on-call notes live in the wiki.\n"
DEPENDENCY = "tenacity>=9"
# The old name a release before 0.3.0 renders, and the name the migration gives it.
RENAMED = ("tests/fixtures/docker.py", "tests/fixtures/provisioning.py")


@pytest.fixture(scope="session")
def template_repo(tmp_path_factory: pytest.TempPathFactory) -> TemplateRepo:
    return make_template_repo(tmp_path_factory.mktemp("template") / "strata")


def replace_once(path: Path, anchor: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(anchor) == 1, f"{path.name}: the anchor of a user edit moved: {anchor!r}"
    path.write_text(text.replace(anchor, replacement), encoding="utf-8")


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(text)


def newest_revision(project: Path) -> str:
    """The revision the project's migrations end at (the template's own, numbered)."""
    return max(path.name for path in (project / "migrations/versions").glob("0*.py"))[:4]


def wire_like_the_readme_says(project: Path) -> None:
    """Register the route module and the model where the project's own README says.
    Since 0.5.0: ROUTERS in api/routes/__init__.py, and nothing for a model. Before: the
    router's import and include_router line in api/router.py, the model in
    models/__init__.py (the single-line lists every release before 0.5.0 rendered)."""
    package = project / "src" / PACKAGE
    routes = package / "api/routes/__init__.py"
    if "ROUTERS" in routes.read_text(encoding="utf-8"):
        replace_once(
            routes,
            "ROUTERS: list[APIRouter] = []\n",
            f"from {PACKAGE}.api.routes import ping\n\nROUTERS: list[APIRouter] = [ping.router]\n",
        )
        return
    router = package / "api/router.py"
    lines = router.read_text(encoding="utf-8").splitlines(keepends=True)
    imports = [i for i, line in enumerate(lines) if line.startswith(f"from {PACKAGE}.api.routes ")]
    includes = [
        i for i, line in enumerate(lines) if re.search(r"include_router\(\w+\.router\)", line)
    ]
    assert len(imports) == 1, "the router imports moved"
    lines[imports[0]] = lines[imports[0]].rstrip("\n") + ", ping\n"
    indent, call = lines[includes[-1]].split(".include_router(")[0].rsplit(" ", 1)
    lines.insert(includes[-1] + 1, f"{indent} {call}.include_router(ping.router)\n")
    router.write_text("".join(lines), encoding="utf-8")
    models = package / "models/__init__.py"
    replace_once(
        models,
        f"from {PACKAGE}.models.location import Location\n",
        f"from {PACKAGE}.models.location import Location\n"
        f"from {PACKAGE}.models.supplier import Supplier\n",
    )
    replace_once(models, '"Location"', '"Location", "Supplier"')


def add_setting_like_the_readme_says(project: Path, app_settings: bool) -> None:
    """Since 0.5.0 in core/app_settings.py; before, in the Settings class of config.py."""
    package = project / "src" / PACKAGE
    if app_settings:
        append(package / "core/app_settings.py", "\n" + SUPPLIER_SETTING)
    else:
        replace_once(
            package / "core/config.py",
            "    db_echo: bool = False\n",
            "    db_echo: bool = False\n" + SUPPLIER_SETTING,
        )
    append(project / ".env.example", SUPPLIER_ENV)


@dataclass(frozen=True)
class Edits:
    """What edit_like_a_user did that depends on the release: a fresh render of another
    release gets the same edits from it."""

    fixture: bool  # the fixture module existed (releases before 0.2.0 had none)
    down: str  # the revision the user's migration follows
    # The setting went to core/app_settings.py (0.5.0 on). Before, it went into config.py,
    # where an update leaves it: that merges cleanly, and moving it is the user's call.
    app_settings: bool


def add_dependency(project: Path, *, lock: bool) -> None:
    """`uv add`, as the README's "uv add" does it: the dependency in pyproject.toml and,
    for the user's project, uv.lock written and committed with the rest. A fresh render
    to compare with gets the pyproject.toml line alone (uv.lock is the user's file)."""
    env = {name: value for name, value in os.environ.items() if name not in FOREIGN_ENV}
    how = "--no-sync" if lock else "--frozen"
    check(["uv", "--quiet", "add", how, DEPENDENCY], project, env)


def edit_like_a_user(project: Path, like: Edits | None = None) -> Edits:
    """What a team does in its first weeks, following the project's README: a route
    module, a model and its migration, a setting documented in .env.example, a changed
    setting default, a line in the README, an added test, and an addition to a test
    fixture module if the project has one."""
    package = project / "src" / PACKAGE
    (package / "api/routes/ping.py").write_text(PING_ROUTE, encoding="utf-8")
    (package / "models/supplier.py").write_text(SUPPLIER_MODEL, encoding="utf-8")
    down = like.down if like else newest_revision(project)
    revision = project / "migrations/versions/5a1e7c3d9b20_add_suppliers.py"
    revision.write_text(SUPPLIER_REVISION.format(down=down), encoding="utf-8")
    wire_like_the_readme_says(project)
    app_settings = like.app_settings if like else (package / "core/app_settings.py").is_file()
    add_setting_like_the_readme_says(project, app_settings)
    replace_once(
        package / "core/config.py",
        "db_pool_recycle: int = Field(default=1800,",
        "db_pool_recycle: int = Field(default=900,",
    )
    readme = project / "README.md"
    title, rest = readme.read_text(encoding="utf-8").split("\n", 1)
    readme.write_text(f"{title}\n\n{README_LINE}{rest}", encoding="utf-8")
    append(project / "tests/api/test_health.py", PING_TEST)
    add_dependency(project, lock=like is None)
    module = next((project / name for name in RENAMED if (project / name).exists()), None)
    fixture = module is not None and (like is None or like.fixture)
    if module is not None and fixture:
        append(module, FIXTURE_HELPER)
    return Edits(fixture, down, app_settings)


def files(project: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(project)): path.read_bytes()
        for path in sorted(project.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(project).parts
    }


def assert_clean_merge(project: Path) -> None:
    """What Copier leaves when an update conflicts: markers, .rej files, unmerged paths."""
    assert not git(project, "ls-files", "--unmerged"), "unmerged paths after the update"
    tree = files(project)
    leftovers = [name for name in tree if name.endswith((".rej", ".orig"))]
    assert not leftovers, f"rejected hunks: {leftovers}"
    # As pre-commit's check-merge-conflict sees them: at the start of a line.
    marked = [
        name
        for name, content in tree.items()
        if any(line.startswith((b"<<<<<<< ", b">>>>>>> ")) for line in content.splitlines())
    ]
    assert not marked, f"conflict markers in {marked}"


def assert_equals_fresh_render_plus_edits(
    project: Path, repo: TemplateRepo, fresh: Path, edits: Edits, **answers: Any
) -> None:
    repo.render(repo.head_tag, fresh, **answers)
    edit_like_a_user(fresh, like=edits)
    expected, actual = files(fresh), files(project)
    del actual["uv.lock"]  # the user's, locked when they added a dependency
    assert sorted(actual) == sorted(expected)
    differing = [name for name in expected if expected[name] != actual[name]]
    assert not differing, f"the update differs from a fresh render plus the edits: {differing}"


def release_choices(repo: TemplateRepo, release: Release, question: str) -> list[str]:
    """The answers a question offered at a release (0.1.0 had only background_tasks)."""
    config = yaml.safe_load(git(repo.path, "show", f"{release.commit}:copier.yml"))
    return list(config[question]["choices"].values())


def scenarios() -> list[Any]:
    """Every release x every database, with the other answers varied between them. The
    oldest release's SQLite project also runs its checks and suite once updated: it has
    come the longest way (every migration of the template since, and the user's own
    migration beside the template's later ones: two Alembic heads)."""
    found = []
    for release in releases():
        for index, database in enumerate(MATRIX["database"]):
            answers = {
                "database": database,
                "auth": ("jwt", "api_key")[index % 2],
                "api_versioning": index != 1,
            }
            suite = release == releases()[0] and database == "sqlite"
            found.append(pytest.param(release, answers, suite, id=f"{release.version}-{database}"))
    return found


@pytest.mark.parametrize(("release", "answers", "suite"), scenarios())
def test_update_from_a_release_keeps_every_edit(
    template_repo: TemplateRepo,
    tmp_path: Path,
    release: Release,
    answers: dict[str, Any],
    suite: bool,
) -> None:
    backends = release_choices(template_repo, release, "task_backend")
    answers = {**answers, "task_backend": backends[len(answers["database"]) % len(backends)]}
    project = template_repo.copy(release.tag, tmp_path / "project", **answers)
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == release.tag
    edits = edit_like_a_user(project)
    commit_all(project, "Our edits")

    update(project, template_repo.head_tag)

    assert_clean_merge(project)
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert recorded["_commit"] == template_repo.head_tag
    assert_equals_fresh_render_plus_edits(
        project, template_repo, tmp_path / "fresh", edits, **answers
    )
    if suite:
        run_project_checks(project, combination_of(answers))


def test_renamed_fixture_module_keeps_the_users_edits(
    template_repo: TemplateRepo, tmp_path: Path
) -> None:
    """The 0.3.0 migration: tests/fixtures/docker.py became provisioning.py."""
    release = last_release_with(template_repo, RENAMED[0])
    project = template_repo.copy(release.tag, tmp_path / "project")
    edit_like_a_user(project)
    commit_all(project, "Our edits")

    update(project, template_repo.head_tag)

    assert not (project / RENAMED[0]).exists()
    renamed = (project / RENAMED[1]).read_text(encoding="utf-8")
    assert FIXTURE_HELPER.strip() in renamed
    assert "Where test services come from" in renamed  # the template's own change, merged
    assert_clean_merge(project)


def test_renamed_file_with_conflicting_edits_is_left_with_copiers_markers(
    template_repo: TemplateRepo, tmp_path: Path
) -> None:
    release = last_release_with(template_repo, RENAMED[0])
    project = template_repo.copy(release.tag, tmp_path / "project")
    old = project / RENAMED[0]
    # The template rewrote this docstring too: a true conflict, which must not be lost.
    _, rest = old.read_text(encoding="utf-8").split("\n", 1)
    old.write_text(f'"""Our own description of these helpers."""\n{rest}', encoding="utf-8")
    commit_all(project, "Our edits")

    update(project, template_repo.head_tag)

    renamed = (project / RENAMED[1]).read_text(encoding="utf-8")
    assert "<<<<<<< before updating" in renamed
    # Unmerged like Copier's own conflicts: `git commit` refuses until it is resolved.
    assert RENAMED[1] in git(project, "ls-files", "--unmerged")
    assert "Our own description of these helpers." in renamed
    assert "Where test services come from" in renamed


def last_release_with(repo: TemplateRepo, name: str) -> Release:
    """The newest release that still rendered `name` (verbatim, from template/)."""
    for release in reversed(repo.releases):
        listed = git(repo.path, "ls-tree", "--name-only", release.commit, f"template/{name}")
        if listed.strip():
            return release
    pytest.fail(f"no release rendered {name}")


# Answer changes through update: the result must be the new answers' project, edits kept,
# and its own checks and suite must pass against the real services.
ANSWER_CHANGES = [
    pytest.param(
        {"database": "sqlite", "auth": "jwt", "task_backend": "background_tasks"},
        {"task_backend": "arq"},
        id="background_tasks-to-arq",
    ),
    pytest.param(
        {"database": "mysql", "auth": "api_key", "api_versioning": False},
        {"database": "postgresql"},
        id="mysql-to-postgresql",
    ),
    # Removing the example the documented way: its files go, the user's stay.
    pytest.param(
        {"database": "postgresql", "auth": "jwt", "task_backend": "celery"},
        {"example_domain": False},
        id="remove-the-example",
    ),
]


@pytest.mark.parametrize(("before", "change"), ANSWER_CHANGES)
def test_update_can_change_an_answer(
    template_repo: TemplateRepo, tmp_path: Path, before: dict[str, Any], change: dict[str, Any]
) -> None:
    release = template_repo.releases[-1]
    project = template_repo.copy(release.tag, tmp_path / "project", **before)
    edits = edit_like_a_user(project)
    commit_all(project, "Our edits")

    update(project, template_repo.head_tag, **change)

    assert_clean_merge(project)
    after = {**before, **change}
    assert_equals_fresh_render_plus_edits(
        project, template_repo, tmp_path / "fresh", edits, **after
    )
    run_project_checks(project, combination_of(after))


def combination_of(answers: dict[str, Any]) -> Combination:
    variant = answers.get("task_backend", "background_tasks")
    if variant == "celery":
        variant = f"celery_{answers.get('celery_broker', 'redis')}"
    return Combination(
        answers["database"], answers["auth"], variant, answers.get("api_versioning", True)
    )


def run_project_checks(project: Path, combination: Combination) -> None:
    """The generated session's commands, with the same local services, and mypy started
    from the matrix's seed cache as the generated sessions start it."""
    env = project_checks_environment(combination)
    for command in [["uv", "--quiet", "lock"], *PROJECT_CHECKS]:
        if command[-1] == "mypy":
            seed_mypy_cache(project)
        check(command, project, env)


def test_a_dirty_project_is_refused(template_repo: TemplateRepo, tmp_path: Path) -> None:
    project = template_repo.copy(template_repo.releases[-1].tag, tmp_path / "project")
    with (project / "README.md").open("a", encoding="utf-8") as readme:
        readme.write(README_LINE)

    with pytest.raises(UserMessageError, match="Destination repository is dirty"):
        update(project, template_repo.head_tag)


def test_a_downgrade_is_refused(template_repo: TemplateRepo, tmp_path: Path) -> None:
    project = template_repo.copy(template_repo.head_tag, tmp_path / "project")

    with pytest.raises(UserMessageError, match="downgrad"):
        update(project, template_repo.releases[-1].tag)


def test_every_release_is_in_the_history_and_in_the_changelog() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    for release in releases():
        assert f"\n## {release.version} " in changelog
        subject = git(ROOT, "log", "-1", "--format=%s", release.commit).strip()
        assert subject == f"Release {release.version}"


def pre_commit_hooks(project: Path) -> dict[str, dict[str, Any]]:
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def test_pre_commit_refuses_copiers_conflict_markers(rendered: Render) -> None:
    hook = pre_commit_hooks(rendered())["check-merge-conflict"]

    # Copier's conflicts are not a git merge: the hook must look even without MERGE_HEAD.
    assert "--assume-in-merge" in hook["args"]


def test_pre_commit_refuses_rej_files_anywhere_in_the_work_tree(
    rendered: Render, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    shutil.copytree(rendered(), project)
    hook = pre_commit_hooks(project)["no-rej-files"]
    assert hook["always_run"]
    assert not hook["pass_filenames"]
    assert ".rej" not in (project / ".gitignore").read_text(encoding="utf-8")

    def run_hook() -> subprocess.CompletedProcess[str]:
        command = shlex.split(hook["entry"])
        return subprocess.run(command, cwd=project, capture_output=True, text=True)

    assert run_hook().returncode == 0
    (project / "src/config.py.rej").write_text("@@ -1 +1 @@\n", encoding="utf-8")
    refused = run_hook()
    assert refused.returncode == 1
    assert "src/config.py.rej" in refused.stdout


def test_a_changed_package_name_is_refused_loudly(
    template_repo: TemplateRepo, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Copier renders a new package beside the code instead of renaming it: the update's
    check task says so and fails, instead of leaving a project that half works."""
    project = template_repo.copy(template_repo.releases[-1].tag, tmp_path / "project")

    with pytest.raises(TaskError):
        update(project, template_repo.head_tag, package_name="renamed_service")

    message = capfd.readouterr().err
    assert "package_name is now 'renamed_service'" in message
    assert f"src/{PACKAGE}/" in message
    assert "git reset --hard" in message
