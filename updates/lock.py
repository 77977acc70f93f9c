"""Write uv.lock once, right after `copier copy`, so the project's first commit has it.

The generated CI workflow and Dockerfile install with `uv sync --locked`, which fails
when uv.lock is missing: without it the first push is red. uv.lock is not a template
file (every `copier update` would then conflict on it); this copy-only task writes it,
and from then on it is the user's, changed by `uv add` and `uv lock`.

A copy must not fail for it: Copier deletes the whole new project when a task fails. So
without uv, or when `uv lock` fails (no package index, no Python the project supports),
this says what to run later and exits 0; the README's first steps run `uv lock` anyway.

Usage: lock.py (in the new project)
"""

from __future__ import annotations

import shutil
import subprocess
import sys

NO_UV = """\
uv is not on PATH, so uv.lock was not written. Install uv (`pip install uv`), then run
`uv lock` here and commit uv.lock with the rest: CI and the Dockerfile need it.
"""
FAILED = """\
`uv lock` failed (see above), so uv.lock was not written. It needs the package index and
a Python the project supports: once it has them, run `uv lock` here and commit uv.lock
with the rest: CI and the Dockerfile need it.
"""


def main() -> int:
    uv = shutil.which("uv")
    if uv is None:
        sys.stderr.write(NO_UV)
        return 0
    if subprocess.run([uv, "lock", "--quiet"], check=False).returncode != 0:
        sys.stderr.write(FAILED)
    return 0


if __name__ == "__main__":
    sys.exit(main())
