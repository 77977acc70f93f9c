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

# Test databases are named test_<package>_<10 hex digits>: PostgreSQL keeps 63 bytes of a
# name and MySQL 64, so a longer package name would not fit. Slugs name files, the CLI
# and the distribution; 60 keeps them readable and inside every tool's limits.
MAX_PACKAGE_LENGTH = 47
MAX_SLUG_LENGTH = 60
# The name is a Python string on a line of its own (PROJECT_NAME = "..."): at most 83
# characters keeps that line within 100, with letters outside ASCII as their escapes.
MAX_ESCAPED_NAME_LENGTH = 83

# Top-level modules installed in generated projects (every answer, dev tools included)
# and the project's own layout: a package with one of these names would shadow them.
# Derived, not hand-picked: every generated nox session compares it with what its
# environment really installs and fails naming any module missing here.
DEPENDENCY_MODULES = frozenset(
    """
    _argon2_cffi_bindings _cffi_backend _hypothesis_ftz_detector _hypothesis_globals
    _hypothesis_pytestplugin _pytest _yaml aiosqlite alembic amqp annotated_doc annotated_types
    anyio argon2 arq ast_serialize asyncmy asyncpg billiard celery certifi cffi cfgv
    charset_normalizer click click_didyoumean click_plugins click_repl coverage cryptography
    dateutil deprecated distlib dns docker dotenv email_validator fastapi fastapi_offline
    filelock graphql greenlet h11 harfile hiredis httpcore httptools httpx hypothesis
    hypothesis_graphql identify idna iniconfig jsonschema_rs jwt kombu librt limits mako
    markdown_it markupsafe mdurl multipart mypy mypy_extensions mypyc nodeenv opentelemetry
    packaging pathspec pika platformdirs pluggy pre_commit prometheus_client prompt_toolkit
    puremagic pwdlib py pycparser pydantic pydantic_core pydantic_settings pygments pymysql
    pyrate_limiter pytest pytest_asyncio pytest_cov pytest_timeout python_discovery
    python_multipart redis requests respx rich ruff schemathesis sentry_sdk shellingham six
    sortedcontainers sqlalchemy starlette testcontainers typer typing_extensions
    typing_inspection tzlocal urllib3 uvicorn uvloop vine virtualenv watchfiles wcwidth
    websockets werkzeug wrapt yaml
    app conftest migrations src tests
    """.split()  # noqa: SIM905 - a word list that diffs line by line when it changes
)

# Latin letters that Unicode does not decompose into an ASCII letter plus accents
# (NFKD handles é, ñ, å, …). A small table rather than a dependency: Copier runs these
# filters, and users would have to install that dependency next to Copier.
TRANSLITERATION = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "SS",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "TH",
        "\u0131": "i",  # dotless i (Turkish), written escaped: it looks like an i
        "ħ": "h",
        "Ħ": "H",
        "ŋ": "n",
        "Ŋ": "N",
        "ŧ": "t",
        "Ŧ": "T",
        "ĸ": "q",
    }
)


def _ascii(text: str) -> str:
    """`text` spelled in ASCII where Latin letters allow; other characters dropped."""
    decomposed = unicodedata.normalize("NFKD", text.translate(TRANSLITERATION))
    return decomposed.encode("ascii", "ignore").decode()


def unspellable_letters(name: str) -> str:
    """The letters of `name` that have no ASCII spelling (Cyrillic, Greek, CJK, …)."""
    return "".join(
        char for char in name if unicodedata.category(char).startswith("L") and not _ascii(char)
    )


def slugify(name: str) -> str:
    """Turn a free-text project name into a distribution/CLI slug ("My API!" -> "my-api").

    Letters are transliterated ("Straße" -> "strasse"). The result can be invalid (a
    leading digit, empty): the project_slug validator then says why and asks for one.
    """
    words = re.findall(r"[a-z0-9]+", _ascii(name).lower())
    return _shorten("-".join(words), "-", MAX_SLUG_LENGTH)


def package_from_slug(slug: str) -> str:
    """The importable package name for a slug ("my-api" -> "my_api")."""
    return _shorten(slug.replace("-", "_"), "_", MAX_PACKAGE_LENGTH)


def _shorten(text: str, separator: str, limit: int) -> str:
    """`text` cut to `limit` characters at a word boundary when there is one."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rpartition(separator)[0]
    return cut if cut else text[:limit]


def class_prefix(slug: str) -> str:
    """A CamelCase prefix for class names ("my-api" -> "MyApi")."""
    return "".join(part.capitalize() for part in slug.split("-") if part)


def py_escape(text: Any) -> str:
    """`text` for a Python string or docstring, non-ASCII characters escaped: ruff flags
    letters that look like ASCII ones (full-width, Cyrillic) in strings and docstrings."""
    return str(text).encode("ascii", "backslashreplace").decode()


def py_string(text: Any) -> str:
    """`text` as a double-quoted Python string literal (see py_escape)."""
    return f'"{py_escape(text)}"'


def project_name_error(name: Any) -> str:
    """Empty when the project name is usable, else a message naming the question."""
    text = str(name)
    if not text.strip():
        return "project_name must not be empty."
    if not text.isprintable():
        return "project_name must contain only printable characters (no newlines or tabs)."
    if (length := len(py_escape(text))) > MAX_ESCAPED_NAME_LENGTH:
        return (
            f"project_name {text!r} is too long: in Python source, where a letter outside "
            f"ASCII is written as an escape (é as \\xe9), it takes {length} characters; "
            f"at most {MAX_ESCAPED_NAME_LENGTH} fit."
        )
    return ""


def slug_error(slug: Any, project_name: Any = None) -> str:
    """Empty when the slug is valid, else a message naming the question.

    With `project_name`, a default slug that lost letters or starts with a digit is
    explained in terms of the name the user typed.
    """
    text = str(slug)
    derived = project_name is not None and text == slugify(str(project_name))
    if derived and (lost := unspellable_letters(str(project_name))):
        return (
            f"project_slug: project_name {project_name!r} has letters with no ASCII "
            f"spelling ({lost}); answer project_slug yourself, for example "
            "-d project_slug=my-service."
        )
    if not text:
        return (
            "project_slug is empty: project_name has no ASCII letters or digits to build "
            "it from; answer project_slug yourself, for example -d project_slug=my-service."
        )
    if text[0].isdigit():
        return (
            f"project_slug {text!r} must start with a letter (it names a Python package); "
            f"answer project_slug yourself, for example -d project_slug=app-{text}."
        )
    if len(text) > MAX_SLUG_LENGTH:
        return f"project_slug {text!r} is longer than {MAX_SLUG_LENGTH} characters."
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
    if len(text) > MAX_PACKAGE_LENGTH:
        return (
            f"package_name {text!r} is longer than {MAX_PACKAGE_LENGTH} characters: the "
            "test databases named after it would not fit PostgreSQL's and MySQL's limits."
        )
    if text.startswith("__"):
        return f"package_name {text!r}: names starting with two underscores are Python's own."
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
    if text != text.strip():
        return f"{question} {text!r} starts or ends with spaces; leave them out."
    return ""


FILTERS = {
    "slugify": slugify,
    "py_escape": py_escape,
    "py_string": py_string,
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
