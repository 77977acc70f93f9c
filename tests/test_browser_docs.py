"""/docs and /redoc of a real `serve`, driven in headless Chromium (Playwright's
playwright-core, no browser download of its own): the pages load only from the service,
Swagger UI lists the operations, the Authorize dialog logs in with the project's auth mode,
one "Try it out" → Execute of an authenticated GET returns 200, and ReDoc renders.

Two renders cover it: SQLite + JWT and SQLite + api_key. api/docs.py has no per-answer
code; the auth answer is the only one that changes the page (the Authorize dialog), and
SQLite needs no server, so the database and task answers would only add minutes."""

from __future__ import annotations

import fcntl
import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from noxfile import Combination, render
from tests.conftest import check, project_checks_environment

DRIVER = Path(__file__).parent / "browser" / "docs_page.mjs"
# Pinned: the driver uses its locators; .ci/run installs the same version.
PLAYWRIGHT_CORE = "1.65.2"
PASSWORD = "correct horse battery staple"
# ReDoc 2.5.3 always renders its "API docs by Redocly" logo from cdn.redoc.ly (its
# onError hides it): the page's CSP blocks it before any request leaves the browser.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def playwright_core() -> Path:
    """playwright-core from npm in a cache directory of its own, installed once per machine
    (a lock keeps parallel workers from installing it twice)."""
    home = Path(tempfile.gettempdir()) / f"strata-playwright-core-{PLAYWRIGHT_CORE}"
    home.mkdir(exist_ok=True)
    with (home / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (home / "node_modules" / "playwright-core" / "package.json").exists():
            subprocess.run(
                [
                    "npm",
                    "install",
                    "--silent",
                    "--no-audit",
                    "--no-fund",
                    "--prefix",
                    str(home),
                    f"playwright-core@{PLAYWRIGHT_CORE}",
                ],
                check=True,
                capture_output=True,
            )
    return home


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cli(project: Path, env: dict[str, str], *arguments: str) -> str:
    result = subprocess.run(
        ["uv", "run", "--locked", "my-service", *arguments],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"{arguments} failed:\n{result.stdout}{result.stderr}"
    return result.stdout


@pytest.fixture
def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("no Chromium on this machine: apt-get install chromium")
    return path


@pytest.fixture
def serving(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str, str, str]]:
    """A rendered project's own `serve`, with a user or an API key made by its CLI: the
    base URL, the auth mode, the credential to type into the Authorize dialog, and a GET
    that needs it."""
    auth: str = request.param
    combination = Combination("sqlite", auth, "background_tasks", api_versioning=True)
    project = render(tmp_path / "project", **combination.data())
    env = project_checks_environment(combination)
    check(["uv", "--quiet", "lock"], project, env)
    check(["uv", "--quiet", "sync", "--locked"], project, env)
    env |= {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'docs.db'}",
        "ENVIRONMENT": "development",
    }
    cli(project, env, "db", "upgrade")
    if auth == "jwt":
        cli(project, env, "create-user", "docs@example.com", "--password", PASSWORD)
        credential, operation = f"docs@example.com:{PASSWORD}", "/api/v1/users/me"
    else:
        credential = cli(project, env, "create-api-key", "docs").strip().splitlines()[-1]
        operation = "/api/v1/items"
    port = free_port()
    server = subprocess.Popen(
        ["uv", "run", "--locked", "my-service", "serve", "--port", str(port)],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/health/live", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "serve did not answer in 60 s"
                time.sleep(0.3)
        yield base, auth, credential, operation
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.browser
@pytest.mark.parametrize("serving", ["jwt", "api_key"], indirect=True)
def test_docs_work_in_a_browser_with_only_the_services_files(
    chromium: str, serving: tuple[str, str, str, str]
) -> None:
    base, auth, credential, operation = serving
    result = subprocess.run(
        [
            "node",
            str(DRIVER),
            str(playwright_core()),
            chromium,
            base,
            "My Service",
            auth,
            credential,
            operation,
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    print(json.dumps(report, indent=2))  # what it loaded and clicked, for `pytest -s`
    assert "error" not in report, report
    assert report["refused"] == [], "the page tried to load from elsewhere"
    assert all(url.split(" ", 1)[1].startswith(f"{base}/") for url in report["loaded"])
    assert set(report["violations"]) <= {f"img-src {REDOC_LOGO}"}, report["violations"]
    assert [m for m in report["console"] if REDOC_LOGO not in m] == [], report["console"]
    assert report["operations"] > 5
    assert report["authorized"] is True
    assert report["status"] == "200"
    assert report["redocHeading"].startswith("My Service")
    assert report["redocOperations"] == report["operations"]
