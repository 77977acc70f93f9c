"""A scratch clone of this checkout with its releases tagged, for real `copier update` runs.

Tags may not survive publishing, so the releases come from releases.toml. The clone's
HEAD carries this checkout's uncommitted work too, tagged as the version being made.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from copier import run_update
from packaging.version import Version

from noxfile import render

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Release:
    version: str
    commit: str

    @property
    def tag(self) -> str:
        return f"v{self.version}"


def releases() -> list[Release]:
    """The released versions, oldest first, as releases.toml records them."""
    entries = tomllib.loads((ROOT / "releases.toml").read_text(encoding="utf-8"))["release"]
    found = [Release(entry["version"], entry["commit"]) for entry in entries]
    assert found == sorted(found, key=lambda r: Version(r.version)), "releases.toml is unordered"
    return found


def head_version(released: list[Release]) -> str:
    """The version HEAD is made for: CHANGELOG's newest heading if not released yet (the
    release commit itself), else the next minor version after the last release."""
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    newest = re.search(r"^## (\d+\.\d+\.\d+)", changelog, flags=re.MULTILINE)
    known = {release.version for release in released}
    if newest and newest.group(1) not in known:
        return newest.group(1)
    major, minor, _ = Version(released[-1].version).release
    return f"{major}.{minor + 1}.0"


# Scratch repositories commit as this, so the tests need no git identity (CI has none).
IDENTITY = {
    f"GIT_{role}_{field}": value
    for role in ("AUTHOR", "COMMITTER")
    for field, value in (("NAME", "Strata tests"), ("EMAIL", "tests@strata.invalid"))
}


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **IDENTITY}
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    ).stdout


@dataclass(frozen=True)
class TemplateRepo:
    path: Path
    releases: list[Release]
    head_tag: str

    def copy(self, ref: str, destination: Path, **data: Any) -> Path:
        """Render the template at `ref` (a tag) into a new git project, committed."""
        self.render(ref, destination, **data)
        git(destination, "init", "--quiet")
        commit_all(destination, "Render the template")
        return destination

    def render(self, ref: str, destination: Path, **data: Any) -> Path:
        """Render the template at `ref` into a plain directory, for comparisons."""
        return render(destination, template=self.path, vcs_ref=ref, **data)


def update(project: Path, ref: str, **data: Any) -> None:
    """`copier update --defaults --trust [-d name=value ...]` to `ref`, as a user runs it."""
    run_update(
        str(project),
        data=data,
        defaults=True,
        overwrite=True,
        unsafe=True,
        vcs_ref=ref,
        quiet=True,
    )


def commit_all(project: Path, message: str) -> None:
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "--no-verify", "--allow-empty", "-m", message)


def make_template_repo(destination: Path) -> TemplateRepo:
    """Clone this checkout, commit its uncommitted work, and tag every release."""
    # --no-tags: whatever tags this checkout has, the scratch clone has only ours.
    git(ROOT, "clone", "--quiet", "--no-tags", str(ROOT), str(destination))
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    work_tree = {name for name in listed.split("\0") if name and (ROOT / name).is_file()}
    for name in work_tree:
        (destination / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, destination / name)
    committed = git(destination, "ls-files", "-z").split("\0")
    for name in set(filter(None, committed)) - work_tree:  # deleted or renamed since
        (destination / name).unlink()
    commit_all(destination, "Work in progress")
    released = releases()
    for release in released:
        try:
            git(destination, "cat-file", "-e", f"{release.commit}^{{commit}}")
        except subprocess.CalledProcessError:
            raise RuntimeError(
                f"release {release.version} ({release.commit}) is not in this checkout's "
                "history: the update tests need a full clone (CI: fetch-depth: 0)"
            ) from None
        git(destination, "tag", release.tag, release.commit)
    head_tag = f"v{head_version(released)}"
    git(destination, "tag", head_tag, "HEAD")
    return TemplateRepo(destination, released, head_tag)
