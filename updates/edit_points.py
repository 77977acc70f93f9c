"""Move a user's additions out of the files 0.5.0 took back as the template's own.

Before 0.5.0 the generated README sent users to edit two files that change with the
answers: routers were included in `api/router.py`, models listed in `models/__init__.py`.
0.5.0 gives those edits places the template never changes (`ROUTERS` in
`api/routes/__init__.py`; `models/` imports every module itself), and rewrites the two
files. Left alone, every line a user added there would conflict once.

Copier runs this from `_migrations` entries of copier.yml:
- `before` (in the project, before Copier compares it with the old release): takes the
  user's router and model lines out of the two files and stages the result, so Copier
  sees those files as the template rendered them; the routers are noted in git's
  directory for the second step. Any other edit of the two files is left, and merged
  (or conflicts) as Copier merges every edit.
- `after` (once the new files are written): adds the noted routers to `ROUTERS`.
  Models need nothing: the new `models/__init__.py` imports every module in `models/`.
  The two files are unstaged again, as Copier leaves every file it updates.

`.env.example` gained a last section for users' settings in 0.5.0, where lines a user
added at the end of the file meet it: updates/insertions.py resolves that conflict.

Usage: edit_points.py before|after ANSWERS_FILE
    ANSWERS_FILE  the project's answers file (`_copier_conf.answers_file`), which names
                  its package: in the `before` stage Copier has not loaded the answers yet
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import yaml  # Copier's own dependency: this runs in Copier's interpreter

# The route and model modules the template itself has rendered in any release.
TEMPLATE_ROUTES = {"api_key", "auth", "health", "item", "job", "location", "user"}
TEMPLATE_MODELS = {"api_key", "audit_event", "failed_job", "item", "location", "user"}
# The line of the new api/routes/__init__.py that the noted routers are added to.
EMPTY_ROUTERS = "ROUTERS: list[APIRouter] = []\n"
LINE_LENGTH = 100


def git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout


def notes() -> Path:
    """Where `before` leaves the routers for `after`: inside git's directory, so the
    project's work tree (which Copier compares) never holds it."""
    return Path(git("rev-parse", "--git-path", "strata-edit-points.json").strip())


def imported_from(tree: ast.Module, module: str) -> list[ast.ImportFrom]:
    return [
        node for node in tree.body if isinstance(node, ast.ImportFrom) and node.module == module
    ]


def without_names(text: str, node: ast.ImportFrom, names: set[str]) -> str:
    """The import statement `node` of `text` with `names` taken out, in its own layout."""
    lines = text.splitlines(keepends=True)
    first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
    if first == last:
        kept = [alias.name for alias in node.names if alias.name not in names]
        lines[first] = f"from {node.module} import {', '.join(kept)}\n" if kept else ""
    else:
        for index in range(first + 1, last):
            if lines[index].strip().rstrip(",") in names:
                lines[index] = ""
    return "".join(lines)


def take_routers(router: Path, package: str) -> list[str]:
    """Remove the user's routers from the old api/router.py; the modules removed."""
    text = router.read_text(encoding="utf-8")
    tree = ast.parse(text)
    included = set(re.findall(r"\.include_router\((\w+)\.router\)", text))
    moved: list[str] = []
    for node in imported_from(tree, f"{package}.api.routes"):
        names = {
            alias.name
            for alias in node.names
            if alias.asname is None and alias.name not in TEMPLATE_ROUTES and alias.name in included
        }
        if names:
            text = without_names(text, node, names)
            moved += sorted(names)
    for module in moved:
        text = re.sub(rf"^[ \t]*\w+\.include_router\({module}\.router\)\n", "", text, flags=re.M)
    router.write_text(text, encoding="utf-8")
    return moved


def take_models(init: Path, package: str) -> None:
    """Remove the user's model imports (and their `__all__` entries) from the old
    models/__init__.py: the new one imports every module in models/ by itself."""
    text = init.read_text(encoding="utf-8")
    tree = ast.parse(text)
    for node in list(tree.body):
        if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith(
            f"{package}.models."
        ):
            continue
        if node.module.rsplit(".", 1)[1] in TEMPLATE_MODELS:
            continue
        lines = text.splitlines(keepends=True)
        for index in range(node.lineno - 1, node.end_lineno or node.lineno):
            lines[index] = ""
        text = "".join(lines)
        for alias in node.names:
            name = re.escape(alias.asname or alias.name)
            text = re.sub(rf', "{name}"|"{name}", |\n[ \t]*"{name}",', "", text)
        tree = ast.parse(text)  # line numbers moved
    init.write_text(text, encoding="utf-8")


def before(package: str) -> None:
    changed = []
    router = Path("src", package, "api", "router.py")
    moved = take_routers(router, package) if router.is_file() else []
    if moved:
        changed.append(router)
    init = Path("src", package, "models", "__init__.py")
    if init.is_file():
        original = init.read_text(encoding="utf-8")
        take_models(init, package)
        if init.read_text(encoding="utf-8") != original:
            changed.append(init)
    if changed:
        # Copier compares the index with the old release, not the work tree.
        git("add", "--", *map(str, changed))
    staged = [str(path) for path in changed]
    notes().write_text(json.dumps({"routers": moved, "staged": staged}), encoding="utf-8")


def routers_line(modules: list[str]) -> str:
    entries = ", ".join(f"{module}.router" for module in modules)
    line = f"ROUTERS: list[APIRouter] = [{entries}]\n"
    if len(line) <= LINE_LENGTH + 1:
        return line
    return (
        "ROUTERS: list[APIRouter] = [\n"
        + "".join(f"    {module}.router,\n" for module in modules)
        + "]\n"
    )


def import_line(package: str, modules: list[str]) -> str:
    line = f"from {package}.api.routes import {', '.join(sorted(modules))}\n"
    if len(line) <= LINE_LENGTH + 1:
        return line
    names = "".join(f"    {module},\n" for module in sorted(modules))
    return f"from {package}.api.routes import (\n{names})\n"


def after(package: str) -> int:
    note = notes()
    if not note.is_file():
        return 0
    noted = json.loads(note.read_text(encoding="utf-8"))
    note.unlink()
    modules, staged = noted["routers"], noted["staged"]
    if staged:
        git("reset", "--quiet", "--", *staged)
    if not modules:
        return 0
    routes = Path("src", package, "api", "routes", "__init__.py")
    text = routes.read_text(encoding="utf-8") if routes.is_file() else ""
    if text.count(EMPTY_ROUTERS) != 1:
        sys.stderr.write(
            f"Add your routers ({', '.join(modules)}) to ROUTERS in {routes}: "
            "they were included in api/router.py, which is the template's since 0.5.0.\n"
        )
        return 1
    text = text.replace(EMPTY_ROUTERS, import_line(package, modules) + "\n" + routers_line(modules))
    routes.write_text(text, encoding="utf-8")
    return 0


def main(stage: str, answers_file: str) -> int:
    answers = yaml.safe_load(Path(answers_file).read_text(encoding="utf-8"))
    package = answers["package_name"]
    if stage == "before":
        before(package)
        return 0
    return after(package)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
