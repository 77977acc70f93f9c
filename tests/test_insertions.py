"""updates/insertions.py: a user's added lines survive the template's change around them;
any other edit of the user's is left to the usual conflict."""

from __future__ import annotations

import pytest

from updates.insertions import with_insertions

DEPENDENCIES = ["dependencies = [\n", '    "typer>=0.16",\n', '    "uvicorn>=0.35",\n', "]\n"]
MINE = [*DEPENDENCIES[:3], '    "tenacity>=9",\n', "]\n"]
# The template bumped the last dependency and closed the list with a line of its own.
NEW = [
    *DEPENDENCIES[:2],
    '    "uvicorn>=0.37",\n',
    "    # Yours (`uv add`) go below this line.\n",
    "]\n",
]


def test_lines_added_before_a_line_stay_before_it_in_the_new_release() -> None:
    merged = with_insertions(DEPENDENCIES, MINE, NEW)

    assert merged == [*NEW[:4], '    "tenacity>=9",\n', "]\n"]


def test_lines_added_at_the_end_stay_at_the_end() -> None:
    old = ["A=1\n"]
    new = ["A=1\n", "\n", "# Your own settings below.\n"]

    assert with_insertions(old, [*old, "MINE=2\n"], new) == [*new, "MINE=2\n"]


@pytest.mark.parametrize(
    "mine",
    [
        [DEPENDENCIES[0], DEPENDENCIES[2], DEPENDENCIES[3]],  # a line removed
        [DEPENDENCIES[0], DEPENDENCIES[1], '    "uvicorn>=0.36",\n', DEPENDENCIES[3]],  # changed
    ],
)
def test_any_other_edit_is_left_to_the_conflict(mine: list[str]) -> None:
    assert with_insertions(DEPENDENCIES, mine, NEW) is None
