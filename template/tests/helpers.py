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

# The phrase of each status the service answers, as RFC 9110 names it: with type
# about:blank a problem's title is exactly this (RFC 9457, 4.2.1); the detail says more.
STATUS_PHRASES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status; returns its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert_standard_title(body)
    return body


def assert_standard_title(body: dict[str, Any]) -> None:
    """A problem of type about:blank is titled by its status's phrase, nothing else."""
    assert body["type"] == "about:blank", body
    assert body["title"] == STATUS_PHRASES.get(body["status"]), body


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
