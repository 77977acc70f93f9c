"""The first push is green: `copier copy` writes uv.lock, the README's "Commit and push"
steps commit it, and the generated workflow's commands pass on a fresh clone of that
commit (as on a CI runner), so `uv sync --locked` and the Dockerfile find the lockfile.

The whole workflow runs for one combination (SQLite needs no service); the generated
sessions prove the copy's lockfile for every combination (they no longer lock it).
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
import yaml

from noxfile import PROJECT_CHECKS, Combination, checks_env, render, seed_mypy_cache
from tests.conftest import ROOT, check, project_checks_environment
from tests.template_repo import IDENTITY, git

COMBINATION = Combination("sqlite", "jwt", "background_tasks", api_versioning=True)
SECTION = "## Commit and push"


def readme_steps(project: Path) -> list[list[str]]:
    """The commands of the README's "Commit and push" block, in order, comments dropped."""
    readme = (project / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"\n{SECTION}\n", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"^```bash\n(.*?)^```", section, re.MULTILINE | re.DOTALL)
    return [words for line in block.splitlines() if (words := shlex.split(line, comments=True))]


def test_readme_steps_commit_the_copys_lockfile_and_the_workflow_passes_on_a_clone(
    tmp_path: Path,
) -> None:
    # uv.lock is the user's file: a template one would conflict in every update.
    assert not list((ROOT / "template").glob("uv.lock*"))
    project = render(
        tmp_path / "project", tasks=True, env=checks_env(COMBINATION), **COMBINATION.data()
    )
    assert (project / "uv.lock").is_file(), "the copy's task did not write uv.lock"
    locked = (project / "uv.lock").read_bytes()
    env = {**project_checks_environment(COMBINATION), **IDENTITY}

    steps = readme_steps(project)
    assert [step[:2] for step in steps] == [
        ["git", "init"],
        ["uv", "lock"],
        ["git", "add"],
        ["git", "commit"],
    ]
    for step in steps:
        check(step, project, env)

    # The lock the copy wrote was already the one CI needs; the commit left nothing out.
    assert (project / "uv.lock").read_bytes() == locked
    assert git(project, "status", "--porcelain") == ""
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(project), str(clone))
    workflow = yaml.safe_load((clone / ".github/workflows/ci.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))
    assert git(clone, "branch", "--show-current").strip() in triggers["push"]["branches"]
    # The suite's temporary files in a directory of its own: suites side by side in the
    # shared /tmp/pytest-of-<user> race when each cleans up.
    suite_env = {**env, "PYTEST_ADDOPTS": f"--basetemp={tmp_path / 'suite'}"}
    for command in PROJECT_CHECKS:
        if command[-1] == "mypy":
            seed_mypy_cache(clone)
        check(command, clone, suite_env)


def without_uv_on_path() -> str:
    """This PATH less every directory that holds uv (git stays: Copier needs it)."""
    kept = [d for d in os.environ["PATH"].split(os.pathsep) if not (Path(d) / "uv").exists()]
    return os.pathsep.join(kept)


@pytest.mark.parametrize("cause", ["no-uv", "no-index"])
def test_a_copy_that_cannot_lock_still_renders_and_says_what_to_run(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], cause: str
) -> None:
    if cause == "no-uv":
        changes, message = {"PATH": without_uv_on_path()}, "uv is not on PATH"
    else:  # no package index and an empty cache: `uv lock` fails at once
        cache = str(tmp_path / "empty-cache")
        changes, message = {"UV_OFFLINE": "1", "UV_CACHE_DIR": cache}, "`uv lock` failed"
    env = {**checks_env(COMBINATION), **changes}

    project = render(tmp_path / "project", tasks=True, env=env, **COMBINATION.data())

    assert (project / "README.md").is_file()
    assert not (project / "uv.lock").exists()
    said = " ".join(capfd.readouterr().err.split())
    assert message in said
    assert "run `uv lock` here and commit uv.lock" in said
