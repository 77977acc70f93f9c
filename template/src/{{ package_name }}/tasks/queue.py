"""The enqueue facade: one call for routes and services, whatever the backend.

A job is recorded on the session (the unit of work) and only handed to the
backend after that session commits; a rollback drops it. Job arguments must be
JSON-serialisable so every backend can carry them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

_PENDING = "pending_jobs"


@dataclass(frozen=True, slots=True)
class PendingJob:
    name: str
    kwargs: dict[str, Any] = field(default_factory=dict)


class JobDispatcher(Protocol):
    async def dispatch(self, jobs: Sequence[PendingJob]) -> None: ...


def enqueue(session: AsyncSession, job: Callable[..., Awaitable[None]], **kwargs: Any) -> None:
    """Run `job(**kwargs)` in the background once this session's transaction commits."""
    session.info.setdefault(_PENDING, []).append(PendingJob(job.__name__, kwargs))


def take_jobs(session: AsyncSession) -> list[PendingJob]:
    jobs: list[PendingJob] = session.info.pop(_PENDING, [])
    return jobs


def discard_jobs(session: AsyncSession) -> None:
    session.info.pop(_PENDING, None)
