"""The Questions page, generated from copier.yml at build time so it cannot drift.

copier.yml gives each question's name, help, type, choices (with their labels),
default and `when` condition; `questions.yml` beside this file says, in prose, what
each answer renders. The page is built from both, and the build fails when a
question or a choice of copier.yml has no entry in `questions.yml` (or an entry
names a question or choice that no longer exists).

This module is an MkDocs hook (`hooks:` in mkdocs.yml) and a plain module the
template's tests import: `build_page()` needs no MkDocs build.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined

ROOT = Path(__file__).resolve().parents[2]
COPIER_YML = ROOT / "copier.yml"
DESCRIPTIONS_YML = Path(__file__).with_name("questions.yml")
PAGE = "questions.md"


class DescriptionError(ValueError):
    """A question or answer of copier.yml has no description, or a description is stale."""


@dataclass(frozen=True)
class Choice:
    value: Any
    label: str

    @property
    def key(self) -> str:
        return answer_key(self.value)


@dataclass(frozen=True)
class Question:
    name: str
    type: str
    help: str
    default: Any
    choices: list[Choice] = field(default_factory=list)
    when: str | None = None
    validator: str | None = None

    @property
    def answers(self) -> list[Choice]:
        """The answers a user can pick: the choices, or true/false for a bool."""
        if self.choices:
            return self.choices
        if self.type == "bool":
            return [Choice(True, "yes"), Choice(False, "no")]
        return []


def answer_key(value: Any) -> str:
    """How an answer is written on the command line and in questions.yml."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def load_questions(path: Path = COPIER_YML) -> list[Question]:
    """Every question of copier.yml, in the order Copier asks them."""
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    questions = []
    for name, spec in config.items():
        if name.startswith("_"):
            continue
        if not isinstance(spec, dict):
            # Copier's short form `name: default`.
            spec = {"default": spec}
        choices = spec.get("choices") or []
        if isinstance(choices, dict):
            listed = [Choice(value, str(label)) for label, value in choices.items()]
        else:
            listed = [Choice(value, answer_key(value)) for value in choices]
        questions.append(
            Question(
                name=name,
                type=str(spec.get("type", "str")),
                help=str(spec.get("help", "")),
                default=spec.get("default"),
                choices=listed,
                when=spec.get("when"),
                validator=spec.get("validator"),
            )
        )
    return questions


def load_descriptions(path: Path = DESCRIPTIONS_YML) -> dict[str, dict[str, Any]]:
    descriptions = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(name): entry or {} for name, entry in descriptions.items()}


def check_descriptions(questions: list[Question], descriptions: dict[str, dict[str, Any]]) -> None:
    """Raise DescriptionError naming every question or answer the page cannot describe."""
    problems: list[str] = []
    names = {question.name for question in questions}
    for question in questions:
        entry = descriptions.get(question.name)
        if entry is None:
            problems.append(f"question {question.name!r} has no entry")
            continue
        if question.validator and not entry.get("accepts"):
            problems.append(f"question {question.name!r} is validated but has no 'accepts'")
        described = {answer_key(key): text for key, text in (entry.get("answers") or {}).items()}
        expected = [answer.key for answer in question.answers]
        if not expected and not entry.get("renders"):
            problems.append(f"question {question.name!r} has no 'renders'")
        problems += [
            f"answer {key!r} of question {question.name!r} has no entry"
            for key in expected
            if not described.get(key)
        ]
        problems += [
            f"answer {key!r} of question {question.name!r} is described but not in copier.yml"
            for key in described
            if key not in expected
        ]
    problems += [
        f"question {name!r} is described but not in copier.yml"
        for name in descriptions
        if name not in names
    ]
    if problems:
        raise DescriptionError(
            f"{DESCRIPTIONS_YML.name} does not match copier.yml: " + "; ".join(problems)
        )


def example_defaults(questions: list[Question]) -> dict[str, Any]:
    """The answers `copier copy --defaults` gives, Jinja defaults rendered like Copier does."""
    environment = Environment(undefined=StrictUndefined)
    environment.filters.update(_name_filters())
    values: dict[str, Any] = {}
    for question in questions:
        default = question.default
        if isinstance(default, str) and "{{" in default:
            default = environment.from_string(default).render(values)
        values[question.name] = default
    return values


