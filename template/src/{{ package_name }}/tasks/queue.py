"""The enqueue facade: one call for routes and services, whatever the backend.

A job is recorded on the session (the unit of work) and only handed to the
backend after that session commits; a rollback drops it. Job arguments must be
JSON-serialisable so every backend can carry them.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

_PENDING = "pending_jobs"


def new_job_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class PendingJob:
    name: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    # Chosen before the job is sent, so the caller can report it and the backend reuse it.
    id: str = field(default_factory=new_job_id)


class JobState(StrEnum):
    """Where a job is, as the status endpoint of a queue backend reports it."""

    queued = "queued"  # waiting for a worker, or for its next attempt
    running = "running"
    succeeded = "succeeded"
    failed = "failed"  # out of attempts; also stored in failed_jobs


class JobDispatcher(Protocol):
    async def dispatch(self, jobs: Sequence[PendingJob]) -> None: ...


def enqueue(session: AsyncSession, job: Callable[..., Awaitable[None]], **kwargs: Any) -> str:
    """Run `job(**kwargs)` in the background once this session commits; returns the job id."""
    pending = PendingJob(job.__name__, kwargs)
    session.info.setdefault(_PENDING, []).append(pending)
    return pending.id


def take_jobs(session: AsyncSession) -> list[PendingJob]:
    jobs: list[PendingJob] = session.info.pop(_PENDING, [])
    return jobs


def discard_jobs(session: AsyncSession) -> None:
    session.info.pop(_PENDING, None)
