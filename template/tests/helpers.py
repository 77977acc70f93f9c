"""Assertions and queries shared by many test modules."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

SECRET_WORDS = ("hash", "secret", "password")
T = TypeVar("T")


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


async def eventually(
    check: Callable[[], Awaitable[T | None]], *, what: str, seconds: float = 30.0
) -> T:
    """Poll `check` until it returns a value: background work finishes in its own time."""
    deadline = time.monotonic() + seconds
    while (result := await check()) is None:
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {seconds:.0f}s waiting for {what}")
        await asyncio.sleep(0.05)
    return result
