"""The documentation cannot drift from the template.

The Questions page is generated from copier.yml (docs/hooks/questions.py) and must
describe every question and answer; the pattern catalog and the architecture tree
name files that must exist for the answers they say. File names are worked out the
way Copier does it, from template/ with each answer combination's context, so these
tests need no render except one that checks that working-out against Copier.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
from fnmatch import fnmatch
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from jinja2 import Environment, StrictUndefined

from extensions.context import derive
from noxfile import COMBINATIONS, Combination
from tests.conftest import ROOT, Render

DOCS = ROOT / "docs"
TEMPLATE = ROOT / "template"
PACKAGE = "<package>"  # how the docs write the package directory
# Copier's `_exclude` patterns that can occur in a working tree of template/.
EXCLUDED = ("__pycache__", ".pyc", ".pyo", ".DS_Store")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
PATH = re.compile(r"^(?:[\w.<>*-]+/)*[\w.<>*-]*\.[\w]+$")
# Every pattern of the catalog (PATTERNS.md), including those not rendered yet.
CATALOG_IDS = [
    *(f"D{n}" for n in range(1, 8)),
    *(f"R{n}" for n in range(1, 8)),
    *(f"E{n}" for n in range(1, 5)),
    *(f"S{n}" for n in range(1, 7)),
    *(f"T{n}" for n in range(1, 6)),
    *(f"O{n}" for n in range(1, 10)),
]


def _load_questions_module() -> ModuleType:
    path = DOCS / "hooks" / "questions.py"
    spec = importlib.util.spec_from_file_location("strata_docs_questions", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while decorating
    spec.loader.exec_module(module)
    return module


questions = _load_questions_module()


def _copier_questions() -> dict[str, dict[str, Any]]:
    config = yaml.safe_load((ROOT / "copier.yml").read_text(encoding="utf-8"))
    return {name: spec for name, spec in config.items() if not name.startswith("_")}


def _sections(page: str) -> dict[str, str]:
    """The page's section of each question, by question name."""
    found = {}
    for section in page.split("\n## ")[1:]:
        match = re.match(r"`(\w+)`", section)
        assert match, section[:80]
        found[match.group(1)] = section
    return found


# --- the Questions page ------------------------------------------------------------


def test_questions_page_lists_every_question_and_every_answer() -> None:
    page = questions.build_page()
    sections = _sections(page)

    assert list(sections) == list(_copier_questions())
    for name, spec in _copier_questions().items():
        section = sections[name]
        assert spec.get("help", "") in section
        assert f"**Type:** `{spec.get('type', 'str')}`" in section
        assert questions.answer_key(spec["default"]) in section
        if "when" in spec:
            condition = spec["when"].strip().removeprefix("{{").removesuffix("}}").strip()
            assert f"only when `{condition}`" in section
        choices = spec.get("choices") or {}
        labelled = choices.items() if isinstance(choices, dict) else [(c, c) for c in choices]
        if spec.get("type") == "bool":
            labelled = [("yes", True), ("no", False)]
        for label, value in labelled:
            row = next(
                (
                    line
                    for line in section.splitlines()
                    if line.startswith(f"| `{questions.answer_key(value)}`")
                ),
                None,
            )
            assert row is not None, f"{name}: no row for {value!r}"
            assert f"| {label} |" in row
            # The third column says what the answer renders.
            assert row.rstrip(" |").split(" | ")[2].strip()


def test_a_question_without_a_description_fails_naming_it() -> None:
    descriptions = questions.load_descriptions()
    del descriptions["database"]

    with pytest.raises(questions.DescriptionError, match="question 'database' has no entry"):
        questions.render_page(questions.load_questions(), descriptions)


def test_an_answer_without_a_description_fails_naming_it() -> None:
    descriptions = questions.load_descriptions()
    del descriptions["task_backend"]["answers"]["arq"]

    with pytest.raises(
        questions.DescriptionError, match="answer 'arq' of question 'task_backend' has no entry"
    ):
        questions.render_page(questions.load_questions(), descriptions)


def test_a_question_added_to_copier_yml_fails_until_described(tmp_path: Path) -> None:
    copier_yml = tmp_path / "copier.yml"
    copier_yml.write_text(
        (ROOT / "copier.yml").read_text(encoding="utf-8")
        + "\nregion:\n  type: str\n  help: Region\n  choices: [eu, us]\n  default: eu\n",
        encoding="utf-8",
    )

    with pytest.raises(questions.DescriptionError, match="question 'region' has no entry"):
        questions.build_page(copier_yml)


