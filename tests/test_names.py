"""Names users type (property-based): every accepted answer renders a project that ruff
leaves alone, and every refused one names its question and leaves nothing behind.

Bounded: each example renders a whole project (about two seconds), so a run tries a few
dozen names. The generated nox sessions run whole suites on the longest names
(noxfile.EXTREME_NAMES).
"""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from extensions.names import (
    email_error,
    package_from_slug,
    package_name_error,
    project_name_error,
    slug_error,
    slugify,
    toml_string_error,
)
from noxfile import COMBINATIONS, Combination
from tests.conftest import render

# What people put in names: ASCII, accented and special Latin letters, full-width
# letters, digits and the punctuation of company names, in words; and now and then
# anything at all (other scripts, stray spaces), which must be refused by name.
LATIN = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    + list("éüßøæłðþÆØŁÞçñåœ")
    + ["\uff21", "\uff42"]  # full-width A and b
    + list("'&-.,:!()/")
)
ANYTHING = st.sampled_from([*"abcXYZ09éß", "\uff21", *"складΩλ数据", *"  '&-."])
WORDS = st.lists(st.text(LATIN, min_size=1, max_size=14), min_size=1, max_size=8).map(" ".join)
NAMES = st.one_of(WORDS, WORDS, WORDS, st.text(ANYTHING, min_size=1, max_size=60)).filter(
    lambda name: len(name) <= 60
)
TEXT = st.one_of(WORDS, st.text(ANYTHING, min_size=1, max_size=80))
EMAILS = st.builds(
    "{}@{}.{}".format,
    st.text(
        st.sampled_from(list("abcdefghijklmnopqrstuvwxyz0123456789.+_-")), min_size=1, max_size=64
    ),
    st.text(
        st.sampled_from(list("abcdefghijklmnopqrstuvwxyz0123456789-")), min_size=1, max_size=40
    ),
    st.sampled_from(["com", "co.uk", "example"]),
)


def refusal(answers: dict[str, str]) -> str | None:
    """The question Copier should refuse first, asked in copier.yml's order; None if none."""
    name = answers["project_name"]
    if project_name_error(name) or toml_string_error(name, "project_name"):
        return "project_name"
    slug = slugify(name)
    if slug_error(slug, name):
        return "project_slug"
    if package_name_error(package_from_slug(slug)):
        return "package_name"
    if toml_string_error(answers["description"], "description"):
        return "description"
    if toml_string_error(answers["author_name"], "author_name"):
        return "author_name"
    if email_error(answers["author_email"]):
        return "author_email"
    return None


@settings(
    max_examples=25,
    deadline=None,
    # No shrinking: each step renders a project, and CI needs the failing example, not
    # the smallest one, within minutes.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    project_name=NAMES,
    description=TEXT,
    author_name=TEXT,
    author_email=EMAILS,
    combination=st.sampled_from(COMBINATIONS),
)
def test_any_name_renders_clean_or_is_refused_by_name(
    project_name: str,
    description: str,
    author_name: str,
    author_email: str,
    combination: Combination,
) -> None:
    answers = {
        "project_name": project_name,
        "description": description,
        "author_name": author_name,
        "author_email": author_email,
    }
    expected = refusal(answers)
    event(f"refused by {expected}" if expected else "rendered")
    with TemporaryDirectory() as tmp:
        destination = Path(tmp) / "out"
        if expected is not None:
            # Copier raises ValueError for answers given with -d.
            with pytest.raises(ValueError, match=f"question '{expected}'"):
                render(destination, **combination.data(), **answers)
            assert not destination.exists() or not any(destination.iterdir())
            return
        render(destination, **combination.data(), **answers)
        assert_clean(destination, answers)


def assert_clean(root: Path, answers: dict[str, Any]) -> None:
    for command in (["ruff", "format", "--check", "--diff", "."], ["ruff", "check", "."]):
        result = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
    # The text lands as typed where people read it, and its files still parse.
    recorded = yaml.safe_load((root / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert {key: recorded[key] for key in answers} == answers
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["description"] == answers["description"]
    assert answers["project_name"] in (root / "README.md").read_text(encoding="utf-8")
