"""The template repository's GitHub Actions workflow runs what `uv run nox` runs.

The matrix comes from `nox -l --json` at run time; these tests run the workflow's own
listing step here and check the jobs around it: full-history checkouts, and a service
container for every database and broker the generated sessions use.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from noxfile import (
    BROKER_URLS,
    COMBINATIONS,
    COVERAGE_SESSIONS,
    DATABASE_URLS,
    MATRIX,
    REDIS_URL,
)
from tests.conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"
# The image each service of the generated suites runs from, by what the noxfile calls it.
IMAGES = {
    "postgresql": r"postgres:15(\.|$)",
    "mysql": r"mariadb:10\.11(\.|$)",
    "redis": r"redis:7(\.|$)",
    "rabbitmq": r"rabbitmq:",
}
# `uses: owner/action@<commit> # vX.Y.Z`
PINNED_ACTION = re.compile(r"uses: (?P<action>[\w.-]+/[\w./-]+)@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
SERVICE_URLS = {**DATABASE_URLS, "redis": REDIS_URL, "rabbitmq": BROKER_URLS["rabbitmq"]}


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def listed(workflow: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The outputs of the workflow's listing step, run here as GitHub runs it."""
    step = _step(workflow["jobs"]["sessions"], "list")
    scratch = tmp_path_factory.mktemp("runner")
    output = scratch / "github_output"
    output.touch()
    env = {**os.environ, "GITHUB_OUTPUT": str(output), "RUNNER_TEMP": str(scratch)}
    result = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    values = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())
    return {name: json.loads(value) for name, value in values.items()}


def _step(job: dict[str, Any], step_id: str) -> dict[str, Any]:
    return next(step for step in job["steps"] if step.get("id") == step_id)