def test_a_choice_added_to_copier_yml_fails_until_described(tmp_path: Path) -> None:
    config = yaml.safe_load((ROOT / "copier.yml").read_text(encoding="utf-8"))
    config["auth"]["choices"]["OpenID Connect"] = "oidc"
    copier_yml = tmp_path / "copier.yml"
    copier_yml.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")

    with pytest.raises(
        questions.DescriptionError, match="answer 'oidc' of question 'auth' has no entry"
    ):
        questions.build_page(copier_yml)


def test_a_description_of_something_copier_yml_lacks_fails() -> None:
    descriptions = questions.load_descriptions()
    descriptions["region"] = {"renders": "nothing"}
    descriptions["database"]["answers"]["oracle"] = "nothing"

    with pytest.raises(questions.DescriptionError) as error:
        questions.render_page(questions.load_questions(), descriptions)
    assert "question 'region' is described but not in copier.yml" in str(error.value)
    assert "answer 'oracle' of question 'database' is described" in str(error.value)


def test_the_build_stops_on_a_gap(monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.exceptions import PluginError

    def undescribed() -> str:
        raise questions.DescriptionError("question 'region' has no entry")

    monkeypatch.setattr(questions, "build_page", undescribed)
    with pytest.raises(PluginError, match="region"):
        questions.on_files(files=None, config=None)


def test_derived_defaults_show_the_value_copier_gives() -> None:
    sections = _sections(questions.build_page())

    assert "`my-service`" in sections["project_slug"]
    assert "`my_service`" in sections["package_name"]


def test_the_questions_page_is_not_hand_written() -> None:
    assert not (DOCS / "questions.md").exists()


def test_the_site_fetches_nothing_at_build_time() -> None:
    config = _mkdocs_config()
    plugins = [p if isinstance(p, str) else next(iter(p)) for p in config.get("plugins", [])]
    # Material's social cards and privacy plugin download; search builds locally.
    assert set(plugins) <= {"search"}
    assert config["theme"]["font"] is False
    assert config["hooks"] == ["docs/hooks/questions.py"]


def _mkdocs_config() -> dict[str, Any]:
    class Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml names Python objects (`!!python/name:`); read them as their names.
    Loader.add_multi_constructor(
        "tag:yaml.org,2002:python/name:", lambda loader, suffix, node: suffix
    )
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config: dict[str, Any] = yaml.load(text, Loader=Loader)
    return config


# --- file names as Copier renders them ---------------------------------------------

_jinja = Environment(undefined=StrictUndefined)


@functools.cache
def _compiled(source: str) -> Any:
    return _jinja.from_string(source)


def _context(combination: Combination) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "project_slug": "my-service",
        "package_name": PACKAGE,
        # A question skipped by `when` still has its default in the context.
        "celery_broker": "redis",
        **combination.data(),
        "_copier_conf": {"answers_file": ".copier-answers.yml"},
    }
    answers.update(derive(answers))
    return answers


@functools.cache
def rendered_paths(combination: Combination) -> frozenset[str]:
    """The files Copier renders for this combination, worked out from template/'s names."""
    context = _context(combination)
    paths = set()
    for source in TEMPLATE.rglob("*"):
        relative = source.relative_to(TEMPLATE)
        if not source.is_file() or any(part.endswith(EXCLUDED) for part in relative.parts):
            continue
        parts = [_compiled(part).render(context) for part in relative.parts]
        parts[-1] = parts[-1].removesuffix(".jinja")
        if all(parts):  # a name that renders empty is not rendered at all
            paths.add("/".join(parts))
    return frozenset(paths)


def test_file_names_are_worked_out_like_copier_renders_them(rendered: Render) -> None:
    default = Combination("sqlite", "jwt", "background_tasks", True)
    project = rendered(**default.data())
    actual = {
        str(path.relative_to(project))
        for path in project.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(project).parts
    }

    expected = {path.replace(PACKAGE, "my_service") for path in rendered_paths(default)}
    assert actual == expected


def _matches(combination: Combination, conditions: dict[str, set[str]]) -> bool:
    answers = {name: questions.answer_key(value) for name, value in combination.data().items()}
    return all(answers.get(name) in values for name, values in conditions.items())


