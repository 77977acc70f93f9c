"""Refuse, loudly, an update that changed `package_name`.

Copier treats a changed `package_name` like any changed answer: it renders the template
into the new package and leaves the old one, where the service's code is. That is not a
rename, and the project no longer works. Copier runs this task after every update, in
the project; finding the service's code in another package than the answer names, it
exits 1 with what happened and how to undo it, so the update cannot pass unnoticed.

Usage: one_package.py PACKAGE
"""

from __future__ import annotations

import sys
from pathlib import Path

MESSAGE = """\
package_name is now {new!r}, but the service's code is in src/{old}/: Copier rendered
the template into src/{new}/ and left src/{old}/ as it was. An update cannot rename
the package. Undo this update (git reset --hard && git clean -fd), then rename by hand
as docs/updating.md says ("Do not change project_slug or package_name").
"""


def main(package: str) -> int:
    # A package of the template's making: it has the app factory and the API's wiring.
    packages = [router.parents[1] for router in sorted(Path("src").glob("*/api/router.py"))]
    others = [p.name for p in packages if p.name != package and (p / "main.py").is_file()]
    if not others:
        return 0
    sys.stderr.write(MESSAGE.format(new=package, old=others[0]))
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
