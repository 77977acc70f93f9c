"""Resolve the conflicts in which a user's edit only added lines.

Copier merges with three lines of context, so lines a user added right after lines the
template changed conflict, although nothing of either is lost by keeping both. Two
releases add a line of their own exactly where users add theirs: 0.5.0 a last section
in `.env.example` (users append their settings at the end of the file), 0.6.0 a comment
line closing the dependencies of `pyproject.toml` (where `uv add` appends). Both would
leave every such project with a conflict once; so would any later template change to
the lines just before a user's additions.

Copier runs this from a `_migrations` entry of copier.yml after the update, in the
project, with the files to look at. For each one Copier left unmerged it takes the three
versions Copier recorded (1: the old release, 2: the user's, 3: the new release). When
the user's version is the old release plus inserted lines and nothing else, it writes
the new release with those lines inserted after the same lines of the old release (at
the end of the file when they were at its end), and clears the conflict. Any other
conflict is left as Copier left it.

Usage: insertions.py FILE...
"""

from __future__ import annotations

import subprocess
import sys
from difflib import SequenceMatcher
from pathlib import Path


def git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout


def positions(old: list[str], new: list[str]) -> dict[int, int]:
    """Where each line of the old release is in the new one; a line the new release
    rewrote in place (a version bump) keeps its position."""
    found: dict[int, int] = {}
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            found.update({i1 + k: j1 + k for k in range(i2 - i1)})
    return found


def with_insertions(old: list[str], mine: list[str], new: list[str]) -> list[str] | None:
    """`new` with the lines `mine` inserted into `old`, or None when `mine` changed or
    removed a line of `old`."""
    insertions: list[tuple[int, list[str]]] = []
    for tag, i1, _, j1, j2 in SequenceMatcher(None, old, mine, autojunk=False).get_opcodes():
        if tag == "insert":
            insertions.append((i1, mine[j1:j2]))
        elif tag != "equal":
            return None
    where = positions(old, new)
    merged = list(new)
    for at, lines in reversed(insertions):
        if at == len(old):
            position = len(new)  # they ended the file: they end it still
        elif at in where:
            position = where[at]  # before the line they were before
        elif at - 1 in where:
            position = where[at - 1] + 1  # after the line they were after
        else:
            return None
        merged[position:position] = lines
    return merged


def resolve(path: str) -> bool:
    """Resolve `path` if Copier left it unmerged with the user's edit an insertion."""
    if not Path(path).is_file() or not git("ls-files", "--unmerged", "--", path):
        return False
    old, mine, new = (
        git("show", f":{stage}:./{path}").splitlines(keepends=True) for stage in (1, 2, 3)
    )
    merged = with_insertions(old, mine, new)
    if merged is None:
        return False
    Path(path).write_text("".join(merged), encoding="utf-8")
    # Back to the index of the last commit: unmerged no more, changed like every other file.
    git("reset", "--quiet", "--", path)
    return True


def main(paths: list[str]) -> int:
    for path in paths:
        if resolve(path):
            print(f"{path}: your added lines kept, below the template's")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
