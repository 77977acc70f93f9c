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
    slug_error,
    slugify,
)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("My Service", "my-service"),
        ("  Inventory   API v2 ", "inventory-api-v2"),
        ("Café Déjà Vu", "cafe-deja-vu"),
        ("42 Things", "things"),
        ("under_score & co.", "under-score-co"),
        ("!!!", ""),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_package_and_class_names_follow_the_slug() -> None:
    assert package_from_slug("my-service") == "my_service"
    assert class_prefix("my-service") == "MyService"


@pytest.mark.parametrize("name", ["My Service", "API", "x"])
def test_good_project_names(name: str) -> None:
    assert project_name_error(name) == ""


@pytest.mark.parametrize("name", ["", "   ", "a\nb", "123", "!!!"])
def test_bad_project_names_name_the_question(name: str) -> None:
    assert "project_name" in project_name_error(name)


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