def _name_filters() -> dict[str, Any]:
    # The template's own filters (pure functions), so derived defaults show real values.
    spec = importlib.util.spec_from_file_location("strata_names", ROOT / "extensions" / "names.py")
    if spec is None or spec.loader is None:
        raise ImportError("cannot load extensions/names.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    filters: dict[str, Any] = module.FILTERS
    return filters


CODE_SPAN = re.compile(r"(`+).+?\1")


def _cell(text: str) -> str:
    """One line of a table cell: pipes escaped, except inside code spans (tables skip those)."""
    text = " ".join(str(text).split())
    pieces, end = [], 0
    for span in CODE_SPAN.finditer(text):
        pieces += [text[end : span.start()].replace("|", "\\|"), span.group(0)]
        end = span.end()
    return "".join([*pieces, text[end:].replace("|", "\\|")])


def _code(value: Any) -> str:
    text = answer_key(value) if not isinstance(value, str) else value
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _condition(when: Any) -> str:
    text = str(when).strip()
    if text.startswith("{{") and text.endswith("}}"):
        text = text[2:-2].strip()
    return text


def render_page(questions: list[Question], descriptions: dict[str, dict[str, Any]]) -> str:
    """The Markdown of the Questions page."""
    check_descriptions(questions, descriptions)
    examples = example_defaults(questions)
    lines = [
        "# Questions",
        "",
        "<!-- Generated from copier.yml and docs/hooks/questions.yml by docs/hooks/questions.py"
        " at build time: edit those, not this page. -->",
        "",
        "`copier copy` asks these questions in this order. Give an answer on the command line"
        " with `-d name=value` (`--defaults` takes the default of every question you do not"
        " give); the answers are recorded in the project's `.copier-answers.yml`, and"
        " `copier update -d name=value` changes one later (see [Updating](updating.md)).",
        "",
        "This page is generated from `copier.yml` when the site is built, so it lists exactly"
        " the questions and answers the template has.",
        "",
        "| question | type | default | asked |",
        "|---|---|---|---|",
    ]
    for question in questions:
        asked = f"when `{_condition(question.when)}`" if question.when else "always"
        lines.append(
            f"| [`{question.name}`](#{question.name}) | `{question.type}` "
            f"| {_cell(_code(question.default))} | {asked} |"
        )
    for question in questions:
        entry = descriptions[question.name]
        lines += ["", f"## `{question.name}` {{#{question.name}}}", ""]
        lines += [f"> {_cell(question.help)}" if question.help else "> (no help text)", ""]
        lines.append(f"- **Type:** `{question.type}`")
        default = question.default
        if isinstance(default, str) and "{{" in default:
            lines.append(
                f"- **Default:** derived, {_code(default)}; with every other default:"
                f" {_code(examples[question.name])}"
            )
        else:
            lines.append(f"- **Default:** {_code(default)}")
        if question.when:
            lines.append(
                f"- **Asked:** only when `{_condition(question.when)}`. When it is not asked,"
                " the answer is not recorded in `.copier-answers.yml` and the template uses"
                " the default."
            )
        else:
            lines.append("- **Asked:** always")
        if entry.get("accepts"):
            lines.append(f"- **Accepts:** {_cell(entry['accepts'])}")
        if entry.get("renders"):
            lines += ["", _cell(entry["renders"])]
        if question.answers:
            described = {answer_key(key): text for key, text in entry["answers"].items()}
            lines += ["", "| answer | shown as | what it renders |", "|---|---|---|"]
            for answer in question.answers:
                marker = " (default)" if answer.value == question.default else ""
                lines.append(
                    f"| `{answer.key}`{marker} | {_cell(answer.label)} "
                    f"| {_cell(described[answer.key])} |"
                )
    return "\n".join(lines) + "\n"


def build_page(copier_yml: Path = COPIER_YML, descriptions_yml: Path = DESCRIPTIONS_YML) -> str:
    return render_page(load_questions(copier_yml), load_descriptions(descriptions_yml))


# --- MkDocs hook events ------------------------------------------------------------


def on_files(files: Any, config: Any) -> Any:
    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import File

    try:
        content = build_page()
    except DescriptionError as error:
        raise PluginError(str(error)) from error
    if files.get_file_from_path(PAGE) is not None:
        raise PluginError(f"docs/{PAGE} is generated from copier.yml: delete the hand-written one")
    files.append(File.generated(config, PAGE, content=content))
    return files


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    # `mkdocs serve` rebuilds when the questions or their descriptions change.
    server.watch(str(COPIER_YML))
    server.watch(str(DESCRIPTIONS_YML))
    return server
