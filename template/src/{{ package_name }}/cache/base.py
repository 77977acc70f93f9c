"""The cache interface, and the list of keys a transaction makes stale."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

_STALE = "stale_cache_keys"

ModelT = TypeVar("ModelT", bound=BaseModel)


class Cache(Protocol):
    """Bytes by key, each kept for at most its TTL.

    A cache is an optimisation, never a dependency: an implementation whose store is
    unreachable answers `get` with None (a miss) and lets `set` and `delete` do nothing,
    so a read falls back to the database instead of failing.
    """

    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl_seconds: float) -> None: ...

    async def delete(self, *keys: str) -> None: ...


def invalidate_after_commit(session: AsyncSession, *keys: str) -> None:
    """Drop `keys` from the cache once this session's transaction has committed.

    After, not before: a read between an early delete and the commit would cache the
    old data again, for a whole TTL. A rollback drops the list (nothing changed).
    """
    session.info.setdefault(_STALE, set()).update(keys)


def take_stale_keys(session: AsyncSession) -> list[str]:
    keys: set[str] = session.info.pop(_STALE, set())
    return sorted(keys)


async def read_through(
    cache: Cache,
    key: str,
    ttl_seconds: float,
    schema: type[ModelT],
    compute: Callable[[], Awaitable[ModelT]],
) -> ModelT:
    """The cached `schema` under `key`, or `compute()`'s, cached for `ttl_seconds` (0: off).

    An entry that no longer parses (written by an older version of the schema) is a miss.
    """
    if ttl_seconds == 0:
        return await compute()
    raw = await cache.get(key)
    if raw is not None:
        try:
            return schema.model_validate_json(raw)
        except ValidationError:
            pass
    value = await compute()
    await cache.set(key, value.model_dump_json().encode(), ttl_seconds)
    return value
