"""Assertions and queries shared by many test modules."""

from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

SECRET_WORDS = ("hash", "secret", "password")


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status; returns its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


async def count_rows(session: AsyncSession, model: type[Any]) -> int:
    return (await session.execute(select(func.count()).select_from(model))).scalar_one()


def secret_keys(value: object) -> list[str]:
    """Every key, at any depth, whose name looks like it holds a secret."""
    if isinstance(value, dict):
        found = [key for key in value if any(word in key.lower() for word in SECRET_WORDS)]
        return found + [key for child in value.values() for key in secret_keys(child)]
    if isinstance(value, list):
        return [key for child in value for key in secret_keys(child)]
    return []
