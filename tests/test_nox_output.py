"""What `nox -s "generated(...)"` prints: each step as it happens, no Copier git chatter."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from plumbum import local

from noxfile import COMBINATIONS, default_parallel, render


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def names(self) -> set[str]:
        return {record.name.split(".")[0] for record in self.records}


@pytest.fixture
def nox_logging() -> Iterator[Records]:
    """The root logger as nox sets it up: at DEBUG, with a handler that prints everything."""
    root = logging.getLogger()
    handler, level = Records(), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_plumbum_would_print_every_git_call_at_nox_log_level(nox_logging: Records) -> None:
    """Why the noxfile sets plumbum's level: Copier runs git through plumbum, which logs
    each call at DEBUG, the level nox's root logger prints (~120 lines a render)."""
    plumbum = logging.getLogger("plumbum")
    level = plumbum.level
    plumbum.setLevel(logging.NOTSET)
    try:
        local["git"]("--version")
    finally:
        plumbum.setLevel(level)
    assert "plumbum" in nox_logging.names()


def test_a_render_logs_no_plumbum_lines(nox_logging: Records, tmp_path: Path) -> None:
    render(tmp_path / "project", **COMBINATIONS[0].data())  # clones this checkout with git
    assert (tmp_path / "project" / "pyproject.toml").is_file()
    assert "plumbum" not in nox_logging.names()


@pytest.mark.parametrize(
    ("argv", "sessions_at_once"),
    [
        ([], 2),
        (["-s", "generated(sqlite-jwt-arq-v1)"], 1),
        (["-s", "generated(sqlite-jwt-arq-v1)", "--", "-k", "health"], 1),
        (["--session=tests"], 1),
        (["-s", "tests", "docs"], 2),
        (["-s", "generated"], 2),
        (["-s", "tests", "-s", "docs"], 2),
        (["-t", "mysql"], 2),
        (["-k", "arq", "-s", "tests"], 2),
    ],
)
def test_a_lone_session_runs_in_the_foreground(argv: list[str], sessions_at_once: int) -> None:
    """nox prints a parallel session's output only when it ends: one session alone runs
    in nox's own process, so each step's line shows as it starts."""
    assert default_parallel(argv, {}) == sessions_at_once
    assert default_parallel(argv, {"NOX_PARALLEL": "3"}) == 3
