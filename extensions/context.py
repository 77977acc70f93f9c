"""Values derived from the answers, added to Copier's rendering context.

Copier calls the hook very often, in every phase and sometimes before all
answers exist, so it tolerates missing keys and never overwrites an answer.
"""

from __future__ import annotations

from typing import Any

from copier_template_extensions import ContextHook

DRIVERS = {
    "postgresql": "postgresql+asyncpg",
    "mysql": "mysql+asyncmy",
    "sqlite": "sqlite+aiosqlite",
}

DRIVER_PACKAGES = {
    "postgresql": "asyncpg>=0.30",
    "mysql": "asyncmy>=0.2.10",
    "sqlite": "aiosqlite>=0.21",
}


def derive(answers: dict[str, Any]) -> dict[str, Any]:
    """Derived values for whichever answers are present (pure, unit-tested)."""
    derived: dict[str, Any] = {}
    database = answers.get("database")
    if database in DRIVERS:
        derived["db_driver"] = DRIVERS[database]
        derived["db_driver_package"] = DRIVER_PACKAGES[database]
        derived["db_is_server"] = database != "sqlite"
    if "api_versioning" in answers:
        derived["api_prefix"] = "/api/v1" if answers["api_versioning"] else "/api"
    slug = answers.get("project_slug")
    package = answers.get("package_name")
    if isinstance(slug, str) and isinstance(package, str) and database in DRIVERS:
        derived["default_database_url"] = default_database_url(database, slug, package)
    return derived


def default_database_url(database: str, slug: str, package: str) -> str:
    """The development DATABASE_URL written into Settings and .env.example."""
    if database == "postgresql":
        return f"postgresql+asyncpg://postgres@127.0.0.1:5432/{package}"
    if database == "mysql":
        return f"mysql+asyncmy://root@127.0.0.1:3306/{package}"
    return f"sqlite+aiosqlite:///./{slug}.db"


class ContextUpdater(ContextHook):
    """Adds derived values without touching any answer."""

    def hook(self, context: dict[str, Any]) -> None:
        for key, value in derive(context).items():
            context[key] = value