def _condition(text: str) -> dict[str, set[str]]:
    name, _, values = text.partition("=")
    return {name.strip(): {value.strip() for value in values.split(",")}}


# --- the pattern catalog -------------------------------------------------------------


def _catalog() -> list[dict[str, Any]]:
    """The rows of docs/patterns.md: id, answers it applies to, and (path, answers) pairs."""
    rows = []
    for line in (DOCS / "patterns.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if not line.startswith("| ") or not re.fullmatch(r"[A-Z]\d+", cells[0]):
            continue
        assert len(cells) == 5, line
        identifier, _, applies, code, proof = cells
        conditions: dict[str, set[str]] = {}
        for span in CODE_SPAN.finditer(applies):
            conditions.update(_condition(span.group(2)))
        assert conditions or applies == "all", line
        files: list[tuple[str, dict[str, set[str]]]] = []
        proofs = 0
        for cell in (code, proof):
            for span in CODE_SPAN.finditer(cell):
                text = span.group(2)
                if "=" in text:
                    assert files, f"{identifier}: a condition before any file: {cell}"
                    files[-1][1].update(_condition(text))
                elif PATH.match(text):
                    files.append((text, {}))
                    proofs += cell is proof
        rows.append(
            {
                "id": identifier,
                "applies": conditions,
                "files": files,
                "proofs": proofs,
                "line": line,
            }
        )
    return rows


def test_catalog_lists_every_pattern_once() -> None:
    assert [row["id"] for row in _catalog()] == CATALOG_IDS


@pytest.mark.parametrize("row", _catalog(), ids=lambda row: row["id"])
def test_every_catalog_file_is_rendered_for_its_answers(row: dict[str, Any]) -> None:
    if not row["files"]:
        assert "not in the template yet" in row["line"]
        return
    assert row["proofs"], "nothing in the 'proven by' column"
    for path, conditions in row["files"]:
        combinations = [c for c in COMBINATIONS if _matches(c, {**row["applies"], **conditions})]
        assert combinations, f"no combination has the answers given for {path}"
        missing = [c.id for c in combinations if path not in rendered_paths(c)]
        assert not missing, f"{path} is not rendered for {len(missing)} combinations: {missing[:3]}"


# --- the architecture page -----------------------------------------------------------


def _architecture_block(language: str, first_line: str = "") -> str:
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    blocks = re.findall(rf"^```{language}\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    found = [block for block in blocks if block.startswith(first_line)]
    assert len(found) == 1, f"expected one {language} block starting {first_line!r}"
    return found[0]


def _architecture_tree() -> dict[str, str | None]:
    """The tree of the architecture page: each file's path and its `[when ...]`, if any."""
    lines = _architecture_block("text", f"src/{PACKAGE}/").splitlines()
    files: dict[str, str | None] = {}
    stack: list[str] = []
    for line in lines[1:]:
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        assert indent % 2 == 0, line
        assert indent >= 2, line
        depth = indent // 2 - 1
        assert depth <= len(stack), f"too deep: {line}"
        del stack[depth:]
        name = line.split()[0]
        if name.endswith("/"):
            stack.append(name.rstrip("/"))
            continue
        marker = re.search(r"\[when (.+?)\]", line)
        path = "/".join(["src", PACKAGE, *stack, name])
        files[path] = marker.group(1) if marker else None
    return files


def test_architecture_tree_lists_exactly_the_rendered_source_files() -> None:
    rendered = set().union(*(rendered_paths(c) for c in COMBINATIONS))
    source = {path for path in rendered if path.startswith(f"src/{PACKAGE}/")}

    assert set(_architecture_tree()) == source


def test_architecture_tree_says_when_each_file_exists() -> None:
    for path, condition in _architecture_tree().items():
        for combination in COMBINATIONS:
            present = path in rendered_paths(combination)
            expected = (
                True
                if condition is None
                else bool(_jinja.compile_expression(condition)(**_context(combination)))
            )
            assert present is expected, f"{path} [when {condition}] for {combination.id}"


def test_architecture_diagram_names_real_modules() -> None:
    diagram = _architecture_block("mermaid")
    modules = set(re.findall(r"(?<![\w/])((?:[a-z_]+/)*(?:[a-z_]+|\*)\.py)\b", diagram))
    tree = _architecture_tree()

    assert len(modules) > 10
    for module in modules:
        assert any(fnmatch(path, f"src/{PACKAGE}/{module}") for path in tree), module
