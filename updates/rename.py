"""Carry a user's edits of a file the template renamed over to its new name.

Copier runs this from a `_migrations` entry of copier.yml after an update, in the
project. By then Copier has written the file under its new name and deleted the old
one, edits included: it only merges files whose path stays the same. The old file as
the user left it is still in the project's last commit (Copier refuses to update a
dirty project), and the old file as the template rendered it is in the template's
history at the release the project was on. A 3-way merge of the two into the new file
keeps the edits, exactly as Copier merges every other file; a conflict is left inline
with Copier's own markers and recorded unmerged in the index, as Copier records its own.

Usage: rename.py OLD NEW VERSION_FROM
    OLD, NEW      the paths in the project (relative to it)
    VERSION_FROM  the release the project was rendered at (`_version_from`)
The old file must be one the template renders verbatim (no `.jinja` suffix).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

# The labels Copier gives its own inline conflicts, so users see one convention.
LABELS = ("before updating", "last update", "after updating")
# Copier runs this script from its own checkout of the template.
TEMPLATE = Path(__file__).resolve().parents[1]


def git(*args: str, cwd: Path | None = None) -> bytes | None:
    """Output of a git command, or None when it fails (a path missing at a revision)."""
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    return result.stdout if result.returncode == 0 else None


def mark_unmerged(path: str, base: Path, ours: Path, theirs: Path) -> None:
    """Record the three versions as a conflict in the index, as Copier does for its own,
    so `git status` lists the file as unmerged and `git commit` refuses until it is added."""
    # Index paths start at the repository's top, which may be above the project.
    prefix = git("rev-parse", "--show-prefix") or b""
    path = prefix.decode().strip() + path
    blobs = git("hash-object", "-w", str(base), str(ours), str(theirs))
    if blobs is None:
        raise RuntimeError(f"cannot store the versions of {path} in git")
    entries = [
        f"100644 {blob} {stage}\t{path}"
        for stage, blob in enumerate(blobs.decode().split(), start=1)
    ]
    subprocess.run(
        ["git", "update-index", "--index-info"],
        input="\n".join(entries).encode(),
        check=True,
    )


def main(old: str, new: str, version_from: str) -> int:
    mine = git("show", f"HEAD:./{old}")
    base = git("show", f"{version_from}:template/{old}", cwd=TEMPLATE)
    target = Path(new)
    if mine is None or base is None or mine == base or not target.is_file():
        # Nothing of the user's to carry: the old file did not exist at that release,
        # was not edited, or the new one is not rendered for these answers.
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        ours, ancestor, theirs = (Path(scratch, name) for name in ("ours", "base", "theirs"))
        ours.write_bytes(mine)
        ancestor.write_bytes(base)
        theirs.write_bytes(target.read_bytes())
        labels = [arg for label in LABELS for arg in ("-L", label)]
        merge = subprocess.run(
            ["git", "merge-file", "-p", *labels, str(ours), str(ancestor), str(theirs)],
            capture_output=True,
            check=False,
        )
        # Killed, or git's negative exit status (as 128-255): the merge itself failed.
        if merge.returncode < 0 or merge.returncode > 127:
            sys.stderr.write(merge.stderr.decode(errors="replace"))
            return 1
        if merge.returncode:
            mark_unmerged(new, ancestor, ours, theirs)
    target.write_bytes(merge.stdout)
    if merge.returncode:
        print(
            f"{old} is now {new}: your edits conflict with the template's; "
            "resolve the markers in it",
            file=sys.stderr,
        )
    else:
        print(f"{old} is now {new}: your edits were carried over", file=sys.stderr)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
