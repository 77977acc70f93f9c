"""Derived names and answer validators for copier.yml.

Everything here is a pure function of its input so it can be unit-tested and
so Copier can call it in any phase without side effects.
"""

from __future__ import annotations

import keyword
import re
import sys
import unicodedata
from typing import Any

from jinja2 import Environment
from jinja2.ext import Extension

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]*[a-z0-9]$")
IDENTIFIER_PATTERN = re.compile(r"^[a-z_][a-z0-9_]*$")

# Modules a generated service imports or installs: a package with one of these
# names would shadow them and fail at import time in confusing ways.
DEPENDENCY_MODULES = frozenset(
    {
        "aiomysql",
        "aiosqlite",
        "alembic",
        "anyio",
        "app",
        "argon2",
        "arq",
        "asyncmy",
        "asyncpg",
        "celery",
        "click",
        "conftest",
        "docker",
        "fastapi",
        "greenlet",
        "h11",
        "httpcore",
        "httpx",
        "jwt",
        "kombu",
        "mako",
        "migrations",
        "multipart",
        "mypy",
        "pwdlib",
        "pydantic",
        "pydantic_core",
        "pydantic_settings",
        "pytest",
        "python_multipart",
        "redis",
        "ruff",
        "sqlalchemy",
        "src",
        "starlette",
        "testcontainers",
        "tests",
        "typer",
        "typing_extensions",
        "uvicorn",
    }
)


def slugify(name: str) -> str:
    """Turn a free-text project name into a distribution/CLI slug ("My API!" -> "my-api")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_name.lower())
    slug = "-".join(words)
    # A slug must start with a letter: drop leading digits/dashes rather than fail.
    return re.sub(r"^[^a-z]+", "", slug)


def package_from_slug(slug: str) -> str:
    """The importable package name for a slug ("my-api" -> "my_api")."""
    return slug.replace("-", "_")


def class_prefix(slug: str) -> str:
    """A CamelCase prefix for class names ("my-api" -> "MyApi")."""
    return "".join(part.capitalize() for part in slug.split("-") if part)


def project_name_error(name: Any) -> str:
    """Empty when the project name is usable, else a message naming the question."""
    text = str(name)
    if not text.strip():
        return "project_name must not be empty."
    if not text.isprintable():
        return "project_name must contain only printable characters (no newlines or tabs)."
    if not slugify(text):
        return (
            f"project_name {text!r} has no letters to build a slug from; "
            "use a name with at least one ASCII letter."
        )
    return ""


def slug_error(slug: Any) -> str:
    """Empty when the slug is valid, else a message naming the question."""
    text = str(slug)
    if not SLUG_PATTERN.fullmatch(text):
        return (
            f"project_slug {text!r} is not valid: use lowercase letters, digits and single "
            "dashes, starting with a letter and not ending with a dash "
            "(pattern ^[a-z][a-z0-9-]*[a-z0-9]$)."
        )
    if "--" in text:
        return f"project_slug {text!r} must not contain two dashes in a row."
    return ""


def package_name_error(name: Any) -> str:
    """Empty when the package name is importable and shadows nothing, else a message."""
    text = str(name)
    if not IDENTIFIER_PATTERN.fullmatch(text) or not text.isidentifier():
        return (
            f"package_name {text!r} is not a valid Python package name: use lowercase "
            "letters, digits and underscores, starting with a letter."
        )
    if keyword.iskeyword(text) or keyword.issoftkeyword(text):
        return f"package_name {text!r} is a Python keyword."
    # `test` (CPython's own test package) is missing from stdlib_module_names.
    if text in sys.stdlib_module_names or text == "test":
        return f"package_name {text!r} would shadow the standard library module {text!r}."
    if text in DEPENDENCY_MODULES:
        return f"package_name {text!r} would shadow the module {text!r} the service depends on."
    return ""


def email_error(email: Any) -> str:
    """Empty for a plausible e-mail address; the check is deliberately loose."""
    text = str(email)
    if not re.fullmatch(r"[^@\s\"]+@[^@\s\"]+\.[^@\s\"]+", text):
        return f"author_email {text!r} is not an e-mail address."
    return ""


def toml_string_error(value: Any, question: str) -> str:
    """Free text lands in TOML and YAML strings: refuse what would need escaping."""
    text = str(value)
    if not text.isprintable() or any(char in text for char in '"\\'):
        return f"{question} must be printable text without double quotes or backslashes."
    return ""


FILTERS = {
    "slugify": slugify,
    "package_from_slug": package_from_slug,
    "class_prefix": class_prefix,
    "project_name_error": project_name_error,
    "slug_error": slug_error,
    "package_name_error": package_name_error,
    "email_error": email_error,
    "toml_string_error": toml_string_error,
}


class NameFilters(Extension):
    """Registers the functions above as Jinja filters for copier.yml and templates."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(FILTERS)