def _runs(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def test_the_list_job_asks_nox_for_its_sessions(workflow: dict[str, Any]) -> None:
    job = workflow["jobs"]["sessions"]
    step = _step(job, "list")

    assert "uv run nox -l --json" in step["run"]
    assert job["outputs"]["generated"] == "${{ steps.list.outputs.generated }}"


def test_the_filter_yields_exactly_the_generated_sessions(listed: dict[str, Any]) -> None:
    expected = [f"generated({combination.id})" for combination in COMBINATIONS]

    assert listed["generated"] == expected
    assert len(expected) == 50


def test_every_other_session_runs_in_the_template_job(
    workflow: dict[str, Any], listed: dict[str, Any]
) -> None:
    runs = "\n".join(_runs(workflow["jobs"]["template"]))

    assert "uv run nox -s tests" in runs
    assert "uv run nox -s docs" in runs
    # Sessions added later (the update tier, ...) reach CI through the `others` output.
    assert "docs" not in listed["others"]
    assert "tests" not in listed["others"]
    assert not any(session.startswith("generated(") for session in listed["others"])
    step = next(s for s in workflow["jobs"]["template"]["steps"] if "SESSIONS" in s.get("env", {}))
    assert step["env"]["SESSIONS"] == "${{ needs.sessions.outputs.others }}"
    assert "uv run nox -s" in step["run"]


def test_the_matrix_job_runs_each_listed_session(workflow: dict[str, Any]) -> None:
    job = workflow["jobs"]["generated"]

    assert "sessions" in job["needs"]
    assert job["strategy"]["fail-fast"] is False
    assert job["strategy"]["matrix"]["session"] == (
        "${{ fromJSON(needs.sessions.outputs.generated) }}"
    )
    # The session name reaches the shell as a variable, never pasted into the script.
    (step,) = [step for step in job["steps"] if 'uv run nox -s "$SESSION"' in step.get("run", "")]
    assert step["env"]["SESSION"] == "${{ matrix.session }}"
    assert not any("${{" in run for run in _runs(job))


def test_every_checkout_has_the_full_history(workflow: dict[str, Any]) -> None:
    checkouts = [
        step
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if step.get("uses", "").startswith("actions/checkout@")
    ]

    assert len(checkouts) == len(workflow["jobs"])
    assert all(step.get("with", {}).get("fetch-depth") == 0 for step in checkouts)


def test_every_job_installs_uv_with_its_action(workflow: dict[str, Any]) -> None:
    for name, job in workflow["jobs"].items():
        uses = [step.get("uses", "") for step in job["steps"]]
        setup = [ref for ref in uses if ref.startswith("astral-sh/setup-uv@")]
        assert len(setup) == 1, name


def test_every_action_is_pinned_to_a_commit_with_its_release(workflow: dict[str, Any]) -> None:
    """A tag can be moved to other code; a commit cannot. The comment names the release,
    which Dependabot reads and updates along with the commit."""
    lines = [line for line in WORKFLOW.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    pinned = [line for line in lines if PINNED_ACTION.search(line)]
    steps = [step for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
    assert lines
    assert pinned == lines
    assert len(lines) == len(steps)
    # One release of each action everywhere in the workflow.
    for action in {PINNED_ACTION.search(line)["action"] for line in pinned}:
        assert len({line.strip() for line in pinned if f"{action}@" in line}) == 1, action


def test_checkouts_keep_no_credentials_and_jobs_have_time_limits(
    workflow: dict[str, Any],
) -> None:
    for name, job in workflow["jobs"].items():
        assert isinstance(job["timeout-minutes"], int), name
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, name


def _services_needed() -> set[str]:
    needed = set()
    for combination in COMBINATIONS:
        if combination.database in DATABASE_URLS:
            needed.add(combination.database)
        if combination.has_worker:
            needed.add("redis")
        if combination.celery_broker is not None:
            needed.add(combination.celery_broker)
    return needed


@pytest.mark.parametrize("job_name", ["generated", "template"])
def test_services_cover_every_database_and_broker_of_the_matrix(
    workflow: dict[str, Any], job_name: str
) -> None:
    services = workflow["jobs"][job_name]["services"]
    needed = _services_needed()

    assert needed == {"postgresql", "mysql", "redis", "rabbitmq"}
    for kind in needed:
        matching = [s for s in services.values() if re.match(IMAGES[kind], s["image"])]
        assert len(matching) == 1, f"{job_name}: no {kind} service"
        service = matching[0]
        # Published on the port the noxfile's default TEST_* URL points at.
        port = urlsplit(SERVICE_URLS[kind]).port
        assert f"{port}:{port}" in service["ports"], kind
        assert "--health-cmd" in service["options"], kind
    by_image = {s["image"].split(":")[0]: s for s in services.values()}
    assert by_image["postgres"]["env"]["POSTGRES_HOST_AUTH_METHOD"] == "trust"
    assert by_image["mariadb"]["env"]["MARIADB_ALLOW_EMPTY_ROOT_PASSWORD"] == "1"


def test_the_matrix_has_every_python_its_sessions_need(workflow: dict[str, Any]) -> None:
    setup = next(
        step
        for step in workflow["jobs"]["generated"]["steps"]
        if step.get("uses", "").startswith("actions/setup-python@")
    )
    versions = set(str(setup["with"]["python-version"]).split())

    assert {combination.python_version for combination in COMBINATIONS} <= versions


def test_the_workflow_runs_on_pushes_and_pull_requests(workflow: dict[str, Any]) -> None:
    # PyYAML reads the bare key `on` as True.
    triggers = workflow.get("on", workflow.get(True))

    assert "push" in triggers
    assert "pull_request" in triggers


def test_the_coverage_sessions_render_every_value_of_every_dimension() -> None:
    """The matrix runs the coverage gate on a few sessions only (noxfile.COVERAGE_SESSIONS):
    between them they must render every database, auth, task variant and versioning
    answer, and the extreme names, so no answer's files escape the gate."""
    covered = [combination for combination in COMBINATIONS if combination.id in COVERAGE_SESSIONS]

    assert len(covered) == len(COVERAGE_SESSIONS), "a name that is no session"
    for dimension, values in MATRIX.items():
        assert {getattr(combination, dimension) for combination in covered} == set(values)
    assert any(combination.names() for combination in covered)
