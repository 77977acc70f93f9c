"""The pure functions behind copier.yml's defaults and validators."""

from __future__ import annotations

import pytest

from extensions.context import derive
from extensions.names import (
    class_prefix,
    email_error,
    package_from_slug,
    package_name_error,
    project_name_error,
    py_escape,
    py_string,
    slug_error,
    slugify,
    toml_string_error,
    unspellable_letters,
)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("My Service", "my-service"),
        ("  Inventory   API v2 ", "inventory-api-v2"),
        ("Café Déjà Vu", "cafe-deja-vu"),
        ("Straße", "strasse"),
        ("Ærø Ømsk", "aero-omsk"),
        ("Łódź Żółw", "lodz-zolw"),
        ("Þórsmörk", "thorsmork"),
        (
            "\uff26\uff55\uff4c\uff4c \uff37\uff49\uff44\uff54\uff48",
            "full-width",
        ),  # full-width letters
        ("42 Things", "42-things"),
        ("under_score & co.", "under-score-co"),
        ("Склад", ""),
        ("!!!", ""),
    ],
)
def test_slugify_transliterates(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_long_names_are_cut_at_a_word() -> None:
    name = "Northwind Regional Inventory And Fulfilment Coordination Service"
    slug = slugify(name)
    assert slug == "northwind-regional-inventory-and-fulfilment-coordination"
    assert package_from_slug(slug) == "northwind_regional_inventory_and_fulfilment"
    assert slug_error(slug, name) == ""
    assert package_name_error(package_from_slug(slug)) == ""


def test_letters_without_an_ascii_spelling_ask_for_a_slug() -> None:
    assert unspellable_letters("Склад Ω-7 café") == "СкладΩ"
    message = slug_error(slugify("Склад Ω-7"), "Склад Ω-7")
    assert message.startswith("project_slug")
    assert "СкладΩ" in message
    assert "-d project_slug=" in message
    # A slug the user gives is judged on its own.
    assert slug_error("sklad", "Склад") == ""


def test_a_leading_digit_asks_for_a_slug() -> None:
    message = slug_error(slugify("3D Printer"), "3D Printer")
    assert message.startswith("project_slug '3d-printer' must start with a letter")
    assert "-d project_slug=" in message


def test_python_strings_escape_what_ruff_would_flag() -> None:
    assert py_string("My Service") == '"My Service"'
    assert py_string("\uff26\uff55\uff4c\uff4c") == '"\\uff26\\uff55\\uff4c\\uff4c"'
    assert py_escape("Café") == "Caf\\xe9"
    assert eval(py_string("Склад café"), {}) == "Склад café"


def test_package_and_class_names_follow_the_slug() -> None:
    assert package_from_slug("my-service") == "my_service"
    assert class_prefix("my-service") == "MyService"


@pytest.mark.parametrize("name", ["My Service", "API", "x", "123", "Склад"])
def test_good_project_names(name: str) -> None:
    assert project_name_error(name) == ""


@pytest.mark.parametrize("name", ["", "   ", "a\nb", "x" * 84, "Склад " * 10])
def test_bad_project_names_name_the_question(name: str) -> None:
    assert "project_name" in project_name_error(name)


@pytest.mark.parametrize("text", [" Padded", "Padded "])
def test_surrounding_spaces_are_refused_once_for_any_free_text(text: str) -> None:
    # copier.yml runs this check after project_name_error; one of them answers, not both.
    assert project_name_error(text) == ""
    assert "starts or ends with spaces" in toml_string_error(text, "project_name")


@pytest.mark.parametrize("slug", ["ab", "my-service", "a1-b2"])
def test_good_slugs(slug: str) -> None:
    assert slug_error(slug) == ""


@pytest.mark.parametrize("slug", ["", "a", "My-Service", "1abc", "abc-", "-abc", "a_b", "a--b"])
def test_bad_slugs_name_the_question(slug: str) -> None:
    assert "project_slug" in slug_error(slug)


@pytest.mark.parametrize("name", ["my_service", "inventory", "svc2"])
def test_good_package_names(name: str) -> None:
    assert package_name_error(name) == ""


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("class", "keyword"),
        ("match", "keyword"),
        ("json", "standard library"),
        ("test", "standard library"),
        ("fastapi", "depends on"),
        ("app", "depends on"),
        ("sqlalchemy", "depends on"),
        ("rich", "depends on"),
        ("packaging", "depends on"),
        ("requests", "depends on"),
        ("yaml", "depends on"),
        ("__main__", "Python's own"),
        ("a" * 48, "longer than 47"),
        ("My_Service", "not a valid"),
        ("2fast", "not a valid"),
        ("my-service", "not a valid"),
    ],
)
def test_bad_package_names_say_why(name: str, reason: str) -> None:
    message = package_name_error(name)
    assert "package_name" in message
    assert reason in message


