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


BROKER_URLS = {
    "redis": "redis://127.0.0.1:6379/0",
    "rabbitmq": "amqp://guest:guest@127.0.0.1:5672//",
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
    backend = answers.get("task_backend")
    if backend is not None:
        # Celery and ARQ run jobs in a separate worker process; both keep state in Redis.
        derived["has_worker"] = backend in ("celery", "arq")
        broker = answers.get("celery_broker")
        if backend == "celery" and broker in BROKER_URLS:
            derived["default_broker_url"] = BROKER_URLS[broker]
    if database in DRIVERS and backend is not None:
        derived["testcontainers_extras"] = testcontainers_extras(
            database, backend, answers.get("celery_broker")
        )
    auth = answers.get("auth")
    if auth is not None and backend is not None:
        derived["api_routes"] = api_routes(
            auth,
            has_worker=backend in ("celery", "arq"),
            # Projects from releases before the question took the example.
            example=answers.get("example_domain", True) is not False,
        )
    slug = answers.get("project_slug")
    package = answers.get("package_name")
    if isinstance(slug, str) and isinstance(package, str) and database in DRIVERS:
        server, name = development_database(database, slug, package)
        derived["db_server_url"], derived["db_name"] = server, name
        # The development DATABASE_URL of Settings and .env.example.
        derived["default_database_url"] = f"{server}/{name}"
    return derived


def testcontainers_extras(database: str, backend: str, broker: object) -> list[str]:
    """The services the generated suite can start in Docker when no TEST_* URL is set."""
    extras = {"postgresql": ["postgres"], "mysql": ["mysql"]}.get(database, [])
    if backend in ("celery", "arq"):
        extras.append("redis")
    if backend == "celery" and broker == "rabbitmq":
        extras.append("rabbitmq")
    return extras


def api_routes(auth: str, *, has_worker: bool, example: bool = True) -> list[str]:
    """The route modules under the API prefix, in the order their routers are included."""
    routes = ["auth", "user"] if auth == "jwt" else ["api_key"]
    if example:
        routes += ["location", "item"]
    if has_worker:
        routes.append("job")
    return routes


def development_database(database: str, slug: str, package: str) -> tuple[str, str]:
    """The development database server URL and database name (a file for SQLite)."""
    if database == "postgresql":
        return "postgresql+asyncpg://postgres@127.0.0.1:5432", package
    if database == "mysql":
        return "mysql+asyncmy://root@127.0.0.1:3306", package
    return "sqlite+aiosqlite:///.", f"{slug}.db"


class ContextUpdater(ContextHook):
    """Adds derived values without touching any answer."""

    def hook(self, context: dict[str, Any]) -> None:
        for key, value in derive(context).items():
            context[key] = value