def test_email_validation() -> None:
    assert email_error("dev@example.com") == ""
    assert "author_email" in email_error("not an email")


def test_derive_tolerates_missing_answers() -> None:
    assert derive({}) == {}


def test_derive_for_every_database() -> None:
    answers = {"project_slug": "shop", "package_name": "shop", "api_versioning": True}
    postgres = derive({**answers, "database": "postgresql"})
    assert postgres["db_driver"] == "postgresql+asyncpg"
    assert postgres["db_is_server"] is True
    assert postgres["default_database_url"].startswith("postgresql+asyncpg://")
    assert derive({**answers, "database": "mysql"})["db_driver"] == "mysql+asyncmy"
    sqlite = derive({**answers, "database": "sqlite", "api_versioning": False})
    assert sqlite["db_is_server"] is False
    assert sqlite["default_database_url"] == "sqlite+aiosqlite:///./shop.db"
    assert sqlite["api_prefix"] == "/api"


@pytest.mark.parametrize(
    ("answers", "has_worker", "broker_url"),
    [
        ({"task_backend": "background_tasks"}, False, None),
        # The skipped question's default is still in the context: it must be ignored.
        ({"task_backend": "background_tasks", "celery_broker": "redis"}, False, None),
        ({"task_backend": "arq", "celery_broker": "redis"}, True, None),
        ({"task_backend": "celery", "celery_broker": "redis"}, True, "redis://127.0.0.1:6379/0"),
        (
            {"task_backend": "celery", "celery_broker": "rabbitmq"},
            True,
            "amqp://guest:guest@127.0.0.1:5672//",
        ),
    ],
)
def test_derive_for_every_task_backend(
    answers: dict[str, str], has_worker: bool, broker_url: str | None
) -> None:
    derived = derive(answers)
    assert derived["has_worker"] is has_worker
    assert derived.get("default_broker_url") == broker_url


def test_derive_tolerates_celery_without_a_broker_yet() -> None:
    # Copier asks task_backend before celery_broker; the hook runs in between.
    derived = derive({"task_backend": "celery"})
    assert derived["has_worker"] is True
    assert "default_broker_url" not in derived


@pytest.mark.parametrize(
    ("database", "backend", "broker", "extras"),
    [
        ("sqlite", "background_tasks", "redis", []),
        ("postgresql", "background_tasks", "redis", ["postgres"]),
        ("mysql", "background_tasks", "rabbitmq", ["mysql"]),
        ("sqlite", "arq", "redis", ["redis"]),
        ("sqlite", "arq", "rabbitmq", ["redis"]),
        ("postgresql", "celery", "redis", ["postgres", "redis"]),
        ("mysql", "celery", "rabbitmq", ["mysql", "redis", "rabbitmq"]),
    ],
)
def test_testcontainers_extras_follow_the_services(
    database: str, backend: str, broker: str, extras: list[str]
) -> None:
    answers = {"database": database, "task_backend": backend, "celery_broker": broker}
    assert derive(answers)["testcontainers_extras"] == extras


def test_testcontainers_extras_need_database_and_backend() -> None:
    assert "testcontainers_extras" not in derive({"database": "postgresql"})
    assert "testcontainers_extras" not in derive({"task_backend": "celery"})


@pytest.mark.parametrize(
    ("auth", "backend", "routes"),
    [
        ("jwt", "background_tasks", ["auth", "user", "location", "item"]),
        ("api_key", "background_tasks", ["api_key", "location", "item"]),
        ("jwt", "celery", ["auth", "user", "location", "item", "job"]),
        ("api_key", "arq", ["api_key", "location", "item", "job"]),
    ],
)
def test_api_routes_include_jobs_only_with_a_worker(
    auth: str, backend: str, routes: list[str]
) -> None:
    assert derive({"auth": auth, "task_backend": backend})["api_routes"] == routes
    assert "api_routes" not in derive({"auth": auth})


@pytest.mark.parametrize(
    ("example", "routes"),
    [
        (True, ["api_key", "location", "item", "job"]),
        (False, ["api_key", "job"]),
        # Answers of a release before the question: the example was always there.
        (None, ["api_key", "location", "item", "job"]),
    ],
)
def test_api_routes_include_the_example_only_when_it_is_wanted(
    example: bool | None, routes: list[str]
) -> None:
    answers = {"auth": "api_key", "task_backend": "arq"}
    if example is not None:
        answers["example_domain"] = example
    assert derive(answers)["api_routes"] == routes
